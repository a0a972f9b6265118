import { DomainError } from '../common/errors/domain-error';
import { FlagSpec, ParsedArgs, UsageError, noMoreArguments } from './cli-args';
import { GraphqlClient } from './graphql-client';
import { SYNC_FLAGS, SYNC_FLAGS_USAGE, clientFor, syncFlags } from './import.command';
import { Claim, CurrentCi, TopologyPlan, computePlan, formatPlan, planHasChanges } from './plan-diff';
import { TopologySource, describeLocation, loadTopologySources } from './plan-files';

export const PLAN_USAGE = `svcmap plan -f PATH [-f PATH ...] [--prune] [--url URL] [--key KEY] [--scope SCOPE] [--json]
svcmap apply -f PATH [-f PATH ...] [--prune] [--url URL] [--key KEY] [--scope SCOPE] [--batch-size N] [--dry-run] [--json] [--quiet]

Topology as code. Each -f names a topology file or a folder of them. Files
with the same metadata.name (or, without one, the same file name) are one
source, topology-file:NAME. plan shows what apply would create (+), change (~)
and remove (-) compared with what the map holds, without writing; apply sends
each source as one full sync, so a CI taken out of the files becomes stale.
Options:
  -f, --file PATH    a topology file, or a folder of them; repeat for more
  --prune            the files given are all there is: a topology-file source
                     the map has (in this scope) that no file names is
                     removed too (plan shows it, apply syncs it empty)
${SYNC_FLAGS_USAGE}
plan takes neither --batch-size nor --dry-run (it writes nothing anyway).`;

const FILE_FLAG: FlagSpec = { name: 'file', short: 'f', value: 'PATH', repeat: true };
const PRUNE_FLAG: FlagSpec = { name: 'prune' };
const syncFlag = (name: string) => SYNC_FLAGS.find((f) => f.name === name)!;

/** `--quiet` is taken so that plan and apply share a command line; plan prints no progress. */
export const PLAN_FLAGS: readonly FlagSpec[] = [FILE_FLAG, PRUNE_FLAG, ...['url', 'key', 'scope', 'json', 'quiet'].map(syncFlag)];
export const APPLY_FLAGS: readonly FlagSpec[] = [FILE_FLAG, PRUNE_FLAG, ...SYNC_FLAGS];

const TOPOLOGY_PREFIX = 'topology-file:';

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
export async function readSourceState(
  client: GraphqlClient,
  source: Pick<TopologySource, 'source' | 'cis' | 'dependencies'>,
): Promise<Map<string, CurrentCi | null>> {
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
  const problems = source.dependencies.flatMap((d, index) =>
    [d.from, d.to]
      .filter((key) => !inFiles.has(key) && !known.has(key))
      .map((key) => ({
        path: describeLocation(source.dependencyLocations[index]),
        message: `dependency ${d.from} -> ${d.to} (source ${source.source}): ${key} is neither in the files nor in the map`,
      })),
  );
  if (problems.length) throw DomainError.badInput(problems);
}

/** The topology files and folders of `-f`/`--file`; nothing else may be on the command line. */
export function sourcesFromArgs(args: ParsedArgs): TopologySource[] {
  noMoreArguments(args, 1, 'name each topology file or folder with its own -f (-f a.yaml -f b.yaml)');
  const files = args.lists.get('file') ?? [];
  if (!files.length) throw new UsageError('name the topology files or folders with -f PATH');
  return loadTopologySources(files);
}

/** One (source, scope) as `sourceSyncs` reports it. */
export interface KnownSourceSync {
  source: string;
  scope: string | null;
  lastCommittedAt: string | null;
  lastSync: { items: number } | null;
}

export async function knownSourceSyncs(client: GraphqlClient): Promise<KnownSourceSync[]> {
  const data = await client.request<{ sourceSyncs: KnownSourceSync[] }>('query KnownSources { sourceSyncs { source scope lastCommittedAt lastSync { items } } }');
  return data.sourceSyncs;
}

/**
 * The topology-file sources `--prune` would remove: synced in this scope,
 * whose last committed sync reported something (an empty one, a source
 * pruned before, claims nothing), and that no file given names. Discovery
 * sources are never among them.
 */
export function topologySourcesNotGiven(known: KnownSourceSync[], given: Iterable<string>, scope: string | null): string[] {
  const named = new Set(given);
  const found = known.filter(
    (s) => s.source.startsWith(TOPOLOGY_PREFIX) && (s.scope ?? null) === scope && s.lastCommittedAt !== null && (s.lastSync?.items ?? 0) > 0 && !named.has(s.source),
  );
  return [...new Set(found.map((s) => s.source))].sort();
}

/** Where a side note goes: the output, or stderr when the output is JSON (which it would break). */
export function noteTo(json: boolean, out: (line: string) => void): (line: string) => void {
  return (line) => (json ? process.stderr.write(`note: ${line}\n`) : out(line));
}

/** The one line that says there are topology-file sources the files given do not name. */
export function notGivenNote(sources: string[], scope: string | null): string {
  const many = sources.length !== 1;
  return (
    `${sources.length} topology-file source${many ? 's' : ''}${scope !== null ? ` of scope ${scope}` : ''} not given here (${sources.join(', ')}); ` +
    `--prune would remove ${many ? 'them' : 'it'}`
  );
}

/** `svcmap plan -f PATH...`: what apply would change, without writing. */
export async function planCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const flags = syncFlags(args);
  const prune = args.flags.has('prune');
  const sources = sourcesFromArgs(args);
  const client = clientFor(flags);
  const scope = flags.scope ?? null;
  const plans: TopologyPlan[] = [];
  for (const source of sources) {
    const plan = computePlan(source.source, scope, source, await readSourceState(client, source));
    plans.push(plan);
    if (!flags.json) formatPlan(plan, source.files).forEach((line) => out(line));
  }
  const notGiven = topologySourcesNotGiven(await knownSourceSyncs(client), sources.map((s) => s.source), scope);
  if (prune) {
    for (const source of notGiven) {
      const empty = { source, cis: [], dependencies: [] };
      const plan: TopologyPlan = { ...computePlan(source, scope, empty, await readSourceState(client, empty)), pruned: true };
      plans.push(plan);
      if (!flags.json) formatPlan(plan, []).forEach((line) => out(line));
    }
  } else if (notGiven.length) noteTo(flags.json, out)(notGivenNote(notGiven, scope));
  if (flags.json) out(JSON.stringify(plans.map((p) => ({ ...p, changes: planHasChanges(p) })), null, 2));
  return 0;
}
