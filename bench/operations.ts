import { Driver } from 'neo4j-driver';
import { BenchKeys, Enterprise } from '../src/synthetic/enterprise-generator';
import { NAIVE_BLAST_RADIUS_CYPHER, ReverseGraph } from './baselines';
import { timeCypher } from './cypher';
import { GraphQLClient, SchemaFields } from './graphql-client';
import { memoryOf } from './process-memory';
import { LatencySummary, MeasureOptions, measure } from './stats';

/**
 * Operations the product promises but the API does not have yet. Each entry
 * names the schema fields it needs; the suite introspects the running
 * service and, while a field is missing, prints "not available yet" instead
 * of a number. When an operation lands, implement its `measure` here: the
 * rest of the suite (warm-up, runs, percentiles, report) is already wired.
 */
export interface BenchContext {
  client: GraphQLClient;
  schema: SchemaFields;
  keys: BenchKeys;
  /** Undefined when the graph was streamed (XL) and is not held in memory. */
  enterprise: Enterprise | undefined;
  driver: Driver | undefined;
  measureOptions: MeasureOptions;
  /** Fewer runs for slow whole-graph operations and comparisons. */
  heavyOptions: MeasureOptions;
  timeoutMs: number;
  /** CI keys in random order, for operations that need many different inputs. */
  randomKeys: string[];
  /** The service's process, when the bench started it: memory during the widest blast radius. */
  servicePid?: number;
}

/** The production account: nearly every CI runs in it, so its blast radius is the widest the graph has. */
const WIDEST_KEY = 'acct:production';

export interface OperationRow {
  section: string;
  name: string;
  summary?: LatencySummary;
  /** What was found (e.g. impacted count), or why there is no number. */
  note: string;
  skipped?: boolean;
}

export interface OperationBenchmark {
  /** The operation, as the schema will name it. */
  operation: string;
  requires: string[];
  /** Undefined until someone writes it; the fields may land first. */
  measure?: (context: BenchContext) => Promise<OperationRow[]>;
  /** Where the operation is measured instead of here, when it has a benchmark of its own. */
  measuredBy?: string;
  /** Comparisons that run whatever the API offers (baselines for when the operation lands). */
  baselines?: (context: BenchContext) => Promise<OperationRow[]>;
}

const TARGETS = ['leaf', 'midTier', 'shared'] as const;
const TARGET_LABEL: Record<(typeof TARGETS)[number], string> = { leaf: 'leaf', midTier: 'mid-tier', shared: 'shared' };

export const OPERATION_BENCHMARKS: OperationBenchmark[] = [
  {
    operation: 'blastRadius',
    requires: ['blastRadius'],
    measure: measureBlastRadius,
    baselines: blastRadiusBaselines,
  },
  {
    operation: 'prioritizeIncidents',
    requires: ['prioritizeIncidents'],
    measure: measurePrioritizeIncidents,
  },
  {
    operation: 'rootCause',
    requires: ['rootCause'],
    // Storms need a graph of their own to inject faults into, and accuracy goes with their speed.
    measuredBy: '`npm run eval:rca -- --rca-storm` (storms of 1,000 alerts on L, with the accuracy of the ranking; docs/root-cause.md)',
  },
];

const BLAST_RADIUS_QUERY = `query BenchBlastRadius($keys: [String!]!) {
  blastRadius(keys: $keys) {
    score priority depthLimited
    totals { impacted down degraded }
    businessImpacts { state score ci { key } }
    impacted(first: 100) { totalCount edges { node { key state distance } } } } }`;

/** The API's blast radius from each documented key: the figure the baselines below bound. */
async function measureBlastRadius(context: BenchContext): Promise<OperationRow[]> {
  const rows: OperationRow[] = [];
  for (const target of TARGETS) {
    const key = context.keys[target];
    let last: { blastRadius: { totals: { impacted: number; down: number; degraded: number }; businessImpacts: unknown[]; priority: string } } | undefined;
    const summary = await measure(context.measureOptions, async () => {
      const { data, ms } = await context.client.request<NonNullable<typeof last>>(BLAST_RADIUS_QUERY, { keys: [key] });
      last = data;
      return ms;
    });
    const totals = last?.blastRadius.totals;
    rows.push({
      section: 'operations',
      name: `blastRadius, ${TARGET_LABEL[target]} (${key})`,
      summary,
      note: totals
        ? `${totals.impacted} impacted (${totals.down} down, ${totals.degraded} degraded), ${last!.blastRadius.businessImpacts.length} business functions, ${last!.blastRadius.priority}; first 100 impacted returned`
        : '',
    });
  }
  if (context.enterprise?.cis.some((c) => c.key === WIDEST_KEY)) rows.push(await measureWidestBlastRadius(context));
  return rows;
}

/**
 * The widest blast radius, with the service's resident memory sampled while
 * it runs: the impacted subgraph, not the whole graph, is what the service
 * may hold, and this shows what that costs when it is nearly all of it.
 */
async function measureWidestBlastRadius(context: BenchContext): Promise<OperationRow> {
  const pid = context.servicePid;
  const before = pid ? memoryOf(pid)?.rssBytes : undefined;
  let peak = before ?? 0;
  const timer = pid ? setInterval(() => (peak = Math.max(peak, memoryOf(pid)?.rssBytes ?? 0)), 10) : undefined;
  let impacted = 0;
  try {
    const summary = await measure(context.heavyOptions, async () => {
      const { data, ms } = await context.client.request<{ blastRadius: { totals: { impacted: number } } }>(BLAST_RADIUS_QUERY, { keys: [WIDEST_KEY] });
      impacted = data.blastRadius.totals.impacted;
      return ms;
    });
    const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
    const memory = pid && before !== undefined ? `; service resident memory ${mib(before)} before, peak ${mib(peak)} during these runs` : '';
    return { section: 'operations', name: `blastRadius, widest (${WIDEST_KEY})`, summary, note: `${impacted} impacted${memory}; first 100 impacted returned` };
  } finally {
    if (timer) clearInterval(timer);
  }
}

const PRIORITIZE_QUERY = `mutation BenchPrioritize($incidents: [IncidentInput!]!) {
  prioritizeIncidents(incidents: $incidents) { id rank priority score impactedCount } }`;
const INCIDENTS_PER_CALL = 50;

/** A batch of incidents, each on one to three random CIs, ranked by business impact. */
async function measurePrioritizeIncidents(context: BenchContext): Promise<OperationRow[]> {
  let cursor = 0;
  const nextKey = () => context.randomKeys[cursor++ % context.randomKeys.length];
  let ranked = 0;
  const summary = await measure(context.heavyOptions, async (run) => {
    const incidents = Array.from({ length: INCIDENTS_PER_CALL }, (_, i) => ({
      id: `bench-${run}-${i}`,
      keys: Array.from({ length: 1 + (i % 3) }, nextKey),
    }));
    const { data, ms } = await context.client.request<{ prioritizeIncidents: unknown[] }>(PRIORITIZE_QUERY, { incidents });
    ranked = data.prioritizeIncidents.length;
    return ms;
  });
  return [{ section: 'operations', name: `prioritizeIncidents, ${INCIDENTS_PER_CALL} incidents on 1-3 random CIs each`, summary, note: `${ranked} ranked per call` }];
}

async function blastRadiusBaselines(context: BenchContext): Promise<OperationRow[]> {
  const rows: OperationRow[] = [];
  if (context.driver) {
    for (const target of TARGETS) {
      const key = context.keys[target];
      const timing = await timeCypher(context.driver, NAIVE_BLAST_RADIUS_CYPHER, () => ({ key }), {
        ...context.heavyOptions,
        timeoutMs: context.timeoutMs,
      });
      rows.push({
        section: 'blast radius baselines',
        name: `naive Cypher reachability, ${TARGET_LABEL[target]} (${key})`,
        summary: timing.error ? undefined : timing.summary,
        note: timing.error ? `failed: ${timing.error}` : `${String(timing.firstRecord?.impacted ?? '?')} CIs reach it`,
        skipped: Boolean(timing.error),
      });
    }
  }
  if (context.enterprise) {
    const graph = new ReverseGraph(context.enterprise);
    for (const target of TARGETS) {
      const key = context.keys[target];
      let reached = 0;
      const summary = await measure(context.measureOptions, async () => {
        const started = performance.now();
        reached = graph.reachingCount(key);
        return performance.now() - started;
      });
      rows.push({
        section: 'blast radius baselines',
        name: `in-memory floor (BFS), ${TARGET_LABEL[target]} (${key})`,
        summary,
        note: `${reached} CIs reach it`,
      });
    }
  }
  return rows;
}

/** Runs each operation benchmark the schema allows, and says why the others did not run. */
export async function runOperationBenchmarks(context: BenchContext, log: (line: string) => void): Promise<OperationRow[]> {
  const rows: OperationRow[] = [];
  for (const bench of OPERATION_BENCHMARKS) {
    const missing = bench.requires.filter((field) => !context.schema.queries.has(field) && !context.schema.mutations.has(field));
    if (missing.length) {
      const note = `not available yet: ${bench.operation} is not in the schema`;
      log(note);
      rows.push({ section: 'operations', name: bench.operation, note, skipped: true });
    } else if (!bench.measure) {
      const note = bench.measuredBy ? `measured by ${bench.measuredBy}` : `${bench.operation} is in the schema but bench/operations.ts has no measurement for it yet`;
      log(note);
      rows.push({ section: 'operations', name: bench.operation, note, skipped: true });
    } else {
      try {
        rows.push(...(await bench.measure(context)));
      } catch (error) {
        // An operation still being built may refuse the bench's query; the rest of the report is still worth having.
        const note = `failed: ${(error as Error).message}`;
        log(`${bench.operation} ${note}`);
        rows.push({ section: 'operations', name: bench.operation, note, skipped: true });
      }
    }
    if (bench.baselines) rows.push(...(await bench.baselines(context)));
  }
  return withRatios(rows);
}

/**
 * Each blast-radius baseline row with the ratio of the API's p50 for the same key to its own:
 * how far the service is from a naive Cypher query and from the in-memory floor.
 */
export function withRatios(rows: OperationRow[]): OperationRow[] {
  const api = new Map<string, number>();
  for (const row of rows) {
    const key = /^blastRadius, [^(]+\((.+)\)$/.exec(row.name)?.[1];
    if (key && row.summary) api.set(key, row.summary.medianMs);
  }
  return rows.map((row) => {
    const key = row.section === 'blast radius baselines' ? /\(([^()]+)\)$/.exec(row.name)?.[1] : undefined;
    const ours = key === undefined ? undefined : api.get(key);
    if (ours === undefined || !row.summary?.medianMs) return row;
    return { ...row, note: `${row.note}; the API's p50 is ${(ours / row.summary.medianMs).toFixed(1)}x this` };
  });
}
