import type { Graph, MapNode } from './model';

/**
 * Row of each kind in the drawing, top to bottom: what the business does,
 * then software, data, platforms, compute, and the network and places under it.
 * Redundancy groups have no row of their own: they sit just above their members.
 */
export const KIND_ROW: Record<string, number> = {
  BUSINESS_FUNCTION: 0,
  BUSINESS_SERVICE: 1,
  APPLICATION: 2,
  API: 3,
  SERVICE: 4,
  FUNCTION: 4,
  KUBERNETES_WORKLOAD: 5,
  CONTAINER: 5,
  QUEUE: 6,
  CACHE: 6,
  DATABASE: 6,
  STORAGE: 6,
  SAAS: 6,
  EXTERNAL: 6,
  IDENTITY_PROVIDER: 6,
  SECRET: 7,
  CONFIG: 7,
  CERTIFICATE: 7,
  VOLUME: 7,
  OTHER: 7,
  KUBERNETES_NAMESPACE: 8,
  KUBERNETES_CLUSTER: 9,
  LOAD_BALANCER: 10,
  DNS: 10,
  VM: 11,
  HOST: 12,
  CLOUD_ACCOUNT: 13,
  NETWORK: 14,
  NETWORK_DEVICE: 14,
  ZONE: 15,
  REGION: 16,
  DATACENTER: 16,
};

const GROUP = 'REDUNDANCY_GROUP';
const UNKNOWN_ROW = 7;
/** Sub-rows inside a kind's row: a layer is row + depth / SUB_ROWS. */
const SUB_ROWS = 100;

/**
 * The layer of every node: its kind's row (a redundancy group takes the row of
 * its highest member), then, inside a row, one sub-row per hop of dependencies
 * between CIs of that row, so a provider is always drawn under its consumer: a
 * service under the service that calls it, a database cluster under the
 * database on it and above its member nodes. Cycles are cut where they close.
 */
export function layerOf(graph: Graph): Map<string, number> {
  const kindOf = new Map(graph.nodes.map((n) => [n.key, n.kind]));
  const providers = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!kindOf.has(e.from) || !kindOf.has(e.to) || e.from === e.to) continue;
    (providers.get(e.from) ?? providers.set(e.from, []).get(e.from)!).push(e.to);
    (consumers.get(e.to) ?? consumers.set(e.to, []).get(e.to)!).push(e.from);
  }

  const row = new Map<string, number>();
  const visitingGroups = new Set<string>();
  const rowOf = (key: string): number => {
    const known = row.get(key);
    if (known !== undefined) return known;
    const kind = kindOf.get(key)!;
    let value: number;
    if (kind !== GROUP) value = KIND_ROW[kind] ?? UNKNOWN_ROW;
    else if (visitingGroups.has(key)) return UNKNOWN_ROW; // a cycle of groups: any finite row will do
    else {
      visitingGroups.add(key);
      const below = (providers.get(key) ?? []).map(rowOf);
      visitingGroups.delete(key);
      value = below.length ? Math.min(...below) : UNKNOWN_ROW;
    }
    row.set(key, value);
    return value;
  };
  for (const n of graph.nodes) rowOf(n.key);

  // Longest chain of same-row consumers above each node; an edge back into the walk closes a cycle and is ignored.
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    onPath.add(key);
    let value = 0;
    for (const c of consumers.get(key) ?? []) {
      if (row.get(c) !== row.get(key) || onPath.has(c)) continue;
      value = Math.max(value, depthOf(c) + 1);
    }
    onPath.delete(key);
    depth.set(key, Math.min(value, SUB_ROWS - 1));
    return depth.get(key)!;
  };
  const layer = new Map<string, number>();
  for (const n of graph.nodes) layer.set(n.key, row.get(n.key)! + depthOf(n.key) / SUB_ROWS);
  return layer;
}

export interface LayoutOptions {
  /** Horizontal distance between neighbours. */
  spacingX?: number;
  /** Vertical distance between rows. */
  spacingY?: number;
  /** A layer wider than this wraps onto several rows, so a big map stays readable. */
  maxPerRow?: number;
}

/**
 * Positions for a layered drawing: one band per layer (top = business), nodes in a
 * band ordered by the mean position of their consumers above (barycenter), so
 * edges mostly go straight down. Linear in nodes and edges per sweep; no animation.
 */
export function layeredPositions(graph: Graph, options: LayoutOptions = {}): Map<string, { x: number; y: number }> {
  const spacingX = options.spacingX ?? 190;
  const spacingY = options.spacingY ?? 90;
  const maxPerRow = options.maxPerRow ?? 30;
  const layer = layerOf(graph);
  const bands = [...new Set(layer.values())].sort((a, b) => a - b);
  const byBand = new Map<number, MapNode[]>(bands.map((b) => [b, []]));
  for (const n of graph.nodes) byBand.get(layer.get(n.key)!)!.push(n);

  const consumers = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = consumers.get(e.to) ?? [];
    list.push(e.from);
    consumers.set(e.to, list);
  }
  const order = new Map<string, number>();
  for (const band of bands) {
    const nodes = byBand.get(band)!;
    // Stable start: by key, so the same map always draws the same way.
    nodes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const weight = (n: MapNode, fallback: number) => {
      const above = (consumers.get(n.key) ?? []).map((c) => order.get(c)).filter((x): x is number => x !== undefined);
      return above.length ? above.reduce((s, x) => s + x, 0) / above.length : fallback;
    };
    const weighted = nodes.map((n, i) => ({ n, w: weight(n, (i / Math.max(1, nodes.length - 1)) * 1000) }));
    weighted.sort((a, b) => a.w - b.w || (a.n.key < b.n.key ? -1 : 1));
    const width = weighted.length;
    weighted.forEach(({ n }, i) => order.set(n.key, width === 1 ? 500 : (i / (width - 1)) * 1000));
    byBand.set(band, weighted.map((x) => x.n));
  }

  const positions = new Map<string, { x: number; y: number }>();
  let row = 0;
  for (const band of bands) {
    const nodes = byBand.get(band)!;
    for (let start = 0; start < nodes.length; start += maxPerRow) {
      const slice = nodes.slice(start, start + maxPerRow);
      const offset = (slice.length - 1) / 2;
      // Wrapped rows are shifted by half a step so their edges do not hide each other.
      const shift = (start / maxPerRow) % 2 ? spacingX / 2 : 0;
      slice.forEach((n, i) => positions.set(n.key, { x: (i - offset) * spacingX + shift, y: row * spacingY }));
      row++;
    }
  }
  return positions;
}
