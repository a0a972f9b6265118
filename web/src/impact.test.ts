import { describe, expect, it } from 'vitest';
import { allPages, chainEdges, impactStates, stateClass, withImpact, worstState, type BlastPage } from './impact';
import type { BlastAnswer, Graph } from './model';

/** A blast-radius answer as the API sends it for `db:1` failing (trimmed). */
const answer: Pick<BlastAnswer, 'failedKeys' | 'impacted'> = {
  failedKeys: ['db:1'],
  impacted: [
    { key: 'db:1', kind: 'DATABASE', state: 'DOWN', distance: 0, chain: ['db:1'], reason: 'failed' },
    { key: 'svc:a', kind: 'SERVICE', state: 'DOWN', distance: 1, chain: ['svc:a', 'db:1'], reason: 'HARD dependency db:1 is DOWN' },
    { key: 'svc:b', kind: 'SERVICE', state: 'DEGRADED', distance: 1, chain: ['svc:b', 'db:1'], reason: 'SOFT dependency db:1 is DOWN' },
    { key: 'bf:other', kind: 'BUSINESS_FUNCTION', state: 'DEGRADED', distance: 2, chain: ['bf:other', 'svc:b', 'db:1'], reason: 'dependency svc:b is DEGRADED', ci: { name: 'Other', owner: 'team-x' } },
  ],
};

describe('impactStates', () => {
  it('colors exactly the impacted CIs, the failed ones as FAILED', () => {
    const states = impactStates(answer);
    expect(Object.fromEntries(states)).toEqual({ 'db:1': 'FAILED', 'svc:a': 'DOWN', 'svc:b': 'DEGRADED', 'bf:other': 'DEGRADED' });
    expect(states.has('svc:healthy')).toBe(false);
  });

  it('gives a node standing for several CIs the worst state among them', () => {
    const states = impactStates(answer);
    expect(worstState(['svc:b', 'svc:a'], states)).toBe('DOWN');
    expect(worstState(['svc:b', 'x'], states)).toBe('DEGRADED');
    expect(worstState(['svc:a', 'db:1'], states)).toBe('FAILED');
    expect(worstState(['x', 'y'], states)).toBeUndefined();
  });

  it('names a class per state, none for healthy', () => {
    expect([stateClass('FAILED'), stateClass('DOWN'), stateClass('DEGRADED'), stateClass(undefined)]).toEqual(['impact-failed', 'impact-down', 'impact-degraded', '']);
  });
});

describe('chains', () => {
  it('walks a chain as dependencies, each CI needing the next', () => {
    expect(chainEdges(['bf:other', 'svc:b', 'db:1'])).toEqual([{ from: 'bf:other', to: 'svc:b' }, { from: 'svc:b', to: 'db:1' }]);
    expect(chainEdges(['db:1'])).toEqual([]);
  });

  it('adds the impacted CIs the open map lacks, with the edges of their chains, and nothing twice', () => {
    const map: Graph = {
      nodes: ['db:1', 'svc:a', 'svc:b'].map((key) => ({ key, kind: 'SERVICE', name: key })),
      edges: [{ from: 'svc:a', to: 'db:1', type: 'STORES_DATA_IN', strength: 'HARD' }, { from: 'svc:b', to: 'db:1', type: 'READS_FROM', strength: 'SOFT' }],
    };
    const merged = withImpact(map, answer);
    expect(merged.nodes.map((n) => n.key)).toEqual(['db:1', 'svc:a', 'svc:b', 'bf:other']);
    expect(merged.nodes.at(-1)).toMatchObject({ kind: 'BUSINESS_FUNCTION', name: 'Other', owner: 'team-x' });
    expect(merged.edges).toEqual([...map.edges, { from: 'bf:other', to: 'svc:b', type: 'IMPACT_CHAIN', strength: '' }]);
    expect(new Set(impactStates(answer).keys())).toEqual(new Set(merged.nodes.map((n) => n.key)));
    expect(map.nodes).toHaveLength(3);
  });
});

describe('allPages', () => {
  const node = (key: string) => ({ key, kind: 'SERVICE' as const, state: 'DOWN' as const, distance: 1, chain: [key], reason: 'r' });
  const keys = ['svc:a', 'svc:b', 'svc:c', 'svc:d', 'svc:e'];
  /** A service holding five impacted CIs that serves pages of `first` (or `fallback` without it), refusing more than `max`. */
  function service(max: number, fallback: number) {
    const asked: { first?: number; after: string | null }[] = [];
    const fetchPage = async (variables: { first?: number; after: string | null }) => {
      asked.push(variables);
      const size = variables.first ?? fallback;
      if (size > max) throw new Error('first: must be from 0 to ' + max);
      const start = variables.after === null ? 0 : Number(variables.after) + 1;
      const edges = keys.slice(start, start + size).map((key) => ({ node: node(key) }));
      const end = start + edges.length - 1;
      return {
        failedKeys: ['db:1'],
        impacted: { edges, pageInfo: { hasNextPage: end < keys.length - 1, endCursor: String(end) } },
      } as unknown as BlastPage;
    };
    return { asked, fetchPage };
  }
  const refusesSize = (error: unknown) => error instanceof Error && error.message.startsWith('first:');

  it('gathers every page of the asked size', async () => {
    const { asked, fetchPage } = service(500, 100);
    const answer = await allPages(fetchPage, 2, refusesSize);
    expect(answer.impacted.map((n) => n.key)).toEqual(keys);
    expect(asked).toEqual([{ first: 2, after: null }, { first: 2, after: '1' }, { first: 2, after: '3' }]);
  });

  it('asks without a size when the service refuses it, and gets everything all the same', async () => {
    const { asked, fetchPage } = service(2, 2);
    const answer = await allPages(fetchPage, 500, refusesSize);
    expect(answer.impacted.map((n) => n.key)).toEqual(keys);
    expect(asked[0]).toEqual({ first: 500, after: null });
    expect(asked.slice(1).every((v) => v.first === undefined)).toBe(true);
  });

  it('passes on any other error', async () => {
    const failing = async () => {
      throw new Error('UNAVAILABLE');
    };
    await expect(allPages(failing, 500, refusesSize)).rejects.toThrow('UNAVAILABLE');
  });
});
