import { AlertGroup, RankedCandidate, RcaAlert, RcaSubgraph, RcaWeights, correlate, rankCandidates } from './root-cause-engine';

/**
 * A ranking or a correlation as data, so it can run on a worker thread
 * (rca-worker.ts) as well as in-process, with the same answer.
 */

/** A subgraph as a few arrays: a structured clone copies it in milliseconds, where 200,000 edge objects take far longer. */
export interface PackedSubgraph {
  keys: string[];
  kinds: string[];
  dependentCount: Int32Array;
  /** Edge e goes from node from[e] to node to[e] (indexes into keys), in the subgraph's edge order. */
  from: Int32Array;
  to: Int32Array;
}

/**
 * What to run. `subgraphId` names the subgraph; `subgraph` comes along the
 * first time a worker sees it (the service ranks one subgraph twice per
 * request, and the second time only the id travels).
 */
export interface RcaTask {
  kind: 'rank' | 'correlate';
  subgraphId: number;
  subgraph?: PackedSubgraph;
  alerts: RcaAlert[];
  changed: string[];
  weights: RcaWeights;
  /** Candidates returned whole (a ranking), or per group (a correlation); evidence is built for these only. */
  top: number;
  /** A ranking also returns the keys of its first `leaders` candidates. */
  leaders?: number;
}

/** How many subgraphs a worker keeps by id; the runner sends a subgraph again once it fell out. */
export const SUBGRAPHS_KEPT = 2;

/** A ranking's answer: its `top` candidates, and the keys of the first `leaders`. */
export interface RankAnswer {
  candidates: RankedCandidate[];
  leaders: string[];
}

export function packSubgraph(subgraph: RcaSubgraph): PackedSubgraph {
  const indexOf = new Map<string, number>();
  subgraph.nodes.forEach((node, i) => indexOf.set(node.key, i));
  const from = new Int32Array(subgraph.edges.length);
  const to = new Int32Array(subgraph.edges.length);
  subgraph.edges.forEach((edge, e) => {
    from[e] = indexOf.get(edge.from) ?? -1;
    to[e] = indexOf.get(edge.to) ?? -1;
  });
  return {
    keys: subgraph.nodes.map((n) => n.key),
    kinds: subgraph.nodes.map((n) => n.kind),
    dependentCount: Int32Array.from(subgraph.nodes, (n) => n.dependentCount),
    from,
    to,
  };
}

export function unpackSubgraph(packed: PackedSubgraph): RcaSubgraph {
  const nodes = packed.keys.map((key, i) => ({ key, kind: packed.kinds[i], dependentCount: packed.dependentCount[i] }));
  const edges: RcaSubgraph['edges'] = [];
  for (let e = 0; e < packed.from.length; e++) {
    // An edge naming a CI outside the subgraph: the engine ignores those too.
    if (packed.from[e] >= 0 && packed.to[e] >= 0) edges.push({ from: packed.keys[packed.from[e]], to: packed.keys[packed.to[e]] });
  }
  return { nodes, edges };
}

/** A candidate whose evidence (built when read) is read now: plain data that survives a structured clone. */
function settled(candidate: RankedCandidate): RankedCandidate {
  return { key: candidate.key, kind: candidate.kind, score: candidate.score, rank: candidate.rank, evidence: candidate.evidence };
}

/** A ranking's `top` best candidates and leader keys; each group of a correlation with its `top` best. */
export function runRcaTask(task: RcaTask, subgraph: RcaSubgraph): RankAnswer | AlertGroup[] {
  const changed = new Set(task.changed);
  if (task.kind === 'rank') {
    const ranked = rankCandidates(subgraph, task.alerts, changed, task.weights);
    return { candidates: ranked.slice(0, task.top).map(settled), leaders: ranked.slice(0, task.leaders ?? 0).map((c) => c.key) };
  }
  return correlate(subgraph, task.alerts, changed, task.weights, task.top).map((group) => ({ alerts: group.alerts, candidates: group.candidates.map(settled) }));
}
