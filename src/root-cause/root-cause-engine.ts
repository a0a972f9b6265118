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
 * for the candidate itself, for the quiet CIs between it and the alerts, and
 * for what directly depends on any of these without leading to any alert,
 * which is what sinks a shared DNS under 50,000 quiet CIs). Alerts that
 * started first at the candidate, and a recent change to it, add a bonus; an
 * alerting dependency of its own (it may be a victim), or alerts of its own
 * that are all below MAJOR (a failed CI is down), a penalty. The scores are
 * then normalized over all candidates, so a score is the model's probability
 * that this CI is the single cause.
 */
import { NOT_A_GROUP } from '../impact/impact-engine';

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
  /** A redundancy group's minHealthy; null or absent for every other CI. */
  minHealthy?: number | null;
  /** How many CIs it depends on in the whole graph (a group's member count); absent: its edges here. */
  dependencyCount?: number;
}

export interface RcaSubgraph {
  nodes: RcaNode[];
  /** consumer -> provider, between CIs of the subgraph; HARD unless SOFT. */
  edges: { from: string; to: string; strength?: 'HARD' | 'SOFT' }[];
}

/**
 * The same subgraph as a few arrays, as the repository reads it and a worker receives it (a
 * structured clone copies arrays in milliseconds, where 200,000 edge objects take far longer).
 */
export interface PackedSubgraph {
  keys: string[];
  kinds: string[];
  dependentCount: Int32Array;
  /** A redundancy group's minHealthy, -1 for every other CI. */
  minHealthy: Int32Array;
  /** How many CIs each depends on in the whole graph: a group's member count. */
  dependencyCount: Int32Array;
  /** Edge e goes from node from[e] to node to[e] (indexes into keys, -1 for a CI outside), in edge order; SOFT where soft[e] is 1. */
  from: Int32Array;
  to: Int32Array;
  soft: Uint8Array;
}

/** What the engine ranks: a subgraph in either form. */
export type RcaGraph = RcaSubgraph | PackedSubgraph;

export const isPacked = (graph: RcaGraph): graph is PackedSubgraph => 'from' in graph;

/** The packed form of a plain subgraph; an edge end that names a key twice points at its last node. */
export function packSubgraph(subgraph: RcaSubgraph): PackedSubgraph {
  const indexOf = new Map<string, number>();
  subgraph.nodes.forEach((node, i) => indexOf.set(node.key, i));
  const from = new Int32Array(subgraph.edges.length);
  const to = new Int32Array(subgraph.edges.length);
  const soft = new Uint8Array(subgraph.edges.length);
  const listed = new Map<string, number>();
  subgraph.edges.forEach((edge, e) => {
    from[e] = indexOf.get(edge.from) ?? -1;
    to[e] = indexOf.get(edge.to) ?? -1;
    soft[e] = edge.strength === 'SOFT' ? 1 : 0;
    listed.set(edge.from, (listed.get(edge.from) ?? 0) + 1);
  });
  return {
    keys: subgraph.nodes.map((n) => n.key),
    kinds: subgraph.nodes.map((n) => n.kind),
    dependentCount: Int32Array.from(subgraph.nodes, (n) => n.dependentCount),
    minHealthy: Int32Array.from(subgraph.nodes, (n) => n.minHealthy ?? NOT_A_GROUP),
    dependencyCount: Int32Array.from(subgraph.nodes, (n) => n.dependencyCount ?? listed.get(n.key) ?? 0),
    from,
    to,
    soft,
  };
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
  /** Log-likelihood penalty when the candidate alerts, but only below MAJOR: a failed CI is down, and its alerts say so. */
  mildSelfPenalty: number;
  /**
   * Log-likelihood penalty per other alerting CI it explains whose alerts disagree with the state its
   * failure predicts there: nothing above MINOR where it would be DOWN, CRITICAL or MAJOR where it
   * would only be DEGRADED (through a SOFT dependency or a redundancy group that still has enough members).
   */
  severityMismatchPenalty: number;
  /** Relative cost of leaving an alert of this severity unexplained. */
  severity: Record<Severity, number>;
  /** A candidate below this precision that is not alerting itself cannot lead a correlated group. */
  minGroupPrecision: number;
  /** Alerts further apart than this start separate incidents. */
  timeWindowMs: number;
}

/** Defaults, tuned on the simulated faults of `npm run eval:rca` (docs/root-cause.md says why each). */
export const DEFAULT_RCA_WEIGHTS: RcaWeights = {
  missRate: 0.2,
  noiseRate: 0.03,
  onsetBonus: Math.log(10),
  changeBonus: Math.log(3),
  victimPenalty: Math.log(2),
  mildSelfPenalty: Math.log(20),
  severityMismatchPenalty: Math.log(20),
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

// ---------------------------------------------------------------------------------------------------
// The subgraph, prepared once per request: integer ids, adjacency in edge order, and its strongly
// connected components (CIs on a cycle explain the same alerts), so storms of a thousand alerts over
// tens of thousands of CIs rank in linear passes over the graph instead of one walk per CI.
// ---------------------------------------------------------------------------------------------------

interface Prepared {
  keys: string[];
  kinds: string[];
  dependentCount: Int32Array;
  /** A redundancy group's minHealthy (NOT_A_GROUP for other CIs) and every CI's dependency count in the whole graph. */
  minHealthy: Int32Array;
  dependencyCount: Int32Array;
  /** The node of a key, if the subgraph has it. */
  nodeOf: (key: string) => number | undefined;
  /** Providers of node i: prov[provStart[i] .. provStart[i + 1]), in edge order (duplicates kept); SOFT where provSoft is 1. */
  provStart: Int32Array;
  prov: Int32Array;
  provSoft: Uint8Array;
  consStart: Int32Array;
  cons: Int32Array;
  consSoft: Uint8Array;
  /** Groups with fewer members than minHealthy: DOWN whenever anything under them fails (PRODUCT.md). */
  misconfigured: Int32Array;
  sccOf: Int32Array;
  /**
   * Components, numbered in the order Tarjan's algorithm closes them (every component after all
   * it depends on); the members of component s are sccList[sccStart[s] .. sccStart[s + 1]), in the
   * order they were found, and at the same places in sccByKey in key order, the order candidates
   * of a component are ranked in. Flat arrays rather than a list per component: a storm builds
   * the components of a closure for each of its hundred incidents, tens of thousands each.
   */
  sccStart: Int32Array;
  sccList: Int32Array;
  sccByKey: Int32Array;
  /**
   * The components' own dependencies, each pair once, none to itself: what the passes that push
   * explained alerts, onsets and floors between components walk, instead of every CI's edges
   * (the subgraph has four times more edges than CIs, and a storm ranks it a hundred times).
   */
  sccProvStart: Int32Array;
  sccProv: Int32Array;
  /** Each CI's place among all keys in string order: ties break on key with one integer comparison. */
  keyOrder: Int32Array;
  /** The nodes in key order (keyOrder inverted). */
  byKey: Int32Array;
}

/** `make`, made once per object (by identity) for as long as that object lives. */
function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}

/** Prepared subgraphs, by identity: the service ranks the same subgraph twice per request. Subgraphs are not changed once ranked. */
const prepare = perObject(prepareNow);

function prepareNow(subgraph: RcaGraph): Prepared {
  const packed = isPacked(subgraph) ? subgraph : packSubgraph(subgraph);
  if (strictlyAscending(packed.keys)) return fromPacked(packed);
  // A key listed twice keeps its first place and its last node (as a Map built from the list would).
  const indexOf = new Map<string, number>();
  const keys: string[] = [];
  const source: number[] = [];
  const idOf = new Int32Array(packed.keys.length);
  packed.keys.forEach((key, i) => {
    let at = indexOf.get(key);
    if (at === undefined) {
      at = keys.length;
      indexOf.set(key, at);
      keys.push(key);
      source.push(i);
    } else source[at] = i;
    idOf[i] = at;
  });
  // (consumer, provider) pairs, two slots each; a typed array sized for all edges, not a growing list of 450,000 numbers.
  const pairs = new Int32Array(2 * packed.from.length);
  const pairSoft = new Uint8Array(packed.from.length);
  let used = 0;
  for (let e = 0; e < packed.from.length; e++) {
    if (packed.from[e] < 0 || packed.to[e] < 0) continue;
    const a = idOf[packed.from[e]];
    const b = idOf[packed.to[e]];
    if (a === b) continue;
    pairSoft[used >>> 1] = packed.soft[e];
    pairs[used++] = a;
    pairs[used++] = b;
  }
  const keyOrder = new Int32Array(keys.length);
  // The default sort compares UTF-16 code units, as `<` does, without a call back into JS per comparison.
  [...keys].sort().forEach((key, order) => (keyOrder[indexOf.get(key)!] = order));
  return fromPairs(
    {
      keys,
      kinds: source.map((i) => packed.kinds[i]),
      dependentCount: Int32Array.from(source, (i) => packed.dependentCount[i]),
      minHealthy: Int32Array.from(source, (i) => packed.minHealthy[i]),
      dependencyCount: Int32Array.from(source, (i) => packed.dependencyCount[i]),
      nodeOf: (key) => indexOf.get(key),
      keyOrder,
    },
    pairs.subarray(0, used),
    pairSoft.subarray(0, used >>> 1),
  );
}

const strictlyAscending = (keys: readonly string[]) => {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
};

/**
 * The preparation of a subgraph whose keys come strictly in string order, as the repository hands
 * them over (both of its paths, walkedRowsOf): each key once, a node's place is its key order,
 * and a key is found by binary search. A Map of 57,000 keys, and the sort it fed, cost more than
 * the rest of the preparation.
 */
function fromPacked(packed: PackedSubgraph): Prepared {
  const { keys, from, to, soft } = packed;
  const pairs = new Int32Array(2 * from.length);
  const pairSoft = new Uint8Array(from.length);
  let used = 0;
  for (let e = 0; e < from.length; e++) {
    if (from[e] < 0 || to[e] < 0 || from[e] === to[e]) continue;
    pairSoft[used >>> 1] = soft[e];
    pairs[used++] = from[e];
    pairs[used++] = to[e];
  }
  const nodeOf = (key: string): number | undefined => {
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = keys[middle];
      if (at === key) return middle;
      if (at < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  };
  const keyOrder = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) keyOrder[i] = i;
  return fromPairs(
    { keys, kinds: packed.kinds, dependentCount: packed.dependentCount, minHealthy: packed.minHealthy, dependencyCount: packed.dependencyCount, nodeOf, keyOrder },
    pairs.subarray(0, used),
    pairSoft.subarray(0, used >>> 1),
  );
}

type Identified = Pick<Prepared, 'keys' | 'kinds' | 'dependentCount' | 'minHealthy' | 'dependencyCount' | 'nodeOf' | 'keyOrder'>;

/** A prepared subgraph's components, when they are known without running Tarjan's algorithm again. */
type Components = Pick<Prepared, 'sccOf' | 'sccStart' | 'sccList' | 'sccByKey' | 'sccProvStart' | 'sccProv'>;

/**
 * The rest of a prepared subgraph from its CIs and (consumer, provider) pairs, two slots each, SOFT
 * where `pairSoft` (one slot each) is 1; its components are found unless `known`.
 */
function fromPairs(ids: Identified, pairs: Int32Array, pairSoft: Uint8Array, known?: Components): Prepared {
  const n = ids.keys.length;
  const used = pairs.length;
  const csr = (fromSlot: 0 | 1) => {
    const start = new Int32Array(n + 1);
    for (let e = 0; e < used; e += 2) start[pairs[e + fromSlot] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const list = new Int32Array(used / 2);
    const soft = new Uint8Array(used / 2);
    for (let e = 0; e < used; e += 2) {
      const at = fill[pairs[e + fromSlot]]++;
      list[at] = pairs[e + 1 - fromSlot];
      soft[at] = pairSoft[e >>> 1];
    }
    return { start, list, soft };
  };
  const providers = csr(0);
  const consumers = csr(1);
  const keyOrder = ids.keyOrder;
  const found = known ?? componentsOf(n, providers, keyOrder);
  const byKey = new Int32Array(n);
  keyOrder.forEach((order, i) => (byKey[order] = i));
  const misconfigured: number[] = [];
  for (let i = 0; i < n; i++) if (ids.minHealthy[i] !== NOT_A_GROUP && ids.dependencyCount[i] < ids.minHealthy[i]) misconfigured.push(i);
  return {
    ...ids,
    byKey,
    provStart: providers.start,
    prov: providers.list,
    provSoft: providers.soft,
    consStart: consumers.start,
    cons: consumers.list,
    consSoft: consumers.soft,
    misconfigured: Int32Array.from(misconfigured),
    ...found,
  };
}

/** The components of a subgraph, with their members by key and their own dependencies. */
function componentsOf(n: number, providers: { start: Int32Array; list: Int32Array }, keyOrder: Int32Array): Components {
  const { sccOf, sccStart, sccList } = components(n, providers.start, providers.list);
  const sccCount = sccStart.length - 1;
  const sccByKey = sccList.slice();
  for (let s = 0; s < sccCount; s++) {
    if (sccStart[s + 1] - sccStart[s] > 1) sccByKey.subarray(sccStart[s], sccStart[s + 1]).sort((x, y) => keyOrder[x] - keyOrder[y]);
  }
  // Component dependencies, deduplicated with a stamp per component.
  const stamp = new Int32Array(sccCount).fill(-1);
  const sccProvStart = new Int32Array(sccCount + 1);
  const sccProvList: number[] = [];
  for (let s = 0; s < sccCount; s++) {
    stamp[s] = s;
    for (let m = sccStart[s]; m < sccStart[s + 1]; m++) {
      const u = sccList[m];
      for (let e = providers.start[u]; e < providers.start[u + 1]; e++) {
        const t = sccOf[providers.list[e]];
        if (stamp[t] === s) continue;
        stamp[t] = s;
        sccProvList.push(t);
      }
    }
    sccProvStart[s + 1] = sccProvList.length;
  }
  return { sccOf, sccStart, sccList, sccByKey, sccProvStart, sccProv: Int32Array.from(sccProvList) };
}

/**
 * The components of a part of `p` made of whole components: `components`, p's components that
 * hold its CIs, consumers first; in the part in p's order (each after all it depends on), with
 * their dependencies inside the part, renumbered. `reached` lists the part's CIs by their id in p,
 * `local` gives each p node's id in the part (-1 outside).
 */
function componentsWithin(p: Prepared, components: Int32Array, reached: Int32Array, local: Int32Array): Components {
  const count = reached.length;
  const kept = components.length;
  // Each kept component's number in the part, -1 outside; put back after.
  const at = scratchOf(p).component;
  for (let t = 0; t < kept; t++) at[components[kept - 1 - t]] = t;
  const sccOf = new Int32Array(count);
  for (let li = 0; li < count; li++) sccOf[li] = at[p.sccOf[reached[li]]];
  // Whole components (the part is closed under dependencies), members in p's orders.
  const sccStart = new Int32Array(kept + 1);
  const sccList = new Int32Array(count);
  const sccByKey = new Int32Array(count);
  const sccProvStart = new Int32Array(kept + 1);
  for (let t = 0, k = 0; t < kept; t++) {
    const s = components[kept - 1 - t];
    for (let m = p.sccStart[s]; m < p.sccStart[s + 1]; m++, k++) {
      sccList[k] = local[p.sccList[m]];
      sccByKey[k] = local[p.sccByKey[m]];
    }
    sccStart[t + 1] = k;
    let inside = 0;
    for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) if (at[p.sccProv[e]] >= 0) inside++;
    sccProvStart[t + 1] = sccProvStart[t] + inside;
  }
  const sccProv = new Int32Array(sccProvStart[kept]);
  for (let t = 0; t < kept; t++) {
    const s = components[kept - 1 - t];
    for (let e = p.sccProvStart[s], k = sccProvStart[t]; e < p.sccProvStart[s + 1]; e++) if (at[p.sccProv[e]] >= 0) sccProv[k++] = at[p.sccProv[e]];
  }
  for (let t = 0; t < kept; t++) at[components[t]] = -1;
  return { sccOf, sccStart, sccList, sccByKey, sccProvStart, sccProv };
}

/** Tarjan's strongly connected components, iteratively (deep dependency chains would overflow the stack). */
function components(n: number, start: Int32Array, list: Int32Array): { sccOf: Int32Array; sccStart: Int32Array; sccList: Int32Array } {
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  // Members of each component as it closes, one after the other; where each begins.
  const sccList = new Int32Array(n);
  const begins: number[] = [0];
  let filled = 0;
  const callNode: number[] = [];
  const callEdge: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    callNode.push(root);
    callEdge.push(start[root]);
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callNode.length) {
      const v = callNode[callNode.length - 1];
      const e = callEdge[callEdge.length - 1];
      if (e < start[v + 1]) {
        callEdge[callEdge.length - 1] = e + 1;
        const w = list[e];
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callNode.push(w);
          callEdge.push(start[w]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], order[w]);
        }
        continue;
      }
      callNode.pop();
      callEdge.pop();
      if (callNode.length) {
        const parent = callNode[callNode.length - 1];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === order[v]) {
        const id = begins.length - 1;
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          sccOf[w] = id;
          sccList[filled++] = w;
          if (w === v) break;
        }
        begins.push(filled);
      }
    }
  }
  return { sccOf, sccStart: Int32Array.from(begins), sccList };
}

const isSevere = (a: RcaAlert) => a.severity === 'CRITICAL' || a.severity === 'MAJOR';

/** Working arrays of downAfter, reused across candidates: marks are stamps, so nothing is cleared. */
interface DownScratch {
  stamp: number;
  down: Int32Array;
  counted: Int32Array;
  membersDown: Int32Array;
  queue: Int32Array;
  reached: Int32Array;
}

function downScratch(n: number): DownScratch {
  return { stamp: 0, down: new Int32Array(n), counted: new Int32Array(n), membersDown: new Int32Array(n), queue: new Int32Array(n), reached: new Int32Array(n) };
}

/**
 * Which CIs of the subgraph the failure of `i` alone takes DOWN (marked with the new stamp in the
 * array returned): the least fixed point propagateImpact finds (src/impact/impact-engine.ts): DOWN
 * through a HARD dependency on a DOWN CI, a group once fewer than minHealthy members are left up,
 * and a misconfigured group as soon as the failure reaches it. Everything else the failure reaches
 * is DEGRADED.
 */
function downAfter(p: Prepared, i: number, scratch: DownScratch): Int32Array {
  const stamp = ++scratch.stamp;
  const { down, counted, membersDown, queue } = scratch;
  let count = 0;
  const markDown = (x: number) => {
    down[x] = stamp;
    queue[count++] = x;
  };
  markDown(i);
  if (p.misconfigured.length) {
    // Only when the subgraph has a misconfigured group: what the failure reaches at all.
    const { reached } = scratch;
    reached[0] = i;
    counted[i] = -stamp;
    let size = 1;
    for (let head = 0; head < size; head++) {
      const x = reached[head];
      for (let e = p.consStart[x]; e < p.consStart[x + 1]; e++) {
        const y = p.cons[e];
        if (counted[y] !== -stamp) {
          counted[y] = -stamp;
          reached[size++] = y;
        }
      }
    }
    for (const g of p.misconfigured) if (counted[g] === -stamp && down[g] !== stamp) markDown(g);
  }
  for (let head = 0; head < count; head++) {
    const x = queue[head];
    for (let e = p.consStart[x]; e < p.consStart[x + 1]; e++) {
      const y = p.cons[e];
      if (down[y] === stamp) continue;
      if (p.minHealthy[y] !== NOT_A_GROUP) {
        if (counted[y] !== stamp) {
          counted[y] = stamp;
          membersDown[y] = 0;
        }
        if (p.dependencyCount[y] - ++membersDown[y] < p.minHealthy[y]) markDown(y);
      } else if (!p.consSoft[e]) markDown(y);
    }
  }
  return down;
}

const popcount = (x: number) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

/**
 * Pushes each component's explained alerting CIs (a bitset of `words` words per component) and,
 * when given, earliest start to the components it depends on, consumers first (components are numbered
 * after all they depend on). A function of its own, on typed arrays only: the hottest loop of a
 * storm's ranking, it runs several times faster compiled alone than as part of rankPrepared,
 * which runs once per request and is only ever compiled part by part, mid-loop.
 */
function pushToProviders(sccProvStart: Int32Array, sccProv: Int32Array, words: number, anc: Uint32Array, hasAnc: Uint8Array, earliest?: Float64Array): void {
  for (let s = hasAnc.length - 1; s >= 0; s--) {
    if (!hasAnc[s]) continue;
    const from = s * words;
    for (let e = sccProvStart[s]; e < sccProvStart[s + 1]; e++) {
      const t = sccProv[e];
      const to = t * words;
      for (let k = 0; k < words; k++) anc[to + k] |= anc[from + k];
      hasAnc[t] = 1;
      if (earliest && earliest[s] < earliest[t]) earliest[t] = earliest[s];
    }
  }
}

/** For each component with explained alerting CIs, how many of them are of each kind (`masks`, a bitset per kind): membersOf[s * kinds + kind]. */
function countByKind(anc: Uint32Array, hasAnc: Uint8Array, words: number, masks: Uint32Array, kinds: number, membersOf: Int32Array): void {
  for (let s = 0; s < hasAnc.length; s++) {
    if (!hasAnc[s]) continue;
    const row = s * words;
    for (let kind = 0; kind < kinds; kind++) {
      const mask = kind * words;
      let members = 0;
      for (let k = 0; k < words; k++) members += popcount(anc[row + k] & masks[mask + k]);
      membersOf[s * kinds + kind] = members;
    }
  }
}

/** Candidates the likelihood is computed exactly for, at least: ranks beyond these may be ordered by an upper bound. */
const EXACT_TOP = 100;
/** A candidate this far (in log-likelihood) below the best scores 0 to four decimals, and is only ordered by an upper bound. */
/** Slack for sums taken in another order when a bound decides. */
const ROUNDING = 1e-6;
const NEGLIGIBLE = 40;

interface Ranking {
  /** How many candidates are ranked (at most `keep`). */
  count: number;
  /** The best log-likelihood, and the `exactTop`-th best (-Infinity when fewer were ranked exactly). */
  best: number;
  kth: number;
  /**
   * The candidate at a place in the ranking, built when asked for: correlation ranks fifty
   * thousand candidates to take a few hundred, and a candidate object each cost more than the ranking.
   */
  candidate: (position: number) => RankedCandidate;
  /** The place among all keys in string order of the candidate at a place. */
  keyOrderAt: (position: number) => number;
  /** The bitset word offset of the alerting CIs the candidate at a place explains (see `words`, `alerting`). */
  ancOffset: (position: number) => number;
  anc: Uint32Array;
  words: number;
  /** Alerting CIs by bit, with their alerts, in the order they first appear among the alerts. */
  alerting: { node: number; alerts: RcaAlert[] }[];
  /** Per ranked candidate: is it alerting, and its precision (as in its evidence). */
  alertingOf: Uint8Array;
  precisionOf: Float64Array;
  /**
   * Per ranked candidate: its log-likelihood less the part its explained alerts bring (exact when
   * `restExact`, else an upper bound; `exactRest` makes it exact); `unit`, per alerting CI (bit):
   * what explaining it brings rather than leaving it as noise.
   */
  rest: Float64Array;
  restExact: Uint8Array;
  /** Makes `rest` exact, unless it turns out below `below`: then it only lowers the bound. */
  exactRest: (position: number, below?: number) => void;
  /** Per ranked candidate: what leading a group of all the alerts adds (an upper bound where `rest` is one). */
  gainAll: Float64Array;
  unit: number[];
}

/**
 * Ranks every candidate for the given alerts, and returns the first `top`
 * (all by default). Deterministic: ties break on key. `recentlyChanged` names
 * CIs with changes shortly before the alerts. Scores are shares of the
 * likelihood of all candidates, however few are returned.
 */
export function rankCandidates(
  subgraph: RcaGraph,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
  top = Infinity,
): RankedCandidate[] {
  // Ranks past `top` need no exact likelihood: each candidate that makes the first `top` is walked whatever the count.
  return candidatesOf(rankPrepared(prepare(subgraph), alerts, recentlyChanged, w, Math.min(EXACT_TOP, top), top));
}

/** Every candidate of a ranking, in order. */
function candidatesOf(ranking: Ranking): RankedCandidate[] {
  return Array.from({ length: ranking.count }, (_, position) => ranking.candidate(position));
}

/**
 * The ranking over a prepared subgraph. Each CI's explained alerts are a
 * bitset over the alerting CIs, pushed from consumers to providers once over
 * the components (a CI explains what everything depending on it explains);
 * distances to the nearest alerts come from one breadth-first pass from all
 * alerting CIs; only the quiet CIs on the way are counted one candidate at a
 * time, best upper bound first, and a walk stops as soon as the candidate
 * can no longer reach the top `exactTop` or come within NEGLIGIBLE of the best.
 */
function rankPrepared(
  p: Prepared,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string>,
  w: RcaWeights,
  exactTop: number,
  keep = Infinity,
  /** false: the tail's places need no order (the grouping's heap orders them by gain and key). */
  orderTail = true,
): Ranking {
  const usable = alerts.filter((a) => p.nodeOf(a.key) !== undefined);
  const empty: Ranking = {
    count: 0,
    best: -Infinity,
    kth: -Infinity,
    candidate: () => {
      throw new RangeError('an empty ranking has no candidates');
    },
    keyOrderAt: () => {
      throw new RangeError('an empty ranking has no candidates');
    },
    ancOffset: () => 0,
    anc: new Uint32Array(0),
    words: 0,
    alerting: [],
    alertingOf: new Uint8Array(0),
    precisionOf: new Float64Array(0),
    rest: new Float64Array(0),
    restExact: new Uint8Array(0),
    exactRest: () => undefined,
    gainAll: new Float64Array(0),
    unit: [],
  };
  if (!usable.length) return empty;
  const n = p.keys.length;
  const bitOf = new Int32Array(n).fill(-1);
  // Marked by node once: a key lookup per likelihood was a string hash per candidate and bound.
  const changed = new Uint8Array(n);
  for (const key of recentlyChanged) {
    const node = p.nodeOf(key);
    if (node !== undefined) changed[node] = 1;
  }
  const alerting: Ranking['alerting'] = [];
  for (const alert of usable) {
    const node = p.nodeOf(alert.key)!;
    if (bitOf[node] === -1) {
      bitOf[node] = alerting.length;
      alerting.push({ node, alerts: [] });
    }
    alerting[bitOf[node]].alerts.push(alert);
  }
  const weightOf = (a: RcaAlert) => w.severity[a.severity] ?? 1;
  const totalWeight = usable.reduce((sum, a) => sum + weightOf(a), 0);
  const firstStart = alerting.map(({ alerts: list }) => Math.min(...list.map((a) => a.startsAt)));
  // What it costs to leave each alerting CI unexplained: noise, weighted by its worst severity.
  const noiseCost = alerting.map(({ alerts: list }) => Math.log(w.noiseRate) * Math.max(...list.map(weightOf)));
  const allNoise = noiseCost.reduce((sum, c) => sum + c, 0);
  const expected = Math.log(1 - w.missRate);
  const missed = Math.log(w.missRate);
  const words = Math.ceil(alerting.length / 32);
  const alertCount = alerting.map(({ alerts: list }) => list.length);
  const coverageOf = alerting.map(({ alerts: list }) => list.reduce((sum, a) => sum + weightOf(a), 0));
  // Which alerting CIs say they are down (an alert CRITICAL or MAJOR), to hold against the state a failure predicts there.
  const saysDown = Uint8Array.from(alerting, ({ alerts: list }) => (list.some(isSevere) ? 1 : 0));

  // Which alerting CIs each component's failure explains: its own, and everything its consumers explain.
  const sccCount = p.sccStart.length - 1;
  const anc = new Uint32Array(sccCount * words);
  const hasAnc = new Uint8Array(sccCount);
  for (const [bit, { node }] of alerting.entries()) {
    const s = p.sccOf[node];
    anc[s * words + (bit >>> 5)] |= 1 << (bit & 31);
    hasAnc[s] = 1;
  }
  // The earliest start among them, likewise.
  const earliest = new Float64Array(sccCount).fill(Infinity);
  for (const [bit, { node }] of alerting.entries()) earliest[p.sccOf[node]] = Math.min(earliest[p.sccOf[node]], firstStart[bit]);
  pushToProviders(p.sccProvStart, p.sccProv, words, anc, hasAnc, earliest);

  // Direct dependents of each candidate that neither alert nor lead to an alert: outside the subgraph, so
  // quiet, yet impacted by whatever takes the CI down.
  const isCandidate = (i: number) => hasAnc[p.sccOf[i]] === 1;
  const branchesOf = new Int32Array(n);
  const quietDependentsOf = new Int32Array(n);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!isCandidate(i)) continue;
    candidates.push(i);
    let branches = 0;
    for (let e = p.consStart[i]; e < p.consStart[i + 1]; e++) if (isCandidate(p.cons[e])) branches++;
    branchesOf[i] = branches;
    quietDependentsOf[i] = Math.max(0, p.dependentCount[i] - branches);
  }

  // Per component: how many alerting CIs and alerts it explains, and the noise left unexplained.
  // Alerting CIs alike in all three are counted together, a popcount per kind instead of a pass per CI;
  // the noise is summed again one CI at a time, in the order the alerts came, for the candidates that
  // are ranked exactly, so their likelihood is that of one walk over their explained alerts.
  const profiles = new Map<string, number>();
  const profileOf = alerting.map((_, bit) => {
    const profile = `${noiseCost[bit]}|${alertCount[bit]}|${coverageOf[bit]}`;
    if (!profiles.has(profile)) profiles.set(profile, profiles.size);
    return profiles.get(profile)!;
  });
  const kinds = profiles.size;
  const kindOf = Array.from({ length: kinds }, () => 0);
  profileOf.forEach((kind, bit) => (kindOf[kind] = bit));
  const masks = new Uint32Array(kinds * words);
  profileOf.forEach((kind, bit) => (masks[kind * words + (bit >>> 5)] |= 1 << (bit & 31)));
  const reachedSize = new Int32Array(sccCount);
  const explainedCount = new Int32Array(sccCount);
  const approximateNoise = new Float64Array(sccCount);
  const explainedCoverage = new Float64Array(sccCount);
  const membersOf = new Int32Array(sccCount * kinds);
  countByKind(anc, hasAnc, words, masks, kinds, membersOf);
  for (let s = 0; s < sccCount; s++) {
    if (!hasAnc[s]) continue;
    let noise = 0;
    let count = 0;
    let size = 0;
    let coverage = 0;
    for (let kind = 0; kind < kinds; kind++) {
      const members = membersOf[s * kinds + kind];
      if (!members) continue;
      const bit = kindOf[kind];
      size += members;
      noise += members * noiseCost[bit];
      count += members * alertCount[bit];
      coverage += members * coverageOf[bit];
    }
    reachedSize[s] = size;
    explainedCount[s] = count;
    approximateNoise[s] = allNoise - noise;
    explainedCoverage[s] = coverage;
  }
  const exactNoise = new Float64Array(sccCount).fill(Number.NaN);
  const unexplainedNoiseOf = (s: number) => {
    if (Number.isNaN(exactNoise[s])) {
      let noise = allNoise;
      for (const bit of bitsOf(anc, s * words, words)) noise -= noiseCost[bit];
      exactNoise[s] = noise;
    }
    return exactNoise[s];
  };

  // Whether something a component depends on is alerting (beyond itself).
  const alertingIn = new Int32Array(sccCount);
  for (const { node } of alerting) alertingIn[p.sccOf[node]]++;
  const below = new Uint8Array(sccCount);
  for (let s = 0; s < sccCount; s++) {
    for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) {
      const t = p.sccProv[e];
      if (alertingIn[t] > 0 || below[t]) {
        below[s] = 1;
        break;
      }
    }
  }

  // Hops from the nearest alerting CI, and the earliest start among the nearest, for silent candidates.
  const level = new Int32Array(n).fill(-1);
  const nearestStart = new Float64Array(n).fill(Infinity);
  const queue: number[] = [];
  for (const [bit, { node }] of alerting.entries()) {
    level[node] = 0;
    nearestStart[node] = firstStart[bit];
    queue.push(node);
  }
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head];
    // An alerting CI passes on its own start; a silent one what reached it.
    const passed = bitOf[x] >= 0 ? firstStart[bitOf[x]] : nearestStart[x];
    for (let e = p.provStart[x]; e < p.provStart[x + 1]; e++) {
      const y = p.prov[e];
      if (level[y] === -1) {
        level[y] = level[x] + 1;
        nearestStart[y] = passed;
        queue.push(y);
      } else if (level[y] === level[x] + 1 && passed < nearestStart[y]) {
        nearestStart[y] = passed;
      }
    }
  }

  // The likelihood with the quiet CIs on the way; with a floor of them, an upper bound.
  const logLikelihoodWith = (i: number, quietOnTheWay: number, exactly = false) => {
    const s = p.sccOf[i];
    const isAlerting = bitOf[i] >= 0;
    const startedFirst = (isAlerting ? firstStart[bitOf[i]] : nearestStart[i]) <= earliest[s];
    const victim = alertingIn[s] - (isAlerting ? 1 : 0) > 0 || below[s] === 1;
    const mildSelf = isAlerting && saysDown[bitOf[i]] === 0;
    return (
      reachedSize[s] * expected +
      (exactly ? unexplainedNoiseOf(s) : approximateNoise[s]) +
      (isAlerting ? 0 : missed) +
      (quietDependentsOf[i] + quietOnTheWay) * missed +
      (startedFirst ? w.onsetBonus : 0) +
      (changed[i] ? w.changeBonus : 0) -
      (victim ? w.victimPenalty : 0) -
      (mildSelf ? w.mildSelfPenalty : 0) -
      // Left out of a bound: a penalty, so the bound stays one.
      (exactly ? mismatchesOf(i) * w.severityMismatchPenalty : 0)
    );
  };
  // The other alerting CIs a candidate explains whose alerts disagree with the state its failure
  // predicts there; counted only for candidates ranked exactly, one propagation each.
  const mismatches = new Int32Array(n).fill(-1);
  let scratch: DownScratch | null = null;
  const mismatchesOf = (i: number): number => {
    if (mismatches[i] < 0) {
      const down = downAfter(p, i, (scratch ??= downScratch(n)));
      let count = 0;
      for (const bit of bitsOf(anc, p.sccOf[i] * words, words)) {
        const node = alerting[bit].node;
        if (node !== i && (down[node] === scratch.stamp) !== (saysDown[bit] === 1)) count++;
      }
      mismatches[i] = count;
    }
    return mismatches[i];
  };
  const keyOrder = p.keyOrder;
  const byKeyOrder = (a: number, b: number) => keyOrder[a] - keyOrder[b];

  // Quiet CIs on the way, consumers before providers: each CI of the subgraph between a candidate and an
  // alerting one that raised nothing, and the quiet direct dependents of every CI it reaches (a provider
  // under an alerting CI also takes down what else depends on that CI); each is a missed alert. The walk
  // goes past redundancy groups, alerting or not: one member down leaves the group DEGRADED, and what
  // stands on it degraded with it (PRODUCT.md, impact semantics). What a component's
  // consumers have above them is also above it: the largest such count is a floor for its own, so a
  // deep provider under thousands of quiet CIs is set aside without a walk once better candidates are
  // known, and a walk stops as soon as the candidate cannot reach the first `exactTop` or come within
  // NEGLIGIBLE of the best.
  const weightAbove = new Float64Array(n);
  for (let y = 0; y < n; y++) weightAbove[y] = (bitOf[y] < 0 ? 1 : 0) + (isCandidate(y) ? quietDependentsOf[y] : 0);
  const quietWeight = (y: number) => weightAbove[y];
  const inside = new Float64Array(sccCount);
  for (let y = 0; y < n; y++) inside[p.sccOf[y]] += weightAbove[y];
  const above = new Float64Array(sccCount);
  const walked = new Uint8Array(sccCount);
  const floorOf = new Float64Array(n);
  const bound = new Float64Array(n);
  const exact: { i: number; ll: number }[] = [];
  const tail: number[] = [];
  const top: number[] = [];
  let best = -Infinity;
  const seen = new Int32Array(n);
  let walks = 0;
  const walk: number[] = [];
  /**
   * The quiet CIs on the way above candidate `i`, walking up from it; cut short (`dropped`) once its
   * likelihood falls below `cut` (never with -Infinity). A second member of a walked cycle needs no walk.
   */
  const walkAbove = (i: number, floor: number, cut: number): { quiet: number; dropped: boolean } => {
    const s = p.sccOf[i];
    if (walked[s]) return { quiet: inside[s] - weightAbove[i] + above[s], dropped: false };
    const stamp = ++walks;
    let quiet = 0;
    walk.length = 0;
    walk.push(i);
    seen[i] = stamp;
    for (let head = 0; head < walk.length; head++) {
      const x = walk[head];
      for (let e = p.consStart[x]; e < p.consStart[x + 1]; e++) {
        const y = p.cons[e];
        if (seen[y] === stamp) continue;
        seen[y] = stamp;
        quiet += weightAbove[y];
        walk.push(y);
      }
      if (quiet > floor && logLikelihoodWith(i, quiet) < cut - ROUNDING) return { quiet, dropped: true };
    }
    return { quiet, dropped: false };
  };
  for (let s = sccCount - 1; s >= 0; s--) {
    if (hasAnc[s]) {
      for (let m = p.sccStart[s]; m < p.sccStart[s + 1]; m++) {
        const i = p.sccByKey[m];
        const kth = top.length >= exactTop ? top[top.length - 1] : -Infinity;
        const cut = Math.min(kth, best - NEGLIGIBLE);
        const floor = inside[s] - quietWeight(i) + above[s];
        bound[i] = logLikelihoodWith(i, floor);
        if (bound[i] < cut - ROUNDING) {
          tail.push(i);
          floorOf[i] = floor;
          continue;
        }
        const { quiet, dropped } = walkAbove(i, floor, cut);
        // Even a walk cut short counted CIs that are above the whole component: a better floor below it.
        above[s] = Math.max(above[s], quiet - (inside[s] - quietWeight(i)));
        if (dropped) {
          tail.push(i);
          // What the walk counted before it stopped is above `i` too: a floor that spares the grouping's
          // greedy a second walk of most of these (the tail is still ordered by `bound`, from the floor before).
          floorOf[i] = quiet;
          continue;
        }
        walked[s] = 1;
        const ll = logLikelihoodWith(i, quiet, true);
        exact.push({ i, ll });
        best = Math.max(best, ll);
        // The best `exactTop` likelihoods so far, in descending order.
        if (top.length < exactTop || ll > top[top.length - 1]) {
          let at = top.length;
          while (at > 0 && top[at - 1] < ll) at--;
          top.splice(at, 0, ll);
          if (top.length > exactTop) top.pop();
        }
      }
    }
    // Pass down what is above this component, and the component itself.
    const passed = above[s] + inside[s];
    for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) {
      const t = p.sccProv[e];
      if (passed > above[t]) above[t] = passed;
    }
  }

  // Normalize: each candidate's share of the total likelihood (a softmax over log-likelihoods).
  const total = exact.reduce((sum, x) => sum + Math.exp(x.ll - best), 0);
  exact.sort((a, b) => b.ll - a.ll || byKeyOrder(a.i, b.i));
  // Only the first `keep` candidates are wanted (a group shows three of its thousands): the tail is
  // sorted only when they reach into it.
  const fromTail = Math.max(0, Math.min(keep - exact.length, tail.length));
  if (fromTail && orderTail) tail.sort((a, b) => bound[b] - bound[a] || byKeyOrder(a, b));
  // The places in the ranking as typed arrays: the exact candidates, then those of the tail wanted.
  const count = Math.min(keep, exact.length) + fromTail;
  const nodeAt = new Int32Array(count);
  const scoreAt = new Float64Array(count);
  const restExact = new Uint8Array(count);
  const rest = new Float64Array(count);
  const gainAll = new Float64Array(count);
  // For correlation: what a candidate adds beyond the alerts it explains, and what each explained alert adds.
  const explainedPart = (i: number, exactly: boolean) => reachedSize[p.sccOf[i]] * expected + (exactly ? unexplainedNoiseOf(p.sccOf[i]) : approximateNoise[p.sccOf[i]]);
  for (let position = 0; position < count; position++) {
    const fromExact = position < count - fromTail;
    const i = fromExact ? exact[position].i : tail[position - (count - fromTail)];
    const ll = fromExact ? exact[position].ll : logLikelihoodWith(i, floorOf[i]);
    nodeAt[position] = i;
    scoreAt[position] = fromExact ? Math.round((Math.exp(ll - best) / total) * 10_000) / 10_000 : 0;
    restExact[position] = fromExact ? 1 : 0;
    rest[position] = ll - explainedPart(i, fromExact);
    gainAll[position] = ll - allNoise;
  }
  const alertingOf = new Uint8Array(count);
  const precisionOf = new Float64Array(count);
  const source: EvidenceSource = {
    p,
    anc,
    words,
    alerting,
    bitOf,
    firstStart,
    recentlyChanged,
    node: nodeAt,
    unexplainedCount: new Int32Array(count),
    coverage: new Float64Array(count),
    precision: precisionOf,
    startedFirst: new Uint8Array(count),
    earliest: new Float64Array(count),
  };
  for (let position = 0; position < count; position++) {
    const i = nodeAt[position];
    const s = p.sccOf[i];
    const isAlerting = bitOf[i] >= 0;
    const branches = branchesOf[i];
    source.unexplainedCount[position] = usable.length - explainedCount[s];
    source.coverage[position] = Math.round((explainedCoverage[s] / totalWeight) * 10_000) / 10_000;
    source.startedFirst[position] = (isAlerting ? firstStart[bitOf[i]] : nearestStart[i]) <= earliest[s] ? 1 : 0;
    source.earliest[position] = earliest[s];
    alertingOf[position] = isAlerting ? 1 : 0;
    precisionOf[position] = Math.round(Math.min(1, (branches + (isAlerting ? 1 : 0)) / (Math.max(p.dependentCount[i], branches) + 1)) * 10_000) / 10_000;
  }
  const tries = new Uint8Array(count);
  const exactRest = (position: number, below = -Infinity) => {
    const i = nodeAt[position];
    // Each try walks at least twice as far as the last, so no candidate is walked much more than twice in all.
    const atLeast = tries[position]++ ? 2 * floorOf[i] : floorOf[i];
    const { quiet, dropped } = walkAbove(i, atLeast, below + explainedPart(i, false));
    floorOf[i] = Math.max(floorOf[i], quiet);
    if (dropped) {
      rest[position] = logLikelihoodWith(i, quiet) - explainedPart(i, false);
      return;
    }
    rest[position] = logLikelihoodWith(i, quiet, true) - explainedPart(i, true);
    restExact[position] = 1;
  };
  return {
    count,
    best,
    kth: top.length >= exactTop ? top[exactTop - 1] : -Infinity,
    candidate: (position) => candidateAt(source, position, scoreAt[position]),
    keyOrderAt: (position) => p.keyOrder[nodeAt[position]],
    ancOffset: (position) => p.sccOf[nodeAt[position]] * words,
    anc,
    words,
    alerting,
    alertingOf,
    precisionOf,
    rest,
    restExact,
    exactRest,
    gainAll,
    unit: noiseCost.map((cost) => expected - cost),
  };
}

/**
 * What a ranking keeps for the evidence its candidates build when read, per place in the ranking:
 * only this, not the ranking's working arrays, which the hundred group rankings of a storm would
 * otherwise all hold on to (a few MB each, and most of the time a storm took went to the collector).
 */
interface EvidenceSource {
  p: Prepared;
  anc: Uint32Array;
  words: number;
  alerting: Ranking['alerting'];
  bitOf: Int32Array;
  firstStart: number[];
  recentlyChanged: ReadonlySet<string>;
  node: Int32Array;
  unexplainedCount: Int32Array;
  coverage: Float64Array;
  precision: Float64Array;
  startedFirst: Uint8Array;
  earliest: Float64Array;
}

/**
 * A ranked candidate whose evidence is built when read: a storm has tens of thousands of
 * candidates, and callers read a few. An own enumerable accessor, so spreading a candidate
 * reads its evidence; an object literal rather than defineProperty, which is many times slower.
 */
function candidateAt(source: EvidenceSource, position: number, score: number): RankedCandidate {
  const i = source.node[position];
  let evidence: CandidateEvidence | undefined;
  return {
    key: source.p.keys[i],
    kind: source.p.kinds[i],
    score,
    rank: position + 1,
    get evidence(): CandidateEvidence {
      return (evidence ??= evidenceAt(source, position));
    },
    set evidence(value: CandidateEvidence) {
      evidence = value;
    },
  };
}

function evidenceAt(source: EvidenceSource, position: number): CandidateEvidence {
  const { p, anc, words, alerting, bitOf } = source;
  const i = source.node[position];
  const offset = p.sccOf[i] * words;
  const isAlerting = bitOf[i] >= 0;
  let explained: string[] | undefined;
  let providers: string[] | undefined;
  let chain: string[] | undefined;
  return {
    unexplainedCount: source.unexplainedCount[position],
    coverage: source.coverage[position],
    precision: source.precision[position],
    alerting: isAlerting,
    startedFirst: source.startedFirst[position] === 1,
    firstAlertAt: isAlerting ? source.firstStart[bitOf[i]] : null,
    earliestExplainedAt: source.earliest[position],
    recentlyChanged: source.recentlyChanged.has(p.keys[i]),
    get explainedAlertIds(): string[] {
      return (explained ??= explainedIds(anc, offset, words, alerting));
    },
    set explainedAlertIds(value: string[]) {
      explained = value;
    },
    get dependenciesAlerting(): string[] {
      return (providers ??= alertingProviders(p, i, bitOf));
    },
    set dependenciesAlerting(value: string[]) {
      providers = value;
    },
    get exampleChain(): string[] {
      return (chain ??= exampleChain(p, i, anc, offset, words, alerting));
    },
    set exampleChain(value: string[]) {
      chain = value;
    },
  };
}

function* bitsOf(anc: Uint32Array, offset: number, words: number): Generator<number> {
  for (let k = 0; k < words; k++) {
    let word = anc[offset + k];
    while (word !== 0) {
      const low = word & -word;
      yield (k << 5) + (31 - Math.clz32(low));
      word ^= low;
    }
  }
}

function explainedIds(anc: Uint32Array, offset: number, words: number, alerting: Ranking['alerting']): string[] {
  const ids: string[] = [];
  for (const bit of bitsOf(anc, offset, words)) for (const a of alerting[bit].alerts) ids.push(a.id);
  return ids.sort();
}

function alertingProviders(p: Prepared, i: number, bitOf: Int32Array): string[] {
  const found: string[] = [];
  const seen = new Uint8Array(p.keys.length);
  seen[i] = 1;
  const queue = [i];
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head];
    for (let e = p.provStart[x]; e < p.provStart[x + 1]; e++) {
      const provider = p.prov[e];
      if (seen[provider]) continue;
      seen[provider] = 1;
      if (bitOf[provider] >= 0) found.push(p.keys[provider]);
      queue.push(provider);
    }
  }
  return found.sort();
}

/**
 * The chain from the farthest explained alerting CI (the smaller key on a
 * tie) down to the candidate, along that CI's breadth-first walk over what
 * it depends on.
 */
function exampleChain(p: Prepared, i: number, anc: Uint32Array, offset: number, words: number, alerting: Ranking['alerting']): string[] {
  // Typed arrays rather than maps: a deep candidate reaches most of a storm's 57,000 CIs, and
  // the ten candidates an answer shows were 45 ms of it with maps.
  const n = p.keys.length;
  const queue = new Int32Array(n);
  // Hops up from the candidate to every CI that depends on it (-1: not above it).
  const up = new Int32Array(n).fill(-1);
  up[i] = 0;
  let size = 0;
  queue[size++] = i;
  for (let head = 0; head < size; head++) {
    const x = queue[head];
    for (let e = p.consStart[x]; e < p.consStart[x + 1]; e++) {
      const y = p.cons[e];
      if (up[y] < 0) {
        up[y] = up[x] + 1;
        queue[size++] = y;
      }
    }
  }
  let start = -1;
  let farthest = -1;
  for (const bit of bitsOf(anc, offset, words)) {
    const node = alerting[bit].node;
    const distance = up[node];
    if (distance > farthest || (distance === farthest && p.keys[node] < p.keys[start])) {
      farthest = distance;
      start = node;
    }
  }
  // That CI's own walk down, as far as the candidate, to follow its breadth-first parents (-2: not reached).
  const parent = new Int32Array(n).fill(-2);
  parent[start] = -1;
  size = 0;
  queue[size++] = start;
  for (let head = 0; head < size && parent[i] === -2; head++) {
    const x = queue[head];
    for (let e = p.provStart[x]; e < p.provStart[x + 1]; e++) {
      const y = p.prov[e];
      if (parent[y] === -2) {
        parent[y] = x;
        queue[size++] = y;
      }
    }
  }
  const chain: string[] = [];
  for (let x = i; x !== -1; x = parent[x]) chain.push(p.keys[x]);
  return chain.reverse();
}

/**
 * Candidates (places in a ranking) by gain, largest first; equal gains by key (`order`: each
 * place's key order, compared as integers). Two typed arrays rather than an object per entry: a
 * storm's grouping starts with some 47,000 of them, put in all at once and then ordered (linear)
 * rather than pushed one by one.
 */
class GainHeap {
  private readonly places: Int32Array;
  private readonly gains: Float64Array;
  size = 0;

  constructor(
    private readonly order: Int32Array,
    capacity: number,
  ) {
    this.places = new Int32Array(capacity);
    this.gains = new Float64Array(capacity);
  }

  /** Puts candidate `k` in, unordered: call heapify() before anything else. */
  add(k: number, gain: number): void {
    this.places[this.size] = k;
    this.gains[this.size++] = gain;
  }

  heapify(): void {
    for (let at = (this.size >> 1) - 1; at >= 0; at--) this.sink(at, this.places[at], this.gains[at]);
  }

  /** The gain on top. */
  topGain(): number {
    return this.gains[0];
  }

  /** Does the top come before candidate `k` with `gain`? */
  topBefore(k: number, gain: number): boolean {
    return this.before(this.places[0], this.gains[0], k, gain);
  }

  push(k: number, gain: number): void {
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(k, gain, this.places[parent], this.gains[parent])) break;
      this.places[at] = this.places[parent];
      this.gains[at] = this.gains[parent];
      at = parent;
    }
    this.places[at] = k;
    this.gains[at] = gain;
  }

  /** Takes the top off and returns its place. */
  pop(): number {
    const top = this.places[0];
    const size = --this.size;
    if (size > 0) this.sink(0, this.places[size], this.gains[size]);
    return top;
  }

  /** Puts candidate `k` with `gain` at `at` or below it, where it belongs. */
  private sink(at: number, k: number, gain: number): void {
    const size = this.size;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const next = right < size && this.before(this.places[right], this.gains[right], this.places[left], this.gains[left]) ? right : left;
      if (!this.before(this.places[next], this.gains[next], k, gain)) break;
      this.places[at] = this.places[next];
      this.gains[at] = this.gains[next];
      at = next;
    }
    this.places[at] = k;
    this.gains[at] = gain;
  }

  private before(a: number, aGain: number, b: number, bGain: number): boolean {
    if (aGain !== bGain) return aGain > bGain;
    return this.order[a] < this.order[b];
  }
}

/** A group of a storm's alerts as groupAlerts finds it: its alerts, and the CI whose failure took them (the alerting CI itself for a group of its own). */
export interface AlertGrouping {
  alerts: RcaAlert[];
  leader: string;
}

export interface AlertGroup {
  alerts: RcaAlert[];
  /** Candidates re-ranked on this group's alerts alone, best first. */
  candidates: RankedCandidate[];
}

/**
 * What a group's alerts alone would have fetched: their CIs and everything those depend on, with
 * the edges among them, in the subgraph's own order. A group is ranked on this, so its candidates
 * are what rootCause says for its alerts alone, whatever else the storm held (ranked on the whole
 * subgraph, the CIs above a candidate that lead only to other groups' alerts counted as quiet, and
 * a storm of a hundred incidents walked its fifty thousand CIs a hundred times).
 *
 * `kept` are the components of that closure kept for the ranking (keptComponents), consumers
 * first: deep shared infrastructure under fifty alerting services is most of a group's closure,
 * and none of it can come near the top.
 */
function closureOf(p: Prepared, kept: Int32Array): Prepared {
  // The part's CIs: the members of its components, in the subgraph's order (a numeric sort).
  let count = 0;
  for (const s of kept) count += p.sccStart[s + 1] - p.sccStart[s];
  const reached = new Int32Array(count);
  for (let k = 0, at = 0; k < kept.length; k++) for (let m = p.sccStart[kept[k]]; m < p.sccStart[kept[k] + 1]; m++) reached[at++] = p.sccList[m];
  reached.sort();
  // The part's node of each subgraph node while the part is built, -1 outside; put back after.
  const local = scratchOf(p).local;
  for (let at = 0; at < count; at++) local[reached[at]] = at;
  const keyOrder = new Int32Array(count);
  // The part's CIs in key order: already so when the subgraph's order is its key order (as the
  // repository hands it over), else sorted.
  const orders = new Int32Array(count);
  let ascending = true;
  for (let at = 0; at < count; at++) {
    orders[at] = p.keyOrder[reached[at]];
    if (at > 0 && orders[at] < orders[at - 1]) ascending = false;
  }
  if (!ascending) orders.sort();
  for (let order = 0; order < count; order++) keyOrder[local[p.byKey[orders[order]]]] = order;
  let used = 0;
  for (const i of reached) for (let e = p.provStart[i]; e < p.provStart[i + 1]; e++) if (local[p.prov[e]] >= 0) used += 2;
  const pairs = new Int32Array(used);
  const pairSoft = new Uint8Array(used >>> 1);
  used = 0;
  for (let at = 0; at < count; at++) {
    const i = reached[at];
    for (let e = p.provStart[i]; e < p.provStart[i + 1]; e++) {
      if (local[p.prov[e]] < 0) continue;
      pairSoft[used >>> 1] = p.provSoft[e];
      pairs[used++] = at;
      pairs[used++] = local[p.prov[e]];
    }
  }
  const keys = new Array<string>(count);
  const kinds = new Array<string>(count);
  const dependentCount = new Int32Array(count);
  const minHealthy = new Int32Array(count);
  const dependencyCount = new Int32Array(count);
  for (let at = 0; at < count; at++) {
    const i = reached[at];
    keys[at] = p.keys[i];
    kinds[at] = p.kinds[i];
    dependentCount[at] = p.dependentCount[i];
    minHealthy[at] = p.minHealthy[i];
    dependencyCount[at] = p.dependencyCount[i];
  }
  const components = componentsWithin(p, kept, reached, local);
  for (const i of reached) local[i] = -1;
  // A key's node in the part: its subgraph node, found among the part's (in the subgraph's order).
  const nodeOf = (key: string) => {
    const i = p.nodeOf(key);
    if (i === undefined) return undefined;
    const at = lowerBound(reached, i);
    return reached[at] === i ? at : undefined;
  };
  return fromPairs({ keys, kinds, dependentCount, minHealthy, dependencyCount, nodeOf, keyOrder }, pairs, pairSoft, components);
}

/** The first place in ascending `sorted` whose value is not below `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Working arrays the size of a subgraph, reused by its groups (one group at a time): all zero or
 * -1 between uses, as each says. Allocated per group, each of a storm's hundred single-alert
 * groups zeroed arrays the size of the whole subgraph for a part of a few CIs.
 */
interface Scratch {
  /** Per CI: its node in the part being built, -1 outside. */
  local: Int32Array;
  /** Per component: its number in the part being built, -1 outside. */
  component: Int32Array;
  /** Per component: keptComponents' state (KEPT, LEFT_OUT, QUEUED, ABOVE_ALERTS), 0 when untouched. */
  state: Uint8Array;
  /** Per component: keptComponents' heap, then its kept components; the components it touched. */
  heap: Int32Array;
  kept: Int32Array;
  touched: Int32Array;
  /** Per component: the quiet CIs in and above it (keptComponents), and what is above it so far. */
  passed: Float64Array;
  above: Float64Array;
}

const scratchOf = perObject((p: Prepared): Scratch => {
  const sccCount = p.sccStart.length - 1;
  return {
    local: new Int32Array(p.keys.length).fill(-1),
    component: new Int32Array(sccCount).fill(-1),
    state: new Uint8Array(sccCount),
    heap: new Int32Array(sccCount),
    kept: new Int32Array(sccCount),
    touched: new Int32Array(sccCount),
    passed: new Float64Array(sccCount),
    above: new Float64Array(sccCount),
  };
});

/**
 * Which components are in each group's closure (its alerting CIs' components and every one they
 * depend on), for all the groups of a storm at once: a bitset of groups per component, pushed from
 * consumers to providers in one pass, as the ranking pushes explained alerts. With it a group's
 * walk needs not go through its closure to know what is in it.
 */
interface Closures {
  words: number;
  bits: Uint32Array;
  /** How many components each group's closure holds. */
  size: Int32Array;
}

function closuresOf(p: Prepared, seeds: readonly ReadonlySet<number>[]): Closures {
  const sccCount = p.sccStart.length - 1;
  const words = Math.max(1, Math.ceil(seeds.length / 32));
  const bits = new Uint32Array(sccCount * words);
  const has = new Uint8Array(sccCount);
  seeds.forEach((nodes, g) => {
    for (const i of nodes) {
      bits[p.sccOf[i] * words + (g >>> 5)] |= 1 << (g & 31);
      has[p.sccOf[i]] = 1;
    }
  });
  pushToProviders(p.sccProvStart, p.sccProv, words, bits, has);
  const size = new Int32Array(seeds.length);
  for (let s = 0; s < sccCount; s++) {
    if (!has[s]) continue;
    for (let k = 0; k < words; k++) {
      for (let word = bits[s * words + k]; word !== 0; word &= word - 1) size[(k << 5) + 31 - Math.clz32(word & -word)]++;
    }
  }
  return { words, bits, size };
}

/** keptComponents' states of a component. */
const QUEUED = 1;
const KEPT = 2;
const LEFT_OUT = 3;
const ABOVE_ALERTS = 4;

/**
 * The components of group `g`'s closure kept for its ranking, consumers first (all of them when
 * `maxQuiet` is infinite), and the fewest quiet CIs above any left out (Infinity: none was).
 *
 * Left out are those under which no candidate can come near the top: more than `maxQuiet` quiet
 * CIs in them or above them, counted as rankPrepared's floors count them, or fewer (every silent CI,
 * the most along any one path, and the dependents outside the subgraph of each). The count only
 * grows downwards, so what is kept holds everything above it. Whatever depends on an alerting CI is
 * kept too (the limit is raised to the most above one), so every path between kept CIs and the
 * group's alerting ones stays inside: a kept candidate's likelihood and evidence are those the
 * whole closure gives. A candidate under `quiet` quiet CIs is at most `quiet` missed alerts, plus
 * the onset and change bonuses, likely (rankGroup checks that against what the ranking found).
 *
 * The walk goes down from the alerting components, consumers first (a heap of component numbers),
 * and never below what it leaves out, so the deep platform under a group is not walked at all. A
 * component is counted once everything above it in the closure has been: the storm's closures
 * (`closures`) say what that is, and a component with anything above it in the closure that the
 * walk did not keep is left out with it.
 */
function keptComponents(p: Prepared, closures: Closures, g: number, seeds: ReadonlySet<number>, maxQuiet: number): { kept: Int32Array; leftOutQuiet: number } {
  const { state, heap, kept, touched, passed, above } = scratchOf(p);
  const { consStart, cons } = componentConsumers(p);
  const own = quietOwn(p);
  const word = g >>> 5;
  const bit = 1 << (g & 31);
  const { words, bits } = closures;
  const inClosure = (s: number) => (bits[s * words + word] & bit) !== 0;
  const seedsIn = new Map<number, number>();
  for (const i of seeds) seedsIn.set(p.sccOf[i], (seedsIn.get(p.sccOf[i]) ?? 0) + 1);
  let touchedCount = 0;
  const touch = (s: number, to: number) => {
    if (!state[s]) touched[touchedCount++] = s;
    state[s] = to;
  };
  // The limit: at least the most quiet CIs above an alerting component, counted over what lies
  // between the group's alerting CIs (everything above one of them in the closure), consumers first.
  let limit = maxQuiet;
  if (maxQuiet !== Infinity) {
    const between: number[] = [];
    for (const s of seedsIn.keys()) {
      touch(s, ABOVE_ALERTS);
      between.push(s);
    }
    for (let head = 0; head < between.length; head++) {
      for (let e = consStart[between[head]]; e < consStart[between[head] + 1]; e++) {
        const c = cons[e];
        if (!state[c] && inClosure(c)) {
          touch(c, ABOVE_ALERTS);
          between.push(c);
        }
      }
    }
    between.sort((a, b) => b - a);
    for (const s of between) {
      const count = above[s] + own[s] - (seedsIn.get(s) ?? 0);
      if (seedsIn.has(s)) limit = Math.max(limit, count);
      for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) if (count > above[p.sccProv[e]]) above[p.sccProv[e]] = count;
    }
    // Put back: everything counted above was counted for a provider of one of them.
    for (const s of between) for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) above[p.sccProv[e]] = 0;
  }
  // Down from the alerting components, the highest first.
  let size = 0;
  const push = (s: number) => {
    let at = size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent] >= s) break;
      heap[at] = heap[parent];
      at = parent;
    }
    heap[at] = s;
  };
  const pop = () => {
    const top = heap[0];
    const last = heap[--size];
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const next = left + 1 < size && heap[left + 1] > heap[left] ? left + 1 : left;
      if (heap[next] <= last) break;
      heap[at] = heap[next];
      at = next;
    }
    if (size > 0) heap[at] = last;
    return top;
  };
  for (const s of seedsIn.keys()) {
    touch(s, QUEUED);
    push(s);
  }
  let keptCount = 0;
  let leftOut = Infinity;
  while (size > 0) {
    const s = pop();
    // Everything above it in the closure has been counted, or was never reached (under something
    // left out): it is left out with that.
    let most = 0;
    let under = false;
    for (let e = consStart[s]; e < consStart[s + 1]; e++) {
      const c = cons[e];
      if (!inClosure(c)) continue;
      if (state[c] !== KEPT) {
        under = true;
        break;
      }
      if (passed[c] > most) most = passed[c];
    }
    const count = most + own[s] - (seedsIn.get(s) ?? 0);
    if (under || count > limit) {
      state[s] = LEFT_OUT;
      if (!under) leftOut = Math.min(leftOut, count);
      continue;
    }
    state[s] = KEPT;
    passed[s] = count;
    kept[keptCount++] = s;
    for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) {
      const t = p.sccProv[e];
      if (state[t] === QUEUED || state[t] === KEPT || state[t] === LEFT_OUT) continue;
      touch(t, QUEUED);
      push(t);
    }
  }
  for (let k = 0; k < touchedCount; k++) {
    state[touched[k]] = 0;
    passed[touched[k]] = 0;
  }
  return { kept: kept.slice(0, keptCount), leftOutQuiet: leftOut };
}

/** Each component's consumers among the components, each once: sccProv turned around. */
const componentConsumers = perObject((p: Prepared): { consStart: Int32Array; cons: Int32Array } => {
  const sccCount = p.sccStart.length - 1;
  const consStart = new Int32Array(sccCount + 1);
  for (let e = 0; e < p.sccProv.length; e++) consStart[p.sccProv[e] + 1]++;
  for (let s = 0; s < sccCount; s++) consStart[s + 1] += consStart[s];
  const fill = consStart.slice(0, sccCount);
  const cons = new Int32Array(p.sccProv.length);
  for (let s = 0; s < sccCount; s++) for (let e = p.sccProvStart[s]; e < p.sccProvStart[s + 1]; e++) cons[fill[p.sccProv[e]]++] = s;
  return { consStart, cons };
});

/**
 * Per component of a subgraph, the quiet CIs it holds when none of its CIs alert: each CI, and its
 * dependents outside the subgraph at least (a count that can only be low, so nothing is left out
 * that should not be, without a scan of every CI's dependents for each group).
 */
const quietOwn = perObject((p: Prepared): Float64Array => {
  const own = new Float64Array(p.sccStart.length - 1);
  for (let i = 0; i < p.keys.length; i++) own[p.sccOf[i]] += 1 + Math.max(0, p.dependentCount[i] - (p.consStart[i + 1] - p.consStart[i]));
  return own;
});

/** Candidates ranked exactly for each group: the service shows three. */
const GROUP_EXACT_TOP = 3;
/** A group whose closure has at most this many components is ranked on all of it (rankGroup's default; tests of what is left out pass 0). */
const WHOLE_CLOSURE_UP_TO = 256;
/**
 * rankGroup's first try leaves out what has more quiet CIs above it than the fewest that could ever
 * be enough, plus this many. No likelihood exceeds the bonuses, so the bar lies at least NEGLIGIBLE
 * below them, and a try passes only when everything it left out lies under more than NEGLIGIBLE /
 * -log(missRate) quiet CIs (24.9 at the defaults). A lone alert's best candidate is most often its own CI, a few log-units below zero: the
 * limit its ranking asks for is 26 to 40 on the storms of the benchmark, and a group's first try
 * at 33 needs no second one for two groups in three (at 64, the groups of storms 0 to 3 ranked 44% more CIs).
 */
const FIRST_QUIET_MARGIN = 8;

/**
 * Splits a storm into incidents: first by time (a gap longer than the window
 * starts a new one), then by topology (groupAlerts). Each group's candidates
 * are then re-ranked on its alerts alone, over what they depend on
 * (rankGroup), and the first `top` kept.
 */
export function correlate(
  subgraph: RcaGraph,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
  top = Infinity,
  wholeClosureUpTo = WHOLE_CLOSURE_UP_TO,
): AlertGroup[] {
  const groups = groupAlerts(subgraph, alerts, recentlyChanged, w);
  const rank = groupRanker(subgraph, groups.map((group) => group.alerts), recentlyChanged, w, top, wholeClosureUpTo);
  return groups.map((group, i) => ({ alerts: group.alerts, candidates: rank(i) }));
}

/**
 * A group's candidates: the ranking of its alerts alone over the subgraph they depend on, so they
 * are what rankCandidates says for those alerts, whatever else the storm held; only the first
 * `top` are kept, each ranking holding its working arrays for the evidence it builds when read.
 */
export function rankGroup(
  subgraph: RcaGraph,
  alerts: readonly RcaAlert[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
  top = Infinity,
  wholeClosureUpTo = WHOLE_CLOSURE_UP_TO,
): RankedCandidate[] {
  return groupRanker(subgraph, [alerts], recentlyChanged, w, top, wholeClosureUpTo)(0);
}

/**
 * rankGroup for each of a storm's groups, in any order: ranks group `index` when called. What the
 * groups share (the subgraph's preparation, which components each group's closure holds) is made
 * once.
 */
export function groupRanker(
  subgraph: RcaGraph,
  groups: readonly (readonly RcaAlert[])[],
  recentlyChanged: ReadonlySet<string> = new Set(),
  w: RcaWeights = DEFAULT_RCA_WEIGHTS,
  top = Infinity,
  wholeClosureUpTo = WHOLE_CLOSURE_UP_TO,
): (index: number) => RankedCandidate[] {
  const p = prepare(subgraph);
  const seeds = groups.map((alerts) => new Set(alerts.map((a) => p.nodeOf(a.key)).filter((i) => i !== undefined)));
  const closures = closuresOf(p, seeds);
  // When only the first few are wanted, first without what lies under many quiet CIs. The ranking
  // is kept if nothing left out could have come among them or within NEGLIGIBLE of the best
  // (bonuses and all); else ranked again, leaving out only what that ranking already rules out
  // (more candidates only raise the bar), or four times as many when it ranked too few to tell.
  const missed = Math.log(w.missRate);
  const bonuses = Math.max(0, w.onsetBonus) + Math.max(0, w.changeBonus);
  const firstLimit = Math.ceil(NEGLIGIBLE / -missed) + FIRST_QUIET_MARGIN;
  return (index) => {
    const alerts = groups[index];
    // A small closure (a noise alert's CI and what it runs on) is ranked whole at once: cheaper than
    // the tries it takes to tell that its few candidates are all needed.
    let maxQuiet = top <= GROUP_EXACT_TOP && missed < 0 && closures.size[index] > wholeClosureUpTo ? firstLimit : Infinity;
    for (;;) {
      const { kept, leftOutQuiet } = keptComponents(p, closures, index, seeds[index], maxQuiet);
      const ranking = rankPrepared(closureOf(p, kept), alerts, recentlyChanged, w, GROUP_EXACT_TOP, top);
      const bar = Math.min(ranking.kth, ranking.best - NEGLIGIBLE) - ROUNDING;
      if (leftOutQuiet === Infinity || missed * leftOutQuiet + bonuses < bar) return candidatesOf(ranking);
      maxQuiet = Math.max(leftOutQuiet, Number.isFinite(bar) ? Math.ceil((bar - bonuses) / missed) : 4 * maxQuiet);
    }
  };
}

/**
 * The alerts of a storm in groups, in the order correlate gives them: first by time (a gap longer
 * than the window starts a new cluster), then by topology, greedily: of the candidates that may
 * lead a group (it alerts itself, or enough of what depends on it does), the one whose failure
 * adds most to the likelihood of the alerts still open (explaining them rather than calling them
 * noise, less the alerts its failure predicts that did not fire) takes every open alert it
 * explains, and so on while some failure explains the open alerts better than calling them noise;
 * each alerting CI with alerts still open is then a group of its own.
 */
export function groupAlerts(subgraph: RcaGraph, alerts: readonly RcaAlert[], recentlyChanged: ReadonlySet<string> = new Set(), w: RcaWeights = DEFAULT_RCA_WEIGHTS): AlertGrouping[] {
  const p = prepare(subgraph);
  const sorted = alerts.filter((a) => p.nodeOf(a.key) !== undefined).sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
  const clusters: RcaAlert[][] = [];
  for (const alert of sorted) {
    const current = clusters.at(-1);
    if (current && alert.startsAt - current.at(-1)!.startsAt <= w.timeWindowMs) current.push(alert);
    else clusters.push([alert]);
  }
  const groups: AlertGrouping[] = [];
  for (const cluster of clusters) {
    const ranking = rankPrepared(p, cluster, recentlyChanged, w, 1, Infinity, false);
    const remaining = new Map(cluster.map((a) => [a.id, a]));
    // Alerting CIs (by bit) with an alert still to be grouped.
    const open = new Uint32Array(ranking.words);
    ranking.alerting.forEach((_, bit) => (open[bit >>> 5] |= 1 << (bit & 31)));
    const left = ranking.alerting.map(({ alerts: list }) => list.length);
    const bitsOfId = new Map<string, number[]>();
    ranking.alerting.forEach(({ alerts: list }, bit) => list.forEach((a) => bitsOfId.set(a.id, [...(bitsOfId.get(a.id) ?? []), bit])));
    // What leading a group adds to the likelihood, given the alerts still open: the open alerts it
    // explains, less what its failure predicts and did not happen.
    const gainNow = (k: number) => {
      let gain = ranking.rest[k];
      let any = false;
      const offset = ranking.ancOffset(k);
      for (let word = 0; word < ranking.words; word++) {
        let bits = ranking.anc[offset + word] & open[word];
        while (bits !== 0) {
          const low = bits & -bits;
          gain += ranking.unit[(word << 5) + (31 - Math.clz32(low))];
          bits ^= low;
          any = true;
        }
      }
      return any ? gain : -Infinity;
    };
    // Lazy greedy over a max-heap: gains only fall as alerts are taken, so a stale gain bounds the fresh one.
    const heap = new GainHeap(Int32Array.from({ length: ranking.count }, (_, k) => ranking.keyOrderAt(k)), ranking.count);
    for (let k = 0; k < ranking.count; k++) {
      if (ranking.alertingOf[k] || ranking.precisionOf[k] >= w.minGroupPrecision) heap.add(k, ranking.gainAll[k]);
    }
    heap.heapify();
    const group = (taken: RcaAlert[], leader: string) => {
      for (const a of taken) {
        remaining.delete(a.id);
        for (const bit of bitsOfId.get(a.id)!) if (--left[bit] === 0) open[bit >>> 5] &= ~(1 << (bit & 31));
      }
      if (taken.length) groups.push({ alerts: taken, leader });
    };
    // Gains in the heap are upper bounds: once the best is below zero, no failure explains the open
    // alerts better than calling them noise, and none leads a group.
    while (remaining.size && heap.size && heap.topGain() >= 0) {
      const k = heap.pop();
      const stale = gainNow(k);
      if (stale < 0) continue;
      // Its bound over the alerts still open already falls behind the next best: back in with that
      // bound, no walk. (Walking first cost tens of thousands of walks per storm, most of them for
      // candidates whose stale gain had only fallen because their alerts were taken.)
      if (heap.size && heap.topBefore(k, stale)) {
        heap.push(k, stale);
        continue;
      }
      if (!ranking.restExact[k]) {
        // A walk only as far as it takes to fall below the next best (or below zero), and a tighter bound goes back in.
        const open = stale - ranking.rest[k];
        ranking.exactRest(k, Math.max(0, heap.size ? heap.topGain() : 0) - open);
        if (!ranking.restExact[k]) {
          heap.push(k, ranking.rest[k] + open);
          continue;
        }
      }
      const gain = gainNow(k);
      if (gain < 0) continue;
      if (heap.size && heap.topBefore(k, gain)) {
        heap.push(k, gain);
        continue;
      }
      const candidate = ranking.candidate(k);
      group(
        candidate.evidence.explainedAlertIds.filter((id) => remaining.has(id)).map((id) => remaining.get(id)!),
        candidate.key,
      );
    }
    // What no failure explains better than noise: each alerting CI with alerts still open is an
    // incident of its own. (Grouping them under the least unlikely shared provider walked tens of
    // thousands of CIs above each candidate, to put unrelated noise together.)
    for (const { node, alerts: list } of ranking.alerting) group(list.filter((a) => remaining.has(a.id)), p.keys[node]);
  }
  return groups;
}
