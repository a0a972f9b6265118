import { describe, expect, it } from 'vitest';
import { layerOf, layeredPositions } from './layering';
import type { Graph } from './model';

const node = (key: string, kind: string) => ({ key, kind, name: key });
const edge = (from: string, to: string) => ({ from, to, type: 'USES', strength: 'HARD' as const });

const map: Graph = {
  nodes: [
    node('bf:pay', 'BUSINESS_FUNCTION'), node('bs:pay', 'BUSINESS_SERVICE'), node('svc:a', 'SERVICE'), node('svc:b', 'SERVICE'),
    node('db:1', 'DATABASE'), node('rg:hosts', 'REDUNDANCY_GROUP'), node('host:1', 'HOST'), node('host:2', 'HOST'), node('net:sw', 'NETWORK_DEVICE'),
  ],
  edges: [
    edge('bf:pay', 'bs:pay'), edge('bs:pay', 'svc:a'), edge('bs:pay', 'svc:b'), edge('svc:a', 'db:1'), edge('svc:b', 'rg:hosts'),
    edge('rg:hosts', 'host:1'), edge('rg:hosts', 'host:2'), edge('host:1', 'net:sw'), edge('host:2', 'net:sw'),
  ],
};

describe('layerOf', () => {
  it('puts business at the top and infrastructure at the bottom, by kind', () => {
    const layer = layerOf(map);
    const order = ['bf:pay', 'bs:pay', 'svc:a', 'db:1', 'host:1', 'net:sw'].map((k) => layer.get(k)!);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    expect(layer.get('svc:a')).toBe(layer.get('svc:b'));
  });

  it('draws a redundancy group under its consumers and above its members, nested groups above those', () => {
    const nested: Graph = {
      nodes: [...map.nodes, node('rg:outer', 'REDUNDANCY_GROUP')],
      edges: [...map.edges, edge('rg:outer', 'rg:hosts')],
    };
    const layer = layerOf(nested);
    expect(layer.get('rg:hosts')!).toBeLessThan(layer.get('host:1')!);
    expect(layer.get('rg:hosts')!).toBeGreaterThan(layer.get('svc:b')!);
    expect(layer.get('rg:outer')!).toBeLessThan(layer.get('rg:hosts')!);
    expect(layer.get('host:1')).toBe(layer.get('host:2'));
  });

  it('puts a provider under a consumer of the same kind (a database on a cluster of databases, a service calling a service)', () => {
    const layer = layerOf({
      nodes: [node('db:ledger', 'DATABASE'), node('rg:pg', 'REDUNDANCY_GROUP'), node('db:pg-1', 'DATABASE'), node('svc:a', 'SERVICE'), node('svc:b', 'SERVICE')],
      edges: [edge('db:ledger', 'rg:pg'), edge('rg:pg', 'db:pg-1'), edge('svc:a', 'svc:b'), edge('svc:a', 'db:ledger')],
    });
    expect(layer.get('db:ledger')!).toBeLessThan(layer.get('rg:pg')!);
    expect(layer.get('rg:pg')!).toBeLessThan(layer.get('db:pg-1')!);
    expect(layer.get('svc:a')!).toBeLessThan(layer.get('svc:b')!);
    expect(layer.get('svc:b')!).toBeLessThan(layer.get('db:ledger')!);
  });

  it('terminates on cycles (of groups, of services calling each other) and gives unknown kinds a middle row', () => {
    const layer = layerOf({
      nodes: [node('rg:a', 'REDUNDANCY_GROUP'), node('rg:b', 'REDUNDANCY_GROUP'), node('x', 'SOMETHING_NEW'), node('svc:1', 'SERVICE'), node('svc:2', 'SERVICE')],
      edges: [edge('rg:a', 'rg:b'), edge('rg:b', 'rg:a'), edge('svc:1', 'svc:2'), edge('svc:2', 'svc:1')],
    });
    expect([...layer.values()].every(Number.isFinite)).toBe(true);
    expect(layer.get('x')).toBe(7);
    expect(layer.get('svc:1')).not.toBe(layer.get('svc:2'));
  });
});

describe('layeredPositions', () => {
  it('gives every node a distinct position, each layer its own row, top to bottom', () => {
    const positions = layeredPositions(map);
    expect(positions.size).toBe(map.nodes.length);
    const points = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(points.size).toBe(map.nodes.length);
    expect(positions.get('bf:pay')!.y).toBeLessThan(positions.get('bs:pay')!.y);
    expect(positions.get('rg:hosts')!.y).toBeLessThan(positions.get('host:1')!.y);
    expect(positions.get('host:1')!.y).toBeLessThan(positions.get('net:sw')!.y);
    expect(positions.get('svc:a')!.y).toBe(positions.get('svc:b')!.y);
  });

  it('orders a row by the position of its consumers, so edges go mostly straight down', () => {
    const crossing: Graph = {
      nodes: [node('bs:a', 'BUSINESS_SERVICE'), node('bs:z', 'BUSINESS_SERVICE'), node('svc:needed-by-z', 'SERVICE'), node('svc:needed-by-a', 'SERVICE')],
      edges: [edge('bs:a', 'svc:needed-by-a'), edge('bs:z', 'svc:needed-by-z')],
    };
    const p = layeredPositions(crossing);
    // Key order alone would put needed-by-a left of needed-by-z anyway; check it follows the consumers when swapped.
    expect(p.get('svc:needed-by-a')!.x).toBeLessThan(p.get('svc:needed-by-z')!.x);
    const swapped = layeredPositions({ ...crossing, edges: [edge('bs:a', 'svc:needed-by-z'), edge('bs:z', 'svc:needed-by-a')] });
    expect(swapped.get('svc:needed-by-z')!.x).toBeLessThan(swapped.get('svc:needed-by-a')!.x);
  });

  it('wraps a wide layer onto several rows and keeps 2,000 nodes of one kind within a bounded width', () => {
    const nodes = [node('bf:x', 'BUSINESS_FUNCTION'), ...Array.from({ length: 2000 }, (_, i) => node(`host:${i}`, 'HOST'))];
    const edges = nodes.slice(1).map((n) => edge('bf:x', n.key));
    const p = layeredPositions({ nodes, edges }, { maxPerRow: 40 });
    const rows = new Set(nodes.slice(1).map((n) => p.get(n.key)!.y));
    expect(rows.size).toBe(50);
    expect(Math.max(...nodes.map((n) => Math.abs(p.get(n.key)!.x)))).toBeLessThan(41 * 190);
  });
});
