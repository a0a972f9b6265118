/**
 * The load test on the demo seeds (issue #3, section 6).
 *
 *   npm run bench:load [-- --duration 60 --connections 32 --warmup 20 --warmup-max 120 --seed 42
 *                          --seeds seeds/demo-enterprise.yaml --out bench/results --no-docs]
 *
 * Starts the embedded Neo4j in a fresh `.svcmap/neo4j-bench-load` and the
 * service as a child process with `SVCMAP_SEED` pointing at the demo seeds,
 * checks that every seed CI arrived and that every request of the mix answers
 * without errors, then drives mixed GraphQL reads (and prioritizeIncidents)
 * with autocannon on loopback: a warm-up until the service's memory stops
 * growing (bounded), then the measured run. Every answer
 * is checked (HTTP status, GraphQL `errors`, and that the data is the answer
 * to the question asked); the service's resident memory is sampled every
 * second. Prints a table, writes bench/results/load-<timestamp>.json and the
 * results block of "Load test on the demo seeds" in docs/performance.md.
 * Exits non-zero when any request failed or the memory check failed.
 */
import autocannon from 'autocannon';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Driver } from 'neo4j-driver';
import { Rng } from '../src/synthetic/random';
import { parseTopologyFile } from '../src/topology-as-code/topology-file';
import { repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { benchDriver, neo4jVersion } from './cypher';
import { GraphQLClient, GraphQLRequestError } from './graphql-client';
import { MemorySampler, memoryOf } from './process-memory';
import { escape, int, mib, ms } from './report';
import { ServiceHeap, TimeSpent, scrapeHeap, scrapeTimeSpent, timeSpentBetween } from './service-metrics';
import { BenchStack, gitCommit, startBenchStack } from './service-process';
import { LatencySummary, summarize } from './stats';

// ---------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------

/** Seconds at the start and at the end of the measured run whose mean RSS is compared. */
const MEMORY_WINDOW_SECONDS = 10;
/** The mean RSS of the last window must be within this fraction of the first window's. */
const MEMORY_TOLERANCE = 0.1;
/**
 * The warm-up ends (after its minimum) once V8 has run this many major
 * collections under the load and the service's mean RSS over the last 10 s
 * is at most SETTLED_GROWTH above the 10 s before. V8 raises its heap limits
 * after each major collection, so RSS climbs for the first few of them; the
 * measured run should start on the steady state, not on that ramp. A single
 * collection can drop RSS for a moment, hence both conditions. The warm-up
 * ends at --warmup-max regardless (and the report says so).
 */
const SETTLED_MAJOR_GCS = 4;
const SETTLED_GROWTH = 0.03;
const DOCS_HEADING = '## Load test on the demo seeds';
const DOCS_BEGIN = '<!-- bench:load results begin: written by `npm run bench:load`, do not edit by hand -->';
const DOCS_END = '<!-- bench:load results end -->';

export interface LoadSettings {
  seedsFile: string;
  durationSeconds: number;
  /** Minimum warm-up. */
  warmupSeconds: number;
  /** The warm-up ends here even if memory is still growing. */
  warmupMaxSeconds: number;
  connections: number;
  seed: number;
  outDir: string;
  writeDocs: boolean;
  heap: string;
  pageCache: string;
}

function log(line: string): void {
  process.stderr.write(`[bench:load] ${line}\n`);
}

function settingsFrom(argv: string[]): LoadSettings {
  const args = parseArgs(argv, ['no-docs', 'help'], ['duration', 'warmup', 'warmup-max', 'connections', 'seed', 'seeds', 'out']);
  if (args.has('help')) {
    process.stdout.write(
      'usage: npm run bench:load -- [--duration SECONDS] [--warmup MIN_SECONDS] [--warmup-max SECONDS] [--connections N] [--seed N]\n' +
        '                             [--seeds FILE] [--out DIR] [--no-docs]\n',
    );
    process.exit(0);
  }
  const durationSeconds = intArg(args, 'duration', 60, 2 * MEMORY_WINDOW_SECONDS);
  if (durationSeconds > 600) throw new Error('--duration must be at most 600 seconds (the load test is bounded)');
  const warmupSeconds = intArg(args, 'warmup', 20, 0);
  const warmupMaxSeconds = intArg(args, 'warmup-max', Math.max(120, warmupSeconds), warmupSeconds);
  if (warmupMaxSeconds > 300) throw new Error('--warmup-max must be at most 300 seconds');
  const connections = intArg(args, 'connections', 32, 1);
  if (connections > 256) throw new Error('--connections must be at most 256');
  const seeds = stringArg(args, 'seeds') ?? join('seeds', 'demo-enterprise.yaml');
  return {
    seedsFile: isAbsolute(seeds) ? seeds : join(repoRoot(), seeds),
    durationSeconds,
    warmupSeconds,
    warmupMaxSeconds,
    connections,
    seed: intArg(args, 'seed', 42),
    outDir: resolve(stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results')),
    writeDocs: !args.has('no-docs'),
    heap: process.env.SVCMAP_NEO4J_HEAP || '1g',
    pageCache: process.env.SVCMAP_NEO4J_PAGECACHE || '512m',
  };
}

// ---------------------------------------------------------------------------------------------------
// The seeds, and the keys the mix draws from
// ---------------------------------------------------------------------------------------------------

/** Shared pieces the demo file itself names as root-cause candidates, plus the story's two incidents. */
const BUSINESS_RELEVANT = [
  'svc:payment-processor',
  'rg:dc1-core-switches',
  'db:pg-node-1',
  'rg:shared-postgres',
  'rg:kafka-cluster',
  'dns:cloud-resolver',
  'idp:customer-identity',
  'idp:corporate-sso',
  'rg:dc-interconnect',
  'zone:eu-west-1a',
  'app:exec-mail-client',
];
/** The three the issue names; the run refuses to start without them. */
const REQUIRED_KEYS = ['svc:payment-processor', 'rg:dc1-core-switches', 'db:pg-node-1'];

export interface SeedPools {
  name: string;
  cis: number;
  dependencies: number;
  keys: string[];
  kinds: string[];
  owners: string[];
  environments: string[];
  tags: string[];
  /** Words that occur in two or more keys or names, for `search` filters. */
  words: string[];
  businessFunctions: string[];
  businessRelevant: string[];
  /** CIs at either end of the map: nothing depends on them, or they depend on nothing. */
  leaves: string[];
}

function seedPools(file: string): SeedPools {
  const document = parseTopologyFile(readFileSync(file, 'utf8'), relative(repoRoot(), file));
  const keys = document.cis.map((c) => c.key);
  const known = new Set(keys);
  const missing = REQUIRED_KEYS.filter((k) => !known.has(k));
  if (missing.length) throw new Error(`${file} has no ${missing.join(', ')}: the load mix needs them`);
  const consumers = new Set(document.dependencies.map((d) => d.from));
  const providers = new Set(document.dependencies.map((d) => d.to));
  const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))].sort();
  const wordCounts = new Map<string, number>();
  for (const ci of document.cis) {
    const words = new Set(`${ci.key.slice(ci.key.indexOf(':') + 1)} ${ci.name ?? ''}`.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4));
    for (const word of words) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  return {
    name: document.name,
    cis: document.cis.length,
    dependencies: document.dependencies.length,
    keys,
    kinds: distinct(document.cis.map((c) => c.kind as string)),
    owners: distinct(document.cis.map((c) => c.owner)),
    environments: distinct(document.cis.map((c) => c.environment)),
    tags: distinct(document.cis.flatMap((c) => c.tags ?? [])),
    words: [...wordCounts].filter(([, n]) => n >= 2).map(([w]) => w).sort(),
    businessFunctions: document.cis.filter((c) => (c.kind as string) === 'BUSINESS_FUNCTION').map((c) => c.key),
    businessRelevant: BUSINESS_RELEVANT.filter((k) => known.has(k)),
    leaves: keys.filter((k) => !providers.has(k) || !consumers.has(k)),
  };
}

// ---------------------------------------------------------------------------------------------------
// The request mix
// ---------------------------------------------------------------------------------------------------

const CI_QUERY = `query LoadCi($key: String!) { ci(key: $key) { key kind name owner environment status version tags criticality } }`;
const CIS_QUERY = `query LoadCis($filter: CIFilterInput, $first: Int, $after: String) {
  cis(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { key kind name owner environment status } } } }`;
const NEIGHBOURHOOD_QUERY = `query LoadNeighbourhood($key: String!) { ci(key: $key) { key kind name
  dependencies { type strength provider { key kind name status } }
  dependents { type strength consumer { key kind name status } } } }`;
const BLAST_RADIUS_QUERY = `query LoadBlastRadius($keys: [String!]!) { blastRadius(keys: $keys) {
  failedKeys score priority depthLimited maxDepth
  totals { impacted down degraded }
  businessImpacts { state score priority distance ci { key name criticality } }
  impacted(first: 25) { totalCount pageInfo { hasNextPage endCursor } edges { node { key kind state distance reason } } } } }`;
const SERVICE_MAP_QUERY = `query LoadServiceMap($key: String!) { serviceMap(key: $key) {
  truncated root { key name criticality } nodes { key kind name status } edges { from to type strength } } }`;
const PRIORITIZE_MUTATION = `mutation LoadPrioritize($incidents: [IncidentInput!]!) { prioritizeIncidents(incidents: $incidents) {
  id rank priority score impactedCount explanation unknownKeys businessImpacts { priority score ci { key } } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field at run time
type Data = Record<string, any>;

/** One prepared request: its body and how to tell its answer is the answer to it. */
interface Prepared {
  body: string;
  query: string;
  variables: Record<string, unknown>;
  check: (data: Data) => string | undefined;
}

interface RequestType {
  name: string;
  weight: number;
  what: string;
  requests: Prepared[];
}

const TYPE_CI = 'ci(key)';
const TYPE_CIS_FIRST = 'cis, first page';
const TYPE_CIS_NEXT = 'cis, next page';
const TYPE_NEIGHBOURHOOD = 'ci { dependencies dependents }';
const TYPE_BLAST_RELEVANT = 'blastRadius, business-relevant';
const TYPE_BLAST_LEAF = 'blastRadius, leaf';
const TYPE_SERVICE_MAP = 'serviceMap(business function)';
const TYPE_PRIORITIZE = 'prioritizeIncidents (2-3)';

function prepared(query: string, variables: Record<string, unknown>, check: Prepared['check']): Prepared {
  return { body: JSON.stringify({ query, variables }), query, variables, check };
}

const expect = (ok: boolean, message: string) => (ok ? undefined : message);

function ciRequest(key: string): Prepared {
  return prepared(CI_QUERY, { key }, (d) => expect(d.ci?.key === key, `ci(${key}) answered ${JSON.stringify(d.ci)?.slice(0, 80)}`));
}

function cisRequest(filter: Record<string, unknown>, after?: string): Prepared {
  return prepared(CIS_QUERY, { filter, first: 20, ...(after ? { after } : {}) }, (d) =>
    expect(Array.isArray(d.cis?.edges) && typeof d.cis.totalCount === 'number', `cis(${JSON.stringify(filter)}) answered no page`),
  );
}

function neighbourhoodRequest(key: string): Prepared {
  return prepared(NEIGHBOURHOOD_QUERY, { key }, (d) =>
    expect(d.ci?.key === key && Array.isArray(d.ci.dependencies) && Array.isArray(d.ci.dependents), `neighbourhood of ${key} missing`),
  );
}

function blastRadiusRequest(key: string): Prepared {
  return prepared(BLAST_RADIUS_QUERY, { keys: [key] }, (d) =>
    expect(
      d.blastRadius?.failedKeys?.includes(key) && d.blastRadius.totals.impacted >= 1 && Array.isArray(d.blastRadius.impacted?.edges),
      `blastRadius of ${key} answered ${JSON.stringify(d.blastRadius?.totals)}`,
    ),
  );
}

function serviceMapRequest(key: string): Prepared {
  return prepared(SERVICE_MAP_QUERY, { key }, (d) =>
    expect(d.serviceMap?.root?.key === key && d.serviceMap.nodes.length >= 1, `serviceMap of ${key} answered no map`),
  );
}

function prioritizeRequest(incidents: { id: string; keys: string[]; technicalPriority: string; title: string; startedAt: string }[]): Prepared {
  return prepared(PRIORITIZE_MUTATION, { incidents }, (d) => {
    const ranked = d.prioritizeIncidents;
    if (!Array.isArray(ranked) || ranked.length !== incidents.length) return `prioritizeIncidents ranked ${ranked?.length} of ${incidents.length}`;
    const unknown = ranked.flatMap((r: Data) => r.unknownKeys ?? []);
    return expect(unknown.length === 0, `prioritizeIncidents did not know ${unknown.join(', ')}`);
  });
}

/** Filters for `cis` pages, every one of them built from values that occur in the seeds. */
function cisFilters(pools: SeedPools, rng: Rng): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  for (const kind of pools.kinds) filters.push({ kinds: [kind] });
  for (let i = 0; i < 8; i++) filters.push({ kinds: [rng.pick(pools.kinds), rng.pick(pools.kinds)] });
  for (const owner of pools.owners) filters.push({ owner });
  for (const environment of pools.environments) filters.push({ environment });
  for (let i = 0; i < 6; i++) filters.push({ owner: rng.pick(pools.owners), environment: 'production' });
  for (const tag of pools.tags) filters.push({ tags: [tag] });
  for (let i = 0; i < Math.min(16, pools.words.length); i++) filters.push({ search: rng.pick(pools.words) });
  for (let i = 0; i < 4; i++) filters.push({ statuses: ['ACTIVE'], kinds: [rng.pick(pools.kinds)] });
  filters.push({ statuses: ['ACTIVE'] });
  filters.push({});
  return filters;
}

/** How many prepared requests each type cycles through (drawn once, from the seed). */
const PREPARED_PER_TYPE = 400;

function buildMix(pools: SeedPools, rng: Rng): RequestType[] {
  const many = <T>(make: () => T) => Array.from({ length: PREPARED_PER_TYPE }, make);
  const priorities = ['P1', 'P2', 'P3', 'P4'];
  const incidentKeys = [...pools.businessRelevant, ...pools.keys];
  let incident = 0;
  const incidents = () =>
    Array.from({ length: rng.int(2, 3) }, () => {
      incident++;
      return {
        id: `load-${incident}`,
        keys: Array.from({ length: rng.int(1, 2) }, () => (rng.chance(0.5) ? rng.pick(pools.businessRelevant) : rng.pick(incidentKeys))),
        technicalPriority: rng.pick(priorities),
        title: `load test incident ${incident}`,
        startedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, 0) - rng.int(0, 3_600) * 1000).toISOString(),
      };
    });
  const filters = cisFilters(pools, rng);
  return [
    { name: TYPE_CI, weight: 25, what: 'scalar fields of one random seed CI', requests: many(() => ciRequest(rng.pick(pools.keys))) },
    {
      name: TYPE_CIS_FIRST,
      weight: 12,
      what: `first page of 20 with totalCount; ${filters.length} filters: kinds, owner, environment, owner + production, tags, text search, statuses`,
      requests: filters.map((f) => cisRequest(f)),
    },
    // Filled by the verification pass, from the cursors of the first pages that have a next one.
    { name: TYPE_CIS_NEXT, weight: 8, what: 'the page after a first page (its endCursor as `after`)', requests: [] },
    {
      name: TYPE_NEIGHBOURHOOD,
      weight: 15,
      what: 'a random seed CI with every dependency and dependent, and the other end of each',
      requests: many(() => neighbourhoodRequest(rng.pick(pools.keys))),
    },
    {
      name: TYPE_BLAST_RELEVANT,
      weight: 10,
      what: `one of ${pools.businessRelevant.join(', ')}; totals, business impacts and the first 25 impacted`,
      requests: pools.businessRelevant.map(blastRadiusRequest),
    },
    {
      name: TYPE_BLAST_LEAF,
      weight: 5,
      what: `one of ${pools.leaves.length} leaves (nothing depends on them, or they depend on nothing); same selection`,
      requests: pools.leaves.map(blastRadiusRequest),
    },
    {
      name: TYPE_SERVICE_MAP,
      weight: 12,
      what: `one of the ${pools.businessFunctions.length} business functions: every node and edge it depends on`,
      requests: pools.businessFunctions.map(serviceMapRequest),
    },
    {
      name: TYPE_PRIORITIZE,
      weight: 13,
      what: '2 or 3 incidents of 1-2 CIs each (half of them business-relevant), ranked with impacts and explanation',
      requests: many(() => prioritizeRequest(incidents())),
    },
  ];
}

/**
 * Sends every first page, every blast radius and map, and a sample of the
 * other requests once, one at a time, before any load: a request the service
 * refuses fails the run here with its message, instead of as a count later.
 * Collects the cursors for the next-page requests on the way.
 */
async function verifyMix(client: GraphQLClient, mix: RequestType[]): Promise<{ requests: number; seconds: number; facts: Record<string, unknown> }> {
  const started = performance.now();
  let requests = 0;
  const blastRadius: Record<string, unknown> = {};
  const serviceMap: Record<string, unknown> = {};
  const send = async (type: RequestType, request: Prepared): Promise<Data> => {
    let data: Data;
    try {
      data = (await client.request<Data>(request.query, request.variables)).data;
    } catch (error) {
      const detail = error instanceof GraphQLRequestError ? error.message : String(error);
      throw new Error(`verification: ${type.name} failed: ${detail}\n  variables: ${JSON.stringify(request.variables).slice(0, 300)}`);
    }
    requests++;
    const problem = request.check(data);
    if (problem) throw new Error(`verification: ${type.name}: ${problem}`);
    return data;
  };
  const byName = new Map(mix.map((t) => [t.name, t]));
  const next = byName.get(TYPE_CIS_NEXT)!;
  for (const type of mix) {
    if (type.name === TYPE_CIS_NEXT) continue;
    // Every first page (their cursors make the next-page requests), blast radius and map; a sample of the rest.
    const exhaustive = type.name === TYPE_CIS_FIRST || type.requests.length <= 80;
    const sample = exhaustive ? type.requests : type.requests.slice(0, 25);
    for (const request of sample) {
      const data = await send(type, request);
      if (type.name === TYPE_CIS_FIRST && data.cis.pageInfo.hasNextPage) {
        const { filter } = request.variables as { filter: Record<string, unknown> };
        next.requests.push(cisRequest(filter, data.cis.pageInfo.endCursor));
      }
      if (type.name === TYPE_BLAST_RELEVANT || type.name === TYPE_BLAST_LEAF) {
        const key = (request.variables.keys as string[])[0];
        const { totals, priority, businessImpacts } = data.blastRadius;
        blastRadius[key] = { impacted: totals.impacted, down: totals.down, degraded: totals.degraded, priority, businessImpacts: businessImpacts.length };
      }
      if (type.name === TYPE_SERVICE_MAP) {
        const key = request.variables.key as string;
        serviceMap[key] = { nodes: data.serviceMap.nodes.length, edges: data.serviceMap.edges.length, truncated: data.serviceMap.truncated };
      }
    }
  }
  for (const request of next.requests) await send(next, request);
  if (!next.requests.length) next.weight = 0;
  for (const type of mix) if (!type.requests.length) type.weight = 0;
  const cisPages = { filters: byName.get(TYPE_CIS_FIRST)!.requests.length, withNextPage: next.requests.length };
  return { requests, seconds: (performance.now() - started) / 1000, facts: { cisPages, blastRadius, serviceMap } };
}

// ---------------------------------------------------------------------------------------------------
// Load, with every answer checked and timed per request type
// ---------------------------------------------------------------------------------------------------

interface TypeTally {
  latencies: number[];
  non2xx: number;
  graphqlErrors: number;
  wrongAnswers: number;
}

class Tally {
  readonly byType = new Map<string, TypeTally>();
  readonly errorSamples: string[] = [];

  constructor(mix: RequestType[]) {
    for (const type of mix) this.byType.set(type.name, { latencies: [], non2xx: 0, graphqlErrors: 0, wrongAnswers: 0 });
  }

  record(type: string, ms: number, status: number, body: string, check: Prepared['check']): void {
    const tally = this.byType.get(type)!;
    tally.latencies.push(ms);
    let parsed: { data?: Data | null; errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (status < 200 || status >= 300) {
      tally.non2xx++;
      this.sample(`${type}: HTTP ${status} ${body.slice(0, 200)}`);
    } else if (parsed?.errors?.length) {
      tally.graphqlErrors++;
      const first = parsed.errors[0];
      this.sample(`${type}: ${first.extensions?.code ?? 'ERROR'} ${String(first.message).slice(0, 200)}`);
    } else {
      const problem = !parsed || !parsed.data ? `no data in ${body.slice(0, 120)}` : check(parsed.data);
      if (problem) {
        tally.wrongAnswers++;
        this.sample(`${type}: ${problem}`);
      }
    }
  }

  private sample(message: string): void {
    if (this.errorSamples.length < 20) this.errorSamples.push(message);
  }
}

interface LoadContext {
  type?: string;
  check?: Prepared['check'];
  sentAt?: number;
}

/** Picks request types by weight, and cycles through each type's prepared requests. */
function drawer(mix: RequestType[], rng: Rng): () => { type: RequestType; request: Prepared } {
  const live = mix.filter((t) => t.weight > 0);
  const total = live.reduce((sum, t) => sum + t.weight, 0);
  const cursors = new Map(live.map((t) => [t.name, Math.floor(rng.next() * t.requests.length)]));
  return () => {
    let r = rng.next() * total;
    let type = live[live.length - 1];
    for (const t of live) {
      if (r < t.weight) {
        type = t;
        break;
      }
      r -= t.weight;
    }
    const at = cursors.get(type.name)!;
    cursors.set(type.name, at + 1);
    return { type, request: type.requests[at % type.requests.length] };
  };
}

interface AutocannonFigures {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  autocannonAverageRequestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  socketErrors: number;
  timeouts: number;
  non2xx: number;
}

/**
 * One autocannon run over the mix. setupRequest draws the next request and
 * notes its type and send time in the connection's context (autocannon
 * builds each request just before writing it, one in flight per connection);
 * onResponse gets the whole body and that context, so every answer is
 * checked and timed under its own type.
 */
async function runAutocannon(
  client: GraphQLClient,
  draw: ReturnType<typeof drawer>,
  connections: number,
  seconds: number,
  tally: Tally,
  stopWhen?: { afterSeconds: number; done: () => boolean },
): Promise<AutocannonFigures> {
  const started = performance.now();
  let instance: autocannon.Instance | undefined;
  let watch: NodeJS.Timeout | undefined;
  const finished = new Promise<autocannon.Result>((resolveRun, reject) => {
    instance = autocannon({
    url: client.url,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 10,
    headers: client.headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const { type, request: next } = draw();
          const c = context as LoadContext;
          c.type = type.name;
          c.check = next.check;
          c.sentAt = performance.now();
          return { ...request, body: next.body };
        },
        onResponse: (status, body, context) => {
          const c = context as LoadContext;
          if (c.type === undefined || c.sentAt === undefined || !c.check) return;
          tally.record(c.type, performance.now() - c.sentAt, status, body, c.check);
        },
      },
    ],
  }, (error, result) => (error ? reject(error) : resolveRun(result)));
  });
  if (stopWhen) {
    watch = setInterval(() => {
      if ((performance.now() - started) / 1000 >= stopWhen.afterSeconds && stopWhen.done()) instance?.stop();
    }, 1000);
  }
  const result = await finished.finally(() => clearInterval(watch));
  const wall = (performance.now() - started) / 1000;
  return {
    seconds: wall,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    autocannonAverageRequestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

// ---------------------------------------------------------------------------------------------------
// Memory over time
// ---------------------------------------------------------------------------------------------------

interface RssSample {
  /** Seconds since the measured run started (negative before it). */
  t: number;
  phase: string;
  serviceRssBytes: number;
  neo4jRssBytes: number | null;
}

interface HeapSample extends ServiceHeap {
  t: number;
  phase: string;
}

/**
 * VmRSS of the service (and of Neo4j, for reference) every second, as a time
 * series; and every 5 s the service's V8 heap from its /metrics, to tell heap
 * growth from memory the allocator keeps.
 */
class RssSeries {
  private readonly taken: { at: number; phase: string; serviceRssBytes: number; neo4jRssBytes: number | null }[] = [];
  private readonly heaps: { at: number; phase: string; heap: ServiceHeap }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private zero = performance.now();
  phase = 'start';

  constructor(
    private readonly servicePid: number,
    private readonly neo4jPid: number | undefined,
    private readonly heap: () => Promise<ServiceHeap | undefined>,
  ) {}

  start(): void {
    this.take();
    this.timer = setInterval(() => this.take(), 1000);
    this.timer.unref();
  }

  /** The measured run starts now: sample times count from here. */
  startMeasuring(): void {
    this.phase = 'load';
    this.zero = performance.now();
    this.ticks = 0;
    this.take();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  take(): void {
    const service = memoryOf(this.servicePid);
    if (!service) return;
    const neo4j = this.neo4jPid === undefined ? undefined : memoryOf(this.neo4jPid);
    const at = performance.now();
    const phase = this.phase;
    this.taken.push({ at, phase, serviceRssBytes: service.rssBytes, neo4jRssBytes: neo4j?.rssBytes ?? null });
    if (this.ticks++ % 5 === 0) {
      void this.heap().then((heap) => {
        if (heap) this.heaps.push({ at, phase, heap });
      });
    }
  }

  /** Major collections during the current phase, from the heap samples; undefined without /metrics. */
  majorGcsInPhase(): number | undefined {
    const inPhase = this.heaps.filter((h) => h.phase === this.phase);
    return inPhase.length >= 2 ? inPhase[inPhase.length - 1].heap.majorGcs - inPhase[0].heap.majorGcs : undefined;
  }

  /**
   * True when, in this phase, V8 ran SETTLED_MAJOR_GCS major collections (when /metrics
   * says) and the mean RSS of the last 10 s is at most SETTLED_GROWTH above the 10 s before.
   */
  settled(): boolean {
    const gcs = this.majorGcsInPhase();
    if (gcs !== undefined && gcs < SETTLED_MAJOR_GCS) return false;
    const now = performance.now();
    const inPhase = this.taken.filter((s) => s.phase === this.phase);
    const mean = (fromS: number, toS: number) => {
      const values = inPhase.filter((s) => s.at > now - fromS * 1000 && s.at <= now - toS * 1000).map((s) => s.serviceRssBytes);
      return values.length >= 5 ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
    };
    const last = mean(10, 0);
    const before = mean(20, 10);
    return last <= before * (1 + SETTLED_GROWTH);
  }

  get samples(): RssSample[] {
    return this.taken.map(({ at, ...rest }) => ({ t: Math.round(at - this.zero) / 1000, ...rest }));
  }

  get heapSamples(): HeapSample[] {
    return this.heaps.map(({ at, phase, heap }) => ({ t: Math.round(at - this.zero) / 1000, phase, ...heap }));
  }
}

interface MemoryWindow {
  samples: number;
  meanServiceRssBytes: number;
  meanNeo4jRssBytes: number | null;
  /** Mean V8 heap in use (from /metrics, every 5 s), for reference. */
  meanHeapUsedBytes: number | null;
}

export interface MemoryCheck {
  windowSeconds: number;
  tolerance: number;
  firstWindow: MemoryWindow;
  lastWindow: MemoryWindow;
  /** Major garbage collections during the measured run. */
  majorGcs: number | null;
  ratio: number;
  passed: boolean;
}

function memoryCheck(samples: RssSample[], heaps: HeapSample[], durationSeconds: number): MemoryCheck {
  const measured = samples.filter((s) => s.phase === 'load');
  const measuredHeaps = heaps.filter((h) => h.phase === 'load');
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
  const window = (from: number, to: number): MemoryWindow => {
    const inside = measured.filter((s) => s.t >= from && s.t < to);
    const neo4j = inside.map((s) => s.neo4jRssBytes).filter((v): v is number => v !== null);
    const heap = measuredHeaps.filter((h) => h.t >= from && h.t < to).map((h) => h.heapUsedBytes);
    return {
      samples: inside.length,
      meanServiceRssBytes: mean(inside.map((s) => s.serviceRssBytes)),
      meanNeo4jRssBytes: neo4j.length ? mean(neo4j) : null,
      meanHeapUsedBytes: heap.length ? mean(heap) : null,
    };
  };
  const firstWindow = window(0, MEMORY_WINDOW_SECONDS);
  const lastWindow = window(durationSeconds - MEMORY_WINDOW_SECONDS, Number.POSITIVE_INFINITY);
  const ratio = lastWindow.meanServiceRssBytes / firstWindow.meanServiceRssBytes;
  const passed = firstWindow.samples >= 3 && lastWindow.samples >= 3 && Math.abs(ratio - 1) <= MEMORY_TOLERANCE;
  const gcs = measuredHeaps.map((h) => h.majorGcs);
  const majorGcs = gcs.length >= 2 ? gcs[gcs.length - 1] - gcs[0] : null;
  return { windowSeconds: MEMORY_WINDOW_SECONDS, tolerance: MEMORY_TOLERANCE, firstWindow, lastWindow, majorGcs, ratio, passed };
}

// ---------------------------------------------------------------------------------------------------
// Result, report, docs
// ---------------------------------------------------------------------------------------------------

export interface TypeRow {
  name: string;
  weight: number;
  what: string;
  distinctRequests: number;
  requests: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  non2xx: number;
  graphqlErrors: number;
  wrongAnswers: number;
}

export interface LoadResult {
  suite: 'svcmap-bench-load';
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  settings: LoadSettings;
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
  seeds: { file: string; name: string; cis: number; dependencies: number; cisInService: number };
  verification: { requests: number; seconds: number; facts: Record<string, unknown> };
  /** `settled`: the warm-up ended because the service's memory stopped growing, not at --warmup-max. */
  warmup: AutocannonFigures & { errors: number; settled: boolean; majorGcs: number | null };
  load: AutocannonFigures & { connections: number; errors: number; graphqlErrors: number; wrongAnswers: number; checkedResponses: number };
  byType: TypeRow[];
  errorSamples: string[];
  memory: MemoryCheck & { series: RssSample[]; heapSeries: HeapSample[] };
  cpu: { phase: string; seconds: number; cpuSeconds: Record<string, number> }[];
  timeSpent: TimeSpent[];
  serviceAliveAfter: boolean;
  passed: boolean;
  failures: string[];
}

function typeRows(mix: RequestType[], tally: Tally, seconds: number): TypeRow[] {
  return mix.map((type) => {
    const t = tally.byType.get(type.name)!;
    return {
      name: type.name,
      weight: type.weight,
      what: type.what,
      distinctRequests: type.requests.length,
      requests: t.latencies.length,
      requestsPerSecond: t.latencies.length / seconds,
      latency: summarize(t.latencies),
      non2xx: t.non2xx,
      graphqlErrors: t.graphqlErrors,
      wrongAnswers: t.wrongAnswers,
    };
  });
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function renderLoadMarkdown(result: LoadResult, heading = '###'): string {
  const { settings, machine, load, memory } = result;
  const lines: string[] = [];
  const totalWeight = result.byType.reduce((s, t) => s + t.weight, 0);
  lines.push(`${heading} ${result.passed ? 'Passed' : 'FAILED'}: ${result.startedAt}`);
  lines.push('');
  lines.push(
    `Command: \`${result.command}\`. Seeds: \`${result.seeds.file}\` (${result.seeds.name}, ${result.seeds.cis} CIs, ` +
      `${result.seeds.dependencies} dependencies; ${result.seeds.cisInService} CIs in the service). ${settings.connections} connections, ` +
      `${result.warmup.seconds.toFixed(0)} s warm-up (${result.warmup.majorGcs ?? '?'} major GCs; ` +
      `${result.warmup.settled ? 'ended once the service\'s RSS stopped growing' : `RSS not settled at --warmup-max ${settings.warmupMaxSeconds} s`}), ` +
      `then ${settings.durationSeconds} s measured.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${mib(machine.totalMemoryBytes)} memory, load average ` +
      `${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at start and ${machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join('/')} at end, ` +
      `Node ${machine.node}, ${machine.neo4j} (${machine.neo4jHow === 'embedded' ? `embedded, heap ${settings.heap}, page cache ${settings.pageCache}` : 'NEO4J_URI'}), commit ${machine.gitCommit}. ` +
      'Service, Neo4j and autocannon share the machine.',
  );
  lines.push('');
  lines.push('| request type | share | requests | req/s | p50 ms | p99 ms | max ms | errors |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  lines.push(
    `| **all (autocannon)** | 100% | ${int(load.requests)} | ${int(load.requestsPerSecond)} | ${ms(load.p50Ms)} | ${ms(load.p99Ms)} | ${ms(load.maxMs)} | ` +
      `${load.errors}${load.errors ? ` (${load.socketErrors} socket, ${load.timeouts} timeouts, ${load.non2xx} non-2xx, ${load.graphqlErrors} GraphQL, ${load.wrongAnswers} wrong answers)` : ''} |`,
  );
  for (const row of result.byType) {
    if (!row.weight) continue;
    const errors = row.non2xx + row.graphqlErrors + row.wrongAnswers;
    lines.push(
      `| ${escape(row.name)} | ${pct(row.weight / totalWeight)} | ${int(row.requests)} | ${row.requestsPerSecond.toFixed(1)} | ` +
        `${ms(row.latency.medianMs)} | ${ms(row.latency.p99Ms)} | ${ms(row.latency.maxMs)} | ${errors} |`,
    );
  }
  lines.push('');
  lines.push(
    `Every answer was checked: ${int(load.checkedResponses)} bodies parsed, none may carry GraphQL \`errors\` or answer a ` +
      'different question (wrong key, empty map, unknown incident key). Per-type latency is timed by the hooks around each request; ' +
      'the first row is autocannon\'s own histogram.' +
      (result.warmup.requests ? ` The warm-up sent ${int(result.warmup.requests)} requests (${result.warmup.errors} errors), not counted above.` : ''),
  );
  lines.push('');
  lines.push(`| service resident memory (VmRSS, every second) | first ${memory.windowSeconds} s | last ${memory.windowSeconds} s | last / first | check |`);
  lines.push('| --- | ---: | ---: | ---: | --- |');
  lines.push(
    `| service | ${mib(memory.firstWindow.meanServiceRssBytes)} | ${mib(memory.lastWindow.meanServiceRssBytes)} | ${memory.ratio.toFixed(3)} | ` +
      `${memory.passed ? 'passed' : 'FAILED'} (within ±${Math.round(memory.tolerance * 100)}%) |`,
  );
  if (memory.firstWindow.meanHeapUsedBytes !== null && memory.lastWindow.meanHeapUsedBytes !== null) {
    lines.push(
      `| service V8 heap in use (/metrics every 5 s; for reference) | ${mib(memory.firstWindow.meanHeapUsedBytes)} | ${mib(memory.lastWindow.meanHeapUsedBytes)} | ` +
        `${(memory.lastWindow.meanHeapUsedBytes / memory.firstWindow.meanHeapUsedBytes).toFixed(3)} | ${memory.majorGcs ?? '?'} major GCs in the run |`,
    );
  }
  if (memory.firstWindow.meanNeo4jRssBytes !== null && memory.lastWindow.meanNeo4jRssBytes !== null) {
    lines.push(
      `| Neo4j RSS (for reference) | ${mib(memory.firstWindow.meanNeo4jRssBytes)} | ${mib(memory.lastWindow.meanNeo4jRssBytes)} | ` +
        `${(memory.lastWindow.meanNeo4jRssBytes / memory.firstWindow.meanNeo4jRssBytes).toFixed(3)} | |`,
    );
  }
  if (result.cpu.length) {
    const names = Object.keys(result.cpu[0].cpuSeconds);
    lines.push('');
    lines.push(`| CPU seconds per phase | wall s | ${names.join(' | ')} |`);
    lines.push(`| --- | ---: | ${names.map(() => '---:').join(' | ')} |`);
    for (const row of result.cpu) {
      lines.push(`| ${row.phase} | ${row.seconds.toFixed(1)} | ${names.map((n) => (row.cpuSeconds[n] ?? 0).toFixed(1)).join(' | ')} |`);
    }
  }
  if (result.timeSpent.length) {
    lines.push('');
    lines.push('| where the service spent its time (measured run) | calls | total s | mean ms |');
    lines.push('| --- | ---: | ---: | ---: |');
    for (const row of result.timeSpent) lines.push(`| ${escape(row.name)} | ${int(row.count)} | ${row.totalSeconds.toFixed(1)} | ${ms(row.meanMs)} |`);
  }
  if (result.failures.length || result.errorSamples.length) {
    lines.push('');
    for (const failure of result.failures) lines.push(`- **${failure}**`);
    for (const sample of result.errorSamples.slice(0, 10)) lines.push(`- error: \`${sample.replace(/`/g, "'")}\``);
  }
  return `${lines.join('\n')}\n`;
}

const DOCS_INTRO = `${DOCS_HEADING}

\`npm run bench:load\` (issue #3, section 6) is the steady-state check on the demo topology: it
builds, starts the embedded Neo4j in a fresh \`.svcmap/neo4j-load\` (heap 1g, page cache 512m,
or \`SVCMAP_NEO4J_HEAP\` / \`SVCMAP_NEO4J_PAGECACHE\`) and the service as a child process with
\`SVCMAP_SEED=seeds/demo-enterprise.yaml\` and a random \`SVCMAP_BOOTSTRAP_ADMIN_KEY\`, checks
that every seed CI arrived, sends every request of the mix once (stopping at the first
refusal, with its message), then runs autocannon on 127.0.0.1 with 32 connections: a warm-up
of at least 20 s that ends once V8 has run 4 major collections under the load and the
service's RSS stopped growing (at most 120 s), then 60 s measured. Options: \`--duration\` (20-600), \`--warmup\` (minimum), \`--warmup-max\`,
\`--connections\`, \`--seed\`, \`--seeds\`, \`--out\`, \`--no-docs\` (leave the block below alone).
Logs: \`.svcmap/bench-load-service.log\`, \`.svcmap/bench-load-neo4j.log\`.

The mix, with the admin key: \`ci(key)\` on random seed keys (25%); \`cis\` first pages of 20
with \`totalCount\`, filtered by kind, owner, environment, tag, text or status (12%), and the
page after one (8%); \`ci { dependencies dependents }\` of random seed CIs (15%);
\`blastRadius\` with the first 25 impacted, from business-relevant CIs (10%:
\`svc:payment-processor\`, \`rg:dc1-core-switches\`, \`db:pg-node-1\` and the shared pieces the
seed file names) and from leaves (5%: CIs nothing depends on, or that depend on nothing);
\`serviceMap\` of a business function (12%); \`prioritizeIncidents\` with 2 or 3 incidents (13%).

It fails (exit 1) when any request failed: socket errors, timeouts, non-2xx answers, 200
answers carrying GraphQL \`errors\`, or answers to another question (every body is parsed and
checked), or when the service's mean resident memory over the last 10 s of the measured run
is not within 10% of its mean over the first 10 s (VmRSS from \`/proc\`, sampled every second;
the V8 heap from \`/metrics\` every 5 s is reported beside it). It writes
\`bench/results/load-<timestamp>.json\` (with both series) and rewrites the block below.

Why the warm-up waits for memory: with a fixed 15 s warm-up the check failed (mean RSS
210 MiB in the first 10 s, 259 MiB in the last, ratio 1.24). Over a 4-minute run the V8 heap
after each major collection stayed at 50-70 MiB throughout, while the heap V8 reserves grew
from 114 to 186 MiB over the first 100 s and by only 12 MiB more in the next 140 s: V8 raising
its limits after each major collection until they fit the load, not a leak. How long that
takes depends on the work done, not the clock (on this shared machine the warm-up ran at a
third to a half of the measured throughput), hence a warm-up counted in major collections.
`;

/** Rewrites the generated block of the "Load test on the demo seeds" section, adding the section the first time. */
function writeDocs(markdown: string): string {
  const file = join(repoRoot(), 'docs', 'performance.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const block = `${DOCS_BEGIN}\n\n${markdown.trimEnd()}\n\n${DOCS_END}`;
  let updated: string;
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin >= 0 && end > begin) {
    updated = text.slice(0, begin) + block + text.slice(end + DOCS_END.length);
  } else if (text.includes(`\n${DOCS_HEADING}\n`)) {
    // The section exists without a block (edited by hand): put the block at its end.
    const at = text.indexOf(`\n${DOCS_HEADING}\n`) + 1;
    const nextHeading = text.indexOf('\n## ', at + DOCS_HEADING.length);
    const cut = nextHeading < 0 ? text.length : nextHeading + 1;
    updated = `${text.slice(0, cut).trimEnd()}\n\n${block}\n${nextHeading < 0 ? '' : `\n${text.slice(cut)}`}`;
  } else {
    updated = `${text.trimEnd()}\n\n${DOCS_INTRO}\n${block}\n`;
  }
  writeFileSync(file, updated);
  return file;
}

// ---------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------

/** How this run was started, for the report: through npm, or the compiled file directly. */
function invocation(): string {
  const args = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench:load') return `npm run bench:load${args ? ` -- ${args}` : ''}`;
  return `node ${relative(repoRoot(), process.argv[1])}${args ? ` ${args}` : ''}`;
}

async function countCis(client: GraphQLClient): Promise<number> {
  const { data } = await client.request<{ cis: { totalCount: number } }>('{ cis(first: 0) { totalCount } }');
  return data.cis.totalCount;
}

async function main(): Promise<number> {
  const settings = settingsFrom(process.argv.slice(2));
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const rng = new Rng(settings.seed);
  const pools = seedPools(settings.seedsFile);
  log(`seeds ${relative(repoRoot(), settings.seedsFile)}: ${pools.cis} CIs, ${pools.dependencies} dependencies, ${pools.leaves.length} leaves`);
  const mix = buildMix(pools, rng);

  let stack: BenchStack | undefined;
  let driver: Driver | undefined;
  let sampler: MemorySampler | undefined;
  let series: RssSeries | undefined;
  try {
    stack = await startBenchStack({
      name: 'load',
      fresh: true,
      heap: settings.heap,
      pageCache: settings.pageCache,
      log,
      env: { SVCMAP_SEED: settings.seedsFile },
    });
    const { client, service, embedded } = stack;
    driver = benchDriver(stack.uri, process.env.NEO4J_USERNAME, process.env.NEO4J_PASSWORD);
    const neo4j = await neo4jVersion(driver);
    const cisInService = await countCis(client);
    if (cisInService !== pools.cis) throw new Error(`the service holds ${cisInService} CIs, the seeds ${pools.cis}: the seed was not loaded whole`);

    sampler = new MemorySampler({ service: service.pid, neo4j: embedded?.pid, bench: process.pid });
    sampler.start(1000);
    series = new RssSeries(service.pid!, embedded?.pid, () => scrapeHeap(client));
    series.start();

    sampler.enterPhase('verification');
    series.phase = 'verification';
    log('verification pass: every first page, blast radius and map once, and a sample of the rest');
    const verification = await verifyMix(client, mix);
    log(`verification: ${verification.requests} requests answered correctly in ${verification.seconds.toFixed(1)} s`);

    const draw = drawer(mix, rng);
    const warmupTally = new Tally(mix);
    let warmup: LoadResult['warmup'] = {
      seconds: 0, requests: 0, requestsPerSecond: 0, autocannonAverageRequestsPerSecond: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, socketErrors: 0, timeouts: 0, non2xx: 0, errors: 0, settled: false, majorGcs: null,
    };
    if (settings.warmupMaxSeconds > 0) {
      sampler.enterPhase('warm-up');
      series.phase = 'warm-up';
      log(`warm-up: ${settings.connections} connections, at least ${settings.warmupSeconds} s, until the service's RSS stops growing (at most ${settings.warmupMaxSeconds} s)`);
      let settled = false;
      const figures = await runAutocannon(client, draw, settings.connections, settings.warmupMaxSeconds, warmupTally, {
        afterSeconds: settings.warmupSeconds,
        done: () => (settled = series!.settled()),
      });
      warmup = { ...figures, errors: errorsOf(figures, warmupTally).errors, settled, majorGcs: series.majorGcsInPhase() ?? null };
      log(
        `warm-up: ${figures.seconds.toFixed(0)} s, ${int(figures.requests)} requests, ${int(figures.requestsPerSecond)} req/s, ${warmup.errors} errors, ` +
          `${warmup.majorGcs ?? '?'} major GCs; ${settled ? 'memory settled' : 'memory not settled at --warmup-max'}`,
      );
    }

    const before = await scrapeTimeSpent(client);
    sampler.enterPhase('measured load');
    series.startMeasuring();
    log(`measured load: ${settings.connections} connections for ${settings.durationSeconds} s`);
    const tally = new Tally(mix);
    const figures = await runAutocannon(client, draw, settings.connections, settings.durationSeconds, tally);
    series.take();
    series.phase = 'after';
    sampler.enterPhase('after');
    const after = await scrapeTimeSpent(client);
    series.stop();
    sampler.stop();

    let serviceAliveAfter = service.alive;
    if (serviceAliveAfter) {
      try {
        serviceAliveAfter = (await fetch(`http://127.0.0.1:${service.port}/health/ready`)).status === 200;
      } catch {
        serviceAliveAfter = false;
      }
    }

    const byType = typeRows(mix, tally, settings.durationSeconds);
    const { errors, non2xx, graphqlErrors, wrongAnswers } = errorsOf(figures, tally);
    const checkedResponses = byType.reduce((s, r) => s + r.requests, 0);
    const memory = memoryCheck(series.samples, series.heapSamples, settings.durationSeconds);

    const failures: string[] = [];
    if (errors) failures.push(`${errors} failed requests in the measured run`);
    if (warmup.errors) failures.push(`${warmup.errors} failed requests in the warm-up`);
    if (!memory.passed) {
      failures.push(
        `memory check failed: mean service RSS ${mib(memory.lastWindow.meanServiceRssBytes)} in the last ${memory.windowSeconds} s against ` +
          `${mib(memory.firstWindow.meanServiceRssBytes)} in the first (ratio ${memory.ratio.toFixed(3)}, allowed ±${Math.round(MEMORY_TOLERANCE * 100)}%)`,
      );
    }
    if (!serviceAliveAfter) failures.push('the service was not ready after the load');
    if (!figures.requests) failures.push('no request completed');

    const result: LoadResult = {
      suite: 'svcmap-bench-load',
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: invocation(),
      settings: { ...settings, seedsFile: relative(repoRoot(), settings.seedsFile), outDir: relative(repoRoot(), settings.outDir) || '.' },
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryBytes: os.totalmem(),
        loadAverageAtStart,
        loadAverageAtEnd: os.loadavg(),
        node: process.version,
        neo4j,
        neo4jHow: embedded ? 'embedded' : 'NEO4J_URI',
        gitCommit: gitCommit(),
      },
      seeds: { file: relative(repoRoot(), settings.seedsFile), name: pools.name, cis: pools.cis, dependencies: pools.dependencies, cisInService },
      verification,
      warmup,
      load: { ...figures, non2xx, connections: settings.connections, errors, graphqlErrors, wrongAnswers, checkedResponses },
      byType,
      errorSamples: [...warmupTally.errorSamples.map((s) => `warm-up: ${s}`), ...tally.errorSamples],
      memory: { ...memory, series: series.samples, heapSeries: series.heapSamples },
      cpu: sampler.cpuReport().filter((row) => row.phase !== 'after'),
      timeSpent: timeSpentBetween(before, after, 15),
      serviceAliveAfter,
      passed: failures.length === 0,
      failures,
    };
    report(result, settings);
    return result.passed ? 0 : 1;
  } finally {
    series?.stop();
    sampler?.stop();
    await driver?.close();
    await stack?.stop();
  }
}

/**
 * Every failed request of one run, each counted once: socket errors and timeouts (no answer),
 * non-2xx answers (autocannon counts them all; the hooks see those whose body arrived), and 2xx
 * answers with GraphQL errors or the wrong data, which only the hooks see.
 */
function errorsOf(figures: AutocannonFigures, tally: Tally): { errors: number; non2xx: number; graphqlErrors: number; wrongAnswers: number } {
  let non2xx = 0;
  let graphqlErrors = 0;
  let wrongAnswers = 0;
  for (const t of tally.byType.values()) {
    non2xx += t.non2xx;
    graphqlErrors += t.graphqlErrors;
    wrongAnswers += t.wrongAnswers;
  }
  non2xx = Math.max(non2xx, figures.non2xx);
  return { errors: figures.socketErrors + figures.timeouts + non2xx + graphqlErrors + wrongAnswers, non2xx, graphqlErrors, wrongAnswers };
}

function report(result: LoadResult, settings: LoadSettings): void {
  const markdown = renderLoadMarkdown(result);
  process.stdout.write(`\n${DOCS_HEADING}\n\n${markdown}\n`);
  mkdirSync(settings.outDir, { recursive: true });
  const jsonFile = join(settings.outDir, `load-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), jsonFile)}`);
  if (settings.writeDocs) log(`wrote the results block of "${DOCS_HEADING.slice(3)}" in ${relative(process.cwd(), writeDocs(markdown))}`);
  log(result.passed ? 'passed' : `FAILED: ${result.failures.join('; ')}`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
