import { Role } from '../../src/auth/roles';
import { BULK_CREATIONS } from '../../src/history/history.repository';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const HISTORY = `query($key: String!, $first: Int, $after: String) {
  ci(key: $key) { history(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { actor source operation entity key to fields { field from to } } } } }
}`;
const CHANGES = `query($filter: ChangeFilterInput, $first: Int) {
  changes(filter: $filter, first: $first) { totalCount edges { node { actor operation entity key to at } } }
}`;

describe('change history', () => {
  let t: TestApp;
  let architect: Record<string, string>;
  let architectName: string;
  const p = uniquePrefix('history');
  const k = (s: string) => `${p}${s}`;

  beforeAll(async () => {
    t = await startTestApp();
    architect = await t.authAs(Role.ARCHITECT);
    architectName = (await t.gqlOk('{ me { name } }', {}, architect)).me.name;
    const upsert = 'mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }';
    await t.gqlOk(upsert, { input: [{ key: k('svc'), kind: 'SERVICE', owner: 'team-a' }, { key: k('db'), kind: 'DATABASE' }] }, architect);
    await t.gqlOk(upsert, { input: [{ key: k('svc'), kind: 'SERVICE', owner: 'team-b', tags: ['x'] }] }, architect);
    await t.gqlOk(upsert, { input: [{ key: k('svc'), kind: 'SERVICE', owner: 'team-b', tags: ['x'] }] }, architect);
    await t.gqlOk('mutation($i: [DependencyInput!]!) { upsertDependencies(input: $i) { created } }', { i: [{ from: k('svc'), to: k('db'), type: 'STORES_DATA_IN' }] }, architect);
    await t.gqlOk('mutation($i: [DependencyInput!]!) { upsertDependencies(input: $i) { created } }', { i: [{ from: k('svc'), to: k('db'), strength: 'SOFT' }] }, architect);
    await t.gqlOk('mutation($keys: [String!]!) { deleteCIs(keys: $keys, detach: true) { deleted } }', { keys: [k('db')] }, architect);
  });
  afterAll(() => t.close());

  it('records who changed which fields from what to what, newest first, and nothing for a no-op', async () => {
    const history = (await t.gqlOk(HISTORY, { key: k('svc') })).ci.history;
    const nodes = history.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.operation, n.entity, n.to])).toEqual([
      ['DELETE', 'DEPENDENCY', k('db')],
      ['UPDATE', 'DEPENDENCY', k('db')],
      ['CREATE', 'DEPENDENCY', k('db')],
      ['UPDATE', 'CI', null],
      ['CREATE', 'CI', null],
    ]);
    expect(history.totalCount).toBe(5);
    for (const n of nodes) expect(n).toMatchObject({ actor: architectName, source: 'api', key: k('svc') });
    expect(nodes[3].fields).toEqual([
      { field: 'owner', from: 'team-a', to: 'team-b' },
      { field: 'tags', from: [], to: ['x'] },
    ]);
    expect(nodes[1].fields).toEqual([{ field: 'strength', from: 'HARD', to: 'SOFT' }]);
    expect(nodes[2].fields).toEqual([
      { field: 'type', from: null, to: 'STORES_DATA_IN' },
      { field: 'strength', from: null, to: 'HARD' },
    ]);
  });

  it('keeps the last values of a deleted CI', async () => {
    const changes = await t.gqlOk('query($keys: [String!]) { changes(filter: { keys: $keys }) { edges { node { operation fields { field from to } } } } }', { keys: [k('db')] });
    const deletion = changes.changes.edges[0].node;
    expect(deletion.operation).toBe('DELETE');
    expect(deletion.fields).toEqual(expect.arrayContaining([{ field: 'kind', from: 'DATABASE', to: null }]));
  });

  it('pages through a CI history with cursors', async () => {
    const first = (await t.gqlOk(HISTORY, { key: k('svc'), first: 2 })).ci.history;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.gqlOk(HISTORY, { key: k('svc'), first: 2, after: first.pageInfo.endCursor })).ci.history;
    const third = (await t.gqlOk(HISTORY, { key: k('svc'), first: 2, after: second.pageInfo.endCursor })).ci.history;
    const ops = [...first.edges, ...second.edges, ...third.edges].map((e: any) => `${e.node.operation} ${e.node.entity}`);
    expect(ops).toEqual(['DELETE DEPENDENCY', 'UPDATE DEPENDENCY', 'CREATE DEPENDENCY', 'UPDATE CI', 'CREATE CI']);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it('filters changes by actor, time and keys', async () => {
    const byActor = await t.gqlOk(CHANGES, { filter: { actor: architectName } });
    expect(byActor.changes.totalCount).toBe(7);
    const future = await t.gqlOk(CHANGES, { filter: { actor: architectName, since: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.changes.totalCount).toBe(0);
    const past = await t.gqlOk(CHANGES, { filter: { keys: [k('svc')], until: new Date(Date.now() + 60_000).toISOString() }, first: 1 });
    expect(past.changes.totalCount).toBe(5);
    expect(past.changes.edges).toHaveLength(1);
  });

  it('lists the creations of a bulk write one by one, paged across changes made at other times', async () => {
    const bulk = uniquePrefix('history-bulk');
    // Enough to be stored as one change set (BULK_CREATIONS); two dependencies are too few and stay nodes.
    const keys = Array.from({ length: BULK_CREATIONS + 100 }, (_, i) => `${bulk}ci-${String(i).padStart(4, '0')}`);
    const since = new Date(Date.now() - 1_000).toISOString();
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', { input: keys.map((key) => ({ key, kind: 'HOST', owner: 'team-bulk' })) }, architect);
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { updated } }', { input: [{ key: keys[2], kind: 'HOST', owner: 'team-other' }] }, architect);
    await t.gqlOk('mutation($i: [DependencyInput!]!) { upsertDependencies(input: $i) { created } }', { i: [{ from: keys[0], to: keys[1] }, { from: keys[0], to: keys[3] }] }, architect);

    const PAGE = `query($filter: ChangeFilterInput, $after: String) {
      changes(filter: $filter, first: 250, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { id operation entity key to fields { field from to } } } } }`;
    const all: any[] = [];
    let after: string | null = null;
    const totals: number[] = [];
    for (let page = 0; page < 10; page++) {
      const answer: any = (await t.gqlOk(PAGE, { filter: { keys, since }, after })).changes;
      totals.push(answer.totalCount);
      all.push(...answer.edges.map((e: any) => e.node));
      if (!answer.pageInfo.hasNextPage) break;
      after = answer.pageInfo.endCursor;
    }
    // Newest first: the two dependency creations, the update, then the creations of the bulk write;
    // the second page boundary falls inside the set.
    const expected = keys.length + 3;
    expect(totals).toEqual([expected, expected, expected]);
    expect(all).toHaveLength(expected);
    expect(new Set(all.map((n) => n.id)).size).toBe(expected);
    expect(all.slice(0, 3).map((n) => [n.operation, n.entity])).toEqual([
      ['CREATE', 'DEPENDENCY'],
      ['CREATE', 'DEPENDENCY'],
      ['UPDATE', 'CI'],
    ]);
    expect(all.slice(0, 2).map((n) => n.to).sort()).toEqual([keys[1], keys[3]]);
    const created = all.slice(3);
    expect(created.every((n) => n.operation === 'CREATE' && n.entity === 'CI')).toBe(true);
    expect(created.map((n) => n.key).sort()).toEqual([...keys].sort());
    expect(created.find((n) => n.key === keys[5]).fields).toEqual(expect.arrayContaining([{ field: 'owner', from: null, to: 'team-bulk' }]));

    // One CI's history finds its creation among the others of its write.
    const own = (await t.gqlOk(HISTORY, { key: keys[2] })).ci.history;
    expect(own.totalCount).toBe(2);
    expect(own.edges.map((e: any) => [e.node.operation, e.node.key])).toEqual([['UPDATE', keys[2]], ['CREATE', keys[2]]]);

    // Root cause finds the creation as a recent change of the alerting CI.
    const rootCause = await t.gqlOk(
      'mutation($alerts: [AlertInput!]!) { rootCause(alerts: $alerts) { candidates { key evidence { recentChanges { operation entity key } } } } }',
      { alerts: [{ id: 'bulk-1', key: keys[7], severity: 'CRITICAL', startsAt: new Date().toISOString() }] },
    );
    const candidate = rootCause.rootCause.candidates.find((c: any) => c.key === keys[7]);
    expect(candidate.evidence.recentChanges).toEqual([{ operation: 'CREATE', entity: 'CI', key: keys[7] }]);
  });

  it('refuses a bad filter with the field named', async () => {
    const result = await t.gql(CHANGES, { filter: { keys: ['has space'] } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.keys' });
    const cursor = await t.gql('{ changes(after: "nope") { totalCount } }');
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
