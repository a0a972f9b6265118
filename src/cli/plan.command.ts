import { DomainError } from '../common/errors/domain-error';
import { ParsedArgs, UsageError } from './cli-args';
import { GraphqlClient } from './graphql-client';
import { SYNC_FLAGS_USAGE, clientFor, syncFlags } from './import.command';
import { Claim, CurrentCi, computePlan, formatPlan, planHasChanges } from './plan-diff';
import { TopologySource, fileArguments, loadTopologySources } from './plan-files';

export const PLAN_USAGE = `svcmap plan -f PATH [-f PATH ...] [--url URL] [--key KEY] [--scope SCOPE] [--json]
svcmap apply -f PATH [-f PATH ...] [--url URL] [--key KEY] [--batch-size N] [--dry-run] [--json] [--quiet]

Topology as code. Each -f names a topology file or a folder of them. Files
with the same metadata.name (or, without one, the same file name) are one
source, topology-file:NAME. plan shows what apply would create (+), change (~)
and remove (-) compared with what the map holds, without writing; apply sends
each source as one full sync, so a CI taken out of the files becomes stale.
Options:
${SYNC_FLAGS_USAGE}`;

/** Most aliased fields the API accepts in one operation (SVCMAP_MAX_ALIASES). */
const ALIASES_PER_REQUEST = 50;
/** Largest page of `changes` (SVCMAP_MAX_PAGE). */
const CHANGES_PAGE = 500;

const CLAIMS = 'provenance { sources { source scope pending } }';
const CI_SELECTION = `key kind name description owner environment tags attributes criticality revenuePerHour usersAffected minHealthy status ${CLAIMS}
  dependencies { type strength provider { key } ${CLAIMS} }
  dependents { consumer { key } }`;

type Claims = { provenance: { sources: Claim[] } };

interface CiAnswer extends Omit<CurrentCi, 'dependencies' | 'dependents' | 'sources'>, Claims {
  dependencies: ({ type: string; strength: string; provider: { key: string } } & Claims)[];
  dependents: { consumer: { key: string } }[];
}

/** Reads the CIs with these keys (null for those that do not exist), 50 aliased `ci(key)` lookups per request. */
export async function fetchCurrentCis(client: GraphqlClient, keys: Iterable<string>, into = new Map<string, CurrentCi | null>()): Promise<Map<string, CurrentCi | null>> {
  const wanted = [...new Set(keys)].filter((key) => !into.has(key));
  for (let start = 0; start < wanted.length; start += ALIASES_PER_REQUEST) {
    const batch = wanted.slice(start, start + ALIASES_PER_REQUEST);
    const variables = Object.fromEntries(batch.map((key, i) => [`k${i}`, key]));
    const query = `query PlanState(${batch.map((_, i) => `$k${i}: String!`).join(', ')}) {
  ${batch.map((_, i) => `c${i}: ci(key: $k${i}) { ...PlanCi }`).join('\n  ')}
}
fragment PlanCi on CI { ${CI_SELECTION} }`;
    const data = await client.request<Record<string, CiAnswer | null>>(query, variables);
    batch.forEach((key, i) => {
      const answer = data[`c${i}`];
      if (!answer) return void into.set(key, null);
      const { provenance, dependencies, dependents, ...fields } = answer;
      into.set(key, {
        ...fields,
        sources: provenance.sources,
        dependencies: dependencies.map((d) => ({ to: d.provider.key, type: d.type, strength: d.strength, sources: d.provenance.sources })),
        dependents: dependents.map((d) => d.consumer.key),
      });
    });
  }
  return into;
}

/** Every CI key the change log says this source ever wrote (CIs, and both ends of dependencies). */
export async function keysWrittenBySource(client: GraphqlClient, source: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const data: { changes: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { key: string; to: string | null } }[] } } =
      await client.request(
        `query SourceChanges($source: String!, $first: Int!, $after: String) {
  changes(filter: { source: $source }, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { key to } } } }`,
        { source, first: CHANGES_PAGE, after },
      );
    for (const { node } of data.changes.edges) {
      keys.add(node.key);
      if (node.to) keys.add(node.to);
    }
    if (!data.changes.pageInfo.hasNextPage || !data.changes.pageInfo.endCursor) return keys;
    after = data.changes.pageInfo.endCursor;
  }
}

/**
 * What the map holds for a source: the CIs its files name, and, to find what
 * the files no longer hold, every CI the source ever wrote (from the change
 * log) and every neighbour of the CIs in the files. Each comes with the
 * sources that report it, so the plan can tell what this source reports.
 */
export async function readSourceState(client: GraphqlClient, source: TopologySource): Promise<Map<string, CurrentCi | null>> {
  const named = [...source.cis.map((c) => c.key), ...source.dependencies.flatMap((d) => [d.from, d.to])];
  const current = await fetchCurrentCis(client, named);
  const neighbours = [...current.values()].flatMap((ci) => (ci ? [...ci.dependencies.map((d) => d.to), ...ci.dependents] : []));
  const written = await keysWrittenBySource(client, source.source);
  return fetchCurrentCis(client, [...neighbours, ...written], current);
}

/** The keys among these that name a CI in the map (by key or alias). */
export async function existingKeys(client: GraphqlClient, keys: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(keys)];
  const found = new Set<string>();
  for (let start = 0; start < wanted.length; start += ALIASES_PER_REQUEST) {
    const batch = wanted.slice(start, start + ALIASES_PER_REQUEST);
    const data = await client.request<Record<string, { key: string } | null>>(
      `query KnownKeys(${batch.map((_, i) => `$k${i}: String!`).join(', ')}) { ${batch.map((_, i) => `c${i}: ci(key: $k${i}) { key }`).join(' ')} }`,
      Object.fromEntries(batch.map((key, i) => [`k${i}`, key])),
    );
    batch.forEach((key, i) => data[`c${i}`] && found.add(key));
  }
  return found;
}

/**
 * Refuses, before anything is sent, dependencies on CIs that are neither in
 * the files nor in the map: the sync would fail half-way otherwise.
 */
export async function checkDependencyEnds(client: GraphqlClient, source: TopologySource): Promise<void> {
  const inFiles = new Set(source.cis.map((c) => c.key));
  const outside = source.dependencies.flatMap((d) => [d.from, d.to]).filter((key) => !inFiles.has(key));
  if (!outside.length) return;
  const known = await existingKeys(client, outside);
  const problems = source.dependencies.flatMap((d) =>
    [d.from, d.to]
      .filter((key) => !inFiles.has(key) && !known.has(key))
      .map((key) => ({ path: `${source.source} (${source.files.join(', ')})`, message: `dependency ${d.from} -> ${d.to}: ${key} is neither in the files nor in the map` })),
  );
  if (problems.length) throw DomainError.badInput(problems);
}

export function sourcesFromArgs(argv: string[]): TopologySource[] {
  const files = fileArguments(argv);
  if (!files.length) throw new UsageError('name the topology files or folders with -f PATH');
  return loadTopologySources(files);
}

/** `svcmap plan -f PATH...`: what apply would change, without writing. */
export async function planCommand(args: ParsedArgs, out: (line: string) => void, argv: string[] = []): Promise<number> {
  const flags = syncFlags(args);
  const sources = sourcesFromArgs(argv);
  const client = clientFor(flags);
  const plans = [];
  for (const source of sources) {
    const plan = computePlan(source.source, flags.scope ?? null, source, await readSourceState(client, source));
    plans.push(plan);
    if (!flags.json) formatPlan(plan, source.files).forEach((line) => out(line));
  }
  if (flags.json) out(JSON.stringify(plans.map((p) => ({ ...p, changes: planHasChanges(p) })), null, 2));
  return 0;
}
