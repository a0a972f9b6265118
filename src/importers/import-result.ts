import { createHash } from 'node:crypto';
import { Attributes } from '../common/graphql/json-object.scalar';
import { MAX_KEY_LENGTH, attributesProblem, keyProblem } from '../common/validation/text-rules';
import { CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';

/**
 * What every importer produces: plain data in the shape of the sync API's
 * inputs (`CIInput`, `DependencyInput`), enum values in the product's
 * UPPER_CASE spelling, dependencies in the impact direction (`from` needs `to`).
 */
export interface ImportedCI {
  key: string;
  kind: CIKind;
  name: string;
  description?: string;
  owner?: string;
  environment?: string;
  tags?: string[];
  attributes?: Attributes;
  /** Other names the same thing has elsewhere (a cloud ARN, a Kubernetes uid). */
  identifiers?: string[];
}

export interface ImportedDependency {
  from: string;
  to: string;
  type: DependencyType;
  strength: DependencyStrength;
}

export interface ImportResult {
  cis: ImportedCI[];
  dependencies: ImportedDependency[];
  /** Everything the importer saw but could not map; never dropped silently. */
  warnings: string[];
}

const HASH_LENGTH = 16;
/** Most identifiers the API takes on one CI. */
const MAX_IDENTIFIERS = 20;

/**
 * Makes a derived key valid: whitespace and control characters (which keys
 * may not hold) become `%XX` escapes, and a key longer than the limit keeps
 * its start and ends in a hash of the whole, so it stays unique and stable.
 */
export function safeKey(raw: string): string {
  let key = raw.replace(/[\s\p{C}%]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  if (key.length > MAX_KEY_LENGTH) {
    const hash = createHash('sha256').update(raw).digest('hex').slice(0, HASH_LENGTH);
    key = `${key.slice(0, MAX_KEY_LENGTH - HASH_LENGTH - 1)}~${hash}`;
  }
  return key;
}

/**
 * Collects one importer's output: the first definition of a key wins (a
 * second one is a warning), a dependency is kept once per ordered pair, and
 * a CI never depends on itself. Order is the order of first appearance, so
 * the same input always gives the same output.
 */
export class ImportCollector {
  private readonly cis = new Map<string, ImportedCI>();
  private readonly dependencies = new Map<string, ImportedDependency>();
  private readonly warnings: string[] = [];

  has(key: string): boolean {
    return this.cis.has(key);
  }

  get(key: string): ImportedCI | undefined {
    return this.cis.get(key);
  }

  /** Adds a CI; returns false (and warns) when the key is already taken. */
  addCi(ci: ImportedCI, duplicateWarning?: string): boolean {
    const problem = keyProblem(ci.key);
    if (problem) {
      this.warn(`skipped a ${ci.kind} with key '${ci.key.slice(0, 80)}': key ${problem}`);
      return false;
    }
    if (this.cis.has(ci.key)) {
      this.warn(duplicateWarning ?? `${ci.key} is defined more than once; the first definition is kept`);
      return false;
    }
    const clean: ImportedCI = { key: ci.key, kind: ci.kind, name: ci.name.slice(0, 256) };
    if (ci.description) clean.description = ci.description.slice(0, 4_000);
    if (ci.owner) clean.owner = ci.owner.slice(0, 128);
    if (ci.environment) clean.environment = ci.environment.slice(0, 128);
    if (ci.tags?.length) clean.tags = [...new Set(ci.tags.map((t) => t.slice(0, 128)))].sort().slice(0, 50);
    if (ci.attributes && Object.keys(ci.attributes).length) {
      const problem = attributesProblem(ci.attributes);
      if (problem) this.warn(`${ci.key}: attributes dropped, they ${problem}`);
      else clean.attributes = ci.attributes;
    }
    const identifiers = [...new Set(ci.identifiers ?? [])].filter((id) => keyProblem(id) === null).slice(0, MAX_IDENTIFIERS);
    if (identifiers.length) clean.identifiers = identifiers;
    this.cis.set(ci.key, clean);
    return true;
  }

  /** Adds `from` DEPENDS_ON `to`; self-dependencies are ignored, a repeated pair keeps its first type and the harder strength. */
  addDependency(from: string, to: string, type: DependencyType, strength: DependencyStrength = DependencyStrength.HARD): void {
    if (from === to) return;
    const id = `${from}\u0000${to}`;
    const existing = this.dependencies.get(id);
    if (existing) {
      if (strength === DependencyStrength.HARD) existing.strength = DependencyStrength.HARD;
      return;
    }
    this.dependencies.set(id, { from, to, type, strength });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** The result; dependencies whose ends are not both CIs of this import are dropped with a warning. */
  result(): ImportResult {
    const dependencies: ImportedDependency[] = [];
    for (const dependency of this.dependencies.values()) {
      const missing = [dependency.from, dependency.to].filter((key) => !this.cis.has(key));
      if (missing.length) this.warn(`dependency ${dependency.from} -> ${dependency.to} dropped: no CI ${missing.join(', ')}`);
      else dependencies.push(dependency);
    }
    return { cis: [...this.cis.values()], dependencies, warnings: [...this.warnings] };
  }
}

/** Counts CIs by kind and dependencies by type, for summaries. */
export function summarize(result: { cis: { kind: string }[]; dependencies: { type?: string }[] }): {
  cisByKind: Record<string, number>;
  dependenciesByType: Record<string, number>;
} {
  const count = (values: string[]) =>
    Object.fromEntries(
      [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort(([a], [b]) => a.localeCompare(b)),
    );
  return { cisByKind: count(result.cis.map((c) => c.kind)), dependenciesByType: count(result.dependencies.map((d) => d.type ?? DependencyType.USES)) };
}
