/**
 * Simulated faults for the root-cause evaluation (bench/eval-rca.ts) and the
 * alert-storm benchmark (bench/rca-storm.ts): the topologies, the full graph
 * held in memory, what a fault impacts (the impact engine, in-process), and
 * the alerts a monitoring system would raise for it, with missing and
 * spurious ones. Plain data and plain functions: no Neo4j, no service.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImpactEdge, ImpactNode, ImpactResult, ImpactSubgraph, propagateImpact } from '../src/impact/impact-engine';
import { RcaSubgraph, Severity } from '../src/root-cause/root-cause-engine';
import { CiSpec, DepSpec, EnterpriseBatch, EnterpriseSize, generateEnterprise } from '../src/synthetic/enterprise-generator';
import { Rng } from '../src/synthetic/random';
import { parseTopologyFile } from '../src/topology-as-code/topology-file';
import { repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';

// ---------------------------------------------------------------------------------------------------
// Topologies
// ---------------------------------------------------------------------------------------------------

export type TopologyName = 'seeds' | 'synthetic' | 'shop' | 'ticketing';
export const TOPOLOGY_NAMES: readonly TopologyName[] = ['seeds', 'synthetic', 'shop', 'ticketing'];

/** A topology as the API takes it (CIInput / DependencyInput shapes), keys already unique to it. */
export interface EvalTopology {
  name: TopologyName;
  /** What it is, for reports. */
  label: string;
  cis: CiSpec[];
  dependencies: DepSpec[];
}

/**
 * Puts the topology's tag right after a key's layer prefix (`svc:x` becomes
 * `svc:demo/x`), so topologies whose files reuse the same keys can share one
 * database, and keys keep their layer prefix.
 */
export function tagKey(key: string, tag: string): string {
  const colon = key.indexOf(':');
  return colon > 0 ? `${key.slice(0, colon + 1)}${tag}/${key.slice(colon + 1)}` : `${tag}/${key}`;
}

function fromFile(name: TopologyName, label: string, file: string, tag?: string): EvalTopology {
  const path = join(repoRoot(), file);
  const doc = parseTopologyFile(readFileSync(path, 'utf8'), file);
  const rename = (key: string) => (tag ? tagKey(key, tag) : key);
  return {
    name,
    label,
    cis: doc.cis.map((c) => ({ ...(c as unknown as CiSpec), key: rename(c.key) })),
    dependencies: doc.dependencies.map((d) => ({ ...(d as unknown as DepSpec), from: rename(d.from), to: rename(d.to) })),
  };
}

/** Loads one of the evaluation topologies; the synthetic enterprise at `size` (S by default) and `seed`. */
export function loadTopology(name: TopologyName, options: { size?: EnterpriseSize; seed?: number } = {}): EvalTopology {
  switch (name) {
    case 'seeds':
      return fromFile(name, 'demo enterprise (seeds/demo-enterprise.yaml)', 'seeds/demo-enterprise.yaml', 'demo');
    case 'shop':
      return fromFile(name, 'online shop (seeds/benchmarks/online-shop.yaml)', 'seeds/benchmarks/online-shop.yaml');
    case 'ticketing':
      return fromFile(name, 'train ticketing (seeds/benchmarks/ticketing.yaml)', 'seeds/benchmarks/ticketing.yaml');
    case 'synthetic': {
      const size = options.size ?? 'S';
      const tag = `syn-${size.toLowerCase()}`;
      const enterprise = generateEnterprise({ size, seed: options.seed });
      return {
        name,
        label: `synthetic enterprise, size ${size} (generateEnterprise, seed ${options.seed ?? 42})`,
        cis: enterprise.cis.map((c) => ({ ...c, key: tagKey(c.key, tag) })),
        dependencies: enterprise.dependencies.map((d) => ({ ...d, from: tagKey(d.from, tag), to: tagKey(d.to, tag) })),
      };
    }
  }
}

/** Write batches for bench/loader.ts: CIs first, then dependencies. */
export function* topologyBatches(topology: EvalTopology, batchSize: number): Generator<EnterpriseBatch> {
  for (let i = 0; i < topology.cis.length; i += batchSize) yield { cis: topology.cis.slice(i, i + batchSize), dependencies: [] };
  for (let i = 0; i < topology.dependencies.length; i += batchSize) yield { cis: [], dependencies: topology.dependencies.slice(i, i + batchSize) };
}

// ---------------------------------------------------------------------------------------------------
// The whole graph in memory
// ---------------------------------------------------------------------------------------------------

interface Link {
  key: string;
  strength: 'HARD' | 'SOFT';
}

/**
 * A topology as the database holds it: one DEPENDS_ON per (consumer,
 * provider) pair (a later write of the same pair wins), HARD unless SOFT.
 */
export class TopologyGraph {
  readonly keys: string[];
  readonly kind = new Map<string, string>();
  private readonly minHealthy = new Map<string, number | null>();
  readonly providers = new Map<string, Link[]>();
  readonly consumers = new Map<string, Link[]>();

  constructor(cis: readonly { key: string; kind: string; minHealthy?: number | null }[], dependencies: readonly { from: string; to: string; strength?: string | null }[]) {
    for (const ci of cis) {
      this.kind.set(ci.key, String(ci.kind).toUpperCase());
      this.minHealthy.set(ci.key, ci.minHealthy ?? null);
    }
    this.keys = [...this.kind.keys()];
    const pairs = new Map<string, { from: string; to: string; strength: 'HARD' | 'SOFT' }>();
    for (const d of dependencies) {
      if (!this.kind.has(d.from) || !this.kind.has(d.to)) throw new Error(`dependency ${d.from} -> ${d.to} names an unknown CI`);
      pairs.set(`${d.from}\u0000${d.to}`, { from: d.from, to: d.to, strength: String(d.strength ?? 'HARD').toUpperCase() === 'SOFT' ? 'SOFT' : 'HARD' });
    }
    for (const key of this.keys) {
      this.providers.set(key, []);
      this.consumers.set(key, []);
    }
    for (const { from, to, strength } of pairs.values()) {
      this.providers.get(from)!.push({ key: to, strength });
      this.consumers.get(to)!.push({ key: from, strength });
    }
  }

  static of(topology: EvalTopology): TopologyGraph {
    return new TopologyGraph(topology.cis, topology.dependencies);
  }

  get dependencyCount(): number {
    let total = 0;
    for (const list of this.providers.values()) total += list.length;
    return total;
  }

  /** The CI and everything that transitively depends on it, nearest first. */
  dependentsClosure(key: string): string[] {
    const seen = new Set([key]);
    const order = [key];
    for (let head = 0; head < order.length; head++) {
      for (const c of this.consumers.get(order[head])!) {
        if (!seen.has(c.key)) {
          seen.add(c.key);
          order.push(c.key);
        }
      }
    }
    return order;
  }

  /**
   * The impact subgraph of a failure, built the way src/impact/impact.repository.ts
   * fetches it: the failed CIs and every CI that transitively depends on one
   * of them, each with all its dependencies counted, and the dependencies
   * between CIs of the set.
   */
  impactSubgraph(failed: readonly string[]): ImpactSubgraph {
    const inSet = new Set<string>();
    for (const key of failed) for (const k of this.dependentsClosure(key)) inSet.add(k);
    const nodes: ImpactNode[] = [];
    const edges: ImpactEdge[] = [];
    for (const key of inSet) {
      const providers = this.providers.get(key)!;
      const group = this.kind.get(key) === 'REDUNDANCY_GROUP';
      nodes.push({ key, minHealthy: group ? (this.minHealthy.get(key) ?? 1) : null, dependencyCount: providers.length });
      for (const p of providers) if (inSet.has(p.key)) edges.push({ from: key, to: p.key, strength: p.strength });
    }
    return { nodes, edges };
  }

  impact(failed: readonly string[]): ImpactResult {
    return propagateImpact(this.impactSubgraph(failed), failed);
  }

  /**
   * The subgraph root cause ranks on, built the way src/root-cause/root-cause.repository.ts
   * fetches it: the alerting CIs and everything they depend on within `depth`
   * hops, each with its number of direct dependents in the whole graph, a
   * group's minHealthy and member count, and each dependency's strength.
   */
  rcaSubgraph(alertingKeys: Iterable<string>, depth: number): RcaSubgraph {
    const distance = new Map<string, number>();
    const queue: string[] = [];
    for (const key of alertingKeys) {
      if (this.kind.has(key) && !distance.has(key)) {
        distance.set(key, 0);
        queue.push(key);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const d = distance.get(queue[head])!;
      if (d >= depth) continue;
      for (const p of this.providers.get(queue[head])!) {
        if (!distance.has(p.key)) {
          distance.set(p.key, d + 1);
          queue.push(p.key);
        }
      }
    }
    const subgraph: RcaSubgraph = { nodes: [], edges: [] };
    for (const key of distance.keys()) {
      const providers = this.providers.get(key)!;
      const group = this.kind.get(key) === 'REDUNDANCY_GROUP';
      subgraph.nodes.push({
        key,
        kind: this.kind.get(key)!,
        dependentCount: this.consumers.get(key)!.length,
        minHealthy: group ? (this.minHealthy.get(key) ?? 1) : null,
        dependencyCount: providers.length,
      });
      for (const p of providers) if (distance.has(p.key)) subgraph.edges.push({ from: key, to: p.key, strength: p.strength });
    }
    return subgraph;
  }
}

// ---------------------------------------------------------------------------------------------------
// Faults and their alerts
// ---------------------------------------------------------------------------------------------------

/** An alert in the shape of the GraphQL AlertInput. */
export interface SimAlert {
  id: string;
  key: string;
  severity: Severity;
  /** ISO 8601. */
  startsAt: string;
  summary: string;
}

export interface NoiseLevel {
  /** Share of the impacted CIs whose alert is hidden (independently, the root's too). */
  missing: number;
  /** Spurious alerts on CIs the fault does not impact, as a share of the fault's visible alerts (at most that share of the CIs it spared). */
  noise: number;
}

/** How alerts are timed: onset grows with the distance from the failure, plus detection jitter. */
export const SIM_TIMING = {
  /** Delay per hop from the failed CI. */
  stepMs: 60_000,
  /** Detection jitter, uniform in [0, jitterMs): larger than a step, so onsets sometimes cross. */
  jitterMs: 90_000,
} as const;

export interface SimCase {
  id: string;
  root: string;
  rootKind: string;
  /** Impacted CIs, the root included. */
  impacted: number;
  alerts: SimAlert[];
  /** Alerts of the fault that were hidden. */
  hidden: number;
  noise: number;
  rootHidden: boolean;
  /**
   * The root's alert is hidden and it has exactly one dependent, which is
   * alerting: that dependent failing on its own would raise the same alerts,
   * so no ranking can tell the two apart.
   */
  ambiguous: boolean;
}

/** CIs whose failure impacts at least `minImpacted` other CIs, in graph order. */
export function eligibleRoots(graph: TopologyGraph, minImpacted = 2): string[] {
  // Impact reaches every CI that transitively depends on the failure (at least DEGRADED), so the closure is the blast radius.
  return graph.keys.filter((key) => graph.dependentsClosure(key).length - 1 >= minImpacted);
}

const SEVERITIES: readonly Severity[] = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFO'];

/**
 * The alerts for `root` failing: one per impacted CI (DOWN: CRITICAL or
 * MAJOR, DEGRADED: MINOR or WARNING), starting `stepMs` later per hop plus
 * jitter; each hidden with probability `missing` (if that hides all of them,
 * one comes back); then noise on CIs the fault does not impact, about
 * `noise` times the visible alerts but at most `noise` times the CIs it
 * spared (stochastically rounded), any severity, any time during the incident.
 */
export function simulateCase(graph: TopologyGraph, root: string, level: NoiseLevel, rng: Rng, options: { id: string; baseMs: number }): SimCase {
  const { impacted } = graph.impact([root]);
  const { stepMs, jitterMs } = SIM_TIMING;
  const raised = impacted.map((ci) => ({
    key: ci.key,
    severity: (ci.state === 'DOWN' ? (rng.chance(0.5) ? 'CRITICAL' : 'MAJOR') : rng.chance(0.5) ? 'MINOR' : 'WARNING') as Severity,
    startsAt: options.baseMs + ci.distance * stepMs + Math.floor(rng.next() * jitterMs),
    state: ci.state,
    hidden: rng.chance(level.missing),
  }));
  if (raised.every((a) => a.hidden)) raised[Math.floor(rng.next() * raised.length)].hidden = false;
  const visible = raised.filter((a) => !a.hidden);
  const alerts: SimAlert[] = visible.map((a, i) => ({
    id: `${options.id}-f${i}`,
    key: a.key,
    severity: a.severity,
    startsAt: new Date(a.startsAt).toISOString(),
    summary: `${a.state.toLowerCase()} (simulated)`,
  }));

  const impactedKeys = new Set(impacted.map((i) => i.key));
  const quiet = graph.keys.length - impactedKeys.size;
  // A `noise` share of the alerts, but never more than a `noise` share of the CIs left quiet: a
  // fault that takes down most of a small map would otherwise put noise on every CI it spared.
  const expectedNoise = level.noise * Math.min(visible.length, quiet);
  const noiseCount = Math.floor(expectedNoise) + (rng.chance(expectedNoise - Math.floor(expectedNoise)) ? 1 : 0);
  const lastOnset = options.baseMs + (Math.max(...impacted.map((i) => i.distance)) + 1) * stepMs + jitterMs;
  const firstOnset = options.baseMs - 2 * stepMs;
  const used = new Set<string>();
  for (let i = 0; i < noiseCount && used.size < quiet; i++) {
    let key: string;
    do key = graph.keys[Math.floor(rng.next() * graph.keys.length)];
    while (impactedKeys.has(key) || used.has(key));
    used.add(key);
    alerts.push({
      id: `${options.id}-n${i}`,
      key,
      severity: SEVERITIES[Math.floor(rng.next() * SEVERITIES.length)],
      startsAt: new Date(firstOnset + Math.floor(rng.next() * (lastOnset - firstOnset))).toISOString(),
      summary: 'unrelated (simulated noise)',
    });
  }
  alerts.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : 1));

  const rootHidden = raised.find((a) => a.key === root)!.hidden;
  const dependents = graph.consumers.get(root)!;
  const ambiguous = rootHidden && dependents.length === 1 && visible.some((a) => a.key === dependents[0].key);
  return {
    id: options.id,
    root,
    rootKind: graph.kind.get(root)!,
    impacted: impacted.length,
    alerts,
    hidden: raised.length - visible.length,
    noise: alerts.length - visible.length,
    rootHidden,
    ambiguous,
  };
}
