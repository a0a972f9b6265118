import { join, relative } from 'node:path';
import { DomainError } from '../common/errors/domain-error';
import { formatPruneReport } from './apply.command';
import { GraphqlClient } from './graphql-client';
import { KnownSourceSync, checkDependencyEnds, notGivenNote, topologySourcesNotGiven } from './plan.command';
import { loadTopologySources } from './plan-files';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../test/fixtures/topology'));

const known = (source: string, scope: string | null = null, items = 3, committed = true): KnownSourceSync => ({
  source,
  scope,
  lastCommittedAt: committed ? '2026-11-27T10:00:00.000Z' : null,
  lastSync: committed ? { items } : null,
});

describe('topologySourcesNotGiven (what --prune removes)', () => {
  const syncs = [
    known('topology-file:shop'),
    known('topology-file:old'),
    known('topology-file:billing'),
    known('topology-file:old', 'eu'),
    known('topology-file:pruned-before', null, 0),
    known('topology-file:never-committed', null, 0, false),
    known('k8s:prod'),
    known('backstage'),
  ];

  it('lists the topology-file sources of the scope that still report something and no file names, never a discovery source', () => {
    expect(topologySourcesNotGiven(syncs, ['topology-file:shop'], null)).toEqual(['topology-file:billing', 'topology-file:old']);
    expect(topologySourcesNotGiven(syncs, ['topology-file:shop'], 'eu')).toEqual(['topology-file:old']);
    expect(topologySourcesNotGiven(syncs, ['topology-file:shop', 'topology-file:old', 'topology-file:billing'], null)).toEqual([]);
  });

  it('says how many there are in one line', () => {
    expect(notGivenNote(['topology-file:billing', 'topology-file:old'], null)).toBe(
      '2 topology-file sources not given here (topology-file:billing, topology-file:old); --prune would remove them',
    );
    expect(notGivenNote(['topology-file:old'], 'eu')).toBe('1 topology-file source of scope eu not given here (topology-file:old); --prune would remove it');
  });
});

describe('formatPruneReport', () => {
  it('says in one line which source was pruned and what became stale', () => {
    const counts = { created: 0, updated: 0, unchanged: 0, revived: 0 };
    const line = formatPruneReport({
      syncId: 's-9',
      source: 'topology-file:old',
      scope: null,
      cis: { ...counts, markedStale: 2 },
      dependencies: { ...counts, markedStale: 1 },
      durationMs: 40,
      committedAt: '2026-11-27T10:00:00.000Z',
    });
    expect(line).toBe('pruned topology-file:old: no file given names it; sync s-9 committed at 2026-11-27T10:00:00.000Z in 40 ms, 2 CIs and 1 dependency marked stale');
  });
});

describe('checkDependencyEnds', () => {
  it('names the file, line and place of each dependency on a CI that is neither in the files nor in the map', async () => {
    const asked: string[][] = [];
    const fetchImpl = (async (_url: string, init: { body: string }) => {
      const { variables } = JSON.parse(init.body) as { variables: Record<string, string> };
      asked.push(Object.values(variables));
      // The map knows none of them.
      const data = Object.fromEntries(Object.keys(variables).map((name) => [name.replace(/^k/, 'c'), null]));
      return new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const client = new GraphqlClient({ url: 'http://svcmap.test', key: 'k', fetch: fetchImpl });
    const [source] = loadTopologySources([join(FIXTURES, 'shop/services.yaml')]);
    const error = await checkDependencyEnds(client, source).then(
      () => null,
      (e: unknown) => e,
    );
    expect(asked).toEqual([['db:shop-carts']]);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details.problems).toEqual([
      {
        path: `${join(FIXTURES, 'shop/services.yaml')}:28 cis[2].dependsOn[0]`,
        message: 'dependency svc:shop-cart -> db:shop-carts (source topology-file:shop): db:shop-carts is neither in the files nor in the map',
      },
    ]);
  });
});
