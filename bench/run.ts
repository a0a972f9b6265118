/**
 * The svcmap benchmark suite.
 *
 *   npm run bench -- --size S|M|L|XL [--seed N] [--runs N] [--warmup N] [--out bench/results]
 *                    [--duration S] [--connections N] [--load upsert|sync] [--reuse] [--no-reload] [--smoke]
 *
 * Generates a synthetic enterprise, starts (or, with NEO4J_URI, uses) a Neo4j
 * and the service as a child process, loads the graph through the public
 * GraphQL API, then measures lookups, lists, neighbourhoods, mixed HTTP load
 * and memory, and writes bench/results/<size>-<timestamp>.json and
 * bench/results/latest-<size>.md. `--smoke` is the CI form: few runs, short
 * load, no timing assertions; it writes *-smoke files, which git ignores.
 * See docs/performance.md for what each figure means.
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Driver } from 'neo4j-driver';
import {
  BenchKeys,
  DEFAULT_SEED,
  Enterprise,
  EnterpriseBatch,
  EnterpriseSize,
  SIZE_CIS,
  batches,
  benchKeys,
  countEnterprise,
  enterpriseBatches,
  enterpriseStats,
  generateEnterprise,
} from '../src/synthetic/enterprise-generator';
import { Rng } from '../src/synthetic/random';
import { EmbeddedNeo4j, repoRoot, startEmbeddedNeo4j } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { TopologyIndexStatus, benchDriver, neo4jVersion, timeCypher, untilTopologyIndexCurrent } from './cypher';
import { GraphQLClient, SchemaFields, introspect } from './graphql-client';
import { LoadMode, LoadResult, loadThroughApi, missingOperations } from './loader';
import { OperationRow, runOperationBenchmarks } from './operations';
import { MemorySampler } from './process-memory';
import { TimeSpent, scrapeTimeSpent, timeSpentBetween } from './service-metrics';
import { renderMarkdown } from './report';
import { ServiceProcess, acceptsKey, createAdminKey, freePort, gitCommit } from './service-process';
import { LatencySummary, MeasureOptions, measure } from './stats';

const BATCH_SIZE = 5_000;

interface SizeProfile {
  runs: number;
  warmup: number;
  durationSeconds: number;
  heap: string;
  pageCache: string;
}

const PROFILES: Record<EnterpriseSize, SizeProfile> = {
  S: { runs: 200, warmup: 20, durationSeconds: 15, heap: '1g', pageCache: '512m' },
  M: { runs: 200, warmup: 20, durationSeconds: 15, heap: '2g', pageCache: '1g' },
  L: { runs: 100, warmup: 10, durationSeconds: 30, heap: '4g', pageCache: '4g' },
  XL: { runs: 50, warmup: 5, durationSeconds: 30, heap: '8g', pageCache: '8g' },
};

export interface BenchSettings {
  size: EnterpriseSize;
  seed: number;
  runs: number;
  warmup: number;
  durationSeconds: number;
  connections: number;
  loadMode: LoadMode;
  smoke: boolean;
  reuse: boolean;
  /** Re-load the unchanged graph before the reads (off with --no-reload, to measure reads alone). */
  reload: boolean;
  outDir: string;
  heap: string;
  pageCache: string;
}

export interface LatencyRow {
  name: string;
  query: string;
  summary: LatencySummary;
  note: string;
}

export interface HttpLoadResult {
  connections: number;
  durationSeconds: number;
  mix: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  graphqlErrors: number;
}

export interface BenchResult {
  suite: 'svcmap-bench';
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  settings: BenchSettings;
  machine: {
    cores: number;
    cpuModel: string;
    totalMemoryBytes: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    node: string;
    neo4j: string;
    neo4jHow: 'embedded' | 'NEO4J_URI';
    gitCommit: string;
  };
  graph: { cis: number; dependencies: number; softShare?: number; generateSeconds: number; keys: BenchKeys; topFanIn?: { key: string; dependents: number }[] };
  load: { first?: LoadResult; firstSkippedBecause?: string; reload?: LoadResult };
  latency: LatencyRow[];
  httpLoad?: HttpLoadResult;
  operations: OperationRow[];
  memory: Record<string, { peakRssBytes: number | null; sampledPeakRssBytes: number | null; byPhase: Record<string, number> }>;
  /** From the service's /metrics: time per Neo4j unit of work and GraphQL operation, per phase. */
  timeSpent: { load: TimeSpent[]; reads: TimeSpent[]; httpLoad: TimeSpent[] };
  /** Wall-clock and CPU seconds of the service, Neo4j and this bench process in each phase: who was busy. */
  cpu: { phase: string; seconds: number; cpuSeconds: Record<string, number> }[];
  notes: string[];
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function settingsFrom(argv: string[]): BenchSettings {
  const args = parseArgs(argv, ['smoke', 'reuse', 'no-reload', 'help'], ['size', 'seed', 'runs', 'warmup', 'out', 'duration', 'connections', 'load']);
  if (args.has('help')) {
    process.stdout.write(
      'usage: npm run bench -- --size S|M|L|XL [--seed N] [--runs N] [--warmup N] [--out DIR] [--duration SECONDS]\n' +
        '                        [--connections N] [--load upsert|sync] [--reuse] [--no-reload] [--smoke]\n',
    );
    process.exit(0);
  }
  const size = (stringArg(args, 'size') ?? 'S').toUpperCase() as EnterpriseSize;
  if (!(size in SIZE_CIS)) throw new Error(`--size must be one of ${Object.keys(SIZE_CIS).join(', ')}`);
  const smoke = args.has('smoke');
  const profile = PROFILES[size];
  const loadMode = (stringArg(args, 'load') ?? 'upsert') as LoadMode;
  if (loadMode !== 'upsert' && loadMode !== 'sync') throw new Error('--load must be upsert or sync');
  return {
    size,
    seed: intArg(args, 'seed', DEFAULT_SEED),
    runs: intArg(args, 'runs', smoke ? 20 : profile.runs, 1),
    warmup: intArg(args, 'warmup', smoke ? 3 : profile.warmup),
    durationSeconds: intArg(args, 'duration', smoke ? 5 : profile.durationSeconds, 1),
    connections: intArg(args, 'connections', smoke ? 8 : 16, 1),
    loadMode,
    smoke,
    reuse: args.has('reuse'),
    reload: !args.has('no-reload'),
    outDir: resolve(stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results')),
    heap: process.env.SVCMAP_NEO4J_HEAP || profile.heap,
    pageCache: process.env.SVCMAP_NEO4J_PAGECACHE || profile.pageCache,
  };
}

// ---------------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------------

const CI_QUERY = `query BenchCi($key: String!) { ci(key: $key) { key kind name owner environment status version tags } }`;
const CIS_QUERY = `query BenchCis($filter: CIFilterInput, $first: Int) {
  cis(filter: $filter, first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { key kind name owner } } } }`;

function neighbourhoodQuery(schema: SchemaFields, pageSize: number): { query: string; bounded: boolean } {
  const paged = (field: string) => (schema.ciFieldArgs.get(field) ?? []).includes('first');
  const args = (field: string) => (paged(field) ? `(first: ${pageSize})` : '');
  return {
    query: `query BenchNeighbourhood($key: String!) { ci(key: $key) { key
      dependencies${args('dependencies')} { type strength provider { key } }
      dependents${args('dependents')} { type strength consumer { key } } } }`,
    bounded: paged('dependencies') && paged('dependents'),
  };
}

interface KeyPools {
  all: string[];
  services: string[];
  domains: string[];
  owners: string[];
}

function keyPools(enterprise: Enterprise | undefined, sample: EnterpriseBatch[], rng: Rng): KeyPools {
  const cis = enterprise ? enterprise.cis : sample.flatMap((b) => b.cis);
  const all = cis.map((c) => c.key);
  const services = cis.filter((c) => c.kind === 'SERVICE').map((c) => c.key);
  const domains = cis.filter((c) => c.kind === 'BUSINESS_FUNCTION').map((c) => c.key.slice('bf:'.length));
  const owners = [...new Set(cis.map((c) => c.owner))];
  // Shuffle once so "random key" draws are not biased towards generation order when sampled.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return { all, services, domains, owners };
}

const LIST_KINDS = ['SERVICE', 'DATABASE', 'VM', 'API', 'KUBERNETES_WORKLOAD', 'APPLICATION'];

async function measureLatencies(
  client: GraphQLClient,
  schema: SchemaFields,
  keys: BenchKeys,
  pools: KeyPools,
  options: MeasureOptions,
  rng: Rng,
): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  const timed = async (name: string, query: string, note: string, variables: () => Record<string, unknown>, describe?: (data: unknown) => string) => {
    log(`measuring ${name}`);
    let last: unknown;
    const summary = await measure(options, async () => {
      const { data, ms } = await client.request(query, variables());
      last = data;
      return ms;
    });
    rows.push({ name, query, summary, note: describe ? `${note}${note ? '; ' : ''}${describe(last)}` : note });
  };
  const pick = <T>(items: T[]) => items[Math.floor(rng.next() * items.length)];

  await timed('ci(key), random key', CI_QUERY, 'scalar fields of one CI', () => ({ key: pick(pools.all) }));
  const total = (data: unknown) => `last page of ${(data as { cis: { totalCount: number } }).cis.totalCount} matches`;
  await timed('cis page, kinds filter', CIS_QUERY, 'first 50 of one kind, with totalCount', () => ({ filter: { kinds: [pick(LIST_KINDS)] }, first: 50 }), total);
  await timed('cis page, owner + environment filter', CIS_QUERY, 'first 50 of one team in production, with totalCount', () => ({
    filter: { owner: pick(pools.owners), environment: 'production' },
    first: 50,
  }), total);
  await timed('cis page, text search', CIS_QUERY, 'first 50 whose key or name contains a domain name, with totalCount', () => ({
    filter: { search: pick(pools.domains) },
    first: 50,
  }), total);
  const { query, bounded } = neighbourhoodQuery(schema, 100);
  const edges = (data: unknown) => {
    const ci = (data as { ci: { dependencies: unknown[]; dependents: unknown[] } | null }).ci;
    return ci ? `${ci.dependencies.length} dependencies + ${ci.dependents.length} dependents returned` : 'not found';
  };
  const boundNote = bounded ? 'lists bounded to 100' : 'lists are not paginated in the schema: every edge is returned';
  for (const [label, key] of [['leaf', keys.leaf], ['mid-tier', keys.midTier], ['shared', keys.shared]] as const) {
    await timed(`ci neighbourhood, ${label} (${key})`, query, boundNote, () => ({ key }), edges);
  }
  return rows;
}

/**
 * The same reads as plain Cypher through the driver, without the service: the
 * gap to the rows above is what HTTP, GraphQL, validation and mapping cost.
 */
async function measureCypherFloors(driver: Driver, keys: BenchKeys, pools: KeyPools, options: MeasureOptions, rng: Rng): Promise<LatencyRow[]> {
  const pick = <T>(items: T[]) => items[Math.floor(rng.next() * items.length)];
  const floors: [string, string, () => Record<string, unknown>][] = [
    ['Cypher direct: CI by key, random key', 'MATCH (n:CI {key: $key}) RETURN properties(n) AS ci', () => ({ key: pick(pools.all) })],
    ['Cypher direct: count of one kind', 'MATCH (n:CI) WHERE n.kind = $kind RETURN count(n) AS total', () => ({ kind: pick(LIST_KINDS) })],
    [
      `Cypher direct: dependents of shared (${keys.shared})`,
      'MATCH (:CI {key: $key})<-[r:DEPENDS_ON]-(c:CI) RETURN c.key AS consumer, r.type AS type, r.strength AS strength',
      () => ({ key: keys.shared }),
    ],
  ];
  const rows: LatencyRow[] = [];
  for (const [name, query, parameters] of floors) {
    log(`measuring ${name}`);
    const timing = await timeCypher(driver, query, parameters, { ...options, timeoutMs: 60_000 });
    rows.push({ name, query, summary: timing.summary, note: timing.error ? `failed: ${timing.error}` : 'neo4j-driver straight to Neo4j, no service' });
  }
  return rows;
}

/** Mixed read traffic at a fixed concurrency for a fixed time, the way dashboards and enrichment hit the API. */
async function httpLoad(client: GraphQLClient, schema: SchemaFields, pools: KeyPools, settings: BenchSettings, rng: Rng): Promise<HttpLoadResult> {
  const pick = <T>(items: T[]) => items[Math.floor(rng.next() * items.length)];
  const { query: neighbourhood } = neighbourhoodQuery(schema, 100);
  const bodies: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const r = rng.next();
    if (r < 0.7) bodies.push(JSON.stringify({ query: CI_QUERY, variables: { key: pick(pools.all) } }));
    else if (r < 0.9) bodies.push(JSON.stringify({ query: CIS_QUERY, variables: { filter: { kinds: [pick(LIST_KINDS)] }, first: 50 } }));
    else bodies.push(JSON.stringify({ query: neighbourhood, variables: { key: pick(pools.services) } }));
  }
  let next = 0;
  let graphqlErrors = 0;
  log(`mixed HTTP load: ${settings.connections} connections for ${settings.durationSeconds} s`);
  const result = await autocannon({
    url: client.url,
    method: 'POST',
    connections: settings.connections,
    duration: settings.durationSeconds,
    headers: client.headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"errors"')) graphqlErrors++;
        },
      },
    ],
  });
  return {
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    mix: '70% ci(key) random, 20% cis page by kind (50, totalCount), 10% neighbourhood of a random service',
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
  };
}

async function countCis(client: GraphQLClient): Promise<number> {
  const { data } = await client.request<{ cis: { totalCount: number } }>('{ cis(first: 0) { totalCount } }');
  return data.cis.totalCount;
}

// ---------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const notes: string[] = [];
  const rng = new Rng(settings.seed + 1);
  const options = { size: settings.size, seed: settings.seed };

  // 1. The graph.
  log(`generating size ${settings.size} (seed ${settings.seed})`);
  const generateStarted = performance.now();
  const streamed = settings.size === 'XL';
  const enterprise = streamed ? undefined : generateEnterprise(options);
  const counts = enterprise ? { cis: enterprise.cis.length, dependencies: enterprise.dependencies.length } : countEnterprise(options);
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  const stats = enterprise ? enterpriseStats(enterprise) : undefined;
  const keys = benchKeys(options);
  const source = (): Iterable<EnterpriseBatch> => (enterprise ? batches(enterprise, BATCH_SIZE) : enterpriseBatches(options, BATCH_SIZE));
  if (streamed) notes.push('XL is streamed: random lookup keys come from the first CI batches, and the in-memory floor is skipped.');
  log(`${counts.cis} CIs, ${counts.dependencies} dependencies in ${generateSeconds.toFixed(1)} s; keys ${JSON.stringify(keys)}`);

  // 2. Neo4j.
  let embedded: EmbeddedNeo4j | undefined;
  let service: ServiceProcess | undefined;
  let driver: Driver | undefined;
  let sampler: MemorySampler | undefined;
  try {
    const external = process.env.NEO4J_URI;
    let uri: string;
    if (external) {
      uri = external;
      notes.push('Neo4j given by NEO4J_URI: its memory is not measured, and its data is not wiped first.');
    } else {
      const home = join(repoRoot(), '.svcmap', `neo4j-bench-${settings.size.toLowerCase()}`);
      const neo4jLog = createWriteStream(join(repoRoot(), '.svcmap', `bench-${settings.size.toLowerCase()}-neo4j.log`));
      mkdirSync(join(repoRoot(), '.svcmap'), { recursive: true });
      embedded = await startEmbeddedNeo4j({
        home,
        port: await freePort(),
        fresh: !settings.reuse,
        heap: settings.heap,
        pageCache: settings.pageCache,
        txTimeout: '300s',
        log: (line) => (line.startsWith('[neo4j]') ? neo4jLog.write(`${line}\n`) : log(line)),
        startTimeoutMs: 180_000,
      });
      uri = embedded.uri;
      if (embedded.reused) notes.push(`Reused a running embedded Neo4j at ${home}: its memory settings are whatever it was started with.`);
    }
    driver = benchDriver(uri, process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD);
    const neo4j = await neo4jVersion(driver);

    // 3. The service.
    let apiKey = randomBytes(32).toString('hex');
    service = new ServiceProcess(settings.size, await freePort());
    log(`starting the service on port ${service.port} (log: ${relative(process.cwd(), service.logFile)})`);
    await service.start({
      NEO4J_URI: uri,
      PORT: String(service.port),
      SVCMAP_SEED: '',
      SVCMAP_BOOTSTRAP_ADMIN_KEY: apiKey,
      SVCMAP_TX_TIMEOUT_MS: '300000',
    });
    // The bootstrap key applies only to a database without keys; a reused one gets a new admin key.
    if (!(await acceptsKey(service.port, apiKey))) {
      log('the database already has API keys: creating a bench admin key with `svcmap keys create`');
      apiKey = createAdminKey(uri);
    }
    sampler = new MemorySampler({ service: service.pid, neo4j: embedded?.pid, bench: process.pid });
    sampler.start();
    const client = new GraphQLClient(`http://127.0.0.1:${service.port}`, apiKey);
    const schema = await introspect(client);

    // 4. Load through the API.
    const load: BenchResult['load'] = {};
    const missing = missingOperations(settings.loadMode, schema);
    if (missing.length) throw new Error(`not available yet: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the schema (--load ${settings.loadMode})`);
    const before = await countCis(client);
    const atStart = await scrapeTimeSpent(client);
    sampler.enterPhase('first load');
    if (before === 0) {
      log(`first load (${settings.loadMode}, batches of ${BATCH_SIZE})`);
      load.first = await loadThroughApi(client, source(), settings.loadMode);
      log(`first load: ${Math.round(load.first.elementsPerSecond)} elements/s in ${load.first.seconds.toFixed(1)} s`);
      if (load.first.created !== load.first.elements) notes.push(`First load created ${load.first.created} of ${load.first.elements} elements.`);
    } else {
      load.firstSkippedBecause = `the graph already held ${before} CIs (--reuse or NEO4J_URI)`;
      notes.push(`No first-load figure: ${load.firstSkippedBecause}.`);
    }
    sampler.enterPhase('reload');
    if (settings.reload) {
      log('unchanged re-load');
      load.reload = await loadThroughApi(client, source(), settings.loadMode);
      log(`re-load: ${Math.round(load.reload.elementsPerSecond)} elements/s in ${load.reload.seconds.toFixed(1)} s`);
      if (load.reload.unchanged !== load.reload.elements) {
        notes.push(`Unchanged re-load reported ${load.reload.created} created and ${load.reload.updated} updated of ${load.reload.elements}: writes are not idempotent.`);
      }
    } else notes.push('No re-load figure: --no-reload.');

    // 5. Latency of reads, once the topology plugin's index (if the server has it) holds the loaded graph.
    const indexNote = (status: TopologyIndexStatus | null, when: string) =>
      status
        ? `Topology index ${when}: ${status.fresh ? 'current' : 'NOT current (walks ran as Cypher)'}, ${status.cis.toLocaleString('en-US')} CIs and ${status.dependencies.toLocaleString('en-US')} dependencies, read in ${status.readMillis} ms.`
        : `No topology plugin on this Neo4j ${when}: every walk ran as Cypher.`;
    notes.push(indexNote(await untilTopologyIndexCurrent(driver), 'before the reads'));
    const afterLoad = await scrapeTimeSpent(client);
    sampler.enterPhase('reads');
    const sample = enterprise ? [] : [...takeBatches(enterpriseBatches(options, BATCH_SIZE), 4)];
    const pools = keyPools(enterprise, sample, rng);
    const measureOptions: MeasureOptions = { runs: settings.runs, warmup: settings.warmup, budgetMs: settings.smoke ? 3_000 : 30_000 };
    const heavyOptions: MeasureOptions = {
      runs: Math.max(3, Math.ceil(settings.runs / 20)),
      warmup: settings.smoke ? 0 : 1,
      budgetMs: settings.smoke ? 5_000 : 60_000,
    };
    const latency = [
      ...(await measureLatencies(client, schema, keys, pools, measureOptions, rng)),
      ...(await measureCypherFloors(driver, keys, pools, measureOptions, rng)),
    ];

    // 6. Mixed HTTP load.
    const afterSequentialReads = await scrapeTimeSpent(client);
    sampler.enterPhase('http load');
    const load2 = await httpLoad(client, schema, pools, settings, rng);
    const afterReads = await scrapeTimeSpent(client);
    if (!afterReads) notes.push('The service has no readable /metrics: no breakdown of where time went.');

    // 7. Operations that are landing (blast radius, priorities, root cause) and their baselines.
    // The HTTP load wrote: the index is read again once writes pause.
    notes.push(indexNote(await untilTopologyIndexCurrent(driver), 'before the operations'));
    sampler.enterPhase('operations');
    const operations = await runOperationBenchmarks(
      { client, schema, keys, enterprise, driver, measureOptions, heavyOptions, timeoutMs: settings.smoke ? 10_000 : 60_000, randomKeys: pools.all, servicePid: service.pid },
      log,
    );
    sampler.stop();

    const result: BenchResult = {
      suite: 'svcmap-bench',
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      settings,
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryBytes: os.totalmem(),
        loadAverageAtStart,
        loadAverageAtEnd: os.loadavg(),
        node: process.version,
        neo4j,
        neo4jHow: external ? 'NEO4J_URI' : 'embedded',
        gitCommit: gitCommit(),
      },
      graph: { ...counts, softShare: stats?.softShare, generateSeconds, keys, topFanIn: stats?.topFanIn.slice(0, 5) },
      load,
      latency,
      httpLoad: load2,
      operations,
      memory: sampler.report(),
      cpu: sampler.cpuReport(),
      timeSpent: {
        load: timeSpentBetween(atStart, afterLoad),
        reads: timeSpentBetween(afterLoad, afterSequentialReads),
        httpLoad: timeSpentBetween(afterSequentialReads, afterReads),
      },
      notes,
    };
    report(result);
  } finally {
    sampler?.stop();
    await service?.stop();
    await driver?.close();
    await embedded?.stop();
  }
}

function* takeBatches(source: Iterable<EnterpriseBatch>, count: number): Generator<EnterpriseBatch> {
  let taken = 0;
  for (const batch of source) {
    if (taken++ >= count) return;
    yield batch;
  }
}

function report(result: BenchResult): void {
  const { settings } = result;
  const markdown = renderMarkdown(result);
  process.stdout.write(`\n${markdown}\n`);
  mkdirSync(settings.outDir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const tag = settings.smoke ? `${settings.size.toLowerCase()}-smoke` : settings.size.toLowerCase();
  const jsonFile = join(settings.outDir, `${tag}-${stamp}.json`);
  const markdownFile = join(settings.outDir, `latest-${tag}.md`);
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(markdownFile, markdown);
  log(`wrote ${relative(process.cwd(), jsonFile)} and ${relative(process.cwd(), markdownFile)}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
