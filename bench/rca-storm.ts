/**
 * Alert storms for the root-cause benchmark (`npm run eval:rca -- --rca-storm`):
 * several simultaneous faults on the synthetic enterprise, each raising its
 * alerts the way bench/rca-sim.ts simulates them, topped up with unrelated
 * noise to an exact number of alerts.
 */
import { DEFAULT_RCA_WEIGHTS, correlate, rankCandidates } from '../src/root-cause/root-cause-engine';
import { Rng } from '../src/synthetic/random';
import { GraphQLClient } from './graphql-client';
import { SimAlert, SimCase, TopologyGraph, simulateCase } from './rca-sim';
import { TimeSpent, scrapeTimeSpent, timeSpentBetween } from './service-metrics';

export interface Storm {
  alerts: SimAlert[];
  /** The injected faults: root, impacted CIs, alerts it kept in the storm. */
  faults: { root: string; impacted: number; alerts: number }[];
  noise: number;
}

export interface StormOptions {
  /** Alerts in the storm, exactly. */
  size: number;
  /** Share of the storm that is noise on CIs no fault impacts. */
  noiseShare: number;
  /** Share of each fault's alerts that are hidden. */
  missing: number;
  /** Faults impact between these many CIs (the root included). */
  minImpacted: number;
  maxImpacted: number;
  baseMs: number;
  /** Faults start this far apart, one after the other. */
  spacingMs: number;
}

export const DEFAULT_STORM: StormOptions = {
  size: 1_000,
  noiseShare: 0.1,
  missing: 0.2,
  minImpacted: 10,
  maxImpacted: 400,
  baseMs: Date.UTC(2025, 0, 6, 9, 0),
  spacingMs: 60_000,
};

/**
 * A storm: faults on random CIs whose blast radius is between
 * `minImpacted` and `maxImpacted`, disjoint from each other, until their
 * alerts fill `size * (1 - noiseShare)` (the last fault's are trimmed to
 * fit), then noise on random CIs that no fault impacts.
 */
export function buildStorm(graph: TopologyGraph, rng: Rng, id: string, options: StormOptions = DEFAULT_STORM): Storm {
  const target = Math.round(options.size * (1 - options.noiseShare));
  const alerts: SimAlert[] = [];
  const faults: Storm['faults'] = [];
  const impacted = new Set<string>();
  for (let attempt = 0; alerts.length < target; attempt++) {
    if (attempt > 100_000) throw new Error(`could not place enough faults for a storm of ${options.size} alerts`);
    const root = graph.keys[Math.floor(rng.next() * graph.keys.length)];
    if (impacted.has(root)) continue;
    const closure = graph.dependentsClosure(root);
    if (closure.length < options.minImpacted || closure.length > options.maxImpacted || closure.some((k) => impacted.has(k))) continue;
    const c: SimCase = simulateCase(graph, root, { missing: options.missing, noise: 0 }, rng, {
      id: `${id}-${faults.length}`,
      baseMs: options.baseMs + faults.length * options.spacingMs,
    });
    closure.forEach((k) => impacted.add(k));
    const kept = c.alerts.slice(0, target - alerts.length);
    alerts.push(...kept);
    faults.push({ root, impacted: c.impacted, alerts: kept.length });
  }
  const lastOnset = options.baseMs + (faults.length + 10) * options.spacingMs;
  const used = new Set<string>();
  for (let i = 0; alerts.length < options.size; i++) {
    const key = graph.keys[Math.floor(rng.next() * graph.keys.length)];
    if (impacted.has(key) || used.has(key)) continue;
    used.add(key);
    alerts.push({
      id: `${id}-n${i}`,
      key,
      severity: (['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFO'] as const)[Math.floor(rng.next() * 5)],
      startsAt: new Date(options.baseMs + Math.floor(rng.next() * (lastOnset - options.baseMs))).toISOString(),
      summary: 'unrelated (simulated noise)',
    });
  }
  alerts.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : 1));
  return { alerts, faults, noise: used.size };
}

// ---------------------------------------------------------------------------------------------------
// The benchmark: storms through the API of a running service, with where the time went
// ---------------------------------------------------------------------------------------------------

export interface StormRun {
  run: number;
  faults: number;
  alerts: number;
  rootCauseMs: number;
  correlateMs: number;
  /** From the service's /metrics during the call: Neo4j time per unit of work. */
  rootCauseNeo4j: TimeSpent[];
  correlateNeo4j: TimeSpent[];
  /** The same storm ranked in-process, on the subgraph built the way the repository fetches it. */
  inProcess: { subgraphNodes: number; subgraphEdges: number; subgraphMs: number; rankMs: number; correlateMs: number } | null;
  /** Injected faults among rootCause's first 10 candidates, and found as the probable cause of an incident. */
  faultsInTop10: number;
  faultsAsIncidentCause: number;
  incidents: number;
  /** The slowest answer of GET /health/live, asked every 200 ms while correlateAlerts ran: whether the service still served. */
  liveMaxMs: number | null;
}

/** Asks GET /health/live every `everyMs` until `done` settles; the slowest answer's time (null when none came back). */
async function slowestLiveness(baseUrl: string, done: Promise<unknown>, everyMs = 200): Promise<number | null> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  let slowest: number | null = null;
  while (!finished) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/health/live`).catch(() => null);
    if (response?.ok) slowest = Math.max(slowest ?? 0, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return slowest;
}

const STORM_ROOT_CAUSE = `mutation StormRootCause($alerts: [AlertInput!]!) {
  rootCause(alerts: $alerts, maxCandidates: 10) { alertCount candidates { key score } } }`;
const STORM_CORRELATE = `mutation StormCorrelate($alerts: [AlertInput!]!) {
  correlateAlerts(alerts: $alerts) { incidents { rank probableCause { key } alerts { id } } unmatched { id } } }`;

export async function measureStorm(
  client: GraphQLClient,
  graph: TopologyGraph,
  storm: Storm,
  run: number,
  options: { inProcess: boolean; depth: number },
): Promise<StormRun> {
  const roots = new Set(storm.faults.map((f) => f.root));
  // After a long pause (the in-process ranking of the previous storm) the first request may meet a
  // keep-alive connection the service already closed: one more try.
  const before = (await scrapeTimeSpent(client)) ?? (await scrapeTimeSpent(client));
  const rc = await client.request<{ rootCause: { alertCount: number; candidates: { key: string }[] } }>(STORM_ROOT_CAUSE, { alerts: storm.alerts });
  const between = await scrapeTimeSpent(client);
  const correlating = client.request<{ correlateAlerts: { incidents: { probableCause: { key: string } }[]; unmatched: unknown[] } }>(STORM_CORRELATE, {
    alerts: storm.alerts,
  });
  const liveMaxMs = await slowestLiveness(client.baseUrl, correlating);
  const co = await correlating;
  const after = await scrapeTimeSpent(client);
  if (rc.data.rootCause.alertCount !== storm.alerts.length) throw new Error(`rootCause took ${rc.data.rootCause.alertCount} of ${storm.alerts.length} alerts: is the graph loaded?`);
  const neo4jOnly = (rows: TimeSpent[]) => rows.filter((r) => r.name.startsWith('neo4j'));
  let inProcess: StormRun['inProcess'] = null;
  if (options.inProcess) {
    const started = performance.now();
    const subgraph = graph.rcaSubgraph(
      storm.alerts.map((a) => a.key),
      options.depth,
    );
    const built = performance.now();
    const rca = storm.alerts.map((a) => ({ id: a.id, key: a.key, severity: a.severity, startsAt: Date.parse(a.startsAt) }));
    rankCandidates(subgraph, rca);
    const ranked = performance.now();
    correlate(subgraph, rca, new Set(), DEFAULT_RCA_WEIGHTS, 3);
    const correlated = performance.now();
    inProcess = {
      subgraphNodes: subgraph.nodes.length,
      subgraphEdges: subgraph.edges.length,
      subgraphMs: built - started,
      rankMs: ranked - built,
      correlateMs: correlated - ranked,
    };
  }
  const incidents = co.data.correlateAlerts.incidents;
  return {
    run,
    faults: storm.faults.length,
    alerts: storm.alerts.length,
    rootCauseMs: rc.ms,
    correlateMs: co.ms,
    rootCauseNeo4j: neo4jOnly(timeSpentBetween(before, between)),
    correlateNeo4j: neo4jOnly(timeSpentBetween(between, after)),
    inProcess,
    faultsInTop10: rc.data.rootCause.candidates.filter((c) => roots.has(c.key)).length,
    faultsAsIncidentCause: new Set(incidents.map((i) => i.probableCause.key).filter((k) => roots.has(k))).size,
    incidents: incidents.length,
    liveMaxMs,
  };
}
