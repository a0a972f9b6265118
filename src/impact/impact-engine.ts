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
  /** Every impacted CI, failed ones first, then by distance and key. */
  impacted: ImpactedCi[];
  byKey: Map<string, ImpactedCi>;
  /** The chain of keys from a CI down to the failure that explains its state. */
  chainOf(key: string): string[];
  /** Redundancy groups in the answer that can never be healthy: fewer members than minHealthy. */
  misconfiguredGroups: string[];
}

interface Working {
  key: string;
  node: ImpactNode;
  /** Filled by providersOf when first needed (group health, chains past a misconfigured group). */
  providers: ImpactEdge[];
  /** Each consumer's working state, and the strength of its dependency at the same index: the hot loops follow references, not keys. */
  consumers: Working[];
  consumerStrengths: Strength[];
  down: boolean;
  /** The provider whose failure made this CI DOWN, or (when DEGRADED) the nearest impacted provider. */
  cause: string | null;
  causeStrength: Strength | null;
  /** The breadth-first parent: always one hop nearer a failure, so following it never loops. */
  nearest: string | null;
  distance: number;
  downMembers: number;
}

export function propagateImpact(subgraph: ImpactSubgraph, failedKeys: readonly string[]): ImpactResult {
  const work = new Map<string, Working>();
  for (const node of subgraph.nodes) {
    work.set(node.key, { key: node.key, node, providers: [], consumers: [], consumerStrengths: [], down: false, cause: null, causeStrength: null, nearest: null, distance: Infinity, downMembers: 0 });
  }
  for (const edge of subgraph.edges) {
    const provider = work.get(edge.to);
    const consumer = work.get(edge.from);
    if (!provider || !consumer) continue;
    provider.consumers.push(consumer);
    provider.consumerStrengths.push(edge.strength);
  }
  // Most answers never look from a CI at its providers: their lists are built once, when one does.
  let providersListed = false;
  const providersOf = (w: Working): ImpactEdge[] => {
    if (!providersListed) {
      providersListed = true;
      for (const edge of subgraph.edges) if (work.has(edge.to)) work.get(edge.from)?.providers.push(edge);
    }
    return w.providers;
  };
  const failed = [...new Set(failedKeys)].filter((k) => work.has(k));

  // Distance: plain breadth-first search against the arrows, from every failure at once.
  const queue: Working[] = [];
  for (const key of failed) {
    const w = work.get(key)!;
    w.distance = 0;
    queue.push(w);
  }
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    for (let c = 0; c < current.consumers.length; c++) {
      const consumer = current.consumers[c];
      if (consumer.distance === Infinity) {
        const strength = current.consumerStrengths[c];
        consumer.distance = current.distance + 1;
        consumer.cause = current.key;
        consumer.causeStrength = strength;
        consumer.nearest = current.key;
        queue.push(consumer);
      }
    }
  }

  // DOWN: the least fixed point. A CI turns DOWN once, when a HARD provider is
  // DOWN or, for a group, when too few members are left up; breadth-first
  // order keeps the explaining chains short.
  const downQueue: Working[] = [];
  const markDown = (w: Working, cause: string | null, strength: Strength | null) => {
    w.down = true;
    w.cause = cause;
    w.causeStrength = strength;
    downQueue.push(w);
  };
  for (const key of failed) markDown(work.get(key)!, null, null);
  // A reached group with fewer members than it needs can never be up: it starts DOWN
  // alongside the failures, so its DOWN reaches its consumers like any other.
  for (const w of work.values()) {
    if (!w.down && w.distance !== Infinity && w.node.minHealthy !== null && w.node.dependencyCount < w.node.minHealthy) {
      markDown(w, w.nearest, w.causeStrength);
    }
  }
  for (let head = 0; head < downQueue.length; head++) {
    const provider = downQueue[head];
    for (let c = 0; c < provider.consumers.length; c++) {
      const consumer = provider.consumers[c];
      const strength = provider.consumerStrengths[c];
      if (consumer.down) continue;
      if (consumer.node.minHealthy !== null) {
        consumer.downMembers++;
        if (consumer.node.dependencyCount - consumer.downMembers < consumer.node.minHealthy) markDown(consumer, provider.key, strength);
      } else if (strength === 'HARD') {
        markDown(consumer, provider.key, strength);
      }
    }
  }

  const failedSet = new Set(failed);
  const impacted: ImpactedCi[] = [];
  const misconfiguredGroups: string[] = [];
  for (const [key, w] of work) {
    if (w.distance === Infinity) continue;
    const group = w.node.minHealthy === null ? null : groupHealth(w, providersOf(w), work);
    if (group?.misconfigured) misconfiguredGroups.push(key);
    const state: ImpactState = w.down ? 'DOWN' : 'DEGRADED';
    impacted.push({ key, state, distance: w.distance, reason: reasonFor(w, state, group, failedSet.has(key), work), group });
  }
  impacted.sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(impacted.map((i) => [i.key, i]));

  /** Breadth-first over dependencies from `start` to a failed CI, not passing through `avoid`. */
  const pathToFailure = (start: string, avoid: Set<string>): string[] | null => {
    const parent = new Map<string, string | null>([[start, null]]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head];
      if (failedSet.has(current)) {
        const path: string[] = [];
        for (let k: string | null = current; k !== null; k = parent.get(k)!) path.unshift(k);
        return path;
      }
      for (const edge of providersOf(work.get(current)!)) {
        if (parent.has(edge.to) || avoid.has(edge.to) || work.get(edge.to)!.distance === Infinity) continue;
        parent.set(edge.to, current);
        queue.push(edge.to);
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
  const explainingPath = (key: string): string[] | null => {
    const misconfigured = (k: string) => {
      const n = work.get(k)!.node;
      return n.minHealthy !== null && n.dependencyCount < n.minHealthy;
    };
    type State = { key: string; free: boolean; path: string[] };
    const queue: State[] = [{ key, free: false, path: [key] }];
    const visited = new Set<string>([`${key}|false`]);
    for (let head = 0; head < queue.length; head++) {
      const { key: current, free, path } = queue[head];
      if (failedSet.has(current)) return path;
      const w = work.get(current)!;
      const nowFree = free || misconfigured(current);
      for (const edge of providersOf(w)) {
        const next = work.get(edge.to)!;
        if (next.distance === Infinity || path.includes(edge.to)) continue;
        const explains = nowFree || !w.down || (w.node.minHealthy !== null ? next.down : next.down && edge.strength === 'HARD');
        const id = `${edge.to}|${nowFree}`;
        if (!explains || visited.has(id)) continue;
        visited.add(id);
        queue.push({ key: edge.to, free: nowFree, path: [...path, edge.to] });
      }
    }
    return null;
  };
  const nearestPath = (key: string): string[] => {
    const path: string[] = [];
    for (let current: string | null = key; current !== null; current = work.get(current)!.nearest) path.push(current);
    return path;
  };

  return {
    impacted,
    byKey,
    misconfiguredGroups: misconfiguredGroups.sort(),
    chainOf(key: string): string[] {
      if (!byKey.has(key)) return [];
      // Explaining causes were set in DOWN order, so they cannot loop, except through a
      // misconfigured group (DOWN from the start, its cause only where impact came from):
      // from there on, breadth-first parents, one hop nearer a failure each.
      // When even that comes back to a CI already on the chain (the group's impact came
      // through this very CI), no explaining chain exists: the nearest path to a failure is shown.
      const chain: string[] = [];
      const seen = new Set<string>();
      for (let current: string | null = key; current !== null; ) {
        if (seen.has(current)) return explainingPath(key) ?? nearestPath(key);
        seen.add(current);
        chain.push(current);
        const w: Working = work.get(current)!;
        if (w.node.minHealthy !== null && w.node.dependencyCount < w.node.minHealthy) {
          // Past a misconfigured group any path to a failure explains; take the shortest that avoids the chain so far.
          const rest = pathToFailure(current, seen);
          return rest ? [...chain, ...rest.slice(1)] : (explainingPath(key) ?? nearestPath(key));
        }
        current = w.down ? w.cause : w.nearest;
      }
      return chain;
    },
  };
}

function groupHealth(w: Working, providers: ImpactEdge[], work: Map<string, Working>): GroupHealth {
  let degraded = 0;
  let down = 0;
  // Counted from the members' final states: propagation stops counting once the group is DOWN.
  for (const edge of providers) {
    const member = work.get(edge.to)!;
    if (member.down) down++;
    else if (member.distance !== Infinity) degraded++;
  }
  const minHealthy = w.node.minHealthy!;
  return { members: w.node.dependencyCount, down, degraded, minHealthy, misconfigured: w.node.dependencyCount < minHealthy };
}

function reasonFor(w: Working, state: ImpactState, group: GroupHealth | null, failed: boolean, work: Map<string, Working>): string {
  if (failed) return 'failed';
  if (group) {
    const up = group.members - group.down;
    const counts = `${group.down} of ${group.members} members down${group.degraded ? `, ${group.degraded} degraded` : ''}`;
    if (group.misconfigured) return `misconfigured: ${group.members} members but needs ${group.minHealthy} up`;
    return state === 'DOWN' ? `${counts}, needs ${group.minHealthy} up` : `${counts}; ${up} up, needs ${group.minHealthy}`;
  }
  if (state === 'DOWN') return `hard dependency on ${w.cause}, which is down`;
  const causeState = work.get(w.cause!)?.down ? 'down' : 'degraded';
  return w.causeStrength === 'SOFT' ? `soft dependency on ${w.cause}, which is ${causeState}` : `depends on ${w.cause}, which is degraded`;
}

/**
 * The part of `subgraph` that `failedKeys` reach within `maxDepth` hops
 * against the arrows: what a fetch for these failures alone would have
 * returned, so one fetch for many what-ifs serves them all. Every CI of the
 * part keeps its dependencies inside the part.
 */
export function reachableSubgraph(subgraph: ImpactSubgraph, failedKeys: readonly string[], maxDepth: number, index = reachIndex(subgraph)): ImpactSubgraph {
  const { idOf, distance, consumerStart, consumerFrom, consumerEdge } = index;
  const queue: number[] = [];
  for (const key of failedKeys) {
    const i = idOf.get(key);
    if (i !== undefined && distance[i] < 0) {
      distance[i] = 0;
      queue.push(i);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head];
    const d = distance[x];
    if (d === maxDepth) continue;
    for (let e = consumerStart[x]; e < consumerStart[x + 1]; e++) {
      const y = consumerFrom[e];
      if (distance[y] < 0) {
        distance[y] = d + 1;
        queue.push(y);
      }
    }
  }
  const nodes = queue.map((i) => index.nodes[i]);
  const edges: ImpactEdge[] = [];
  for (const x of queue) for (let e = consumerStart[x]; e < consumerStart[x + 1]; e++) if (distance[consumerFrom[e]] >= 0) edges.push(consumerEdge[e]);
  for (const x of queue) distance[x] = -1;
  return { nodes, edges };
}

/**
 * A subgraph indexed for repeated reachableSubgraph calls (a storm prices a hundred incidents on
 * one fetch): integer ids, the dependencies on each CI in edge order, and a distance per CI that
 * each call leaves as it found it (all -1).
 */
export interface ReachIndex {
  idOf: Map<string, number>;
  nodes: ImpactNode[];
  /** The dependencies on CI i are consumerEdge[consumerStart[i] .. consumerStart[i + 1]), their consumers consumerFrom[...]. */
  consumerStart: Int32Array;
  consumerFrom: Int32Array;
  consumerEdge: ImpactEdge[];
  distance: Int32Array;
}

export function reachIndex(subgraph: ImpactSubgraph): ReachIndex {
  const idOf = new Map<string, number>();
  const nodes: ImpactNode[] = [];
  for (const node of subgraph.nodes) {
    const at = idOf.get(node.key);
    // A repeated key keeps its first place and its last node, as a Map built from the list would.
    if (at === undefined) {
      idOf.set(node.key, nodes.length);
      nodes.push(node);
    } else nodes[at] = node;
  }
  const n = nodes.length;
  const consumerStart = new Int32Array(n + 1);
  const usable = subgraph.edges.filter((edge) => idOf.has(edge.from) && idOf.has(edge.to));
  for (const edge of usable) consumerStart[idOf.get(edge.to)! + 1]++;
  for (let i = 0; i < n; i++) consumerStart[i + 1] += consumerStart[i];
  const fill = consumerStart.slice(0, n);
  const consumerFrom = new Int32Array(usable.length);
  const consumerEdge: ImpactEdge[] = new Array(usable.length);
  for (const edge of usable) {
    const at = fill[idOf.get(edge.to)!]++;
    consumerFrom[at] = idOf.get(edge.from)!;
    consumerEdge[at] = edge;
  }
  return { idOf, nodes, consumerStart, consumerFrom, consumerEdge, distance: new Int32Array(n).fill(-1) };
}
