import { ImpactEdge, ImpactNode, ImpactSubgraph, indexImpactGraph, plainImpactGraph, propagateImpact, reachIndex, reachableSubgraph } from './impact-engine';

/** Builds a subgraph from `consumer>provider` (HARD) and `consumer~provider` (SOFT) edges; groups as `key:minHealthy/members`. */
function graph(edges: string[], groups: Record<string, [number, number]> = {}): ImpactSubgraph {
  const parsed: ImpactEdge[] = edges.map((e) => {
    const [from, to] = e.split(/[>~]/);
    return { from, to, strength: e.includes('~') ? 'SOFT' : 'HARD' };
  });
  const keys = new Set(parsed.flatMap((e) => [e.from, e.to]));
  Object.keys(groups).forEach((k) => keys.add(k));
  const nodes: ImpactNode[] = [...keys].map((key) => ({
    key,
    minHealthy: groups[key]?.[0] ?? null,
    dependencyCount: groups[key]?.[1] ?? parsed.filter((e) => e.from === key).length,
  }));
  return { nodes, edges: parsed };
}

const states = (result: ReturnType<typeof propagateImpact>) => Object.fromEntries(result.impacted.map((i) => [i.key, i.state]));

describe('reachIndex', () => {
  it('finds keys by id whether the graph lists them in string order (a search) or not (a map)', () => {
    const inOrder = indexImpactGraph(graph(['b>a', 'c>b', 'd>a']));
    const sorted = { ...inOrder, keys: [...inOrder.keys].sort() };
    const shuffled = { ...inOrder, keys: ['c', 'a', 'd', 'b'] };
    for (const g of [sorted, shuffled]) {
      const index = reachIndex(g);
      expect(g.keys.map((key) => index.idOf(key))).toEqual([0, 1, 2, 3]);
      expect(['', 'e', 'aa', '0'].map((key) => index.idOf(key))).toEqual([-1, -1, -1, -1]);
    }
  });
});

describe('propagateImpact', () => {
  it('a failed CI is DOWN at distance 0', () => {
    const r = propagateImpact(graph([], {}), []);
    expect(r.impacted).toEqual([]);
    const one = propagateImpact({ nodes: [{ key: 'db', minHealthy: null, dependencyCount: 0 }], edges: [] }, ['db']);
    expect(one.impacted).toEqual([{ key: 'db', state: 'DOWN', distance: 0, reason: 'failed', group: null }]);
  });

  it('HARD on DOWN is DOWN; SOFT on DOWN is DEGRADED; anything on DEGRADED is DEGRADED', () => {
    const r = propagateImpact(graph(['app>svc', 'svc>db', 'report~db', 'bf>report', 'bf2~report']), ['db']);
    expect(states(r)).toEqual({ db: 'DOWN', svc: 'DOWN', app: 'DOWN', report: 'DEGRADED', bf: 'DEGRADED', bf2: 'DEGRADED' });
    expect(r.byKey.get('report')!.reason).toBe('soft dependency on db, which is down');
    expect(r.byKey.get('bf')!.reason).toBe('depends on report, which is degraded');
    expect(r.byKey.get('svc')!.reason).toBe('hard dependency on db, which is down');
  });

  it('something else making a CI DOWN wins over a SOFT path', () => {
    const r = propagateImpact(graph(['app~db', 'app>svc', 'svc>db']), ['db']);
    expect(states(r).app).toBe('DOWN');
    expect(r.chainOf('app')).toEqual(['app', 'svc', 'db']);
    expect(r.byKey.get('app')!.distance).toBe(1);
  });

  it('a 2-of-3 group is DEGRADED with one member down and DOWN with two', () => {
    const g = graph(['rg>a', 'rg>b', 'rg>c', 'svc>rg'], { rg: [2, 3] });
    const one = propagateImpact(g, ['a']);
    expect(states(one)).toEqual({ a: 'DOWN', rg: 'DEGRADED', svc: 'DEGRADED' });
    expect(one.byKey.get('rg')!.reason).toBe('1 of 3 members down; 2 up, needs 2');
    const two = propagateImpact(g, ['a', 'b']);
    expect(states(two)).toEqual({ a: 'DOWN', b: 'DOWN', rg: 'DOWN', svc: 'DOWN' });
    expect(two.byKey.get('rg')!.reason).toBe('2 of 3 members down, needs 2 up');
    expect(two.byKey.get('rg')!.group).toEqual({ members: 3, down: 2, degraded: 0, minHealthy: 2, misconfigured: false });
  });

  it('a DEGRADED member still counts as up', () => {
    const g = graph(['rg>a', 'rg>b', 'a~x', 'b>y'], { rg: [2, 2] });
    const r = propagateImpact(g, ['x']);
    expect(states(r)).toEqual({ x: 'DOWN', a: 'DEGRADED', rg: 'DEGRADED' });
    expect(r.byKey.get('rg')!.reason).toBe('0 of 2 members down, 1 degraded; 2 up, needs 2');
  });

  it('nested groups: a service needs 2 of 3 zones, each zone 1 of 2 hosts', () => {
    const g = graph(
      ['svc>tier', 'tier>za', 'tier>zb', 'tier>zc', 'za>h1', 'za>h2', 'zb>h3', 'zb>h4', 'zc>h5', 'zc>h6'],
      { tier: [2, 3], za: [1, 2], zb: [1, 2], zc: [1, 2] },
    );
    expect(states(propagateImpact(g, ['h1']))).toEqual({ h1: 'DOWN', za: 'DEGRADED', tier: 'DEGRADED', svc: 'DEGRADED' });
    expect(states(propagateImpact(g, ['h1', 'h2']))).toMatchObject({ za: 'DOWN', tier: 'DEGRADED', svc: 'DEGRADED' });
    const twoZones = propagateImpact(g, ['h1', 'h2', 'h3', 'h4']);
    expect(states(twoZones)).toMatchObject({ za: 'DOWN', zb: 'DOWN', tier: 'DOWN', svc: 'DOWN' });
    // A group's chain names the member whose failure tipped it over.
    expect(twoZones.chainOf('svc')).toEqual(['svc', 'tier', 'zb', 'h4']);
  });

  it("a DOWN group's chain goes through the member that tipped it, however far, not the nearest failed one", () => {
    // rg needs 1 of 2: a failing alone leaves it up; it goes DOWN when b does, three hops from y.
    const r = propagateImpact(graph(['svc>rg', 'rg>a', 'rg>b', 'b>x', 'x>y'], { rg: [1, 2] }), ['a', 'y']);
    expect(r.byKey.get('rg')).toMatchObject({ state: 'DOWN', distance: 1, reason: '2 of 2 members down, needs 1 up' });
    expect(r.chainOf('rg')).toEqual(['rg', 'b', 'x', 'y']);
    expect(r.byKey.get('svc')!.distance).toBe(2);
    expect(r.chainOf('svc')).toEqual(['svc', 'rg', 'b', 'x', 'y']);
  });

  it('decides states over what lies within maxDepth hops: a longer HARD chain, or a member beyond, does not count', () => {
    // app needs db through four HARD hops and also calls it directly (SOFT); rg (2 of 3) loses m1 at once and m2 three hops away.
    const g = graph(['app>s1', 's1>s2', 's2>s3', 's3>db', 'app~db', 'svc>rg', 'rg>m1', 'rg>m2', 'rg>m3', 'm2>t1', 't1>t2', 't2>f'], { rg: [2, 3] });
    const unbounded = propagateImpact(g, ['db', 'm1', 'f']);
    expect(states(unbounded)).toMatchObject({ app: 'DOWN', rg: 'DOWN', svc: 'DOWN' });
    // What a fetch of 2 hops holds: s1 (3 hops from db) and m2 (3 hops from f) are not in it.
    const bounded = propagateImpact(reachableSubgraph(g, ['db', 'm1', 'f'], 2), ['db', 'm1', 'f']);
    expect(bounded.byKey.has('s1')).toBe(false);
    expect(bounded.byKey.has('m2')).toBe(false);
    expect(bounded.byKey.get('app')).toMatchObject({ state: 'DEGRADED', reason: 'soft dependency on db, which is down' });
    expect(bounded.byKey.get('rg')).toMatchObject({ state: 'DEGRADED', reason: '1 of 3 members down; 2 up, needs 2' });
    // Something sits at the bound (t1, s2 and svc at 2 hops): the answer says it may be cut (depthLimited).
    expect(Math.max(...bounded.impacted.map((i) => i.distance))).toBe(2);
  });

  it('cycles terminate, count nothing twice, and stay healthy without a failure in them', () => {
    const g = graph(['a>b', 'b>a', 'b~db', 'c>d', 'd>c']);
    const r = propagateImpact(g, ['db']);
    expect(states(r)).toEqual({ db: 'DOWN', b: 'DEGRADED', a: 'DEGRADED' });
    expect(r.byKey.get('a')!.distance).toBe(2);
    const inCycle = propagateImpact(graph(['a>b', 'b>a']), ['a']);
    expect(states(inCycle)).toEqual({ a: 'DOWN', b: 'DOWN' });
  });

  it('reports a group with fewer members than it needs as misconfigured', () => {
    const r = propagateImpact(graph(['rg>a', 'svc~rg'], { rg: [3, 1] }), ['a']);
    expect(r.misconfiguredGroups).toEqual(['rg']);
    expect(r.byKey.get('rg')!.reason).toBe('misconfigured: 1 members but needs 3 up');
    expect(states(r)).toEqual({ a: 'DOWN', rg: 'DOWN', svc: 'DEGRADED' });
  });

  it('uses the nearest of several failures for distance and chain', () => {
    const r = propagateImpact(graph(['app>svc', 'svc>db', 'app>cache']), ['db', 'cache']);
    expect(r.byKey.get('app')).toMatchObject({ state: 'DOWN', distance: 1 });
    expect(r.chainOf('app')).toEqual(['app', 'cache']);
    expect(r.impacted.map((i) => i.key)).toEqual(['cache', 'db', 'app', 'svc']);
  });

  it('answers the same on the indexed form, which keeps a repeated key once and leaves out edges to unknown CIs', () => {
    const plain: ImpactSubgraph = {
      nodes: [
        { key: 'db', minHealthy: null, dependencyCount: 0 },
        { key: 'svc', minHealthy: null, dependencyCount: 0 },
        { key: 'rg', minHealthy: 1, dependencyCount: 1 },
        { key: 'svc', minHealthy: null, dependencyCount: 2 },
      ],
      edges: [
        { from: 'svc', to: 'db', strength: 'HARD' },
        { from: 'rg', to: 'svc', strength: 'SOFT' },
        { from: 'ghost', to: 'db', strength: 'HARD' },
      ],
    };
    const indexed = indexImpactGraph(plain);
    expect(indexed.keys).toEqual(['db', 'svc', 'rg']);
    expect(plainImpactGraph(indexed)).toEqual({
      nodes: [
        { key: 'db', minHealthy: null, dependencyCount: 0 },
        { key: 'svc', minHealthy: null, dependencyCount: 2 },
        { key: 'rg', minHealthy: 1, dependencyCount: 1 },
      ],
      edges: [
        { from: 'svc', to: 'db', strength: 'HARD' },
        { from: 'rg', to: 'svc', strength: 'SOFT' },
      ],
    });
    const fromPlain = propagateImpact(plain, ['db', 'nowhere']);
    const fromIndexed = propagateImpact(indexed, ['db', 'nowhere']);
    expect(fromIndexed.impacted).toEqual(fromPlain.impacted);
    expect(states(fromIndexed)).toEqual({ db: 'DOWN', svc: 'DOWN', rg: 'DOWN' });
    expect(fromIndexed.chainOf('rg')).toEqual(['rg', 'svc', 'db']);
    expect(fromIndexed.chainOf('nowhere')).toEqual([]);
  });
});
