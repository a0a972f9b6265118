import type { Graph, MapEdge, MapNode, Strength } from './model';

export interface CollapseOptions {
  /** Kinds drawn as one node each ("HOST x 42"). */
  kinds?: Iterable<string>;
  /** Fold the members of redundancy groups into their group. */
  groups?: boolean;
}

/** A drawn node: a CI, or several folded into one. */
export interface ViewNode extends MapNode {
  /** The CIs this node stands for (itself for a plain CI). */
  members: string[];
  collapsed: boolean;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: MapEdge[];
  /** Which drawn node each CI key ended up in. */
  owner: Map<string, string>;
}

export const KIND_NODE_PREFIX = 'kind:';

/** Id of the node a collapsed kind is drawn as; cannot clash with a CI key drawn alongside since it names no CI of the map. */
export function kindNodeId(kind: string): string {
  return `${KIND_NODE_PREFIX}${kind}`;
}

/**
 * Folds a map for drawing: members of redundancy groups into their group (when
 * only groups need them), then whole kinds into one node each. Edges are
 * re-pointed at what they fold into, merged (HARD wins over SOFT) and never
 * point at themselves. Pure; the full map is kept by the caller.
 */
export function collapseGraph(graph: Graph, options: CollapseOptions = {}): ViewGraph {
  const kinds = new Set(options.kinds ?? []);
  const kindOf = new Map(graph.nodes.map((n) => [n.key, n.kind]));
  const owner = new Map<string, string>(graph.nodes.map((n) => [n.key, n.key]));

  if (options.groups) {
    const consumers = new Map<string, string[]>();
    for (const e of graph.edges) {
      const list = consumers.get(e.to) ?? [];
      list.push(e.from);
      consumers.set(e.to, list);
    }
    // A member folds into its group only when groups are all that need it, so
    // nothing that depends on it directly loses its edge.
    const folded = (key: string): string | undefined => {
      const needers = consumers.get(key) ?? [];
      if (!needers.length || !needers.every((c) => kindOf.get(c) === 'REDUNDANCY_GROUP')) return undefined;
      return needers.slice().sort()[0];
    };
    const resolve = (key: string, seen: Set<string>): string => {
      const into = folded(key);
      if (!into || seen.has(into)) return key;
      seen.add(key);
      return resolve(into, seen);
    };
    for (const n of graph.nodes) owner.set(n.key, resolve(n.key, new Set()));
  }
  for (const n of graph.nodes) {
    const current = owner.get(n.key)!;
    const kind = kindOf.get(current)!;
    if (kinds.has(kind)) owner.set(n.key, kindNodeId(kind));
  }

  const membersOf = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const id = owner.get(n.key)!;
    const list = membersOf.get(id) ?? [];
    list.push(n.key);
    membersOf.set(id, list);
  }
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  const nodes: ViewNode[] = [];
  for (const [id, members] of membersOf) {
    const ci = byKey.get(id);
    if (ci) {
      nodes.push({ ...ci, members, collapsed: members.length > 1 });
    } else {
      const kind = id.slice(KIND_NODE_PREFIX.length);
      nodes.push({ key: id, kind, name: `${members.length} x ${kind}`, members, collapsed: true });
    }
  }

  const merged = new Map<string, MapEdge>();
  for (const e of graph.edges) {
    const from = owner.get(e.from);
    const to = owner.get(e.to);
    if (!from || !to || from === to) continue;
    const id = `${from}\u0000${to}`;
    const previous = merged.get(id);
    if (!previous) merged.set(id, { ...e, from, to });
    else merged.set(id, { ...previous, type: previous.type === e.type ? e.type : 'SEVERAL', strength: strongest(previous.strength, e.strength) });
  }
  return { nodes, edges: [...merged.values()], owner };
}

function strongest(a: Strength | '', b: Strength | ''): Strength | '' {
  if (a === 'HARD' || b === 'HARD') return 'HARD';
  return a || b;
}
