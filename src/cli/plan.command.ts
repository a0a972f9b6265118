import { ParsedArgs, UsageError } from './cli-args';
import { GraphqlClient } from './graphql-client';
import { SYNC_FLAGS_USAGE, clientFor, syncFlags } from './import.command';
import { CurrentCi, ReportedBySource, computePlan, formatPlan, planHasChanges } from './plan-diff';
import { TopologySource, fileArguments, loadTopologySources } from './plan-files';

export const PLAN_USAGE = `svcmap plan -f PATH [-f PATH ...] [--url URL] [--key KEY] [--json]
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

const CI_SELECTION = `key kind name description owner environment tags attributes criticality revenuePerHour usersAffected minHealthy status
  dependencies { type strength provider { key } }`;

interface CiAnswer extends Omit<CurrentCi, 'dependencies'> {
  dependencies: { type: string; strength: string; provider: { key: string } }[];
}

/** Reads the CIs with these keys (null for those that do not exist), 50 aliased `ci(key)` lookups per request. */
export async function fetchCurrentCis(client: GraphqlClient, keys: string[]): Promise<Map<string, CurrentCi | null>> {
  const current = new Map<string, CurrentCi | null>();
  const unique = [...new Set(keys)];
  for (let start = 0; start < unique.length; start += ALIASES_PER_REQUEST) {
    const batch = unique.slice(start, start + ALIASES_PER_REQUEST);
    const variables = Object.fromEntries(batch.map((key, i) => [`k${i}`, key]));
    const query = `query PlanState(${batch.map((_, i) => `$k${i}: String!`).join(', ')}) {
  ${batch.map((_, i) => `c${i}: ci(key: $k${i}) { ...PlanCi }`).join('\n  ')}
}
fragment PlanCi on CI { ${CI_SELECTION} }`;
    const data = await client.request<Record<string, CiAnswer | null>>(query, variables);
    batch.forEach((key, i) => {
      const answer = data[`c${i}`];
      current.set(
        key,
        answer
          ? { ...answer, dependencies: answer.dependencies.map((d) => ({ to: d.provider.key, type: d.type, strength: d.strength })) }
          : null,
      );
    });
  }
  return current;
}

/**
 * What a source reports now. Needs the server to list CIs by source, which
 * arrives with the discovery sync API; until then removals are not shown.
 */
export async function fetchReportedBySource(_client: GraphqlClient, _source: string): Promise<ReportedBySource | null> {
  return null;
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
    const keys = [...source.cis.map((c) => c.key), ...source.dependencies.flatMap((d) => [d.from, d.to])];
    const [current, reported] = await Promise.all([fetchCurrentCis(client, keys), fetchReportedBySource(client, source.source)]);
    if (reported) {
      const extra = await fetchCurrentCis(client, [...reported.cis, ...(reported.dependencies ?? []).flatMap((d) => [d.from, d.to])].filter((k) => !current.has(k)));
      extra.forEach((value, key) => current.set(key, value));
    }
    const plan = computePlan(source.source, source, current, reported);
    plans.push(plan);
    if (!flags.json) formatPlan(plan, source.files).forEach((line) => out(line));
  }
  if (flags.json) out(JSON.stringify(plans.map((p) => ({ ...p, changes: planHasChanges(p) })), null, 2));
  return 0;
}
