import { CiSpec, DepSpec, EnterpriseBatch } from '../src/synthetic/enterprise-generator';
import { GraphQLClient, SchemaFields } from './graphql-client';
import { LatencySummary, summarize } from './stats';

/**
 * How the generated graph goes into svcmap. `upsert` is the editing API
 * (upsertCIs, then upsertDependencies). `sync` is the discovery sync API
 * (beginSync / pushSyncBatch / commitSync), one full sync of a source of its
 * own; `npm run bench:sync` measures that API in depth (re-syncs, memory).
 */
export type LoadMode = 'upsert' | 'sync';

export interface LoadResult {
  mode: LoadMode;
  cis: number;
  dependencies: number;
  elements: number;
  seconds: number;
  elementsPerSecond: number;
  cisPerSecond: number;
  dependenciesPerSecond: number;
  created: number;
  updated: number;
  unchanged: number;
  batchLatency: LatencySummary;
}

const UPSERT_CIS = `mutation BenchUpsertCIs($input: [CIInput!]!) { upsertCIs(input: $input) { created updated unchanged } }`;
const UPSERT_DEPENDENCIES = `mutation BenchUpsertDependencies($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created updated unchanged } }`;

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

/** Operations each mode needs; a missing one means the mode is not available on this service. */
export const LOAD_MODE_OPERATIONS: Record<LoadMode, string[]> = {
  upsert: ['upsertCIs', 'upsertDependencies'],
  sync: ['beginSync', 'pushSyncBatch', 'commitSync'],
};

export function missingOperations(mode: LoadMode, schema: SchemaFields): string[] {
  return LOAD_MODE_OPERATIONS[mode].filter((op) => !schema.mutations.has(op));
}

/**
 * Sends every batch (CIs first, then dependencies, as `batches` yields them),
 * one request at a time as a discovery job would, and reports throughput in
 * elements (CIs + dependencies) per second of wall-clock time.
 */
export async function loadThroughApi(client: GraphQLClient, source: Iterable<EnterpriseBatch>, mode: LoadMode): Promise<LoadResult> {
  if (mode === 'sync') return loadThroughSyncApi(client, source);
  const latencies: number[] = [];
  const totals: Counts = { created: 0, updated: 0, unchanged: 0 };
  let cis = 0;
  let dependencies = 0;
  let ciMs = 0;
  let dependencyMs = 0;
  const add = (counts: Counts) => {
    totals.created += counts.created;
    totals.updated += counts.updated;
    totals.unchanged += counts.unchanged;
  };
  const started = performance.now();
  for (const batch of source) {
    if (batch.cis.length) {
      const { data, ms } = await client.request<{ upsertCIs: Counts }>(UPSERT_CIS, { input: batch.cis.map(toCiInput) });
      add(data.upsertCIs);
      latencies.push(ms);
      ciMs += ms;
      cis += batch.cis.length;
    }
    if (batch.dependencies.length) {
      const { data, ms } = await client.request<{ upsertDependencies: Counts }>(UPSERT_DEPENDENCIES, { input: batch.dependencies.map(toDependencyInput) });
      add(data.upsertDependencies);
      latencies.push(ms);
      dependencyMs += ms;
      dependencies += batch.dependencies.length;
    }
  }
  return loadResult(mode, { cis, dependencies, ciMs, dependencyMs, latencies, seconds: (performance.now() - started) / 1000 }, totals);
}

/** Throughput of a load from what it sent and how long each part took. */
function loadResult(
  mode: LoadMode,
  sent: { cis: number; dependencies: number; ciMs: number; dependencyMs: number; latencies: number[]; seconds: number },
  counts: Counts,
): LoadResult {
  const { cis, dependencies, seconds } = sent;
  return {
    mode,
    cis,
    dependencies,
    elements: cis + dependencies,
    seconds,
    elementsPerSecond: (cis + dependencies) / seconds,
    cisPerSecond: cis / (sent.ciMs / 1000),
    dependenciesPerSecond: dependencies / (sent.dependencyMs / 1000),
    ...counts,
    batchLatency: summarize(sent.latencies),
  };
}

// The sync API's three mutations, as the suite's load and `npm run bench:sync` send them.
export const BEGIN_SYNC = 'mutation BenchBeginSync($source: String!) { beginSync(source: $source) { id } }';
export const PUSH_SYNC_BATCH = `mutation BenchPushSyncBatch($id: ID!, $cis: [CIInput!], $dependencies: [DependencyInput!]) {
  pushSyncBatch(syncId: $id, cis: $cis, dependencies: $dependencies) { cis { created updated unchanged } dependencies { created updated unchanged } } }`;
const REPORT_COUNTS = 'created updated unchanged markedStale revived';
export const COMMIT_SYNC = `mutation BenchCommitSync($id: ID!) { commitSync(syncId: $id) { cis { ${REPORT_COUNTS} } dependencies { ${REPORT_COUNTS} } durationMs } }`;

/** The source the suite's sync load claims everything under. */
export const SYNC_LOAD_SOURCE = 'bench:enterprise';

/**
 * One full sync: every batch pushed one at a time (CIs before the dependencies
 * that name them, as `batches` yields them), then the commit. The counts are
 * the commit's report (a re-load finds everything unchanged); the commit's
 * time is in the total, not in a batch.
 */
async function loadThroughSyncApi(client: GraphQLClient, source: Iterable<EnterpriseBatch>): Promise<LoadResult> {
  const latencies: number[] = [];
  let cis = 0;
  let dependencies = 0;
  let ciMs = 0;
  let dependencyMs = 0;
  const started = performance.now();
  const { data: begun } = await client.request<{ beginSync: { id: string } }>(BEGIN_SYNC, { source: SYNC_LOAD_SOURCE });
  for (const batch of source) {
    if (!batch.cis.length && !batch.dependencies.length) continue;
    const { ms } = await client.request(PUSH_SYNC_BATCH, {
      id: begun.beginSync.id,
      cis: batch.cis.length ? batch.cis.map(toCiInput) : null,
      dependencies: batch.dependencies.length ? batch.dependencies.map(toDependencyInput) : null,
    });
    latencies.push(ms);
    // A batch of the generator holds CIs or dependencies; time is counted to what it held.
    if (batch.cis.length) ciMs += ms;
    else dependencyMs += ms;
    cis += batch.cis.length;
    dependencies += batch.dependencies.length;
  }
  const { data: committed } = await client.request<{ commitSync: { cis: Counts; dependencies: Counts } }>(COMMIT_SYNC, { id: begun.beginSync.id });
  const seconds = (performance.now() - started) / 1000;
  const report = committed.commitSync;
  return loadResult('sync', { cis, dependencies, ciMs, dependencyMs, latencies, seconds }, {
    created: report.cis.created + report.dependencies.created,
    updated: report.cis.updated + report.dependencies.updated,
    unchanged: report.cis.unchanged + report.dependencies.unchanged,
  });
}

function toCiInput(ci: CiSpec): Record<string, unknown> {
  return { ...ci };
}

function toDependencyInput(d: DepSpec): Record<string, unknown> {
  return { from: d.from, to: d.to, type: d.type, strength: d.strength };
}
