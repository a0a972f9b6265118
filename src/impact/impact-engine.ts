/**
 * Blast-radius propagation over a plain in-memory subgraph: no Neo4j here,
 * so every rule of PRODUCT.md's impact semantics is unit-tested directly.
 *
 * The subgraph holds the failed CIs and every CI that (transitively) depends
 * on them, each with its dependencies on CIs inside the subgraph; a provider
 * outside it is healthy by construction. Every CI in it is impacted (a
 * dependency on a DOWN or DEGRADED provider degrades at least), so the work
 * is deciding which are DOWN: the least fixed point, grown from the failures
 * one consumer at a time, so cycles terminate and nothing is counted twice.
 */
export type ImpactState = 'DOWN' | 'DEGRADED';
export type Strength = 'HARD' | 'SOFT';

export interface ImpactNode {
  key: string;
  /** Redundancy groups carry minHealthy; for every other CI it is null. */
  minHealthy: number | null;
  /** All dependencies of the CI, inside the subgraph or not: a group's member count. */
  dependencyCount: number;
}

export interface ImpactEdge {
  /** The consumer. */
  from: string;
  /** The provider. */
  to: string;
  strength: Strength;
}

export interface ImpactSubgraph {
  nodes: ImpactNode[];
  /** Dependencies between CIs of the subgraph. */
  edges: ImpactEdge[];
}

export interface GroupHealth {
  members: number;
  down: number;
  degraded: number;
  minHealthy: number;
  misconfigured: boolean;
}

export interface ImpactedCi {
  key: string;
  state: ImpactState;
  /** Hops from the nearest failed CI (0 for a failed one). */
  distance: number;
  /** Why it is in this state, in words. */
  reason: string;
  /** For redundancy groups: how its members stand. */
  group: GroupHealth | null;
}

export interface ImpactResult {
  /** Every impacted CI, failed ones first, then by distance and key (built when first read). */
  impacted: ImpactedCi[];
  /** How many CIs are impacted; per place in `impacted`, 1 where DOWN, and the distance: read without building its entries. */
  count: number;
  downAt: Uint8Array;
  distanceAt: Int32Array;
  /** The entry at a place in `impacted`, without building the others. */
  entryAt(place: number): ImpactedCi;
  /** The id in the graph propagated over (its place in `keys`) of each entry of `impacted`. */
  impactedIds: Int32Array;
  byKey: Map<string, ImpactedCi>;
  /** The place in `impacted` of a CI, -1 when it is not impacted. */
  placeOf(key: string): number;
  /** The chain of keys from a CI down to the failure that explains its state. */
  chainOf(key: string): string[];
  /** Redundancy groups in the answer that can never be healthy: fewer members than minHealthy. */
  misconfiguredGroups: string[];
}

/**
 * A subgraph with integer ids 0..n-1, the form the engine works on: a CI's
 * consumers are a slice of one array, so the hot loops index typed arrays
 * instead of looking keys up (a wide blast radius has hundreds of thousands
 * of edges). The repository builds it straight from Neo4j's rows;
 * indexImpactGraph builds it from a plain subgraph.
 */
export interface IndexedImpactGraph {
  keys: string[];
  /** A redundancy group's minHealthy (a non-negative integer); -1 for every other CI. */
  minHealthy: Int32Array;
  /** All dependencies of each CI, inside the subgraph or not: a group's member count. */
  dependencyCount: Int32Array;
  /**
   * The dependencies on CI i, in the order they were given: their consumers are
   * consumerFrom[consumerStart[i] .. consumerStart[i + 1]), each SOFT where consumerSoft is 1.
   */
  consumerStart: Int32Array;
  consumerFrom: Int32Array;
  consumerSoft: Uint8Array;
  /**
   * Optional: each CI's place in the key order of all keys. With it, CIs at one distance are put
   * in key order by integer comparisons (a storm prices a hundred incidents on one ordering).
   */
  keyRank?: Int32Array;
  /** Set on a part cut out by reachableSubgraph: the id in the whole graph of each CI of the part. */
  origin?: Int32Array;
}

/** An indexed graph of `n` CIs with room for `edgeSlots` dependencies, all zero: for builders to fill in (then trim). */
export function allocateImpactGraph(n: number, edgeSlots: number): IndexedImpactGraph {
  return {
    keys: new Array<string>(n),
    minHealthy: new Int32Array(n),
    dependencyCount: new Int32Array(n),
    consumerStart: new Int32Array(n + 1),
    consumerFrom: new Int32Array(edgeSlots),
    consumerSoft: new Uint8Array(edgeSlots),
  };
}

/** minHealthy of a CI that is not a redundancy group. */
export const NOT_A_GROUP = -1;
const NONE = -1;

/**
 * The indexed form of a plain subgraph. A repeated key keeps its first place
 * and its last node; an edge with an end outside the subgraph is left out.
 */
export function indexImpactGraph(subgraph: ImpactSubgraph): IndexedImpactGraph {
  const idOf = new Map<string, number>();
  const nodes: ImpactNode[] = [];
  for (const node of subgraph.nodes) {
    const at = idOf.get(node.key);
    if (at === undefined) {
      idOf.set(node.key, nodes.length);
      nodes.push(node);
    } else nodes[at] = node;
  }
  const n = nodes.length;
  const consumerStart = new Int32Array(n + 1);
  // (consumer, provider, soft) of each edge inside the subgraph, in edge order.
  const ends: number[] = [];
  for (const edge of subgraph.edges) {
    const from = idOf.get(edge.from);
    const to = idOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    ends.push(from, to, edge.strength === 'SOFT' ? 1 : 0);
    consumerStart[to + 1]++;
  }
  for (let i = 0; i < n; i++) consumerStart[i + 1] += consumerStart[i];
  const fill = consumerStart.slice(0, n);
  const consumerFrom = new Int32Array(ends.length / 3);
  const consumerSoft = new Uint8Array(ends.length / 3);
  for (let k = 0; k < ends.length; k += 3) {
    const at = fill[ends[k + 1]]++;
    consumerFrom[at] = ends[k];
    consumerSoft[at] = ends[k + 2];
  }
  return {
    keys: nodes.map((node) => node.key),
    minHealthy: Int32Array.from(nodes, (node) => node.minHealthy ?? NOT_A_GROUP),
    dependencyCount: Int32Array.from(nodes, (node) => node.dependencyCount),
    consumerStart,
    consumerFrom,
    consumerSoft,
  };
}

/** The plain form of an indexed subgraph: its CIs in id order, its edges provider by provider. */
export function plainImpactGraph(graph: IndexedImpactGraph): ImpactSubgraph {
  const { keys, consumerStart, consumerFrom, consumerSoft } = graph;
  const edges: ImpactEdge[] = [];
  for (let to = 0; to < keys.length; to++) {
    for (let e = consumerStart[to]; e < consumerStart[to + 1]; e++) edges.push({ from: keys[consumerFrom[e]], to: keys[to], strength: consumerSoft[e] ? 'SOFT' : 'HARD' });
  }
  return {
    nodes: keys.map((key, i) => ({ key, minHealthy: graph.minHealthy[i] === NOT_A_GROUP ? null : graph.minHealthy[i], dependencyCount: graph.dependencyCount[i] })),
    edges,
  };
}

const isIndexed = (graph: ImpactSubgraph | IndexedImpactGraph): graph is IndexedImpactGraph => 'consumerStart' in graph;

/** The ids of these keys in `graph` (-1 for a key it does not hold): a scan for a few, a map for many. */
function idsOf(graph: IndexedImpactGraph, keys: readonly string[]): number[] {
  if (keys.length <= 8) return keys.map((key) => graph.keys.indexOf(key));
  const map = keyIndex(graph.keys);
  return keys.map((key) => map.get(key) ?? NONE);
}

/** Key to id; a repeated key (not made by indexImpactGraph) maps to its first place. */
function keyIndex(keys: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = keys.length - 1; i >= 0; i--) map.set(keys[i], i);
  return map;
}

/** What spread() works in: arrays the size of the graph, `distance` all -1 and `down` and `downMembers` all 0 before. */
export interface SpreadArrays {
  /** Hops from the nearest failure, -1 where not reached. */
  distance: Int32Array;
  /** The breadth-first parent: always one hop nearer a failure, so following it never loops. */
  nearest: Int32Array;
  /**
   * The provider whose failure made a CI DOWN or (when DEGRADED) its nearest impacted provider,
   * and whether that dependency is SOFT.
   */
  cause: Int32Array;
  causeSoft: Uint8Array;
  /** 1 where DOWN. */
  down: Uint8Array;
  downMembers: Int32Array;
  /** The reached CIs in breadth-first order (the failures first), then the DOWN ones in the order they turned. */
  reached: Int32Array;
  downQueue: Int32Array;
}

export function spreadArrays(n: number): SpreadArrays {
  return {
    distance: new Int32Array(n).fill(-1),
    nearest: new Int32Array(n).fill(NONE),
    cause: new Int32Array(n).fill(NONE),
    causeSoft: new Uint8Array(n),
    down: new Uint8Array(n),
    downMembers: new Int32Array(n),
    reached: new Int32Array(n),
    downQueue: new Int32Array(n),
  };
}

/**
 * The failure of `failed` (distinct ids) spread against the arrows, as far as `maxDepth` hops:
 * distances, then DOWN as the least fixed point. A CI turns DOWN once, when a HARD provider is
 * DOWN or, for a group, when too few members are left up; breadth-first order keeps the
 * explaining chains short. Returns how many CIs it reached (their ids lead `arrays.reached`).
 * Over a part cut out to `maxDepth` or over the whole fetched graph with that limit, the same
 * CIs get the same states and distances: nothing beyond the limit is reached, and DOWN only
 * spreads to reached CIs.
 */
export function spread(graph: IndexedImpactGraph, failed: readonly number[], maxDepth: number, arrays: SpreadArrays): number {
  const { minHealthy, dependencyCount, consumerStart, consumerFrom, consumerSoft } = graph;
  const { distance, nearest, cause, causeSoft, down, downMembers, reached, downQueue } = arrays;
  let reachedCount = 0;
  for (const id of failed) {
    distance[id] = 0;
    reached[reachedCount++] = id;
  }
  for (let head = 0; head < reachedCount; head++) {
    const provider = reached[head];
    if (distance[provider] === maxDepth) continue;
    const next = distance[provider] + 1;
    for (let e = consumerStart[provider], end = consumerStart[provider + 1]; e < end; e++) {
      const consumer = consumerFrom[e];
      if (distance[consumer] < 0) {
        distance[consumer] = next;
        nearest[consumer] = provider;
        cause[consumer] = provider;
        causeSoft[consumer] = consumerSoft[e];
        reached[reachedCount++] = consumer;
      }
    }
  }
  let downCount = 0;
  const markDown = (id: number, by: number, soft: number) => {
    down[id] = 1;
    cause[id] = by;
    causeSoft[id] = soft;
    downQueue[downCount++] = id;
  };
  for (const id of failed) markDown(id, NONE, 0);
  // A reached group with fewer members than it needs can never be up: it starts DOWN alongside
  // the failures (in id order), so its DOWN reaches its consumers like any other.
  const misconfigured: number[] = [];
  for (let i = 0; i < reachedCount; i++) {
    const id = reached[i];
    if (!down[id] && minHealthy[id] !== NOT_A_GROUP && dependencyCount[id] < minHealthy[id]) misconfigured.push(id);
  }
  for (const id of misconfigured.sort((a, b) => a - b)) markDown(id, nearest[id], causeSoft[id]);
  for (let head = 0; head < downCount; head++) {
    const provider = downQueue[head];
    for (let e = consumerStart[provider], end = consumerStart[provider + 1]; e < end; e++) {
      const consumer = consumerFrom[e];
      if (down[consumer] || distance[consumer] < 0) continue;
      if (minHealthy[consumer] !== NOT_A_GROUP) {
        downMembers[consumer]++;
        if (dependencyCount[consumer] - downMembers[consumer] < minHealthy[consumer]) markDown(consumer, provider, consumerSoft[e]);
      } else if (!consumerSoft[e]) {
        markDown(consumer, provider, 0);
      }
    }
  }
  return reachedCount;
}

/** Puts spread()'s arrays back as it needs them, for the `count` CIs a spread reached. */
export function clearSpread(arrays: SpreadArrays, count: number): void {
  const { distance, down, downMembers, reached } = arrays;
  for (let i = 0; i < count; i++) {
    const id = reached[i];
    distance[id] = -1;
    down[id] = 0;
    downMembers[id] = 0;
  }
}

/**
 * Which CIs the failure of `failedKeys` (keys the subgraph does not hold are
 * ignored) takes DOWN or DEGRADED, how far each is from a failure, why, and
 * the chain that explains it.
 */
export function propagateImpact(subgraph: ImpactSubgraph | IndexedImpactGraph, failedKeys: readonly string[]): ImpactResult {
  const graph = isIndexed(subgraph) ? subgraph : indexImpactGraph(subgraph);
  const { keys, minHealthy, dependencyCount } = graph;
  const n = keys.length;
  const failed: number[] = [];
  const isFailed = new Uint8Array(n);
  for (const id of idsOf(graph, failedKeys)) {
    if (id === NONE || isFailed[id]) continue;
    isFailed[id] = 1;
    failed.push(id);
  }
  const arrays = spreadArrays(n);
  const { distance, nearest, cause, causeSoft, down, reached } = arrays;
  const reachedCount = spread(graph, failed, Infinity, arrays);
  const misconfigured = (id: number) => minHealthy[id] !== NOT_A_GROUP && dependencyCount[id] < minHealthy[id];

  // Most answers never look from a CI at its providers: their lists are built once, when one does.
  let providers: { start: Int32Array; to: Int32Array; soft: Uint8Array } | null = null;
  const providersOf = () => (providers ??= providerLists(graph));

  // Breadth-first order is distance order: only CIs at the same distance need sorting, by key.
  const rank = graph.keyRank;
  const byKeyOrder = rank ? (a: number, b: number) => rank[a] - rank[b] : (a: number, b: number) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0);
  for (let from = 0; from < reachedCount; ) {
    let to = from + 1;
    while (to < reachedCount && distance[reached[to]] === distance[reached[from]]) to++;
    if (to - from > 1) {
      if (rank) sortByRank(reached, from, to, rank);
      else reached.subarray(from, to).sort(byKeyOrder);
    }
    from = to;
  }
  // States and distances by place; the entries, each with its reason in words, only when read: a
  // storm prices a hundred blast radii of thousands of CIs each and reads the reasons of a few.
  const downAt = new Uint8Array(reachedCount);
  const distanceAt = new Int32Array(reachedCount);
  const groupAt = new Map<number, GroupHealth>();
  const misconfiguredGroups: string[] = [];
  for (let i = 0; i < reachedCount; i++) {
    const id = reached[i];
    downAt[i] = down[id];
    distanceAt[i] = distance[id];
    if (minHealthy[id] === NOT_A_GROUP) continue;
    const group = groupHealth(id, graph, providersOf(), down, distance);
    groupAt.set(i, group);
    if (group.misconfigured) misconfiguredGroups.push(keys[id]);
  }
  const entryAt = (i: number): ImpactedCi => {
    const id = reached[i];
    const state: ImpactState = downAt[i] ? 'DOWN' : 'DEGRADED';
    const group = groupAt.get(i) ?? null;
    return { key: keys[id], state, distance: distanceAt[i], reason: reasonFor(id, state, group, isFailed[id] === 1, keys, cause, causeSoft, down), group };
  };
  let entries: ImpactedCi[] | null = null;
  const impactedList = () => (entries ??= Array.from({ length: reachedCount }, (_, i) => entryAt(i)));

  let idOf: Map<string, number> | null = null;
  let placeOfId: Int32Array | null = null;
  let byKey: Map<string, ImpactedCi> | null = null;
  const idOfKey = (key: string): number => (idOf ??= keyIndex(keys)).get(key) ?? NONE;

  /** Breadth-first over dependencies from `start` to a failed CI, not passing through `avoid`. */
  const pathToFailure = (start: number, avoid: Set<number>): number[] | null => {
    const { start: providerStart, to: providerTo } = providersOf();
    const parent = new Map<number, number>([[start, NONE]]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head];
      if (isFailed[current]) {
        const path: number[] = [];
        for (let id = current; id !== NONE; id = parent.get(id)!) path.unshift(id);
        return path;
      }
      for (let e = providerStart[current]; e < providerStart[current + 1]; e++) {
        const next = providerTo[e];
        if (parent.has(next) || avoid.has(next) || distance[next] < 0) continue;
        parent.set(next, current);
        queue.push(next);
      }
    }
    return null;
  };
  /**
   * The shortest chain, with no CI twice, whose every link explains the state
   * (a DOWN CI through a HARD dependency that is DOWN, a group through a DOWN
   * member, anything past a misconfigured group, a DEGRADED CI through any
   * impacted dependency). Used only when following the recorded causes loops.
   */
  const explainingPath = (start: number): number[] | null => {
    const { start: providerStart, to: providerTo, soft: providerSoft } = providersOf();
    type State = { id: number; free: boolean; path: number[] };
    const queue: State[] = [{ id: start, free: false, path: [start] }];
    const visited = new Set<number>([2 * start]);
    for (let head = 0; head < queue.length; head++) {
      const { id: current, free, path } = queue[head];
      if (isFailed[current]) return path;
      const nowFree = free || misconfigured(current);
      for (let e = providerStart[current]; e < providerStart[current + 1]; e++) {
        const next = providerTo[e];
        if (distance[next] < 0 || path.includes(next)) continue;
        const explains = nowFree || !down[current] || (minHealthy[current] !== NOT_A_GROUP ? down[next] === 1 : down[next] === 1 && !providerSoft[e]);
        const state = 2 * next + (nowFree ? 1 : 0);
        if (!explains || visited.has(state)) continue;
        visited.add(state);
        queue.push({ id: next, free: nowFree, path: [...path, next] });
      }
    }
    return null;
  };
  const nearestPath = (start: number): number[] => {
    const path: number[] = [];
    for (let id = start; id !== NONE; id = nearest[id]) path.push(id);
    return path;
  };
  const chainIds = (start: number): number[] => {
    // Explaining causes were set in DOWN order, so they cannot loop, except through a
    // misconfigured group (DOWN from the start, its cause only where impact came from):
    // from there on, breadth-first parents, one hop nearer a failure each.
    // When even that comes back to a CI already on the chain (the group's impact came
    // through this very CI), no explaining chain exists: the nearest path to a failure is shown.
    const chain: number[] = [];
    const seen = new Set<number>();
    for (let current = start; current !== NONE; ) {
      if (seen.has(current)) return explainingPath(start) ?? nearestPath(start);
      seen.add(current);
      chain.push(current);
      if (misconfigured(current)) {
        // Past a misconfigured group any path to a failure explains; take the shortest that avoids the chain so far.
        const rest = pathToFailure(current, seen);
        return rest ? [...chain, ...rest.slice(1)] : (explainingPath(start) ?? nearestPath(start));
      }
      current = down[current] ? cause[current] : nearest[current];
    }
    return chain;
  };

  return {
    get impacted() {
      return impactedList();
    },
    count: reachedCount,
    downAt,
    distanceAt,
    entryAt: (place: number) => (entries ? entries[place] : entryAt(place)),
    impactedIds: reached.slice(0, reachedCount),
    get byKey() {
      return (byKey ??= new Map(impactedList().map((item) => [item.key, item])));
    },
    misconfiguredGroups: misconfiguredGroups.sort(),
    placeOf(key: string): number {
      const id = idOfKey(key);
      if (id === NONE || distance[id] < 0) return -1;
      if (!placeOfId) {
        placeOfId = new Int32Array(n);
        for (let i = 0; i < reachedCount; i++) placeOfId[reached[i]] = i;
      }
      return placeOfId[id];
    },
    chainOf(key: string): string[] {
      const id = idOfKey(key);
      if (id === NONE || distance[id] < 0) return [];
      return chainIds(id).map((i) => keys[i]);
    },
  };
}

/**
 * Sorts ids[from..to) by rank, ties in their order, with the engine's numeric sort rather than a
 * comparator called back per comparison: each value packs a rank and a place, exactly (below 2^53
 * for any graph of fewer than 90 million CIs). Half of a wide blast radius's propagation went to
 * the comparator.
 */
function sortByRank(ids: Int32Array, from: number, to: number, rank: Int32Array): void {
  const length = to - from;
  const order = ids.slice(from, to);
  const packed = new Float64Array(length);
  for (let j = 0; j < length; j++) packed[j] = rank[order[j]] * length + j;
  packed.sort();
  for (let j = 0; j < length; j++) ids[from + j] = order[packed[j] % length];
}

/** Each CI's dependencies inside the subgraph, by consumer, in provider id order. */
function providerLists(graph: IndexedImpactGraph): { start: Int32Array; to: Int32Array; soft: Uint8Array } {
  const { keys, consumerStart, consumerFrom, consumerSoft } = graph;
  const n = keys.length;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < consumerFrom.length; e++) start[consumerFrom[e] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const to = new Int32Array(consumerFrom.length);
  const soft = new Uint8Array(consumerFrom.length);
  for (let provider = 0; provider < n; provider++) {
    for (let e = consumerStart[provider]; e < consumerStart[provider + 1]; e++) {
      const at = fill[consumerFrom[e]]++;
      to[at] = provider;
      soft[at] = consumerSoft[e];
    }
  }
  return { start, to, soft };
}

function groupHealth(id: number, graph: IndexedImpactGraph, providers: { start: Int32Array; to: Int32Array }, down: Uint8Array, distance: Int32Array): GroupHealth {
  let degraded = 0;
  let downCount = 0;
  // Counted from the members' final states: propagation stops counting once the group is DOWN.
  for (let e = providers.start[id]; e < providers.start[id + 1]; e++) {
    const member = providers.to[e];
    if (down[member]) downCount++;
    else if (distance[member] >= 0) degraded++;
  }
  const members = graph.dependencyCount[id];
  const minHealthy = graph.minHealthy[id];
  return { members, down: downCount, degraded, minHealthy, misconfigured: members < minHealthy };
}

function reasonFor(id: number, state: ImpactState, group: GroupHealth | null, failed: boolean, keys: string[], cause: Int32Array, causeSoft: Uint8Array, down: Uint8Array): string {
  if (failed) return 'failed';
  if (group) {
    const up = group.members - group.down;
    const counts = `${group.down} of ${group.members} members down${group.degraded ? `, ${group.degraded} degraded` : ''}`;
    if (group.misconfigured) return `misconfigured: ${group.members} members but needs ${group.minHealthy} up`;
    return state === 'DOWN' ? `${counts}, needs ${group.minHealthy} up` : `${counts}; ${up} up, needs ${group.minHealthy}`;
  }
  const by = keys[cause[id]];
  if (state === 'DOWN') return `hard dependency on ${by}, which is down`;
  const causeState = down[cause[id]] ? 'down' : 'degraded';
  return causeSoft[id] ? `soft dependency on ${by}, which is ${causeState}` : `depends on ${by}, which is degraded`;
}

/**
 * The part of `graph` that `failedKeys` reach within `maxDepth` hops against
 * the arrows: what a fetch for these failures alone would have returned, so
 * one fetch for many what-ifs serves them all. Its CIs come in breadth-first
 * order and keep their dependencies inside the part, in their order.
 */
export function reachableSubgraph(graph: ImpactSubgraph | IndexedImpactGraph, failedKeys: readonly string[], maxDepth: number, index = reachIndex(graph)): IndexedImpactGraph {
  const whole = index.graph;
  const { consumerStart, consumerFrom, consumerSoft } = whole;
  const { distance, local, queue } = index;
  let n = 0;
  let listed = 0;
  for (const id of failedKeys.map((key) => index.idOf(key))) {
    if (id !== NONE && distance[id] < 0) {
      distance[id] = 0;
      queue[n++] = id;
    }
  }
  for (let head = 0; head < n; head++) {
    const x = queue[head];
    const d = distance[x];
    listed += consumerStart[x + 1] - consumerStart[x];
    if (d === maxDepth) continue;
    for (let e = consumerStart[x]; e < consumerStart[x + 1]; e++) {
      const y = consumerFrom[e];
      if (distance[y] < 0) {
        distance[y] = d + 1;
        queue[n++] = y;
      }
    }
  }
  // Every field set at once, in one shape, so the propagation that follows sees one kind of part.
  const origin = queue.slice(0, n);
  const keys = new Array<string>(n);
  const minHealthy = new Int32Array(n);
  const dependencyCount = new Int32Array(n);
  const keyRank = whole.keyRank ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const x = origin[i];
    local[x] = i;
    keys[i] = whole.keys[x];
    minHealthy[i] = whole.minHealthy[x];
    dependencyCount[i] = whole.dependencyCount[x];
    if (keyRank) keyRank[i] = whole.keyRank![x];
  }
  const consumerStartOf = new Int32Array(n + 1);
  const from = new Int32Array(listed);
  const soft = new Uint8Array(listed);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const x = origin[i];
    for (let e = consumerStart[x]; e < consumerStart[x + 1]; e++) {
      const y = consumerFrom[e];
      if (distance[y] < 0) continue;
      from[edges] = local[y];
      soft[edges++] = consumerSoft[e];
    }
    consumerStartOf[i + 1] = edges;
  }
  for (let i = 0; i < n; i++) distance[origin[i]] = -1;
  return { keys, minHealthy, dependencyCount, consumerStart: consumerStartOf, consumerFrom: from.subarray(0, edges), consumerSoft: soft.subarray(0, edges), keyRank, origin };
}

/**
 * A subgraph readied for repeated reachableSubgraph calls (a storm prices a
 * hundred incidents on one fetch): its indexed form, key to id, and scratch
 * arrays that each call leaves as it found them (distance all -1).
 */
export interface ReachIndex {
  graph: IndexedImpactGraph;
  /** A key's id (-1 for a key the graph does not hold). */
  idOf: (key: string) => number;
  distance: Int32Array;
  local: Int32Array;
  /** The breadth-first queue of a call. */
  queue: Int32Array;
}

export function reachIndex(subgraph: ImpactSubgraph | IndexedImpactGraph): ReachIndex {
  const indexed = isIndexed(subgraph) ? subgraph : indexImpactGraph(subgraph);
  const n = indexed.keys.length;
  // Keys sorted once, so each part's CIs at one distance are ordered by integers.
  const keyRank = indexed.keyRank ?? new Int32Array(n);
  if (!indexed.keyRank) {
    // The default sort compares UTF-16 code units, as `<` does, without a call back into JS per comparison.
    const placeOf = new Map<string, number>();
    [...indexed.keys].sort().forEach((key, place) => placeOf.has(key) || placeOf.set(key, place));
    indexed.keys.forEach((key, id) => (keyRank[id] = placeOf.get(key)!));
  }
  const graph = { ...indexed, keyRank };
  return { graph, idOf: keyLookup(graph.keys), distance: new Int32Array(n).fill(-1), local: new Int32Array(n), queue: new Int32Array(n) };
}

/**
 * Key to id: a binary search when the keys come in string order, each once (as the plugin's walks
 * hand them over), else a map. A storm's pricing looks up a hundred keys in a graph of a hundred
 * thousand, and a map of them all cost more than the lookups.
 */
function keyLookup(keys: readonly string[]): (key: string) => number {
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1] < keys[i])) {
      const map = keyIndex(keys);
      return (key) => map.get(key) ?? NONE;
    }
  }
  return (key) => {
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (keys[middle] === key) return middle;
      if (keys[middle] < key) low = middle + 1;
      else high = middle - 1;
    }
    return NONE;
  };
}
