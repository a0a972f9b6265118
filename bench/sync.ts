/**
 * The discovery sync benchmark.
 *
 *   npm run bench:sync -- --size S|M|L [--seed N] [--batch N] [--concurrency N] [--cold] [--out bench/results] [--no-docs]
 *
 * Starts a fresh embedded Neo4j (or uses NEO4J_URI) and the service as a
 * child process, then syncs a synthetic enterprise through the GraphQL sync
 * API as a discovery job would (beginSync, pushSyncBatch with up to
 * --concurrency requests in flight, default 2, CIs first then dependencies,
 * commitSync):
 *   0. unless --cold, a warm-up: the same first sync under another source,
 *      then deleted (only on a database that held no CIs);
 *   1. first sync into an empty graph;
 *   2. the unchanged snapshot again (everything only re-claimed);
 *   3. a changed snapshot: 1% of CIs with a new attribute, 1% of CIs and
 *      their dependencies no longer reported (the commit marks them STALE).
 * Prints elements/s per phase and peak resident memory of the service and
 * Neo4j, writes bench/results/sync-<size>-<timestamp>.json and replaces the
 * "Discovery sync" section of docs/performance.md (unless --no-docs).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CiSpec, DEFAULT_SEED, EnterpriseBatch, EnterpriseSize, SIZE_CIS, countEnterprise, enterpriseBatches } from '../src/synthetic/enterprise-generator';
import { repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { benchDriver, neo4jVersion } from './cypher';
import { GraphQLClient } from './graphql-client';
import { BEGIN_SYNC, COMMIT_SYNC, PUSH_SYNC_BATCH } from './loader';
import { MemorySampler } from './process-memory';
import { int, mib, ms } from './report';
import { gitCommit, startBenchStack } from './service-process';
import { TimeSpent, scrapeTimeSpent, timeSpentBetween } from './service-metrics';
import { LatencySummary, summarize } from './stats';

const PROFILES: Record<Exclude<EnterpriseSize, 'XL'>, { heap: string; pageCache: string }> = {
  S: { heap: '1g', pageCache: '512m' },
  M: { heap: '2g', pageCache: '1g' },
  L: { heap: '4g', pageCache: '4g' },
};

const SOURCE = 'synthetic:enterprise';

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  markedStale: number;
  revived: number;
}

export interface SyncPhase {
  name: string;
  cis: number;
  dependencies: number;
  elements: number;
  seconds: number;
  elementsPerSecond: number;
  pushSeconds: number;
  commitSeconds: number;
  batches: number;
  batchLatency: LatencySummary;
  report: { cis: Counts; dependencies: Counts };
  timeSpent: TimeSpent[];
  cpuSeconds: Record<string, number>;
}

export interface SyncBenchResult {
  suite: 'svcmap-bench-sync';
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  settings: { size: string; seed: number; batchSize: number; concurrency: number; heap: string; pageCache: string; cold?: boolean };
  /** The warm-up (the same first sync under another source, on the cold processes) and its time with the deletion after; null without. */
  warmUp?: { phase: SyncPhase; resync?: SyncPhase; seconds: number } | null;
  machine: { cores: number; cpuModel: string; totalMemoryBytes: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; node: string; neo4j: string; gitCommit: string };
  graph: { cis: number; dependencies: number };
  phases: SyncPhase[];
  memory: ReturnType<MemorySampler['report']>;
  resyncShareOfFirst: number;
  notes: string[];
}

function log(line: string): void {
  process.stderr.write(`[bench:sync] ${line}\n`);
}

/** Deterministic 1% choices, by a hash of the key, so every run changes the same CIs. */
function pick(key: string, salt: string): boolean {
  let h = 2166136261;
  for (const c of salt + key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % 100 === 0;
}

type Variant = (batch: EnterpriseBatch) => EnterpriseBatch;

const unchanged: Variant = (batch) => batch;

/** 1% of CIs carry a new attribute; another 1% (and the dependencies touching them) are no longer reported. */
const changed: Variant = (batch) => {
  const dropped = (key: string) => pick(key, 'drop');
  return {
    cis: batch.cis.filter((c) => !dropped(c.key)).map((c): CiSpec => (pick(c.key, 'touch') ? { ...c, attributes: { ...c.attributes, benchTouched: true } } : c)),
    dependencies: batch.dependencies.filter((d) => !dropped(d.from) && !dropped(d.to)),
  };
};

const WARM_UP = 'first sync, cold (the warm-up)';
const WARM_UP_RESYNC = 'unchanged re-sync (the warm-up)';

/**
 * Everything a sync writes, deleted in batches: after the warm-up the measured
 * first sync starts from an empty graph again (API keys stay).
 */
const CLEAR = `MATCH (n) WHERE n:CI OR n:Change OR n:ChangeSet OR n:Sync OR n:SyncScope OR n:SyncLedger OR n:SyncRevival OR n:CIAlias OR n:CIIdentifier
  CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`;

/**
 * The same first sync under a source of its own, and its re-sync, then deleted. A Neo4j started a
 * moment ago spends the first minute of heavy work compiling its hot code (in one
 * profile its JIT compiler threads took a quarter of its CPU then), and a production
 * database has long been running. A size M warm-up was too short: the L first sync
 * after it ran at 8,000 elements/s, against 9,700 after an L one. --cold leaves it out.
 */
async function warmUpStack(
  client: GraphQLClient,
  uri: string,
  options: { size: EnterpriseSize; seed: number; batchSize: number; concurrency: number },
  sampler: MemorySampler,
): Promise<{ phase: SyncPhase; resync: SyncPhase; seconds: number } | null> {
  const started = performance.now();
  const driver = benchDriver(uri, process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD);
  try {
    const session = driver.session();
    try {
      // Deleting afterwards is only safe on a graph that held nothing (NEO4J_URI may name a real one).
      const held = await session.run('MATCH (n) WHERE n:CI OR n:Sync RETURN count(n) > 0 AS any');
      if (held.records[0].get('any')) {
        log('warm-up: skipped, the database already holds CIs or syncs (a warm-up would delete them)');
        return null;
      }
      const phase = await runPhase(WARM_UP, client, { ...options, source: 'bench:warm-up' }, unchanged, sampler);
      // And its re-sync: Neo4j plans a statement again for each new size class of its list
      // parameters and for a null that becomes a number (a scope's first commit), and a re-sync
      // sends other sizes than a first sync; a long-running database has those plans cached.
      const resync = await runPhase(WARM_UP_RESYNC, client, { ...options, source: 'bench:warm-up' }, unchanged, sampler);
      await session.run(CLEAR);
      const seconds = (performance.now() - started) / 1000;
      log(`warm-up: synced and deleted in ${seconds.toFixed(1)} s`);
      return { phase, resync, seconds };
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}

async function runPhase(
  name: string,
  client: GraphQLClient,
  options: { size: EnterpriseSize; seed: number; batchSize: number; concurrency: number; source?: string },
  variant: Variant,
  sampler: MemorySampler,
): Promise<SyncPhase> {
  log(`${name}: syncing`);
  sampler.enterPhase(name);
  const metricsBefore = await scrapeTimeSpent(client);
  const started = performance.now();
  const { data: begun } = await client.request<{ beginSync: { id: string } }>(BEGIN_SYNC, { source: options.source ?? SOURCE });
  const latencies: number[] = [];
  let cis = 0;
  let dependencies = 0;
  // Up to `concurrency` batches in flight, as a discovery job may push them; a batch with
  // dependencies waits for every earlier batch with CIs, so the CIs they name exist.
  const inFlight = new Set<Promise<void>>();
  const ciBatches: Promise<void>[] = [];
  for (const raw of enterpriseBatches({ size: options.size, seed: options.seed }, options.batchSize)) {
    const batch = variant(raw);
    if (!batch.cis.length && !batch.dependencies.length) continue;
    if (batch.dependencies.length) await Promise.all(ciBatches);
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    const pushing: Promise<void> = client
      .request(PUSH_SYNC_BATCH, {
        id: begun.beginSync.id,
        cis: batch.cis.length ? batch.cis : null,
        dependencies: batch.dependencies.length ? batch.dependencies.map((d) => ({ from: d.from, to: d.to, type: d.type, strength: d.strength })) : null,
      })
      .then(({ ms: took }) => {
        latencies.push(took);
        cis += batch.cis.length;
        dependencies += batch.dependencies.length;
        if (latencies.length % 20 === 0) log(`${name}: ${latencies.length} batches, ${int(cis + dependencies)} elements, ${int((cis + dependencies) / ((performance.now() - started) / 1000))}/s`);
      })
      .finally(() => inFlight.delete(pushing));
    inFlight.add(pushing);
    if (batch.cis.length) ciBatches.push(pushing);
  }
  await Promise.all(inFlight);
  const pushed = performance.now();
  const { data: committed } = await client.request<{ commitSync: { cis: Counts; dependencies: Counts } }>(COMMIT_SYNC, { id: begun.beginSync.id });
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const metricsAfter = await scrapeTimeSpent(client);
  sampler.enterPhase(`${name} (done)`);
  const cpuAfter = sampler.cpuReport().find((r) => r.phase === name);
  const phase: SyncPhase = {
    name,
    cis,
    dependencies,
    elements: cis + dependencies,
    seconds,
    elementsPerSecond: (cis + dependencies) / seconds,
    pushSeconds: (pushed - started) / 1000,
    commitSeconds: (ended - pushed) / 1000,
    batches: latencies.length,
    batchLatency: summarize(latencies),
    report: committed.commitSync,
    timeSpent: timeSpentBetween(metricsBefore, metricsAfter, 10),
    cpuSeconds: cpuAfter?.cpuSeconds ?? {},
  };
  log(`${name}: ${int(phase.elements)} elements in ${seconds.toFixed(1)} s = ${int(phase.elementsPerSecond)}/s (commit ${phase.commitSeconds.toFixed(2)} s)`);
  return phase;
}

export function renderSyncMarkdown(result: SyncBenchResult): string {
  const m = result.machine;
  const shown = [...(result.warmUp ? [result.warmUp.phase, ...(result.warmUp.resync ? [result.warmUp.resync] : [])] : []), ...result.phases];
  const lines = [
    '## Discovery sync',
    '',
    `A full sync of the synthetic enterprise through the GraphQL sync API (\`beginSync\`, \`pushSyncBatch\` with up to ${result.settings.concurrency} requests in flight, batches of ${int(result.settings.batchSize)}, CIs first, then dependencies, \`commitSync\`), size ${result.settings.size}: ${int(result.graph.cis)} CIs and ${int(result.graph.dependencies)} dependencies (seed ${result.settings.seed}). Command: \`${result.command}\`, ${result.startedAt}.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${int(m.totalMemoryBytes / 1024 / 1024)} MiB memory, load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at start and ${m.loadAverageAtEnd.map((l) => l.toFixed(1)).join('/')} at the end, Node ${m.node}, Neo4j ${m.neo4j} (embedded, heap ${result.settings.heap}, page cache ${result.settings.pageCache}), commit ${m.gitCommit}. Service, Neo4j and the client share the machine.`,
    '',
    result.settings.cold
      ? 'Cold: the first sync was the first work of a Neo4j and a service started moments before.'
      : !result.warmUp
        ? 'No warm-up: the database already held CIs.'
        : `Warm: before the measured phases the same first sync ran under another source on the processes just started (the first two rows), and both were deleted again (${result.warmUp.seconds.toFixed(1)} s with the deletion), so the first sync after it starts from an empty graph on a warm Neo4j and service, as a long-running database would be. \`--cold\` leaves the warm-up out.`,
    '',
    '| phase | elements/s | seconds | elements | push s | commit s | batch median ms | batch p99 ms | created | updated | unchanged | marked stale |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...shown.map((p) => {
      const sum = (f: keyof Counts) => int(p.report.cis[f] + p.report.dependencies[f]);
      return `| ${p.name} | ${int(p.elementsPerSecond)} | ${p.seconds.toFixed(1)} | ${int(p.elements)} | ${p.pushSeconds.toFixed(1)} | ${p.commitSeconds.toFixed(2)} | ${ms(p.batchLatency.medianMs)} | ${ms(p.batchLatency.p99Ms)} | ${sum('created')} | ${sum('updated')} | ${sum('unchanged')} | ${sum('markedStale')} |`;
    }),
    '',
    `The unchanged re-sync took ${(result.resyncShareOfFirst * 100).toFixed(0)}% of the first sync's time${result.warmUp ? ` (${((result.phases[1].seconds / result.warmUp.phase.seconds) * 100).toFixed(0)}% of the cold one's)` : ''}.`,
    '',
    '| peak resident memory | VmHWM | ' + shown.map((p) => `during ${p.name}`).join(' | ') + ' |',
    '| --- | ---: | ' + shown.map(() => '---:').join(' | ') + ' |',
    ...Object.entries(result.memory).map(
      ([name, mem]) => `| ${name} | ${mib(mem.peakRssBytes)} | ` + shown.map((p) => mib(mem.byPhase[p.name])).join(' | ') + ' |',
    ),
    '',
    '| CPU seconds | ' + shown.map((p) => p.name).join(' | ') + ' |',
    '| --- | ' + shown.map(() => '---:').join(' | ') + ' |',
    ...Object.keys(result.phases[0]?.cpuSeconds ?? {}).map((name) => `| ${name} | ` + shown.map((p) => (p.cpuSeconds[name] ?? 0).toFixed(1)).join(' | ') + ' |'),
    '',
  ];
  for (const phase of shown) {
    lines.push(`| where the service spent its time: ${phase.name} | calls | total s | mean ms |`, '| --- | ---: | ---: | ---: |');
    for (const row of phase.timeSpent) lines.push(`| ${row.name} | ${int(row.count)} | ${row.totalSeconds.toFixed(1)} | ${ms(row.meanMs)} |`);
    lines.push('');
  }
  if (result.notes.length) lines.push(...result.notes.map((n) => `- ${n}`), '');
  lines.push('`npm run bench:sync -- --size S|M|L` reruns it; the JSON result is in `bench/results/sync-<size>-<timestamp>.json`. How syncs work: [discovery.md](discovery.md); the plans of its statements on this graph, checked with PROFILE by `npm run bench:sync-plans -- --size L`: [discovery.md](discovery.md#how-it-is-stored).', '');
  return lines.join('\n');
}

/** Replaces (or appends) the "## Discovery sync" section of docs/performance.md, leaving the rest of the file alone. */
export function replaceSection(document: string, section: string): string {
  const start = document.indexOf('\n## Discovery sync\n');
  if (start < 0) return `${document.trimEnd()}\n\n${section}`;
  const next = document.indexOf('\n## ', start + 1);
  return document.slice(0, start + 1) + section + (next < 0 ? '' : document.slice(next + 1));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['no-docs', 'cold', 'help'], ['size', 'seed', 'batch', 'concurrency', 'out']);
  if (args.has('help')) {
    process.stdout.write('usage: npm run bench:sync -- --size S|M|L [--seed N] [--batch N] [--concurrency N] [--cold] [--out DIR] [--no-docs]\n');
    return;
  }
  const size = (stringArg(args, 'size') ?? 'S').toUpperCase() as EnterpriseSize;
  if (!(size in PROFILES)) throw new Error(`--size must be one of ${Object.keys(PROFILES).join(', ')}`);
  const seed = intArg(args, 'seed', DEFAULT_SEED);
  const batchSize = intArg(args, 'batch', 5_000, 1);
  const concurrency = intArg(args, 'concurrency', 2, 1);
  const cold = args.has('cold');
  let warmUp: SyncBenchResult['warmUp'] = null;
  const outDir = resolve(stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results'));
  const profile = { heap: process.env.SVCMAP_NEO4J_HEAP || PROFILES[size as keyof typeof PROFILES].heap, pageCache: process.env.SVCMAP_NEO4J_PAGECACHE || PROFILES[size as keyof typeof PROFILES].pageCache };
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg();
  const graph = countEnterprise({ size, seed });
  log(`size ${size}: ${int(graph.cis)} CIs, ${int(graph.dependencies)} dependencies (${int(SIZE_CIS[size])} nominal), batches of ${batchSize}`);

  const stack = await startBenchStack({
    name: `sync-${size.toLowerCase()}`,
    fresh: true,
    heap: profile.heap,
    pageCache: profile.pageCache,
    log,
    env: { SVCMAP_MAX_BATCH: String(Math.max(batchSize, 5_000)), SVCMAP_SYNC_SWEEP_MS: '0' },
  });
  const sampler = new MemorySampler({ service: stack.service.pid, neo4j: stack.embedded?.pid, bench: process.pid });
  sampler.start();
  const phases: SyncPhase[] = [];
  let neo4j = 'unknown';
  let memory: SyncBenchResult['memory'] = {};
  try {
    const driver = benchDriver(stack.uri, process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD);
    neo4j = await neo4jVersion(driver).catch(() => 'unknown');
    await driver.close();
    const options = { size, seed, batchSize, concurrency };
    if (!cold) warmUp = await warmUpStack(stack.client, stack.uri, options, sampler);
    phases.push(await runPhase('first sync', stack.client, options, unchanged, sampler));
    phases.push(await runPhase('unchanged re-sync', stack.client, options, unchanged, sampler));
    phases.push(await runPhase('changed re-sync', stack.client, options, changed, sampler));
  } finally {
    sampler.stop();
    // Before the processes stop: VmHWM is read from /proc.
    memory = sampler.report();
    await stack.stop();
  }
  const result: SyncBenchResult = {
    suite: 'svcmap-bench-sync',
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `npm run bench:sync -- --size ${size}${seed !== DEFAULT_SEED ? ` --seed ${seed}` : ''}${batchSize !== 5_000 ? ` --batch ${batchSize}` : ''}${concurrency !== 2 ? ` --concurrency ${concurrency}` : ''}${cold ? ' --cold' : ''}`,
    settings: { size, seed, batchSize, concurrency, ...profile, cold },
    warmUp,
    machine: {
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      totalMemoryBytes: os.totalmem(),
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg(),
      node: process.version,
      neo4j,
      gitCommit: gitCommit(),
    },
    graph,
    phases,
    memory,
    resyncShareOfFirst: phases[1].seconds / phases[0].seconds,
    notes: loadAverageAtStart[0] > os.cpus().length ? [`The machine was busy with other work when this run started (load average ${loadAverageAtStart[0].toFixed(1)} on ${os.cpus().length} cores); throughput is lower than on an idle machine.`] : [],
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `sync-${size.toLowerCase()}-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  const markdown = renderSyncMarkdown(result);
  process.stdout.write(markdown + '\n');
  log(`wrote ${relative(process.cwd(), file)}`);
  if (!args.has('no-docs')) {
    const docs = join(repoRoot(), 'docs', 'performance.md');
    writeFileSync(docs, replaceSection(readFileSync(docs, 'utf8'), markdown));
    log(`updated the "Discovery sync" section of ${relative(process.cwd(), docs)}`);
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
