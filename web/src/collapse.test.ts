import { describe, expect, it } from 'vitest';
import { collapseGraph, kindNodeId } from './collapse';
import type { Graph, Strength } from './model';

const node = (key: string, kind: string) => ({ key, kind, name: key });
const edge = (from: string, to: string, strength: Strength = 'HARD', type = 'USES') => ({ from, to, type, strength });

const map: Graph = {
  nodes: [node('svc:a', 'SERVICE'), node('svc:b', 'SERVICE'), node('rg:db', 'REDUNDANCY_GROUP'), node('db:1', 'DATABASE'), node('db:2', 'DATABASE'), node('host:1', 'HOST'), node('host:2', 'HOST')],
  edges: [
    edge('svc:a', 'rg:db'), edge('svc:b', 'rg:db', 'SOFT'), edge('rg:db', 'db:1', 'HARD', 'HAS_MEMBER'), edge('rg:db', 'db:2', 'HARD', 'HAS_MEMBER'),
    edge('db:1', 'host:1', 'HARD', 'RUNS_ON'), edge('db:2', 'host:2', 'HARD', 'RUNS_ON'), edge('svc:b', 'host:2', 'SOFT'),
  ],
};

describe('collapseGraph', () => {
  it('draws the map as is when nothing is collapsed', () => {
    const view = collapseGraph(map);
    expect(view.nodes.map((n) => n.key)).toEqual(map.nodes.map((n) => n.key));
    expect(view.nodes.every((n) => !n.collapsed && n.members.length === 1)).toBe(true);
    expect(view.edges).toHaveLength(map.edges.length);
  });

  it('draws a kind as one node standing for all its CIs, edges re-pointed and merged with HARD winning', () => {
    const view = collapseGraph(map, { kinds: ['SERVICE'] });
    const services = view.nodes.find((n) => n.key === kindNodeId('SERVICE'))!;
    expect(services).toMatchObject({ kind: 'SERVICE', collapsed: true, name: '2 x SERVICE' });
    expect(services.members.sort()).toEqual(['svc:a', 'svc:b']);
    expect(view.edges.filter((e) => e.from === kindNodeId('SERVICE') && e.to === 'rg:db')).toEqual([{ from: kindNodeId('SERVICE'), to: 'rg:db', type: 'USES', strength: 'HARD' }]);
    expect(view.owner.get('svc:b')).toBe(kindNodeId('SERVICE'));
  });

  it('drops the edges inside a collapsed kind', () => {
    const view = collapseGraph({ nodes: [node('a', 'SERVICE'), node('b', 'SERVICE')], edges: [edge('a', 'b')] }, { kinds: ['SERVICE'] });
    expect(view.nodes).toHaveLength(1);
    expect(view.edges).toEqual([]);
  });

  it('folds group members into their group, only those that groups alone need, and keeps what they need', () => {
    const view = collapseGraph(map, { groups: true });
    const group = view.nodes.find((n) => n.key === 'rg:db')!;
    expect(group.members.sort()).toEqual(['db:1', 'db:2', 'rg:db']);
    expect(group.collapsed).toBe(true);
    expect(view.nodes.map((n) => n.key).sort()).toEqual(['host:1', 'host:2', 'rg:db', 'svc:a', 'svc:b']);
    expect(view.edges.filter((e) => e.from === 'rg:db').map((e) => e.to).sort()).toEqual(['host:1', 'host:2']);
    expect(view.edges.some((e) => e.from === 'svc:b' && e.to === 'host:2' && e.strength === 'SOFT')).toBe(true);
  });

  it('keeps a member that something other than a group needs', () => {
    const view = collapseGraph({ ...map, edges: [...map.edges, edge('svc:a', 'db:1')] }, { groups: true });
    expect(view.nodes.some((n) => n.key === 'db:1')).toBe(true);
    expect(view.owner.get('db:2')).toBe('rg:db');
  });

  it('collapses a kind after folding groups: the group stays, its members went into it', () => {
    const view = collapseGraph(map, { groups: true, kinds: ['DATABASE', 'HOST'] });
    expect(view.owner.get('db:1')).toBe('rg:db');
    expect(view.owner.get('host:1')).toBe(kindNodeId('HOST'));
    expect(view.edges.some((e) => e.from === 'rg:db' && e.to === kindNodeId('HOST'))).toBe(true);
  });
});
