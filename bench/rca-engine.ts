/**
 * The root-cause engine alone, in-process, on the input the service hands it
 * for an alert storm: no Neo4j, no HTTP, so the engine's own share of the
 * rootCause / correlateAlerts latency is measured (and profiled) by itself.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/rca-engine.js [--size L] [--seed 42] [--storm 0]
 *        [--runs 5] [--warmup 1] [--depth 10] [--out bench/results] [--dump FILE] [--only rank|correlate]
 *
 * Builds the synthetic enterprise in memory (generateEnterprise), a storm of
 * 1,000 alerts the way the storm benchmark does (bench/rca-storm.ts, the same
 * seed per storm as `npm run eval:rca -- --rca-storm`), and the subgraph the
 * way src/root-cause/root-cause.repository.ts fetches it (TopologyGraph.rcaSubgraph:
 * alerting CIs and their providers within `depth` hops, dependentCount over
 * the whole graph). Then times rankCandidates (its first 50, as the service asks) and correlate, each on a fresh
 * copy of the subgraph (the service gets a new one per request, so the
 * per-subgraph preparation is part of the cost), and reports medians.
 *
 * --dump writes everything a caller can see of both answers as JSON, and the
 * report carries its SHA-1: two versions of the engine give the same answers
 * when the digests match (the check behind "same results, only faster").
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { AlertGroup, DEFAULT_RCA_WEIGHTS, PackedSubgraph, RankedCandidate, RcaAlert, RcaSubgraph, groupAlerts, groupRanker, packSubgraph, rankCandidates } from '../src/root-cause/root-cause-engine';
import { EnterpriseSize, generateEnterprise } from '../src/synthetic/enterprise-generator';
import { Rng, hashInts } from '../src/synthetic/random';
import { repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { buildStorm } from './rca-storm';
import { TopologyGraph } from './rca-sim';
import { gitCommit } from './service-process';
import { summarize } from './stats';

function log(line: string): void {
  process.stderr.write(`[rca-engine] ${line}\n`);
}

/** What a caller sees of a candidate; evidence only for the first ones (it is built lazily, and a walk each). */
function candidateView(c: RankedCandidate, withEvidence: boolean) {
  return withEvidence ? { key: c.key, score: c.score, rank: c.rank, evidence: { ...c.evidence } } : [c.key, c.score, c.rank];
}

/** Evidence is read for this many candidates of the full ranking, and of each group (as many as the service shows per incident). */
const EVIDENCE_FOR = 100;
/** As many candidates as the service's rootCause asks the engine for at most: 10 to answer, 50 to look up changes for. */
const SERVICE_TOP = 50;
const GROUP_EVIDENCE_FOR = 3;

function answers(ranked: RankedCandidate[], groups: AlertGroup[]) {
  return {
    ranked: ranked.map((c, i) => candidateView(c, i < EVIDENCE_FOR)),
    groups: groups.map((g) => ({
      alerts: g.alerts.map((a) => a.id),
      candidates: g.candidates.map((c, i) => candidateView(c, i < GROUP_EVIDENCE_FOR)),
    })),
  };
}

/** The subgraph in the form the service's repository gives the engine: packed, in key order (packedSubgraphOf). */
function servedForm(subgraph: RcaSubgraph): PackedSubgraph {
  const nodes = [...subgraph.nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const place = new Map(nodes.map((node, i) => [node.key, i]));
  const edges = [...subgraph.edges].sort((a, b) => place.get(a.from)! - place.get(b.from)!);
  return packSubgraph({ nodes, edges });
}

/**
 * The storm and its subgraph, built in a function of its own: the 100,000-CI enterprise is
 * garbage once it returns, as in the service's worker, which never holds the graph (a heap of a
 * quarter GB made every full collection in the timed runs several times slower).
 */
function buildInput(size: EnterpriseSize, seed: number, stormIndex: number, depth: number) {
  let t = performance.now();
  const enterprise = generateEnterprise({ size, seed });
  const graph = new TopologyGraph(enterprise.cis, enterprise.dependencies);
  log(`size ${size}, seed ${seed}: ${graph.keys.length} CIs, ${graph.dependencyCount} dependencies (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  // The same storm as run `stormIndex` of the storm benchmark (bench/eval-rca.ts, stormMain).
  const storm = buildStorm(graph, new Rng(hashInts(seed, stormIndex, 0x5707)), `storm${stormIndex}`);
  const alerts: RcaAlert[] = storm.alerts.map((a) => ({ id: a.id, key: a.key, severity: a.severity, startsAt: Date.parse(a.startsAt) }));
  t = performance.now();
  const subgraph: RcaSubgraph = graph.rcaSubgraph(
    alerts.map((a) => a.key),
    depth,
  );
  const subgraphMs = performance.now() - t;
  log(`storm ${stormIndex}: ${alerts.length} alerts, ${storm.faults.length} faults, ${storm.noise} noise; subgraph ${subgraph.nodes.length} CIs, ${subgraph.edges.length} edges (${subgraphMs.toFixed(0)} ms)`);
  return {
    alerts,
    // As the repository hands it over: packed, CIs in key order, dependencies by consumer in that order.
    packed: servedForm(subgraph),
    subgraphMs,
    cis: graph.keys.length,
    faults: storm.faults.length,
    noise: storm.noise,
    roots: new Set(storm.faults.map((f) => f.root)),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), [], ['size', 'seed', 'storm', 'runs', 'warmup', 'depth', 'out', 'dump', 'only']);
  const size = (stringArg(args, 'size') ?? 'L').toUpperCase() as EnterpriseSize;
  if (!['S', 'M', 'L', 'XL'].includes(size)) throw new Error('--size must be S, M, L or XL');
  const seed = intArg(args, 'seed', 42);
  const stormIndex = intArg(args, 'storm', 0);
  const runs = intArg(args, 'runs', 5, 1);
  const warmup = intArg(args, 'warmup', 1);
  const depth = intArg(args, 'depth', 10, 1);
  const only = stringArg(args, 'only');
  if (only && only !== 'rank' && only !== 'correlate') throw new Error('--only must be rank or correlate');
  const outDir = stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results');
  const startedAt = new Date();

  const input = buildInput(size, seed, stormIndex, depth);
  const { alerts, packed, roots } = input;
  const subgraph = { nodes: packed.keys.length, edges: packed.from.length };

  // A new object per call: the engine caches its preparation per subgraph object, and the service builds a new one per request.
  const fresh = (): PackedSubgraph => ({ ...packed });
  const rankMs: number[] = [];
  const correlateMs: number[] = [];
  const groupingMs: number[] = [];
  const groupRankingMs: number[] = [];
  let leadersFirst = 0;
  let ranked: RankedCandidate[] = [];
  let groups: AlertGroup[] = [];
  for (let run = 0; run < warmup + runs; run++) {
    const measured = run >= warmup;
    if (only !== 'correlate') {
      const start = performance.now();
      ranked = rankCandidates(fresh(), alerts, new Set(), DEFAULT_RCA_WEIGHTS, SERVICE_TOP);
      const ms = performance.now() - start;
      if (measured) rankMs.push(ms);
      log(`run ${run}${measured ? '' : ' (warm-up)'}: rankCandidates ${ms.toFixed(1)} ms, first ${ranked.length} candidates`);
    }
    if (only !== 'rank') {
      // correlate is groupAlerts, then rankGroup per group: timed apart, to say where its time goes.
      const start = performance.now();
      const served = fresh();
      const grouped = groupAlerts(served, alerts, new Set(), DEFAULT_RCA_WEIGHTS);
      const split = performance.now();
      const rank = groupRanker(served, grouped.map((group) => group.alerts), new Set(), DEFAULT_RCA_WEIGHTS, GROUP_EVIDENCE_FOR);
      groups = grouped.map((group, i) => ({ alerts: group.alerts, candidates: rank(i) }));
      // The service starts pricing's walk from the leaders before the groups are ranked: how often a leader is the cause.
      leadersFirst = grouped.filter((g, i) => g.leader === groups[i].candidates[0]?.key).length;
      const ms = performance.now() - start;
      if (measured) {
        correlateMs.push(ms);
        groupingMs.push(split - start);
        groupRankingMs.push(ms - (split - start));
      }
      log(`run ${run}${measured ? '' : ' (warm-up)'}: correlate ${ms.toFixed(1)} ms (grouping ${(split - start).toFixed(1)} ms, then ranking each group), ${groups.length} groups`);
    }
  }

  // The whole ranking for the digest, untimed: every candidate's place, not just the ones the service returns.
  if (only !== 'correlate') {
    const whole = rankCandidates(fresh(), alerts);
    const prefix = (list: RankedCandidate[]) => JSON.stringify(list.slice(0, SERVICE_TOP).map((c) => candidateView(c, true)));
    if (prefix(ranked) !== prefix(whole)) throw new Error(`the first ${SERVICE_TOP} candidates differ from the whole ranking's`);
    ranked = whole;
  }
  const seen = JSON.stringify(answers(ranked, groups));
  const digest = createHash('sha1').update(seen).digest('hex');
  const dump = stringArg(args, 'dump');
  if (dump) writeFileSync(dump, seen);
  const result = {
    suite: 'svcmap-rca-engine',
    version: 1,
    startedAt: startedAt.toISOString(),
    command: `node dist/bench/rca-engine.js ${process.argv.slice(2).join(' ')}`.trim(),
    settings: { size, seed, storm: stormIndex, runs, warmup, depth, only: only ?? null },
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, gitCommit: gitCommit(), loadAverage: os.loadavg() },
    input: { cis: input.cis, alerts: alerts.length, faults: input.faults, noise: input.noise, subgraphNodes: subgraph.nodes, subgraphEdges: subgraph.edges, subgraphMs: input.subgraphMs },
    rankCandidates: only === 'correlate' ? null : { ...summarize(rankMs), samplesMs: rankMs, candidates: ranked.length, returned: SERVICE_TOP, faultsInTop10: ranked.slice(0, 10).filter((c) => roots.has(c.key)).length },
    correlate: only === 'rank' ? null : { ...summarize(correlateMs), samplesMs: correlateMs, grouping: summarize(groupingMs), groupRanking: summarize(groupRankingMs), groups: groups.length, leadersFirst, faultsAsGroupCause: new Set(groups.map((g) => g.candidates[0]?.key).filter((k) => roots.has(k))).size },
    answersSha1: digest,
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `rca-engine-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const fmt = (s: { medianMs: number; minMs: number; maxMs: number } | null) => (s ? `median ${s.medianMs.toFixed(1)} ms (min ${s.minMs.toFixed(1)}, max ${s.maxMs.toFixed(1)})` : 'skipped');
  process.stdout.write(
    `rca-engine, size ${size}, storm ${stormIndex}: ${alerts.length} alerts over a subgraph of ${subgraph.nodes} CIs and ${subgraph.edges} edges\n` +
      `  rankCandidates: ${fmt(result.rankCandidates)}\n` +
      `  correlate:      ${fmt(result.correlate)}${result.correlate ? `, ${result.correlate.groups} groups (${result.correlate.leadersFirst} led by their first candidate); grouping alone ${fmt(result.correlate.grouping)}, ranking the groups ${fmt(result.correlate.groupRanking)}` : ''}\n` +
      `  answers sha1:   ${digest}\n` +
      `  saved ${file}\n`,
  );
}

main();
