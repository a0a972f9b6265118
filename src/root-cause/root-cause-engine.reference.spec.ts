/**
 * The ranking against a straightforward reference: the engine's first
 * implementation (one breadth-first walk per alerting CI, one per candidate
 * for the quiet CIs and the alerting providers), kept here verbatim but for
 * one term added since: the severity check, with the states each candidate's
 * failure predicts taken from the impact engine itself (propagateImpact). The engine now works on bitsets over components and stops
 * counting for candidates that cannot matter; on random graphs with cycles,
 * redundancy groups, repeated edges and several alerts per CI, it must give
 * the same candidates in the same order with the same evidence, and scores
 * within the last reported digit (the normalizing sum may add in another order).
 */
import { ImpactSubgraph, propagateImpact } from '../impact/impact-engine';
import { Rng } from '../synthetic/random';
import { DEFAULT_RCA_WEIGHTS, RankedCandidate, RcaAlert, RcaNode, RcaSubgraph, RcaWeights, Severity, correlate, groupAlerts, rankCandidates } from './root-cause-engine';

// ---------------------------------------------------------------------------------------------------
// The reference: the first implementation, verbatim
// ---------------------------------------------------------------------------------------------------

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
      // The walk goes past redundancy groups too, alerting or not: one member down leaves the
      // group DEGRADED, and what stands on it degraded with it (PRODUCT.md, impact semantics).
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
function referenceRank(
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

  // Direct dependents of each CI that neither alert nor lead to an alert: outside the subgraph, so
  // quiet, yet impacted by whatever takes the CI down.
  const quietDependentsOf = new Map<string, number>();
  for (const key of explains.keys()) {
    const branches = (idx.consumers.get(key) ?? []).filter((c) => explains.get(c)?.size || byKey.has(c)).length;
    quietDependentsOf.set(key, Math.max(0, idx.nodes.get(key)!.dependentCount - branches));
  }

  const scored: { candidate: RankedCandidate; logLikelihood: number }[] = [];
  for (const [key, reached] of explains) {
    const node = idx.nodes.get(key)!;
    const explained = [...reached.keys()].flatMap((k) => byKey.get(k)!);
    const coverage = explained.reduce((s, a) => s + weightOf(a), 0) / totalWeight;
    const alerting = byKey.has(key);
    // Direct dependents that are alerting or lead to alerts, against all it has.
    const branches = (idx.consumers.get(key) ?? []).filter((c) => explains.get(c)?.size || byKey.has(c)).length;
    const quietDependents = quietDependentsOf.get(key)!;
    const quietOnTheWay = quietImpacted(idx, key, byKey, quietDependentsOf);
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
    const mildSelf = alerting && !byKey.get(key)!.some((a) => a.severity === 'CRITICAL' || a.severity === 'MAJOR');
    // The other alerting CIs it explains whose alerts say otherwise than the state its failure gives them.
    const down = downAfter(subgraph, key);
    const mismatches = [...reached.keys()].filter((k) => k !== key && down.has(k) !== byKey.get(k)!.some((a) => a.severity === 'CRITICAL' || a.severity === 'MAJOR')).length;
    let unexplainedNoise = allNoise;
    for (const k of reached.keys()) unexplainedNoise -= noiseCost.get(k)!;
    const logLikelihood =
      reached.size * expected +
      unexplainedNoise +
      (alerting ? 0 : missed) +
      (quietDependents + quietOnTheWay) * missed +
      (startedFirst ? w.onsetBonus : 0) +
      (changed ? w.changeBonus : 0) -
      (dependenciesAlerting.length ? w.victimPenalty : 0) -
      (mildSelf ? w.mildSelfPenalty : 0) -
      mismatches * w.severityMismatchPenalty;
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

/** What the failure of `key` alone takes DOWN, as the impact engine says on the same subgraph. */
function downAfter(subgraph: RcaSubgraph, key: string): Set<string> {
  const impact: ImpactSubgraph = {
    nodes: subgraph.nodes.map((n) => ({
      key: n.key,
      minHealthy: n.minHealthy ?? null,
      dependencyCount: n.dependencyCount ?? subgraph.edges.filter((e) => e.from === n.key).length,
    })),
    edges: subgraph.edges.map((e) => ({ from: e.from, to: e.to, strength: e.strength ?? 'HARD' })),
  };
  return new Set(propagateImpact(impact, [key]).impacted.filter((i) => i.state === 'DOWN').map((i) => i.key));
}

/**
 * Quiet CIs that this candidate's failure would impact on the way to the
 * alerts: each CI of the subgraph between it and an alerting one that raised
 * nothing, and the quiet direct dependents of every CI it reaches (a provider
 * under an alerting CI also takes down what else depends on that CI). Each is
 * a missed alert. Like the explanation, the walk goes past redundancy groups.
 */
function quietImpacted(idx: Index, key: string, byKey: Map<string, RcaAlert[]>, quietDependentsOf: Map<string, number>): number {
  let quiet = 0;
  const seen = new Set([key]);
  const queue = [key];
  for (let head = 0; head < queue.length; head++) {
    for (const consumer of idx.consumers.get(queue[head]) ?? []) {
      if (seen.has(consumer)) continue;
      seen.add(consumer);
      if (!byKey.has(consumer)) quiet++;
      quiet += quietDependentsOf.get(consumer) ?? 0;
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


const SEVERITIES: Severity[] = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFO'];

/** `beyond`: at most how many dependents a CI has outside the subgraph (three in ten have some). */
function randomCase(rng: Rng, size: number, beyond = 20): { subgraph: RcaSubgraph; alerts: RcaAlert[]; changed: Set<string> } {
  const keys = Array.from({ length: size }, (_, i) => `ci-${String(i).padStart(3, '0')}`);
  const edges: RcaSubgraph['edges'] = [];
  for (let i = 0; i < size; i++) {
    const out = rng.int(0, 3);
    for (let j = 0; j < out; j++) {
      // Mostly towards higher indexes (layers), sometimes back (cycles), now and then repeated; one in five SOFT.
      const to = rng.chance(0.85) ? rng.int(Math.min(i + 1, size - 1), size - 1) : rng.int(0, size - 1);
      const strength = rng.chance(0.2) ? 'SOFT' : 'HARD';
      edges.push({ from: keys[i], to: keys[to], strength });
      if (rng.chance(0.05)) edges.push({ from: keys[i], to: keys[to], strength });
    }
  }
  const consumers = new Map<string, number>();
  for (const e of edges) consumers.set(e.to, (consumers.get(e.to) ?? 0) + 1);
  const subgraph: RcaSubgraph = {
    nodes: keys.map((key) => {
      const group = rng.chance(0.15);
      // A group's minHealthy at random, so some have fewer members than they need (misconfigured); now and
      // then members beyond the subgraph, as at the depth bound.
      return {
        key,
        kind: group ? 'REDUNDANCY_GROUP' : 'SERVICE',
        dependentCount: (consumers.get(key) ?? 0) + (rng.chance(0.3) ? rng.int(0, beyond) : 0),
        minHealthy: group ? rng.int(1, 3) : null,
        ...(rng.chance(0.1) ? { dependencyCount: edges.filter((e) => e.from === key).length + rng.int(0, 2) } : {}),
      };
    }),
    edges,
  };
  const alerts: RcaAlert[] = [];
  const count = rng.int(1, Math.max(1, Math.floor(size / 3)));
  for (let i = 0; i < count; i++) {
    alerts.push({ id: `a${i}`, key: rng.chance(0.03) ? 'nowhere' : keys[rng.int(0, size - 1)], severity: rng.pick(SEVERITIES), startsAt: Date.UTC(2026, 0, 1) + rng.int(0, 40) * 60_000 });
  }
  const changed = new Set(keys.filter(() => rng.chance(0.05)));
  return { subgraph, alerts, changed };
}

/** Everything a caller sees, with the lazily built evidence read out. */
function plain(c: RankedCandidate) {
  return { key: c.key, kind: c.kind, rank: c.rank, evidence: { ...c.evidence } };
}

function expectSameRanking(actual: RankedCandidate[], expected: RankedCandidate[], upTo = Infinity): void {
  const n = Math.min(upTo, expected.length);
  expect(actual.slice(0, n).map(plain)).toEqual(expected.slice(0, n).map(plain));
  for (let i = 0; i < n; i++) expect(Math.abs(actual[i].score - expected[i].score)).toBeLessThanOrEqual(1e-4 + 1e-12);
}

describe('rankCandidates against the reference', () => {
  const weights: RcaWeights[] = [DEFAULT_RCA_WEIGHTS, { ...DEFAULT_RCA_WEIGHTS, missRate: 0.35, noiseRate: 0.002, onsetBonus: 2, victimPenalty: 0 }];

  it('gives the same ranking, evidence and scores on random graphs', () => {
    const rng = new Rng(20261126);
    for (let round = 0; round < 300; round++) {
      const { subgraph, alerts, changed } = randomCase(rng, rng.int(2, 60));
      const w = weights[round % weights.length];
      const actual = rankCandidates(subgraph, alerts, changed, w);
      const expected = referenceRank(subgraph, alerts, changed, w);
      expect(actual).toHaveLength(expected.length);
      expectSameRanking(actual, expected);
    }
  });

  it('on large graphs, ranks the first hundred exactly and gives the rest no score', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 4; round++) {
      const { subgraph, alerts, changed } = randomCase(rng, 400);
      const actual = rankCandidates(subgraph, alerts, changed);
      const expected = referenceRank(subgraph, alerts, changed);
      expect(actual.map((c) => c.key).sort()).toEqual(expected.map((c) => c.key).sort());
      expectSameRanking(actual, expected, 100);
      for (const c of actual.slice(100)) {
        const reference = expected.find((e) => e.key === c.key)!;
        expect(c.score).toBe(reference.score > 0 ? c.score : 0);
        expect({ ...c.evidence }).toEqual({ ...reference.evidence });
      }
    }
  });
});

/** What a set of alerts depends on: their CIs, everything below them, and the edges among these. */
function referenceClosure(subgraph: RcaSubgraph, alerts: RcaAlert[]): RcaSubgraph {
  const idx = index(subgraph);
  const inside = new Set(alerts.map((a) => a.key));
  const queue = [...inside];
  while (queue.length) for (const provider of idx.providers.get(queue.shift()!) ?? []) if (!inside.has(provider)) inside.add(provider), queue.push(provider);
  return { nodes: subgraph.nodes.filter((x) => inside.has(x.key)), edges: subgraph.edges.filter((e) => inside.has(e.from) && inside.has(e.to)) };
}

describe('correlate', () => {
  it('puts every alert in one group, and ranks each group as the reference ranks its alerts over what they depend on', () => {
    const rng = new Rng(99);
    for (let round = 0; round < 150; round++) {
      const { subgraph, alerts, changed } = randomCase(rng, rng.int(2, 50));
      const groups = correlate(subgraph, alerts, changed);
      const known = new Set(subgraph.nodes.map((x) => x.key));
      expect(groups.flatMap((g) => g.alerts.map((a) => a.id)).sort()).toEqual(alerts.filter((a) => known.has(a.key)).map((a) => a.id).sort());
      for (const group of groups) {
        expect(group.alerts.length).toBeGreaterThan(0);
        expectSameRanking(group.candidates, referenceRank(referenceClosure(subgraph, group.alerts), group.alerts, changed, DEFAULT_RCA_WEIGHTS), 3);
      }
      // The same groups from groupAlerts, each led by a CI whose failure explains all of its alerts.
      const grouped = groupAlerts(subgraph, alerts, changed);
      expect(grouped.map((g) => g.alerts)).toEqual(groups.map((g) => g.alerts));
      for (const { alerts: list, leader } of grouped) {
        const explained = referenceRank(referenceClosure(subgraph, list), list, changed).find((c) => c.key === leader)?.evidence.explainedAlertIds;
        expect(explained).toEqual(expect.arrayContaining(list.map((a) => a.id)));
      }
    }
  });

  it('ranks each group`s first three as the reference does when asked for three, leaving out what lies deep under quiet CIs', () => {
    // Hundreds of dependents outside the subgraph: most groups' closures hold CIs under so many quiet
    // ones that rankGroup leaves them out (and ranks again when what it left out might have counted).
    const rng = new Rng(31);
    const weights: RcaWeights[] = [DEFAULT_RCA_WEIGHTS, { ...DEFAULT_RCA_WEIGHTS, missRate: 0.6, onsetBonus: 6, changeBonus: 4 }];
    for (let round = 0; round < 200; round++) {
      const { subgraph, alerts, changed } = randomCase(rng, rng.int(2, 80), 400);
      const w = weights[round % weights.length];
      // Every closure tried with what lies deep left out first, however small (the engine ranks small ones whole at once).
      for (const group of correlate(subgraph, alerts, changed, w, 3, 0)) {
        expect(group.candidates.length).toBeLessThanOrEqual(3);
        expectSameRanking(group.candidates, referenceRank(referenceClosure(subgraph, group.alerts), group.alerts, changed, w), 3);
      }
    }
  });
});
