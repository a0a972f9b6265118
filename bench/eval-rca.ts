/**
 * Root-cause accuracy: simulated faults on realistic topologies, asked
 * through the GraphQL API of a running service, scored the way the
 * literature does (AC@k, Avg@k).
 *
 *   npm run eval:rca -- [--cases N] [--topologies seeds,synthetic,shop,ticketing] [--size S|M]
 *                       [--missing 0.2] [--noise 0.1] [--seed N] [--out bench/results]
 *                       [--reuse] [--smoke] [--in-process] [--weights JSON] [--no-docs]
 *
 * Each case fails one CI drawn at random (seeded) among those whose failure
 * impacts at least two others, computes what it impacts with the impact
 * engine in-process on the whole graph, raises one alert per impacted CI
 * (DOWN: CRITICAL or MAJOR, DEGRADED: MINOR or WARNING, onset later with
 * each hop plus jitter), hides a share of them (the root's too, sometimes),
 * adds unrelated noise and asks `rootCause` for five candidates. Without
 * --missing/--noise it runs three levels: 0.2/0.1 (the headline), 0/0 and
 * 0.3/0.2. It prints a table, writes bench/results/rca-<timestamp>.json and
 * bench/results/latest-rca.md, and the table into docs/root-cause.md.
 *
 * --smoke is the CI form: ten cases on each topology at the headline level,
 * files marked smoke (git ignores them), docs untouched. It also sends each
 * topology's cases together to `correlateAlerts` and checks that every alert
 * comes back in exactly one incident. It exits 1 on any error, on a lost or
 * repeated alert, and when AC@3 falls below SMOKE_AC3_FLOOR on a topology:
 * far below what the ranking reaches, so only a broken ranking trips it (the
 * cases are seeded, so the figures do not vary from run to run). --in-process ranks with the
 * engine directly, on the subgraph built the way the repository fetches it,
 * without Neo4j or the service: for quick tuning (with --weights), never for
 * the published table. Every row also gives the best possible AC@1 and AC@3
 * (bench/rca-oracle.ts), which bounds what any ranking can reach.
 *
 *   npm run eval:rca -- --rca-storm [--size S|M|L] [--runs N] [--warmup N] [--reuse]
 *
 * is the storm benchmark instead (bench/rca-storm.ts): 1,000-alert storms on
 * the synthetic enterprise (L by default) through rootCause and
 * correlateAlerts, with the service's Neo4j time and the engine's own time.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_RCA_WEIGHTS, RcaWeights, rankCandidates } from '../src/root-cause/root-cause-engine';
import { DEFAULT_SEED, EnterpriseSize, batches, generateEnterprise } from '../src/synthetic/enterprise-generator';
import { Rng, hashInts } from '../src/synthetic/random';
import { repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { GraphQLClient } from './graphql-client';
import { loadThroughApi } from './loader';
import { RcaOracle } from './rca-oracle';
import { DEFAULT_STORM, StormRun, buildStorm, measureStorm } from './rca-storm';
import { EvalTopology, NoiseLevel, SIM_TIMING, SimCase, TOPOLOGY_NAMES, TopologyGraph, TopologyName, eligibleRoots, loadTopology, simulateCase, topologyBatches } from './rca-sim';
import { BenchStack, gitCommit, startBenchStack } from './service-process';
import { TimeSpent } from './service-metrics';
import { LatencySummary, summarize } from './stats';

/** Depth of the service's subgraph fetch (SVCMAP_RCA_DEPTH default), for --in-process. */
const RCA_DEPTH = 10;
const MAX_CANDIDATES = 5;
const BATCH_SIZE = 5_000;
const DOCS_BEGIN = '<!-- eval-rca:begin -->';
const DOCS_END = '<!-- eval-rca:end -->';
const HEADLINE: NoiseLevel = { missing: 0.2, noise: 0.1 };
const DEFAULT_LEVELS: NoiseLevel[] = [HEADLINE, { missing: 0, noise: 0 }, { missing: 0.3, noise: 0.2 }];
/** Alerts are dated long before the graph was loaded, so no recorded change falls in the change window. */
const BASE_MS = Date.UTC(2025, 0, 6, 9, 0);

interface Settings {
  cases: number;
  topologies: TopologyName[];
  levels: NoiseLevel[];
  size: EnterpriseSize;
  seed: number;
  outDir: string;
  smoke: boolean;
  inProcess: boolean;
  reuse: boolean;
  docs: boolean;
  weights: RcaWeights;
  /** --rca-storm: the storm benchmark instead of the accuracy evaluation. */
  storm: boolean;
  runs: number;
  warmup: number;
}

interface Miss {
  id: string;
  root: string;
  rootKind: string;
  /** 1-based position of the root among the returned candidates; null when not among them. */
  rank: number | null;
  top: string[];
  alerts: number;
  impacted: number;
  rootHidden: boolean;
  ambiguous: boolean;
}

interface Row {
  topology: TopologyName;
  missing: number;
  noise: number;
  cases: number;
  /** AC@1 .. AC@5. */
  ac: number[];
  avg5: number;
  latency: LatencySummary;
  /** What the best possible ranking reaches (bench/rca-oracle.ts): AC@1 and AC@3. */
  oracle: { ac1: number; ac3: number };
  ambiguous: number;
  /** Ambiguous cases whose root was not ranked first. */
  ambiguousMissed: number;
  rootHidden: number;
  meanAlerts: number;
  meanImpacted: number;
  meanNoise: number;
  /** Accuracy by kind of the failed CI: cases and AC@1. */
  byKind: Record<string, { cases: number; ac1: number }>;
  misses: Miss[];
}

interface EvalResult {
  suite: 'svcmap-eval-rca';
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  settings: Omit<Settings, 'weights'> & { weights: RcaWeights | 'DEFAULT_RCA_WEIGHTS'; timing: typeof SIM_TIMING; maxCandidates: number };
  machine: { cores: number; cpuModel: string; node: string; gitCommit: string; how: string };
  topologies: { name: TopologyName; label: string; cis: number; dependencies: number; eligibleRoots: number; loadSeconds: number | null }[];
  rows: Row[];
}

/** How this run was started, as one would type it. */
function commandLine(): string {
  const args = process.argv.slice(2);
  return args.length ? `npm run eval:rca -- ${args.join(' ')}` : 'npm run eval:rca';
}

function log(line: string): void {
  process.stderr.write(`[eval-rca] ${line}\n`);
}

function fraction(args: Map<string, string | true>, name: string): number | undefined {
  const raw = stringArg(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value >= 1) throw new Error(`--${name} must be a number from 0 up to (not including) 1, got '${raw}'`);
  return value;
}

function settingsFrom(argv: string[]): Settings {
  const args = parseArgs(
    argv,
    ['smoke', 'in-process', 'reuse', 'no-docs', 'rca-storm', 'help'],
    ['cases', 'topologies', 'size', 'missing', 'noise', 'seed', 'out', 'weights', 'runs', 'warmup'],
  );
  if (args.has('help')) {
    process.stdout.write(
      'usage: npm run eval:rca -- [--cases N] [--topologies seeds,synthetic,shop,ticketing] [--size S|M] [--missing R] [--noise R]\n' +
        '                           [--seed N] [--out DIR] [--reuse] [--smoke] [--in-process] [--weights JSON] [--no-docs]\n' +
        '       npm run eval:rca -- --rca-storm [--size S|M|L] [--runs N] [--warmup N] [--reuse] [--no-docs]\n',
    );
    process.exit(0);
  }
  const smoke = args.has('smoke');
  const inProcess = args.has('in-process');
  const storm = args.has('rca-storm');
  const topologies = (stringArg(args, 'topologies') ?? TOPOLOGY_NAMES.join(','))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean) as TopologyName[];
  for (const t of topologies) if (!TOPOLOGY_NAMES.includes(t)) throw new Error(`--topologies: unknown '${t}'; expected some of ${TOPOLOGY_NAMES.join(', ')}`);
  const size = (stringArg(args, 'size') ?? (storm ? 'L' : 'S')).toUpperCase() as EnterpriseSize;
  if (storm ? !['S', 'M', 'L'].includes(size) : size !== 'S' && size !== 'M') {
    throw new Error(storm ? '--size must be S, M or L with --rca-storm' : '--size must be S or M (the simulation holds every blast radius in memory)');
  }
  if (storm && (inProcess || smoke)) throw new Error('--rca-storm runs through the API and has no smoke form');
  const missing = fraction(args, 'missing');
  const noise = fraction(args, 'noise');
  const levels = missing !== undefined || noise !== undefined ? [{ missing: missing ?? HEADLINE.missing, noise: noise ?? HEADLINE.noise }] : smoke ? [HEADLINE] : DEFAULT_LEVELS;
  let weights = DEFAULT_RCA_WEIGHTS;
  const weightsJson = stringArg(args, 'weights');
  if (weightsJson !== undefined) {
    if (!inProcess) throw new Error('--weights only applies with --in-process: the service ranks with DEFAULT_RCA_WEIGHTS');
    weights = { ...DEFAULT_RCA_WEIGHTS, ...(JSON.parse(weightsJson) as Partial<RcaWeights>) };
  }
  return {
    cases: intArg(args, 'cases', smoke ? 10 : 200, 1),
    topologies,
    levels,
    size,
    seed: intArg(args, 'seed', DEFAULT_SEED),
    outDir: resolve(stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results')),
    smoke,
    inProcess,
    reuse: args.has('reuse'),
    docs: !smoke && !inProcess && !args.has('no-docs') && weightsJson === undefined,
    weights,
    storm,
    runs: intArg(args, 'runs', 5),
    warmup: intArg(args, 'warmup', 1),
  };
}

const ROOT_CAUSE = `mutation EvalRootCause($alerts: [AlertInput!]!, $max: Int) {
  rootCause(alerts: $alerts, maxCandidates: $max) { alertCount unmatched { id key } candidates { key rank score } } }`;

interface Ranker {
  rank(graph: TopologyGraph, c: SimCase): Promise<{ keys: string[]; ms: number }>;
}

/** The smoke's sanity floor for AC@3 per topology (see the header). */
const SMOKE_AC3_FLOOR = 0.6;

const CORRELATE = `mutation EvalCorrelate($alerts: [AlertInput!]!) {
  correlateAlerts(alerts: $alerts) { unmatched { id } incidents { alerts { id } candidates { key } } } }`;

/**
 * Sends the cases' alerts as one storm to correlateAlerts (the service's worker, as deployed) and
 * checks that each alert comes back in exactly one incident. Returns a line for the log.
 */
async function checkCorrelation(client: GraphQLClient, topology: string, cases: readonly SimCase[]): Promise<string> {
  const alerts = cases.flatMap((c) => c.alerts);
  const { data, ms } = await client.request<{ correlateAlerts: { unmatched: { id: string }[]; incidents: { alerts: { id: string }[]; candidates: { key: string }[] }[] } }>(CORRELATE, { alerts });
  const { incidents, unmatched } = data.correlateAlerts;
  if (unmatched.length) throw new Error(`${topology}: correlateAlerts found no CI for ${unmatched.length} alerts: is the topology loaded?`);
  const returned = incidents.flatMap((i) => i.alerts.map((a) => a.id)).sort();
  const sent = alerts.map((a) => a.id).sort();
  if (returned.length !== sent.length || returned.some((id, i) => id !== sent[i])) {
    throw new Error(`${topology}: correlateAlerts returned ${returned.length} alerts for ${sent.length} sent: one was lost or given to two incidents`);
  }
  const causes = new Set(incidents.map((i) => i.candidates[0]?.key));
  const named = cases.filter((c) => causes.has(c.root)).length;
  return `${topology}: correlateAlerts put ${sent.length} alerts of ${cases.length} faults into ${incidents.length} incidents in ${ms.toFixed(0)} ms; ${named} of the faults named as an incident's probable cause`;
}

function apiRanker(client: GraphQLClient): Ranker {
  return {
    async rank(_graph, c) {
      const { data, ms } = await client.request<{ rootCause: { alertCount: number; unmatched: { key: string }[]; candidates: { key: string }[] } }>(ROOT_CAUSE, {
        alerts: c.alerts,
        max: MAX_CANDIDATES,
      });
      if (data.rootCause.unmatched.length) throw new Error(`case ${c.id}: the service does not know ${data.rootCause.unmatched.map((u) => u.key).join(', ')}: is the topology loaded?`);
      return { keys: data.rootCause.candidates.map((x) => x.key), ms };
    },
  };
}

function inProcessRanker(weights: RcaWeights): Ranker {
  return {
    async rank(graph, c) {
      const started = performance.now();
      const subgraph = graph.rcaSubgraph(
        c.alerts.map((a) => a.key),
        RCA_DEPTH,
      );
      const ranked = rankCandidates(
        subgraph,
        c.alerts.map((a) => ({ id: a.id, key: a.key, severity: a.severity, startsAt: Date.parse(a.startsAt) })),
        new Set(),
        weights,
      );
      return { keys: ranked.slice(0, MAX_CANDIDATES).map((x) => x.key), ms: performance.now() - started };
    },
  };
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function evaluate(settings: Settings, topology: EvalTopology, graph: TopologyGraph, topologyIndex: number, ranker: Ranker, headlineCases: SimCase[] = []): Promise<Row[]> {
  const eligible = eligibleRoots(graph);
  if (!eligible.length) throw new Error(`${topology.name}: no CI impacts two others`);
  const pickRng = new Rng(hashInts(settings.seed, topologyIndex, 0x7007));
  // The same faults at every level, so levels compare like for like.
  const roots = Array.from({ length: settings.cases }, () => eligible[Math.floor(pickRng.next() * eligible.length)]);
  const oracle = new RcaOracle(graph, eligible);
  const rows: Row[] = [];
  for (const [levelIndex, level] of settings.levels.entries()) {
    log(`${topology.name}: ${settings.cases} cases at missing ${level.missing}, noise ${level.noise}`);
    const ranks: (number | null)[] = [];
    const latencies: number[] = [];
    const misses: Miss[] = [];
    const byKind: Record<string, { cases: number; hits: number }> = {};
    let ambiguous = 0;
    let ambiguousMissed = 0;
    let oracle1 = 0;
    let oracle3 = 0;
    let rootHidden = 0;
    let alerts = 0;
    let impacted = 0;
    let noise = 0;
    for (const [i, root] of roots.entries()) {
      const rng = new Rng(hashInts(settings.seed, topologyIndex, levelIndex, i, 0xca5e));
      const c = simulateCase(graph, root, level, rng, { id: `${topology.name}-${levelIndex}-${i}`, baseMs: BASE_MS + i * 3_600_000 });
      if (level.missing === HEADLINE.missing && level.noise === HEADLINE.noise) headlineCases.push(c);
      const { keys, ms } = await ranker.rank(graph, c);
      latencies.push(ms);
      const best = oracle.credit(c, level);
      oracle1 += best.ac1;
      oracle3 += best.ac3;
      const position = keys.indexOf(root);
      const rank = position < 0 ? null : position + 1;
      ranks.push(rank);
      const kind = (byKind[c.rootKind] ??= { cases: 0, hits: 0 });
      kind.cases++;
      if (rank === 1) kind.hits++;
      if (c.ambiguous) {
        ambiguous++;
        if (rank !== 1) ambiguousMissed++;
      }
      if (c.rootHidden) rootHidden++;
      alerts += c.alerts.length;
      impacted += c.impacted;
      noise += c.noise;
      if (rank !== 1) {
        misses.push({ id: c.id, root, rootKind: c.rootKind, rank, top: keys.slice(0, 3), alerts: c.alerts.length, impacted: c.impacted, rootHidden: c.rootHidden, ambiguous: c.ambiguous });
      }
    }
    const n = ranks.length;
    const ac = [1, 2, 3, 4, 5].map((k) => ranks.filter((r) => r !== null && r <= k).length / n);
    rows.push({
      topology: topology.name,
      missing: level.missing,
      noise: level.noise,
      cases: n,
      ac: ac.map((x) => round(x)),
      avg5: round(ac.reduce((s, x) => s + x, 0) / ac.length),
      latency: summarize(latencies),
      oracle: { ac1: round(oracle1 / n), ac3: round(oracle3 / n) },
      ambiguous,
      ambiguousMissed,
      rootHidden,
      meanAlerts: round(alerts / n, 1),
      meanImpacted: round(impacted / n, 1),
      meanNoise: round(noise / n, 1),
      byKind: Object.fromEntries(
        Object.entries(byKind)
          .sort((a, b) => b[1].cases - a[1].cases)
          .map(([k, v]) => [k, { cases: v.cases, ac1: round(v.hits / v.cases) }]),
      ),
      misses,
    });
    const last = rows.at(-1)!;
    log(`  AC@1 ${last.ac[0]}  AC@3 ${last.ac[2]}  Avg@5 ${last.avg5}  (best possible ${last.oracle.ac1} / ${last.oracle.ac3})  p50 ${last.latency.medianMs.toFixed(1)} ms  ambiguous ${ambiguous} (${ambiguousMissed} not first)`);
  }
  return rows;
}

const fmt = (x: number) => x.toFixed(3);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function renderTable(result: EvalResult): string {
  const lines = [
    '| topology | CIs | missing / noise | cases | AC@1 | AC@3 | Avg@5 | best possible AC@1 / AC@3 | p50 ms | p99 ms | root hidden | ambiguous (not first) | alerts per case |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const cis = new Map(result.topologies.map((t) => [t.name, t.cis]));
  for (const r of result.rows) {
    const headline = r.missing === HEADLINE.missing && r.noise === HEADLINE.noise;
    const level = `${r.missing} / ${r.noise}`;
    lines.push(
      `| ${r.topology} | ${cis.get(r.topology)!.toLocaleString('en-US')} | ${headline ? `**${level}**` : level} | ${r.cases} | ${fmt(r.ac[0])} | ${fmt(r.ac[2])} | ${fmt(r.avg5)} | ${fmt(r.oracle.ac1)} / ${fmt(r.oracle.ac3)} | ${ms(r.latency.medianMs)} | ${ms(r.latency.p99Ms)} | ${r.rootHidden} | ${r.ambiguous} (${r.ambiguousMissed}) | ${r.meanAlerts} |`,
    );
  }
  return lines.join('\n');
}

function renderReport(result: EvalResult): string {
  const s = result.settings;
  const how = s.inProcess ? 'ranked in-process with the engine (no Neo4j, no service; latency is the engine alone)' : `asked through the GraphQL API (${result.machine.how})`;
  return [
    `## Root-cause accuracy${s.smoke ? ' (smoke)' : ''}`,
    '',
    `${s.cases} simulated faults per topology and level (seed ${s.seed}), ${how}; \`rootCause(maxCandidates: ${MAX_CANDIDATES})\`. ` +
      `Command: \`${result.command}\`, ${result.startedAt}, commit ${result.machine.gitCommit}, ${result.machine.cores} cores.`,
    '',
    renderTable(result),
    '',
    'Topologies: ' + result.topologies.map((t) => `${t.name} = ${t.label}, ${t.cis.toLocaleString('en-US')} CIs, ${t.dependencies.toLocaleString('en-US')} dependencies, ${t.eligibleRoots} possible roots`).join('; ') + '.',
    '',
  ].join('\n');
}

function writeDocs(result: EvalResult): void {
  const body = renderReport(result).replace(/^## .*\n\n/, '');
  replaceBlock(join(repoRoot(), 'docs', 'root-cause.md'), DOCS_BEGIN, DOCS_END, body);
}

const STORM_BEGIN = '<!-- rca-storm:begin -->';
const STORM_END = '<!-- rca-storm:end -->';

interface StormResult {
  suite: 'svcmap-rca-storm';
  version: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  size: EnterpriseSize;
  machine: EvalResult['machine'];
  graph: { cis: number; dependencies: number };
  load: { seconds: number; created: number; unchanged: number } | { skippedBecause: string };
  storm: typeof DEFAULT_STORM;
  rootCause: LatencySummary;
  correlateAlerts: LatencySummary;
  runs: StormRun[];
}

function replaceBlock(file: string, begin: string, end: string, body: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    log(`no ${relative(process.cwd(), file)}: nothing written there`);
    return;
  }
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    log(`${relative(process.cwd(), file)} has no ${begin} ... ${end} markers: nothing written there`);
    return;
  }
  writeFileSync(file, `${text.slice(0, from + begin.length)}\n${body}${text.slice(to)}`);
  log(`wrote ${relative(process.cwd(), file)}`);
}

function renderStorm(result: StormResult): string {
  const lines = [
    `Storms of ${result.storm.size.toLocaleString('en-US')} alerts on the synthetic enterprise, size ${result.size} (${result.graph.cis.toLocaleString('en-US')} CIs, ${result.graph.dependencies.toLocaleString('en-US')} dependencies): ` +
      `faults that impact ${result.storm.minImpacted} to ${result.storm.maxImpacted} CIs each, ${result.storm.missing * 100}% of their alerts hidden, ${result.storm.noiseShare * 100}% of the storm noise. ` +
      `Command: \`${result.command}\`, ${result.startedAt}, commit ${result.machine.gitCommit}, ${result.machine.cores} cores; ${result.machine.how}.`,
    '',
    '| operation | runs | p50 ms | p99 ms | min ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| rootCause (1,000 alerts, 10 candidates) | ${result.rootCause.runs} | ${ms(result.rootCause.medianMs)} | ${ms(result.rootCause.p99Ms)} | ${ms(result.rootCause.minMs)} | ${ms(result.rootCause.maxMs)} |`,
    `| correlateAlerts (1,000 alerts) | ${result.correlateAlerts.runs} | ${ms(result.correlateAlerts.medianMs)} | ${ms(result.correlateAlerts.p99Ms)} | ${ms(result.correlateAlerts.minMs)} | ${ms(result.correlateAlerts.maxMs)} |`,
    '',
    '| run | faults | rootCause ms | of which Neo4j | correlateAlerts ms | of which Neo4j | subgraph (in-process) | engine: rank / correlate ms | faults in top 10 | faults named as an incident cause | incidents | slowest /health/live during correlateAlerts |',
    '| ---: | ---: | ---: | --- | ---: | --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  const neo = (rows: TimeSpent[]) => rows.map((r) => `${r.name.replace(/^neo4j /, '').replace(/ \(READ\)$/, '')} ${r.count}× ${ms(r.totalSeconds * 1000)}`).join(', ') || '-';
  for (const r of result.runs) {
    const p = r.inProcess;
    lines.push(
      `| ${r.run} | ${r.faults} | ${ms(r.rootCauseMs)} | ${neo(r.rootCauseNeo4j)} | ${ms(r.correlateMs)} | ${neo(r.correlateNeo4j)} | ` +
        `${p ? `${p.subgraphNodes.toLocaleString('en-US')} CIs, ${p.subgraphEdges.toLocaleString('en-US')} edges` : '-'} | ${p ? `${ms(p.rankMs)} / ${ms(p.correlateMs)}` : '-'} | ` +
        `${r.faultsInTop10} | ${r.faultsAsIncidentCause} of ${r.faults} | ${r.incidents} | ${r.liveMaxMs === null || r.liveMaxMs === undefined ? '-' : `${ms(r.liveMaxMs)} ms`} |`,
    );
  }
  const load = 'seconds' in result.load ? `Loaded through the API in ${result.load.seconds.toFixed(0)} s.` : `Not loaded: ${result.load.skippedBecause}.`;
  return `${lines.join('\n')}\n\n${load}\n`;
}

async function stormMain(settings: Settings): Promise<void> {
  const startedAt = new Date();
  const size = settings.size;
  log(`generating size ${size}`);
  const enterprise = generateEnterprise({ size });
  const graph = new TopologyGraph(enterprise.cis, enterprise.dependencies);
  const large = size === 'L';
  const stack = await startBenchStack({
    name: `rca-storm-${size.toLowerCase()}`,
    fresh: !settings.reuse,
    heap: process.env.SVCMAP_NEO4J_HEAP || (large ? '4g' : '2g'),
    pageCache: process.env.SVCMAP_NEO4J_PAGECACHE || (large ? '4g' : '1g'),
    log,
  });
  try {
    const { data } = await stack.client.request<{ cis: { totalCount: number } }>('{ cis(first: 0) { totalCount } }');
    let load: StormResult['load'];
    if (data.cis.totalCount >= enterprise.cis.length) {
      load = { skippedBecause: `the reused database already held ${data.cis.totalCount.toLocaleString('en-US')} CIs` };
      log(load.skippedBecause);
    } else {
      // Through the sync API: one full sync, a minute at L where the editing API takes over ten.
      log(`loading ${enterprise.cis.length} CIs and ${enterprise.dependencies.length} dependencies through the sync API`);
      const result = await loadThroughApi(stack.client, batches(enterprise, BATCH_SIZE), 'sync');
      load = { seconds: result.seconds, created: result.created, unchanged: result.unchanged };
      log(`loaded in ${result.seconds.toFixed(0)} s`);
    }
    const runs: StormRun[] = [];
    for (let run = 0; run < settings.warmup + settings.runs; run++) {
      const storm = buildStorm(graph, new Rng(hashInts(settings.seed, run, 0x5707)), `storm${run}`);
      log(`storm ${run}${run < settings.warmup ? ' (warm-up)' : ''}: ${storm.faults.length} faults, ${storm.noise} noise alerts`);
      const measured = await measureStorm(stack.client, graph, storm, run, { inProcess: true, depth: RCA_DEPTH });
      log(`  rootCause ${measured.rootCauseMs.toFixed(0)} ms, correlateAlerts ${measured.correlateMs.toFixed(0)} ms; in-process ${JSON.stringify(measured.inProcess)}`);
      if (run >= settings.warmup) runs.push(measured);
    }
    const result: StormResult = {
      suite: 'svcmap-rca-storm',
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: commandLine(),
      size,
      machine: {
        cores: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        gitCommit: gitCommit(),
        how: stack.embedded ? 'embedded Neo4j, service as a child process' : 'Neo4j from NEO4J_URI, service as a child process',
      },
      graph: { cis: enterprise.cis.length, dependencies: graph.dependencyCount },
      load,
      storm: DEFAULT_STORM,
      rootCause: summarize(runs.map((r) => r.rootCauseMs)),
      correlateAlerts: summarize(runs.map((r) => r.correlateMs)),
      runs,
    };
    const report = renderStorm(result);
    process.stdout.write(`\n${report}\n`);
    mkdirSync(settings.outDir, { recursive: true });
    const stamp = result.startedAt.replace(/[:.]/g, '-');
    const tag = `rca-storm-${size.toLowerCase()}`;
    writeFileSync(join(settings.outDir, `${tag}-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(join(settings.outDir, `latest-${tag}.md`), report);
    log(`wrote ${relative(process.cwd(), join(settings.outDir, `${tag}-${stamp}.json`))}`);
    if (settings.docs && runs.length) replaceBlock(join(repoRoot(), 'docs', 'root-cause.md'), STORM_BEGIN, STORM_END, report);
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  if (settings.storm) return stormMain(settings);
  const startedAt = new Date();
  const topologies = settings.topologies.map((name) => {
    const started = performance.now();
    const topology = loadTopology(name, { size: settings.size });
    const graph = TopologyGraph.of(topology);
    log(`${name}: ${topology.cis.length} CIs, ${graph.dependencyCount} dependencies (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return { topology, graph };
  });

  let stack: BenchStack | undefined;
  const loadSeconds = new Map<TopologyName, number>();
  try {
    let ranker: Ranker;
    let how = 'in-process';
    if (settings.inProcess) {
      ranker = inProcessRanker(settings.weights);
    } else {
      const large = settings.topologies.includes('synthetic') && settings.size === 'M';
      stack = await startBenchStack({
        name: settings.smoke ? 'eval-rca-smoke' : 'eval-rca',
        fresh: !settings.reuse,
        heap: process.env.SVCMAP_NEO4J_HEAP || (large ? '2g' : '1g'),
        pageCache: process.env.SVCMAP_NEO4J_PAGECACHE || (large ? '1g' : '512m'),
        log,
      });
      how = stack.embedded ? `embedded Neo4j${stack.embedded.reused ? ' (reused)' : ''}, service as a child process` : 'Neo4j from NEO4J_URI, service as a child process';
      for (const { topology } of topologies) {
        const load = await loadThroughApi(stack.client, topologyBatches(topology, BATCH_SIZE), 'upsert');
        loadSeconds.set(topology.name, load.seconds);
        log(`${topology.name}: loaded through the API in ${load.seconds.toFixed(1)} s (${load.created} created, ${load.unchanged} unchanged)`);
      }
      ranker = apiRanker(stack.client);
    }

    const rows: Row[] = [];
    const correlation: string[] = [];
    for (const { topology, graph } of topologies) {
      const headlineCases: SimCase[] = [];
      rows.push(...(await evaluate(settings, topology, graph, TOPOLOGY_NAMES.indexOf(topology.name), ranker, headlineCases)));
      if (settings.smoke && stack && headlineCases.length) correlation.push(await checkCorrelation(stack.client, topology.name, headlineCases));
    }
    correlation.forEach(log);

    const { weights, ...rest } = settings;
    const result: EvalResult = {
      suite: 'svcmap-eval-rca',
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: commandLine(),
      settings: { ...rest, weights: weights === DEFAULT_RCA_WEIGHTS ? 'DEFAULT_RCA_WEIGHTS' : weights, timing: SIM_TIMING, maxCandidates: MAX_CANDIDATES },
      machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, gitCommit: gitCommit(), how },
      topologies: topologies.map(({ topology, graph }) => ({
        name: topology.name,
        label: topology.label,
        cis: topology.cis.length,
        dependencies: graph.dependencyCount,
        eligibleRoots: eligibleRoots(graph).length,
        loadSeconds: loadSeconds.get(topology.name) ?? null,
      })),
      rows,
    };
    const report = renderReport(result);
    process.stdout.write(`\n${report}\n`);
    mkdirSync(settings.outDir, { recursive: true });
    const tag = settings.smoke ? 'rca-smoke' : settings.inProcess ? 'rca-in-process' : 'rca';
    const stamp = result.startedAt.replace(/[:.]/g, '-');
    const jsonFile = join(settings.outDir, `${tag}-${stamp}.json`);
    const markdownFile = join(settings.outDir, `latest-${tag}.md`);
    writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(markdownFile, report);
    log(`wrote ${relative(process.cwd(), jsonFile)} and ${relative(process.cwd(), markdownFile)}`);
    if (settings.docs) writeDocs(result);
    const broken = settings.smoke ? rows.filter((r) => r.ac[2] < SMOKE_AC3_FLOOR) : [];
    if (broken.length) {
      throw new Error(`AC@3 below the smoke's floor of ${SMOKE_AC3_FLOOR}: ${broken.map((r) => `${r.topology} ${r.ac[2]}`).join(', ')}; the ranking is broken`);
    }
  } finally {
    await stack?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
