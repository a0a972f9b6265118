import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { problemsOf } from '../common/validation/validate-input';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';

/**
 * Topology as code: the readable file format of `seeds/` and of
 * `svcmap plan/apply`. One file holds CIs, each with the CIs it depends on,
 * and optionally a separate list of dependencies. Enum values are written in
 * lower case (`business_function`, `hard`); this module turns a file into the
 * same inputs the GraphQL API takes, with every problem located by line.
 */
export const TOPOLOGY_API_VERSION = 'svcmap/v1';

export interface TopologyDocument {
  name: string;
  cis: CIInput[];
  dependencies: DependencyInput[];
  /** Where each CI and dependency is written (same order as `cis` and `dependencies`), for messages. */
  locations: { cis: TopologyLocation[]; dependencies: TopologyLocation[] };
}

/** A place in a topology file: `line` of the entry, and its `path` in the document (`cis[2].dependsOn[0]`). */
export interface TopologyLocation {
  file: string;
  line: number;
  path: string;
}

const CI_FIELDS = new Set([
  'key', 'kind', 'name', 'description', 'owner', 'environment', 'tags', 'attributes',
  'criticality', 'revenuePerHour', 'usersAffected', 'minHealthy', 'dependsOn',
]);
const DEPENDS_ON_FIELDS = new Set(['key', 'type', 'strength']);
const DEPENDENCY_FIELDS = new Set(['from', 'to', 'type', 'strength']);
const TOP_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'cis', 'dependencies']);

type Plain = Record<string, unknown>;

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class ProblemList {
  readonly items: FieldProblem[] = [];
  constructor(private readonly fileName: string, private readonly doc: Document, private readonly lines: LineCounter) {}

  add(path: (string | number)[], message: string): void {
    this.items.push({ path: `${this.fileName}:${this.lineOf(path)} ${render(path)}`, message });
  }

  locate(path: (string | number)[]): TopologyLocation {
    return { file: this.fileName, line: this.lineOf(path), path: render(path) };
  }

  private lineOf(path: (string | number)[]): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }
}

function render(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function unknownFields(value: Plain, allowed: Set<string>, path: (string | number)[], problems: ProblemList): void {
  for (const field of Object.keys(value)) {
    if (!allowed.has(field)) problems.add([...path, field], `unknown field; expected one of ${[...allowed].join(', ')}`);
  }
}

function toCiInput(raw: Plain): Plain {
  const { dependsOn: _deps, ...fields } = raw;
  return { ...fields, kind: upper(fields.kind), criticality: upper(fields.criticality) ?? undefined };
}

/** Parses one topology file; throws BAD_USER_INPUT listing every problem with its file and line. */
export function parseTopologyFile(text: string, fileName: string): TopologyDocument {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length !== 1) {
    throw DomainError.badInput([{ path: `${fileName}:1`, message: 'must hold exactly one YAML document' }]);
  }
  const doc = docs[0];
  if (doc.errors.length) {
    throw DomainError.badInput(
      doc.errors.map((e) => ({ path: `${fileName}:${e.linePos?.[0].line ?? 1}`, message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }
  const problems = new ProblemList(fileName, doc, lines);
  const root = doc.toJS() as unknown;
  if (!isPlain(root)) throw DomainError.badInput([{ path: `${fileName}:1`, message: 'must be a mapping with apiVersion and cis' }]);
  unknownFields(root, TOP_FIELDS, [], problems);
  if (root.apiVersion !== TOPOLOGY_API_VERSION) problems.add(['apiVersion'], `must be '${TOPOLOGY_API_VERSION}'`);
  const rawCis = root.cis ?? [];
  const rawDeps = root.dependencies ?? [];
  if (!Array.isArray(rawCis)) problems.add(['cis'], 'must be a list');
  if (!Array.isArray(rawDeps)) problems.add(['dependencies'], 'must be a list');

  const cis: CIInput[] = [];
  const dependencies: DependencyInput[] = [];
  const locations: TopologyDocument['locations'] = { cis: [], dependencies: [] };
  (Array.isArray(rawCis) ? rawCis : []).forEach((raw: unknown, index) => {
    const path = ['cis', index];
    if (!isPlain(raw)) return problems.add(path, 'must be a mapping with at least key and kind');
    unknownFields(raw, CI_FIELDS, path, problems);
    const input = toCiInput(raw);
    for (const p of problemsOf(CIInput, input, '')) problems.add([...path, ...p.path.replace(/^\./, '').split('.')], p.message);
    cis.push(input as unknown as CIInput);
    locations.cis.push(problems.locate([...path, 'key']));
    const deps = raw.dependsOn ?? [];
    if (!Array.isArray(deps)) return problems.add([...path, 'dependsOn'], 'must be a list');
    deps.forEach((dep: unknown, depIndex) => {
      const depPath = [...path, 'dependsOn', depIndex];
      const ref: Plain | null = typeof dep === 'string' ? { key: dep } : isPlain(dep) ? dep : null;
      if (!ref) return problems.add(depPath, 'must be a key or a mapping with key, type and strength');
      unknownFields(ref, DEPENDS_ON_FIELDS, depPath, problems);
      collectDependency({ from: raw.key, to: ref.key, type: ref.type, strength: ref.strength }, depPath, dependencies, problems);
      locations.dependencies.push(problems.locate(depPath));
    });
  });
  (Array.isArray(rawDeps) ? rawDeps : []).forEach((raw: unknown, index) => {
    const path = ['dependencies', index];
    if (!isPlain(raw)) return problems.add(path, 'must be a mapping with from and to');
    unknownFields(raw, DEPENDENCY_FIELDS, path, problems);
    collectDependency(raw, path, dependencies, problems);
    locations.dependencies.push(problems.locate(path));
  });
  if (problems.items.length) throw DomainError.badInput(problems.items);
  const metadata = isPlain(root.metadata) ? root.metadata : {};
  return { name: typeof metadata.name === 'string' ? metadata.name : fileName, cis, dependencies, locations };
}

function collectDependency(raw: Plain, path: (string | number)[], out: DependencyInput[], problems: ProblemList): void {
  const input = {
    from: raw.from,
    to: raw.to,
    type: upper(raw.type) ?? undefined,
    strength: upper(raw.strength) ?? undefined,
  };
  const found = problemsOf(DependencyInput, input, '');
  for (const p of found) {
    const field = p.path.replace(/^\./, '');
    problems.add(field === 'to' && path.includes('dependsOn') ? [...path, 'key'] : [...path, field], p.message);
  }
  if (!found.length && input.from === input.to) problems.add(path, `'${String(input.from)}' cannot depend on itself`);
  out.push(input as DependencyInput);
}

