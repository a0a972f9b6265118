/**
 * Ranks the CIs whose failure best explains a set of alerts. Plain functions
 * over a plain subgraph (the alerting CIs and everything they depend on), so
 * the ranking is unit-tested and evaluated without Neo4j.
 *
 * A candidate is any CI of the subgraph: an alerting CI, or one that alerting
 * CIs depend on (a silent switch under forty alerting services is the answer
 * there). Its score, in [0, 1], weighs documented evidence (docs/root-cause.md):
 *   coverage    share of the alerts (by severity weight) its failure explains:
 *               alerts on it and on the CIs that transitively depend on it;
 *   precision   how much of what directly depends on it is alerting or leads
 *               to alerts: a shared DNS under 50,000 CIs explains every alert
 *               but nearly all of its dependents are quiet;
 *   onset       its own alerts, or those nearest to it, started first;
 *   self        it is alerting itself;
 *   upstream    nothing it depends on is alerting (else it is likely a victim);
 *   change      it changed shortly before the storm.
 */
export type Severity = 'CRITICAL' | 'MAJOR' | 'MINOR' | 'WARNING' | 'INFO';

export interface RcaAlert {
  id: string;
  key: string;
  severity: Severity;
  /** Epoch milliseconds. */
  startsAt: number;
}

export interface RcaNode {
  key: string;
  kind: string;
  /** How many CIs directly depend on it in the whole graph. */
  dependentCount: number;
}

export interface RcaSubgraph {
  nodes: RcaNode[];
  /** consumer -> provider, between CIs of the subgraph. */
  edges: { from: string; to: string }[];
}

export interface RcaWeights {
  coverage: number;
  precision: number;
  onset: number;
  self: number;
  upstream: number;
  change: number;
  severity: Record<Severity, number>;
  /** A candidate below this precision that is not alerting itself cannot lead a correlated group. */
  minGroupPrecision: number;
  /** Alerts further apart than this start separate incidents. */
  timeWindowMs: number;
}

export const DEFAULT_RCA_WEIGHTS: RcaWeights = {
  coverage: 0.5,
  precision: 0.2,
  onset: 0.1,
  self: 0.05,
  upstream: 0.1,
  change: 0.05,
  severity: { CRITICAL: 5, MAJOR: 4, MINOR: 2, WARNING: 2, INFO: 1 },
  minGroupPrecision: 0.5,
  timeWindowMs: 30 * 60_000,
};

export interface CandidateEvidence {
  explainedAlertIds: string[];
  unexplainedCount: number;
  coverage: number;
  precision: number;
  alerting: boolean;
  /** Did its own alerts (or, when silent, those of its nearest explained dependents) start first? */
  startedFirst: boolean;
  firstAlertAt: number | null;
  earliestExplainedAt: number | null;
  dependenciesAlerting: string[];
  recentlyChanged: boolean;
  /** From an explained alert's CI down to the candidate. */
  exampleChain: string[];
}

export interface RankedCandidate {
  key: string;
  kind: string;
  score: number;
  rank: number;
  evidence: CandidateEvidence;
}

interface Index {
  nodes: Map<string, RcaNode>;
  providers: Map<string, string[]>;
  consumers: Map<string, string[]>;
}

function index(subgraph: RcaSubgraph): Index {
  const nodes = new Map(subgraph.nodes.map((n) => [n.key, n]));
  const providers = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  for (const { from, to } of subgraph.edges) {
    if (!nodes.has(from) || !nodes.has(to) || from === to) continue;
    (providers.get(from) ?? providers.set(from, []).get(from)!).push(to);
    (consumers.get(to) ?? consumers.set(to, []).get(to)!).push(from);
  }
  return { nodes, providers, consumers };
}

/** For each CI, the alerting CIs whose alerts its failure would explain, with the hop count and the next hop towards the alert. */
function explainers(idx: Index, alertingKeys: Iterable<string>): Map<string, Map<string, { distance: number; via: string | null }>> {
  const explains = new Map<string, Map<string, { distance: number; via: string | null }>>();
  for (const alerting of alertingKeys) {
    const queue: string[] = [alerting];
    const seen = new Map<string, { distance: number; via: string | null }>([[alerting, { distance: 0, via: null }]]);
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head];
      for (const provider of idx.providers.get(current) ?? []) {
        if (seen.has(provider)) continue;
        seen.set(provider, { distance: seen.get(current)!.distance + 1, via: current });
        queue.push(provider);
      }
    }
    for (const [key, hop] of seen) (explains.get(key) ?? explains.set(key, new Map()).get(key)!).set(alerting, hop);
  }
  return explains;
}

/**
 * Ranks every candidate for the given alerts. Deterministic: ties break on
 * key. `recentlyChanged` names CIs with changes shortly before the alerts.
 */
export function rankCandidates(
  subgraph: RcaSubgraph,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
): RankedCandidate[] {
  const idx = index(subgraph);
  const usable = alerts.filter((a) => idx.nodes.has(a.key));
  if (!usable.length) return [];
  const byKey = new Map<string, RcaAlert[]>();
  for (const alert of usable) (byKey.get(alert.key) ?? byKey.set(alert.key, []).get(alert.key)!).push(alert);
  const weightOf = (a: RcaAlert) => w.severity[a.severity] ?? 1;
  const totalWeight = usable.reduce((sum, a) => sum + weightOf(a), 0);
  const explains = explainers(idx, byKey.keys());
  const firstStart = (key: string) => Math.min(...(byKey.get(key) ?? []).map((a) => a.startsAt));

  const ranked: RankedCandidate[] = [];
  for (const [key, reached] of explains) {
    const node = idx.nodes.get(key)!;
    const explained = [...reached.keys()].flatMap((k) => byKey.get(k)!);
    const coverage = explained.reduce((s, a) => s + weightOf(a), 0) / totalWeight;
    const alerting = byKey.has(key);
    // Direct dependents that are alerting or lead to alerts, against all it has.
    const branches = (idx.consumers.get(key) ?? []).filter((c) => explains.get(c)?.size || byKey.has(c)).length;
    const precision = Math.min(1, (branches + (alerting ? 1 : 0)) / (Math.max(node.dependentCount, branches) + 1));
    const earliest = Math.min(...explained.map((a) => a.startsAt));
    const nearest = Math.min(...[...reached.values()].filter((h) => h.distance > 0).map((h) => h.distance), Infinity);
    const own = alerting ? firstStart(key) : null;
    const nearestStart = alerting
      ? own!
      : Math.min(...[...reached.entries()].filter(([, h]) => h.distance === nearest).map(([k]) => firstStart(k)));
    const startedFirst = nearestStart <= earliest;
    const dependenciesAlerting = alertingProviders(idx, key, byKey);
    const changed = recentlyChanged.has(key);
    const score =
      (w.coverage * coverage +
        w.precision * precision +
        w.onset * (startedFirst ? 1 : 0) +
        w.self * (alerting ? 1 : 0) +
        w.upstream * (dependenciesAlerting.length ? 0 : 1) +
        w.change * (changed ? 1 : 0)) /
      (w.coverage + w.precision + w.onset + w.self + w.upstream + w.change);
    ranked.push({
      key,
      kind: node.kind,
      score: Math.round(score * 10_000) / 10_000,
      rank: 0,
      evidence: {
        explainedAlertIds: explained.map((a) => a.id).sort(),
        unexplainedCount: usable.length - explained.length,
        coverage: Math.round(coverage * 10_000) / 10_000,
        precision: Math.round(precision * 10_000) / 10_000,
        alerting,
        startedFirst,
        firstAlertAt: own,
        earliestExplainedAt: earliest,
        dependenciesAlerting,
        recentlyChanged: changed,
        exampleChain: exampleChain(explains, key),
      },
    });
  }
  ranked.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  ranked.forEach((c, i) => (c.rank = i + 1));
  return ranked;
}

function alertingProviders(idx: Index, key: string, byKey: Map<string, RcaAlert[]>): string[] {
  const found: string[] = [];
  const seen = new Set([key]);
  const queue = [key];
  for (let head = 0; head < queue.length; head++) {
    for (const provider of idx.providers.get(queue[head]) ?? []) {
      if (seen.has(provider)) continue;
      seen.add(provider);
      if (byKey.has(provider)) found.push(provider);
      queue.push(provider);
    }
  }
  return found.sort();
}

/** The chain from the farthest explained alerting CI down to the candidate, following breadth-first parents. */
function exampleChain(explains: Map<string, Map<string, { distance: number; via: string | null }>>, candidate: string): string[] {
  const reached = explains.get(candidate)!;
  let start: string | null = null;
  let best = -1;
  for (const [alerting, hop] of reached) {
    if (hop.distance > best || (hop.distance === best && start !== null && alerting < start)) {
      best = hop.distance;
      start = alerting;
    }
  }
  const chain = [candidate];
  for (let current = candidate; current !== start; ) {
    const via = explains.get(current)?.get(start!)?.via;
    if (!via) break;
    chain.push(via);
    current = via;
  }
  return chain.reverse();
}

export interface AlertGroup {
  alerts: RcaAlert[];
  /** Candidates re-ranked on this group's alerts alone, best first. */
  candidates: RankedCandidate[];
}

/**
 * Splits a storm into incidents: first by time (a gap longer than the window
 * starts a new one), then by topology, greedily: the best-ranked candidate
 * that may lead a group (it alerts itself, or enough of what depends on it
 * does) takes every alert it explains, and so on until no alert is left.
 */
export function correlate(
  subgraph: RcaSubgraph,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
): AlertGroup[] {
  const known = new Set(subgraph.nodes.map((n) => n.key));
  const sorted = alerts.filter((a) => known.has(a.key)).sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
  const clusters: RcaAlert[][] = [];
  for (const alert of sorted) {
    const current = clusters.at(-1);
    if (current && alert.startsAt - current.at(-1)!.startsAt <= w.timeWindowMs) current.push(alert);
    else clusters.push([alert]);
  }
  const groups: AlertGroup[] = [];
  for (const cluster of clusters) {
    // Greedy set cover: the candidate explaining the most (by severity weight) goes first, the score breaks ties.
    const weightOf = new Map(cluster.map((a) => [a.id, w.severity[a.severity] ?? 1]));
    const explainedWeight = (c: RankedCandidate) => c.evidence.explainedAlertIds.reduce((sum, id) => sum + (weightOf.get(id) ?? 0), 0);
    const ranked = rankCandidates(subgraph, cluster, recentlyChanged, w)
      .map((c) => ({ c, weight: explainedWeight(c) }))
      .sort((a, b) => b.weight - a.weight || b.c.score - a.c.score || (a.c.key < b.c.key ? -1 : 1))
      .map(({ c }) => c);
    const remaining = new Map(cluster.map((a) => [a.id, a]));
    for (const candidate of ranked) {
      if (!remaining.size) break;
      if (!candidate.evidence.alerting && candidate.evidence.precision < w.minGroupPrecision) continue;
      const taken = candidate.evidence.explainedAlertIds.filter((id) => remaining.has(id)).map((id) => remaining.get(id)!);
      if (!taken.length) continue;
      taken.forEach((a) => remaining.delete(a.id));
      groups.push({ alerts: taken, candidates: rankCandidates(subgraph, taken, recentlyChanged, w) });
    }
  }
  return groups;
}
