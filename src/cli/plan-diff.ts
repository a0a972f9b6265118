import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { TopologyLocation } from '../topology-as-code/topology-file';
import { dependencyId, describeLocation } from './plan-files';

/** A discovery source (and scope) that reports a CI or dependency; `pending` while only an open sync does. */
export interface Claim {
  source: string;
  scope: string | null;
  pending: boolean;
}

/** A CI as the map holds it now, with the dependencies it consumes and who reports what. */
export interface CurrentCi {
  key: string;
  kind: string;
  name: string;
  description: string | null;
  owner: string | null;
  environment: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  criticality: string | null;
  revenuePerHour: number | null;
  usersAffected: number | null;
  minHealthy: number | null;
  status: string;
  sources: Claim[];
  dependencies: { to: string; type: string; strength: string; sources: Claim[] }[];
  /** Keys of the CIs that depend on this one. */
  dependents: string[];
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface TopologyPlan {
  source: string;
  cis: { create: CIInput[]; change: { key: string; changes: FieldChange[] }[]; remove: string[] };
  dependencies: {
    create: DependencyInput[];
    change: { from: string; to: string; changes: FieldChange[] }[];
    remove: { from: string; to: string }[];
  };
  /** Dependency ends that are neither in the files nor in the map: apply would be refused. `at`: file, line and path of the dependency. */
  unknownEnds: { from: string; to: string; missing: string; at?: string }[];
  /** A source no file given names, planned for `--prune`: everything it reports is removed. */
  pruned?: boolean;
}

/** Whether this source (and scope) reports it in a committed sync. */
export function claimedBy(sources: Claim[], source: string, scope: string | null): boolean {
  return sources.some((c) => c.source === source && (c.scope ?? null) === scope && !c.pending);
}

const CI_FIELDS = ['kind', 'name', 'description', 'owner', 'environment', 'tags', 'attributes', 'criticality', 'revenuePerHour', 'usersAffected', 'minHealthy'] as const;

/** A value in a form where equal meaning means equal text: sorted tags, attributes with sorted names. */
function canonical(field: string, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (field === 'tags' && Array.isArray(value)) return JSON.stringify([...new Set(value)].sort());
  if (field === 'attributes' && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(entries);
  }
  return JSON.stringify(value);
}

function emptyToNull(field: string, value: unknown): unknown {
  if (field === 'tags' && Array.isArray(value) && value.length === 0) return null;
  if (field === 'attributes' && value && typeof value === 'object' && Object.keys(value).length === 0) return null;
  return value;
}

/**
 * What applying the files would do to the map, field by field. Fields a file
 * leaves out keep their value on apply, so only fields it writes are
 * compared. A CI the map has as STALE or RETIRED comes back. Removals are
 * the CIs and dependencies in `current` that this source (and scope)
 * reports now and the files no longer hold.
 */
export function computePlan(
  source: string,
  scope: string | null,
  desired: { cis: CIInput[]; dependencies: DependencyInput[]; dependencyLocations?: TopologyLocation[] },
  current: Map<string, CurrentCi | null>,
): TopologyPlan {
  const plan: TopologyPlan = {
    source,
    cis: { create: [], change: [], remove: [] },
    dependencies: { create: [], change: [], remove: [] },
    unknownEnds: [],
  };
  const desiredKeys = new Set(desired.cis.map((c) => c.key));

  for (const ci of desired.cis) {
    const now = current.get(ci.key);
    if (!now) {
      plan.cis.create.push(ci);
      continue;
    }
    const changes: FieldChange[] = [];
    for (const field of CI_FIELDS) {
      const wanted = (ci as unknown as Record<string, unknown>)[field];
      if (wanted === undefined) continue;
      const was = (now as unknown as Record<string, unknown>)[field];
      if (canonical(field, emptyToNull(field, wanted)) !== canonical(field, emptyToNull(field, was))) {
        changes.push({ field, from: was ?? null, to: wanted });
      }
    }
    if (now.status !== 'ACTIVE') changes.push({ field: 'status', from: now.status, to: 'ACTIVE' });
    if (changes.length) plan.cis.change.push({ key: ci.key, changes });
  }

  const desiredDependencies = new Set<string>();
  desired.dependencies.forEach((dependency, index) => {
    desiredDependencies.add(dependencyId(dependency));
    const location = desired.dependencyLocations?.[index];
    for (const end of [dependency.from, dependency.to]) {
      if (!desiredKeys.has(end) && !current.get(end)) {
        plan.unknownEnds.push({ from: dependency.from, to: dependency.to, missing: end, ...(location ? { at: describeLocation(location) } : {}) });
      }
    }
    const type = dependency.type ?? DependencyType.USES;
    const strength = dependency.strength ?? DependencyStrength.HARD;
    const now = current.get(dependency.from)?.dependencies.find((d) => d.to === dependency.to);
    if (!now) {
      plan.dependencies.create.push({ ...dependency, type, strength });
      return;
    }
    const changes: FieldChange[] = [];
    if (now.type !== type) changes.push({ field: 'type', from: now.type, to: type });
    if (now.strength !== strength) changes.push({ field: 'strength', from: now.strength, to: strength });
    if (changes.length) plan.dependencies.change.push({ from: dependency.from, to: dependency.to, changes });
  });

  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const ci of current.values()) {
    if (!ci) continue;
    if (!desiredKeys.has(ci.key) && claimedBy(ci.sources, source, scope)) plan.cis.remove.push(ci.key);
    for (const d of ci.dependencies) {
      const pair = { from: ci.key, to: d.to };
      if (!desiredDependencies.has(dependencyId(pair)) && claimedBy(d.sources, source, scope)) plan.dependencies.remove.push(pair);
    }
  }
  plan.cis.remove.sort(byText);
  plan.dependencies.remove.sort((a, b) => byText(dependencyId(a), dependencyId(b)));
  return plan;
}

const ENUM_FIELDS = new Set(['kind', 'criticality', 'type', 'strength']);

function show(field: string, value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (ENUM_FIELDS.has(field) && typeof value === 'string') return value.toLowerCase();
  if (field === 'status') return String(value);
  if (field === 'tags' && Array.isArray(value)) return `[${[...new Set(value)].sort().join(', ')}]`;
  return JSON.stringify(value);
}

const describeChanges = (changes: FieldChange[]) => changes.map((c) => `${c.field} ${show(c.field, c.from)} -> ${show(c.field, c.to)}`).join(', ');

export function planHasChanges(plan: TopologyPlan): boolean {
  const { cis, dependencies } = plan;
  return [cis.create, cis.change, cis.remove, dependencies.create, dependencies.change, dependencies.remove].some((list) => list.length > 0);
}

/** The plan in words, one line per change, in the spirit of `terraform plan`. */
export function formatPlan(plan: TopologyPlan, files: string[]): string[] {
  const lines = [plan.pruned ? `${plan.source} (no file given names it: --prune removes what it reports)` : `${plan.source} (${files.join(', ')})`];
  for (const ci of plan.cis.create) {
    const details = [ci.kind.toLowerCase(), ci.name ? JSON.stringify(ci.name) : null].filter(Boolean).join(' ');
    lines.push(`  + ${ci.key} (${details})`);
  }
  for (const change of plan.cis.change) lines.push(`  ~ ${change.key}: ${describeChanges(change.changes)}`);
  for (const key of plan.cis.remove) lines.push(`  - ${key} (no longer in the files: becomes stale unless another source reports it)`);
  for (const d of plan.dependencies.create) {
    lines.push(`  + ${d.from} -> ${d.to} (${show('type', d.type)}, ${show('strength', d.strength)})`);
  }
  for (const change of plan.dependencies.change) lines.push(`  ~ ${change.from} -> ${change.to}: ${describeChanges(change.changes)}`);
  for (const d of plan.dependencies.remove) lines.push(`  - ${d.from} -> ${d.to} (no longer in the files: becomes stale unless another source reports it)`);
  for (const unknown of plan.unknownEnds) {
    lines.push(`  ! ${unknown.from} -> ${unknown.to}${unknown.at ? ` (${unknown.at})` : ''}: ${unknown.missing} is neither in the files nor in the map; apply would be refused`);
  }
  if (!planHasChanges(plan) && !plan.unknownEnds.length) lines.push(plan.pruned ? '  nothing it reports was found in the map' : '  no changes: the map matches the files');
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  lines.push(
    `  ${count(plan.cis.create.length, 'CI', 'CIs')} to create, ${plan.cis.change.length} to change, ${plan.cis.remove.length} to remove; ` +
      `${count(plan.dependencies.create.length, 'dependency', 'dependencies')} to create, ${plan.dependencies.change.length} to change, ` +
      `${plan.dependencies.remove.length} to remove`,
  );
  return lines;
}
