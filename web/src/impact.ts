import type { BlastAnswer, Graph, ImpactState, MapEdge, MapNode } from './model';

export type NodeState = 'FAILED' | ImpactState;

const RANK: Record<NodeState, number> = { FAILED: 3, DOWN: 2, DEGRADED: 1 };

/** The state of every impacted CI: FAILED for the simulated failures, else DOWN or DEGRADED as the API says. */
export function impactStates(answer: Pick<BlastAnswer, 'failedKeys' | 'impacted'>): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const node of answer.impacted) states.set(node.key, node.state);
  for (const key of answer.failedKeys) states.set(key, 'FAILED');
  return states;
}

/** The worst state among several CIs drawn as one node, or undefined when none is impacted. */
export function worstState(keys: Iterable<string>, states: Map<string, NodeState>): NodeState | undefined {
  let worst: NodeState | undefined;
  for (const key of keys) {
    const state = states.get(key);
    if (state && (!worst || RANK[state] > RANK[worst])) worst = state;
  }
  return worst;
}

/** CSS-like class a node gets for its state (the stylesheet colors them). */
export function stateClass(state: NodeState | undefined): string {
  return state ? `impact-${state.toLowerCase()}` : '';
}

/** The dependencies a chain walks: each CI of it needs the next one. */
export function chainEdges(chain: string[]): { from: string; to: string }[] {
  const edges: { from: string; to: string }[] = [];
  for (let i = 0; i + 1 < chain.length; i++) edges.push({ from: chain[i], to: chain[i + 1] });
  return edges;
}

/**
 * The map with every impacted CI it lacks, so the whole blast radius is on screen:
 * a failure under a shared component reaches business functions outside the map
 * that was open. The missing nodes come with the edges of their chains (strength
 * unknown there, drawn as inferred).
 */
export function withImpact(graph: Graph, answer: Pick<BlastAnswer, 'impacted'>): Graph {
  const keys = new Set(graph.nodes.map((n) => n.key));
  const edgeIds = new Set(graph.edges.map((e) => `${e.from}\u0000${e.to}`));
  const nodes: MapNode[] = [...graph.nodes];
  const edges: MapEdge[] = [...graph.edges];
  for (const impacted of answer.impacted) {
    if (keys.has(impacted.key)) continue;
    keys.add(impacted.key);
    nodes.push({ key: impacted.key, kind: impacted.kind, name: impacted.ci?.name ?? impacted.key, owner: impacted.ci?.owner ?? null });
  }
  for (const impacted of answer.impacted) {
    for (const e of chainEdges(impacted.chain)) {
      const id = `${e.from}\u0000${e.to}`;
      if (edgeIds.has(id) || !keys.has(e.from) || !keys.has(e.to)) continue;
      edgeIds.add(id);
      edges.push({ ...e, type: 'IMPACT_CHAIN', strength: '' });
    }
  }
  return { nodes, edges };
}

/** One page of a blast-radius answer, as the browser's query asks for it. */
export type BlastPage = Omit<BlastAnswer, 'impacted'> & {
  impacted: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: BlastAnswer['impacted'][number] }[] };
};

/**
 * The whole blast radius, every page of it, so every impacted CI can be colored. Pages of
 * `pageSize`; a service whose SVCMAP_MAX_PAGE is smaller refuses that size (an error naming
 * `first`), and the pages are then asked without a size, which the service fits to its limit.
 */
export async function allPages(
  fetchPage: (variables: { first?: number; after: string | null }) => Promise<BlastPage>,
  pageSize: number,
  refusesSize: (error: unknown) => boolean,
): Promise<BlastAnswer> {
  let first: number | undefined = pageSize;
  let after: string | null = null;
  let answer: BlastAnswer | null = null;
  for (;;) {
    let page: BlastPage;
    try {
      page = await fetchPage(first === undefined ? { after } : { first, after });
    } catch (error) {
      if (first === undefined || !refusesSize(error)) throw error;
      first = undefined;
      continue;
    }
    const { impacted, ...rest } = page;
    answer ??= { ...rest, impacted: [] };
    answer.impacted.push(...impacted.edges.map((e) => e.node));
    after = impacted.pageInfo.hasNextPage ? impacted.pageInfo.endCursor : null;
    if (!after) return answer;
  }
}
