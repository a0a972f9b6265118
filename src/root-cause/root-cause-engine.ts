/**
 * Ranks the CIs whose failure best explains a set of alerts. Plain functions
 * over a plain subgraph (the alerting CIs and everything they depend on), so
 * the ranking is unit-tested and evaluated without Neo4j.
 *
 * A candidate is any CI of the subgraph: an alerting CI, or one that alerting
 * CIs depend on (a silent switch under forty alerting services is the answer
 * there). Each is scored by how likely the alerts are if it alone failed
 * (docs/root-cause.md): an alerting CI it explains (it, or a CI that
 * transitively depends on it) is expected, costing log(1 - missRate); an
 * alerting CI it does not explain must be noise, costing log(noiseRate); a
 * quiet CI it would impact is a missed alert, costing log(missRate) (counted
 * for the candidate itself and for what directly depends on it without
 * leading to any alert, which is what sinks a shared DNS under 50,000 quiet
 * CIs). Alerts that started first at the candidate, and a recent change to
 * it, add a bonus; an alerting dependency of its own (it may be a victim) a
 * penalty. The scores are then normalized over all candidates, so a score is
 * the model's probability that this CI is the single cause.
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
  /** Share of impacted CIs expected to raise no alert (observation gaps). */
  missRate: number;
  /** Chance that an alert is unrelated noise. */
  noiseRate: number;
  /** Log-likelihood bonus when the candidate's alerts (or the nearest ones) started first. */
  onsetBonus: number;
  /** Log-likelihood bonus for a change to the candidate shortly before the alerts. */
  changeBonus: number;
  /** Log-likelihood penalty when something the candidate depends on is alerting too. */
  victimPenalty: number;
  /** Relative cost of leaving an alert of this severity unexplained. */
  severity: Record<Severity, number>;
  /** A candidate below this precision that is not alerting itself cannot lead a correlated group. */
  minGroupPrecision: number;
  /** Alerts further apart than this start separate incidents. */
  timeWindowMs: number;
}

export const DEFAULT_RCA_WEIGHTS: RcaWeights = {
  missRate: 0.2,
  noiseRate: 0.01,
  onsetBonus: Math.log(2),
  changeBonus: Math.log(3),
  victimPenalty: Math.log(2),
  severity: { CRITICAL: 1.5, MAJOR: 1.25, MINOR: 1, WARNING: 1, INFO: 0.75 },
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
  const alertingSet = new Set(alertingKeys);
  for (const alerting of alertingSet) {
    const queue: string[] = [alerting];
    const seen = new Map<string, { distance: number; via: string | null }>([[alerting, { distance: 0, via: null }]]);
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head];
      // One member of a redundancy group cannot take down what stands on the group, so the walk
      // only goes past a group that is itself alerting (visibly impacted).
      if (current !== alerting && !alertingSet.has(current) && idx.nodes.get(current)!.kind === 'REDUNDANCY_GROUP') continue;
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
  // What it costs to leave each alerting CI unexplained: noise, weighted by its worst severity.
  const noiseCost = new Map([...byKey].map(([k, list]) => [k, Math.log(w.noiseRate) * Math.max(...list.map(weightOf))]));
  const allNoise = [...noiseCost.values()].reduce((sum, c) => sum + c, 0);
  const expected = Math.log(1 - w.missRate);
  const missed = Math.log(w.missRate);

  const scored: { candidate: RankedCandidate; logLikelihood: number }[] = [];
  for (const [key, reached] of explains) {
    const node = idx.nodes.get(key)!;
    const explained = [...reached.keys()].flatMap((k) => byKey.get(k)!);
    const coverage = explained.reduce((s, a) => s + weightOf(a), 0) / totalWeight;
    const alerting = byKey.has(key);
    // Direct dependents that are alerting or lead to alerts, against all it has.
    const branches = (idx.consumers.get(key) ?? []).filter((c) => explains.get(c)?.size || byKey.has(c)).length;
    const quietDependents = Math.max(0, node.dependentCount - branches);
    const quietOnTheWay = quietImpacted(idx, key, byKey);
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
    let unexplainedNoise = allNoise;
    for (const k of reached.keys()) unexplainedNoise -= noiseCost.get(k)!;
    const logLikelihood =
      reached.size * expected +
      unexplainedNoise +
      (alerting ? 0 : missed) +
      (quietDependents + quietOnTheWay) * missed +
      (startedFirst ? w.onsetBonus : 0) +
      (changed ? w.changeBonus : 0) -
      (dependenciesAlerting.length ? w.victimPenalty : 0);
    scored.push({
      logLikelihood,
      candidate: {
        key,
        kind: node.kind,
        score: 0,
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
      },
    });
  }
  // Normalize: each candidate's share of the total likelihood (a softmax over log-likelihoods).
  const best = Math.max(...scored.map((s) => s.logLikelihood));
  const total = scored.reduce((sum, s) => sum + Math.exp(s.logLikelihood - best), 0);
  const ranked = scored
    .sort((a, b) => b.logLikelihood - a.logLikelihood || (a.candidate.key < b.candidate.key ? -1 : a.candidate.key > b.candidate.key ? 1 : 0))
    .map(({ candidate, logLikelihood }) => ({ ...candidate, score: Math.round((Math.exp(logLikelihood - best) / total) * 10_000) / 10_000 }));
  ranked.forEach((c, i) => (c.rank = i + 1));
  return ranked;
}

/**
 * Quiet CIs of the subgraph that this candidate's failure would impact on the
 * way to the alerts (a CI between it and an alerting one that raised nothing):
 * each is a missed alert. The walk honours redundancy like the explanation does.
 */
function quietImpacted(idx: Index, key: string, byKey: Map<string, RcaAlert[]>): number {
  let quiet = 0;
  const seen = new Set([key]);
  const queue = [key];
  for (let head = 0; head < queue.length; head++) {
    for (const consumer of idx.consumers.get(queue[head]) ?? []) {
      if (seen.has(consumer)) continue;
      seen.add(consumer);
      const alerting = byKey.has(consumer);
      if (!alerting && idx.nodes.get(consumer)!.kind === 'REDUNDANCY_GROUP') continue;
      if (!alerting) quiet++;
      queue.push(consumer);
    }
  }
  return quiet;
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
