import { ManagedTransaction } from 'neo4j-driver';
import { randomBytes } from 'node:crypto';
import { Role } from '../../src/auth/roles';
import { Clock } from '../../src/common/clock';
import { SyncService } from '../../src/discovery/sync.service';
import { bucketOf } from '../../src/discovery/claims';
import { Neo4jService } from '../../src/common/neo4j/neo4j.service';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const BEGIN = `mutation Begin($source: String!, $scope: String) {
  beginSync(source: $source, scope: $scope) { id source scope status startedAt expiresAt batches items } }`;
const PUSH = `mutation Push($id: ID!, $cis: [CIInput!], $deps: [DependencyInput!]) {
  pushSyncBatch(syncId: $id, cis: $cis, dependencies: $deps) {
    sync { id status batches items expiresAt } cis { created updated unchanged } dependencies { created updated unchanged } } }`;
const COUNTS = 'created updated unchanged markedStale revived';
const COMMIT = `mutation Commit($id: ID!) { commitSync(syncId: $id) {
  syncId source scope cis { ${COUNTS} } dependencies { ${COUNTS} } durationMs committedAt } }`;
const ABORT = `mutation Abort($id: ID!) { abortSync(syncId: $id) { id status finishedAt } }`;
const SYNC = `query Sync($id: ID!) { sync(id: $id) { id status batches items report { cis { ${COUNTS} } } } }`;
const CI = `query Ci($k: String!) { ci(key: $k) {
  key kind name owner status staleSince version aliases identifiers
  provenance { createdByPerson createdBy sources { source scope lastSeenAt pending } overridden { field source value at } }
  dependencies { to status staleSince strength provenance { createdByPerson sources { source scope pending } overridden { field source value } } } } }`;
const CHANGES = `query Changes($keys: [String!]) { changes(filter: { keys: $keys }, first: 100) { totalCount edges { node { actor source operation key to fields { field from to } } } } }`;

interface CiItem {
  key: string;
  kind: string;
  [field: string]: unknown;
}
interface DependencyItem {
  from: string;
  to: string;
  type?: string;
  strength?: string;
}

describe('discovery syncs', () => {
  let t: TestApp;
  const p = uniquePrefix('discovery');
  const k = (s: string) => `${p}${s}`;
  // Sources unique to this run, so parallel test files and earlier runs never share a (source, scope).
  const run = randomBytes(3).toString('hex');
  const src = (s: string) => `t${run}-${s}`;
  const svc = (name: string, extra: Record<string, unknown> = {}): CiItem => ({ key: k(name), kind: 'SERVICE', ...extra });

  async function begin(source: string, scope: string | null = null, headers?: Record<string, string>): Promise<string> {
    return (await t.gqlOk(BEGIN, { source, scope }, headers)).beginSync.id;
  }
  async function push(id: string, cis: CiItem[] = [], deps: DependencyItem[] = [], headers?: Record<string, string>) {
    return (await t.gqlOk(PUSH, { id, cis, deps }, headers)).pushSyncBatch;
  }
  async function commit(id: string, headers?: Record<string, string>) {
    return (await t.gqlOk(COMMIT, { id }, headers)).commitSync;
  }
  async function fullSync(source: string, cis: CiItem[], deps: DependencyItem[] = [], scope: string | null = null, headers?: Record<string, string>) {
    const id = await begin(source, scope, headers);
    if (cis.length) await push(id, cis, [], headers);
    if (deps.length) await push(id, [], deps, headers);
    return commit(id, headers);
  }
  const ci = async (key: string) => (await t.gqlOk(CI, { k: key })).ci;
  const historyCount = async (keys: string[]) => (await t.gqlOk(CHANGES, { keys })).changes.totalCount as number;
  /** Runs `work` with the service's clock shifted by `offsetMs`. */
  async function atOffset<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
    try {
      return await work();
    } finally {
      spy.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('creates on a first sync; an identical re-sync updates nothing and records no history', async () => {
    const source = src('idempotent');
    const cis = [svc('idem-a', { owner: 'team-a', tags: ['b', 'a'], attributes: { z: 1, a: 'x' } }), svc('idem-b'), { key: k('idem-db'), kind: 'DATABASE' }];
    const deps = [{ from: k('idem-a'), to: k('idem-db'), type: 'STORES_DATA_IN' }, { from: k('idem-a'), to: k('idem-b') }];
    const first = await fullSync(source, cis, deps);
    expect(first).toMatchObject({ source, scope: null, cis: { created: 3, updated: 0, unchanged: 0 }, dependencies: { created: 2, updated: 0, unchanged: 0 } });
    const keys = cis.map((c) => c.key);
    const before = await ci(k('idem-a'));
    const historyBefore = await historyCount(keys);
    expect(historyBefore).toBe(5);

    const again = await fullSync(source, [...cis].reverse(), [...deps].reverse());
    expect(again.cis).toEqual({ created: 0, updated: 0, unchanged: 3, markedStale: 0, revived: 0 });
    expect(again.dependencies).toEqual({ created: 0, updated: 0, unchanged: 2, markedStale: 0, revived: 0 });
    const after = await ci(k('idem-a'));
    expect(after.version).toBe(before.version);
    expect(await historyCount(keys)).toBe(historyBefore);
    expect(after.provenance.sources).toEqual([{ source, scope: null, lastSeenAt: expect.any(String), pending: false }]);
    expect(after.provenance.createdByPerson).toBe(false);
    expect(Date.parse(after.provenance.sources[0].lastSeenAt)).toBeGreaterThan(Date.parse(before.provenance.sources[0].lastSeenAt));
    expect(after.dependencies.map((d: any) => [d.to, d.status, d.provenance.sources.map((s: any) => s.source)])).toEqual([
      [k('idem-b'), 'ACTIVE', [source]],
      [k('idem-db'), 'ACTIVE', [source]],
    ]);
  });

  it('skips reading what its sync mark vouches for, and plans it in full once anyone wrote it', async () => {
    const source = src('marks');
    const other = src('marks-other');
    const architect = await t.authAs(Role.ARCHITECT);
    const [a, b, db] = [k('mark-a'), k('mark-b'), k('mark-db')];
    const cis = [svc('mark-a', { description: 'reported' }), svc('mark-b', { description: 'reported' }), { key: db, kind: 'DATABASE' }];
    const deps = [{ from: a, to: db, strength: 'HARD' }, { from: a, to: b }];
    await fullSync(source, cis, deps);
    const neo = t.app.get(Neo4jService);
    const stored = async () =>
      neo.read('test.marks', async (tx) => {
        const result = await tx.run(
          `MATCH (n:CI {key: $a}) MATCH (n)-[r:DEPENDS_ON]->(:CI {key: $db})
           RETURN n.description AS description, n.syncMark AS mark, toInteger(n.version) AS version, toInteger(coalesce(n.claimRev, 0)) AS claimRev, r.strength AS strength`,
          { a, db },
        );
        return result.records[0].toObject();
      });
    // Created as reported, so marked at version 1 and no claim revision.
    expect((await stored()).mark).toMatch(/\.1\.0$/);

    // Written behind the service's back (no version, no claim revision): an identical re-sync trusts its marks and reads neither.
    await neo.write('test.marks', (tx) => tx.run('MATCH (n:CI {key: $a})-[r:DEPENDS_ON]->(:CI {key: $db}) SET n.description = $x, r.strength = $soft', { a, db, x: 'behind the back', soft: 'SOFT' }));
    const trusted = await fullSync(source, cis, deps);
    expect(trusted.cis).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(trusted.dependencies).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await stored()).toMatchObject({ description: 'behind the back', strength: 'SOFT' });

    // A person's edit moves the version: the next sync reads the CI, and discovery wins the technical field back.
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { updated } }', { input: [{ key: a, kind: 'SERVICE', description: 'by a person' }] }, architect);
    const afterPerson = await fullSync(source, cis, deps);
    expect(afterPerson.cis).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await ci(a)).provenance.sources.map((s: any) => s.source)).toEqual([source]);
    const restored = await stored();
    expect(restored.description).toBe('reported');
    // The update left no mark of its own; the next identical sync plans it to nothing and marks it at its new version.
    expect(restored.mark.endsWith(`.${restored.version}.${restored.claimRev}`)).toBe(false);
    expect((await fullSync(source, cis, deps)).cis).toMatchObject({ updated: 0, unchanged: 3 });
    const remarked = await stored();
    expect(remarked.mark.endsWith(`.${remarked.version}.${remarked.claimRev}`)).toBe(true);

    // Another source's write moves the claim revision: the first source's report is planned again and wins back.
    await fullSync(other, [svc('mark-b', { description: 'seen elsewhere' })], []);
    expect((await ci(b)).provenance.sources).toHaveLength(2);
    const afterOther = await fullSync(source, cis, deps);
    expect(afterOther.cis).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await t.gqlOk('query($k: String!) { ci(key: $k) { description } }', { k: b })).ci.description).toBe('reported');

    // A dependency a person deleted is created again, however well marked it was.
    await t.gqlOk('mutation($input: [DependencyRefInput!]!) { deleteDependencies(input: $input) { deleted } }', { input: [{ from: a, to: b }] }, architect);
    const recreated = await fullSync(source, cis, deps);
    expect(recreated.dependencies).toMatchObject({ created: 1, unchanged: 1 });

    // A STALE item is left unmarked until the commit revives it: reported by a sync that is then
    // aborted it stays STALE, and the next sync reporting it revives it.
    const withoutDb = await fullSync(source, cis.slice(0, 2), deps.slice(1));
    expect(withoutDb.cis.markedStale).toBe(1);
    const aborted = await begin(source);
    await push(aborted, cis, deps);
    await t.gqlOk(ABORT, { id: aborted });
    expect((await ci(db)).status).toBe('STALE');
    const back = await fullSync(source, cis, deps);
    expect(back.cis).toMatchObject({ revived: 1 });
    expect((await ci(db)).status).toBe('ACTIVE');
  });

  it('skips the dependencies of a CI whose group mark holds, and plans them in full once any of them was written', async () => {
    const source = src('groups');
    const architect = await t.authAs(Role.ARCHITECT);
    const [api, db, cache, queue] = [k('grp-api'), k('grp-db'), k('grp-cache'), k('grp-queue')];
    const cis = [svc('grp-api'), { key: db, kind: 'DATABASE' }, { key: cache, kind: 'CACHE' }, { key: queue, kind: 'QUEUE' }];
    const deps = [{ from: api, to: db, strength: 'HARD' }, { from: api, to: cache, strength: 'SOFT' }, { from: api, to: queue }];
    const neo = t.app.get(Neo4jService);
    const consumer = async () =>
      neo.read('test.groups', async (tx) => {
        const result = await tx.run(
          `MATCH (n:CI {key: $api}) OPTIONAL MATCH (n)-[r:DEPENDS_ON]->(:CI {key: $db})
           RETURN n.dependencySyncMark AS mark, toInteger(coalesce(n.dependencyRev, 0)) AS rev, r.strength AS strength`,
          { api, db },
        );
        return result.records[0].toObject();
      });
    const markHoldsNow = async () => {
      const { mark, rev } = await consumer();
      return typeof mark === 'string' && mark.endsWith(`.${rev}`);
    };

    expect((await fullSync(source, cis, deps)).dependencies).toMatchObject({ created: 3 });
    // Created as reported: the consumer is marked at its dependency revision (nothing written yet).
    expect(await consumer()).toMatchObject({ mark: expect.stringMatching(/\.0$/), rev: 0 });

    // Behind the service's back, one dependency loses its own mark and changes strength: the group
    // mark still vouches for all three, so an identical re-sync (rows in another order) reads none.
    await neo.write('test.groups', (tx) =>
      tx.run('MATCH (:CI {key: $api})-[r:DEPENDS_ON]->(:CI {key: $db}) REMOVE r.syncMark SET r.strength = $soft', { api, db, soft: 'SOFT' }),
    );
    expect((await fullSync(source, cis, [...deps].reverse())).dependencies).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect((await consumer()).strength).toBe('SOFT');

    // A person's edit of another of them moves the consumer's revision: the next sync plans the three in
    // full, so both the edit and the write behind the back are set back to what discovery reports.
    await t.gqlOk('mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { updated } }', { input: [{ from: api, to: cache, strength: 'HARD' }] }, architect);
    expect((await consumer()).rev).toBe(1);
    expect(await markHoldsNow()).toBe(false);
    expect((await fullSync(source, cis, deps)).dependencies).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    expect((await consumer()).strength).toBe('HARD');

    // What a sync wrote is vouched for by no mark; the next sync finds the three as reported and leaves
    // each its own mark, the one after marks the group, and from then on the group is all that is read.
    expect(await markHoldsNow()).toBe(false);
    expect((await fullSync(source, cis, deps)).dependencies).toMatchObject({ updated: 0, unchanged: 3 });
    expect(await markHoldsNow()).toBe(false);
    expect((await fullSync(source, cis, deps)).dependencies).toMatchObject({ updated: 0, unchanged: 3 });
    expect(await markHoldsNow()).toBe(true);

    // A provider a person deleted takes its dependency with it and moves its consumer's revision: a
    // sync that names it without reporting it is refused by name, one that reports it creates both again.
    await t.gqlOk('mutation($keys: [String!]!) { deleteCIs(keys: $keys, detach: true) { deleted } }', { keys: [queue] }, architect);
    expect(await markHoldsNow()).toBe(false);
    const refused = await begin(source);
    const answer = await t.gql(PUSH, { id: refused, cis: [], deps });
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(answer.errors?.[0].message).toContain(queue);
    await t.gqlOk(ABORT, { id: refused });
    const back = await fullSync(source, cis, deps);
    expect(back.cis).toMatchObject({ created: 1 });
    expect(back.dependencies).toMatchObject({ created: 1, unchanged: 2 });
  });

  it('pushing the same batch twice is harmless, and committing twice answers the same report', async () => {
    const source = src('retry');
    const id = await begin(source);
    const batch = [svc('retry-a'), svc('retry-b')];
    expect((await push(id, batch)).cis).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await push(id, batch)).cis).toEqual({ created: 0, updated: 0, unchanged: 2 });
    const report = await commit(id);
    expect(report.cis).toMatchObject({ created: 2, unchanged: 0 });
    expect(await commit(id)).toEqual(report);
    const sync = (await t.gqlOk(SYNC, { id })).sync;
    expect(sync).toMatchObject({ status: 'COMMITTED', batches: 2, items: 4, report: { cis: report.cis } });
  });

  it('marks a dropped CI STALE when both syncs repeated a batch, each with another key', async () => {
    // Two keys of one ledger bucket: under the earlier XOR digest, {old, old} and {new, new} looked the same.
    const old = svc('repeat-old');
    const bucket = bucketOf(old.key);
    let n = 0;
    while (bucketOf(k(`repeat-new-${n}`)) !== bucket) n++;
    const replacement = svc(`repeat-new-${n}`);
    const source = src('repeat');
    const first = await begin(source);
    await push(first, [old]);
    await push(first, [old]);
    expect((await commit(first)).cis).toMatchObject({ created: 1, markedStale: 0 });
    const second = await begin(source);
    await push(second, [replacement]);
    await push(second, [replacement]);
    expect((await commit(second)).cis).toMatchObject({ created: 1, unchanged: 0, markedStale: 1 });
    expect(await ci(old.key)).toMatchObject({ status: 'STALE', provenance: { sources: [] } });
    expect((await ci(replacement.key)).status).toBe('ACTIVE');
  });

  it('marks what a source stopped reporting STALE only when its sync commits, and revives it when reported again', async () => {
    const source = src('stale');
    const a = svc('stale-a');
    const b = svc('stale-b');
    await fullSync(source, [a, b], [{ from: a.key, to: b.key }]);

    const id = await begin(source);
    await push(id, [a]);
    expect((await ci(b.key)).status).toBe('ACTIVE');
    expect((await ci(b.key)).provenance.sources.map((s: any) => s.source)).toEqual([source]);
    const report = await commit(id);
    expect(report.cis).toMatchObject({ unchanged: 1, markedStale: 1 });
    expect(report.dependencies).toMatchObject({ markedStale: 1 });
    const stale = await ci(b.key);
    expect(stale).toMatchObject({ status: 'STALE', provenance: { sources: [] } });
    expect(Date.parse(stale.staleSince)).toBeGreaterThan(Date.now() - 60_000);
    const dependency = (await ci(a.key)).dependencies[0];
    expect(dependency).toMatchObject({ to: b.key, status: 'STALE', staleSince: expect.any(String) });

    const back = await fullSync(source, [a, b], [{ from: a.key, to: b.key }]);
    expect(back.cis).toMatchObject({ revived: 1, markedStale: 0 });
    expect(back.dependencies).toMatchObject({ revived: 1 });
    expect(await ci(b.key)).toMatchObject({ status: 'ACTIVE', staleSince: null });
    expect((await ci(a.key)).dependencies[0]).toMatchObject({ status: 'ACTIVE', staleSince: null });
    const statusChanges = (await t.gqlOk(CHANGES, { keys: [b.key] })).changes.edges
      .map((e: any) => e.node.fields.find((f: any) => f.field === 'status'))
      .filter(Boolean);
    expect(statusChanges).toEqual([
      { field: 'status', from: 'STALE', to: 'ACTIVE' },
      { field: 'status', from: 'ACTIVE', to: 'STALE' },
    ]);
  });

  it('an aborted sync takes no claim away; what only it created is STALE', async () => {
    const source = src('abort');
    const a = svc('abort-a');
    const b = svc('abort-b');
    await fullSync(source, [a, b]);
    const id = await begin(source);
    await push(id, [a, svc('abort-new')]);
    expect((await ci(k('abort-new'))).provenance.sources).toEqual([expect.objectContaining({ source, pending: true })]);
    const aborted = (await t.gqlOk(ABORT, { id })).abortSync;
    expect(aborted).toMatchObject({ id, status: 'ABORTED', finishedAt: expect.any(String) });
    expect(await ci(b.key)).toMatchObject({ status: 'ACTIVE', provenance: { sources: [expect.objectContaining({ source, pending: false })] } });
    expect(await ci(a.key)).toMatchObject({ status: 'ACTIVE', provenance: { sources: [expect.objectContaining({ source, pending: false })] } });
    expect(await ci(k('abort-new'))).toMatchObject({ status: 'STALE', provenance: { sources: [] } });

    const late = await t.gql(PUSH, { id, cis: [a] });
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'ABORTED' });
    expect((await t.gql(COMMIT, { id })).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await t.gqlOk(ABORT, { id })).abortSync.status).toBe('ABORTED');
    // The next full sync decides again.
    const next = await fullSync(source, [a, b, svc('abort-new')]);
    expect(next.cis).toMatchObject({ revived: 1, markedStale: 0 });
  });

  it('an expired sync marks nothing stale, and its source can begin again', async () => {
    const source = src('expire');
    const a = svc('expire-a');
    const b = svc('expire-b');
    await fullSync(source, [a, b]);
    // Begun and fed 40 minutes ago: past the 30-minute timeout now.
    const id = await atOffset(-40 * 60_000, async () => {
      const begun = await begin(source);
      await push(begun, [a]);
      return begun;
    });
    const again = await begin(source);
    expect(again).not.toBe(id);
    expect((await t.gqlOk(SYNC, { id })).sync.status).toBe('EXPIRED');
    expect(await ci(b.key)).toMatchObject({ status: 'ACTIVE', provenance: { sources: [expect.objectContaining({ source, pending: false })] } });
    expect((await t.gql(COMMIT, { id })).errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'EXPIRED' });
    await t.gqlOk(ABORT, { id: again });
  });

  it('refuses a second open sync of one (source, scope), naming the open one and its expiry', async () => {
    const source = src('conflict');
    const id = await begin(source, 'eu-west-1');
    const second = await t.gql(BEGIN, { source, scope: 'eu-west-1' });
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', openSyncId: id, expiresAt: expect.any(String) });
    expect(second.errors?.[0].message).toContain(id);
    const otherScope = await begin(source, 'us-east-1');
    expect(otherScope).not.toBe(id);
    await t.gqlOk(ABORT, { id });
    const third = await begin(source, 'eu-west-1');
    await t.gqlOk(ABORT, { id: third });
    await t.gqlOk(ABORT, { id: otherScope });
  });

  it('keeps a CI two sources report ACTIVE while either still does', async () => {
    const [one, two] = [src('two-a'), src('two-b')];
    const shared = { key: k('two-shared'), kind: 'HOST' };
    await fullSync(one, [shared]);
    await fullSync(two, [shared], [], 'zone-1');
    expect((await ci(shared.key)).provenance.sources.map((s: any) => [s.source, s.scope])).toEqual([
      [one, null],
      [two, 'zone-1'],
    ]);
    expect((await fullSync(one, [])).cis.markedStale).toBe(0);
    expect(await ci(shared.key)).toMatchObject({ status: 'ACTIVE', provenance: { sources: [expect.objectContaining({ source: two, scope: 'zone-1' })] } });
    expect((await fullSync(two, [], [], 'zone-1')).cis.markedStale).toBe(1);
    expect((await ci(shared.key)).status).toBe('STALE');
  });

  it('never marks a CI a person created STALE', async () => {
    const architect = await t.authAs(Role.ARCHITECT);
    const person = svc('person-made');
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', { input: [person] }, architect);
    const source = src('person');
    await fullSync(source, [person]);
    expect((await ci(person.key)).provenance.sources).toHaveLength(1);
    const report = await fullSync(source, []);
    expect(report.cis.markedStale).toBe(0);
    expect(await ci(person.key)).toMatchObject({ status: 'ACTIVE', provenance: { createdByPerson: true, sources: [] } });
  });

  it('marks a discovered CI and dependency a person only edited STALE once the source drops them, keeping the edit', async () => {
    const architect = await t.authAs(Role.ARCHITECT);
    const app = svc('edited-app');
    const db = { key: k('edited-db'), kind: 'DATABASE' };
    const source = src('edited');
    await fullSync(source, [app, db], [{ from: app.key, to: db.key }]);
    // A person sets the owner and hardens the dependency: edits of what discovery created, not creations.
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { updated } }', { input: [{ ...app, owner: 'team-edited' }] }, architect);
    await t.gqlOk(
      'mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { updated } }',
      { input: [{ from: app.key, to: db.key, strength: 'SOFT' }] },
      architect,
    );
    expect((await ci(app.key)).provenance.createdByPerson).toBe(false);
    const report = await fullSync(source, [db]);
    expect(report.cis.markedStale).toBe(1);
    expect(report.dependencies.markedStale).toBe(1);
    expect(await ci(app.key)).toMatchObject({ status: 'STALE', owner: 'team-edited', provenance: { createdByPerson: false, sources: [] } });
    expect((await ci(app.key)).dependencies[0]).toMatchObject({ to: db.key, strength: 'SOFT', status: 'STALE' });
  });

  it('lets a person win business attributes and discovery win technical ones, keeping the losing value', async () => {
    const architect = await t.authAs(Role.ARCHITECT);
    const key = k('precedence-bs');
    await t.gqlOk(
      'mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }',
      { input: [{ key, kind: 'BUSINESS_SERVICE', name: 'Payments (by hand)', owner: 'team-payments', criticality: 'TIER_1' }] },
      architect,
    );
    const source = src('precedence');
    const report = await fullSync(source, [{ key, kind: 'BUSINESS_SERVICE', name: 'payments-svc', owner: 'team-platform', criticality: 'TIER_3' }]);
    expect(report.cis).toMatchObject({ updated: 1 });
    const after = await ci(key);
    expect(after).toMatchObject({ name: 'payments-svc', owner: 'team-payments' });
    const overridden = after.provenance.overridden.map((o: any) => [o.field, o.source, o.value]);
    expect(overridden).toEqual(
      expect.arrayContaining([
        ['owner', source, 'team-platform'],
        ['criticality', source, 'TIER_3'],
        ['name', 'person', 'Payments (by hand)'],
      ]),
    );
    expect(overridden).toHaveLength(3);
    const full = await t.gqlOk('query($k: String!) { ci(key: $k) { criticality } }', { k: key });
    expect(full.ci.criticality).toBe('TIER_1');

    // Once the source agrees, its losing entry goes; re-sending the same changes nothing.
    await fullSync(source, [{ key, kind: 'BUSINESS_SERVICE', name: 'payments-svc', owner: 'team-payments', criticality: 'TIER_3' }]);
    const agreed = (await ci(key)).provenance.overridden.map((o: any) => [o.field, o.source]);
    expect(agreed).toEqual(expect.arrayContaining([['criticality', source], ['name', 'person']]));
    expect(agreed).toHaveLength(2);
    const version = (await ci(key)).version;
    const again = await fullSync(source, [{ key, kind: 'BUSINESS_SERVICE', name: 'payments-svc', owner: 'team-payments', criticality: 'TIER_3' }]);
    expect(again.cis).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await ci(key)).version).toBe(version);
  });

  it('identifies a new key by an identifier of a CI of the same kind: the key becomes an alias, no duplicate', async () => {
    const [aws, agent] = [src('ident-aws'), src('ident-agent')];
    const vm = { key: k('ident-vm-i-0abc'), kind: 'VM', identifiers: [`hostname:${p}web-01`, `arn:aws:ec2:eu-west-1:1:instance/${p}i-0abc`] };
    await fullSync(aws, [vm]);
    const report = await fullSync(
      agent,
      [
        { key: k('ident-host-web-01'), kind: 'VM', name: 'web-01', identifiers: [`hostname:${p}web-01`] },
        { key: k('ident-app'), kind: 'SERVICE' },
      ],
      [{ from: k('ident-app'), to: k('ident-host-web-01'), type: 'RUNS_ON' }],
    );
    expect(report.cis).toMatchObject({ created: 1, updated: 1 });
    const byAlias = await ci(k('ident-host-web-01'));
    expect(byAlias).toMatchObject({ key: vm.key, name: 'web-01', aliases: [k('ident-host-web-01')] });
    expect(byAlias.identifiers).toEqual([`arn:aws:ec2:eu-west-1:1:instance/${p}i-0abc`, `hostname:${p}web-01`].sort());
    expect(byAlias.provenance.sources.map((s: any) => s.source).sort()).toEqual([aws, agent].sort());
    expect((await ci(k('ident-app'))).dependencies.map((d: any) => d.to)).toEqual([vm.key]);
    const count = await t.gqlOk('query($s: String) { cis(filter: { search: $s }) { totalCount } }', { s: `${p}ident-` });
    expect(count.cis.totalCount).toBe(2);
    // The same identifier on another kind is another thing.
    await fullSync(agent, [{ key: k('ident-host-web-01-dns'), kind: 'DNS', identifiers: [`hostname:${p}web-01`] }]);
    expect((await ci(k('ident-host-web-01-dns'))).key).toBe(k('ident-host-web-01-dns'));
  });

  it('retires what stayed STALE past the grace period, and not before', async () => {
    const source = src('grace');
    const [keep, old, young] = [svc('grace-keep'), svc('grace-old'), svc('grace-young')];
    await fullSync(source, [keep, old, young]);
    // Made stale 8 days ago ...
    await atOffset(-8 * 86_400_000, () => fullSync(source, [keep, young]));
    // ... and 6 days ago.
    await atOffset(-6 * 86_400_000, () => fullSync(source, [keep]));
    await t.app.get(SyncService).sweep();
    expect(await ci(old.key)).toMatchObject({ status: 'RETIRED', staleSince: expect.any(String) });
    expect(await ci(young.key)).toMatchObject({ status: 'STALE' });
    expect(await ci(keep.key)).toMatchObject({ status: 'ACTIVE' });
    const retirement = (await t.gqlOk(CHANGES, { keys: [old.key] })).changes.edges[0].node;
    expect(retirement).toMatchObject({ actor: 'system', source: 'discovery', fields: [{ field: 'status', from: 'STALE', to: 'RETIRED' }] });
  });

  it('lets DISCOVERY keys sync only their sources, ARCHITECT keys only topology files, and records the key and source in history', async () => {
    const discovery = await t.authAs(Role.DISCOVERY, [`${src('allowed')}*`]);
    const refused = await t.gql(BEGIN, { source: src('other') }, discovery);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', source: src('other') });
    expect(refused.errors?.[0].message).toContain(src('other'));
    const architect = await t.authAs(Role.ARCHITECT);
    expect((await t.gql(BEGIN, { source: src('not-a-file') }, architect)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const reader = await t.authAs(Role.READER);
    expect((await t.gql(BEGIN, { source: src('allowed-x') }, reader)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const fileSource = `topology-file:${src('demo')}`;
    await fullSync(fileSource, [svc('file-svc')], [], null, architect);
    const source = src('allowed-aws');
    await fullSync(source, [svc('allowed-svc')], [], null, discovery);
    const name = (await t.gqlOk('{ me { name } }', {}, discovery)).me.name;
    const created = (await t.gqlOk(CHANGES, { keys: [k('allowed-svc')] })).changes.edges[0].node;
    expect(created).toMatchObject({ actor: name, source, operation: 'CREATE' });
    // Another source's sync is not this key's to push to, commit or abort.
    const foreign = await begin(src('foreign'));
    expect((await t.gql(PUSH, { id: foreign, cis: [svc('foreign-x')] }, discovery)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(ABORT, { id: foreign }, discovery)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await t.gqlOk(ABORT, { id: foreign });
  });

  it('refuses a malformed batch whole, naming index, field and reason, and writes nothing', async () => {
    const source = src('malformed');
    const id = await begin(source);
    const bad = await t.gql(PUSH, {
      id,
      cis: [svc('bad-0'), svc('bad-1'), svc('bad-2', { owner: 'x'.repeat(200) }), { key: 'has space', kind: 'SERVICE' }, { key: k('bad-4'), kind: 'REDUNDANCY_GROUP' }],
      deps: [{ from: k('bad-0'), to: k('bad-0') }],
    });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cis[2].owner' });
    expect([...new Set(bad.errors?.[0].extensions?.problems.map((p: any) => p.path))]).toEqual(['cis[2].owner', 'cis[3].key', 'cis[4].minHealthy', 'dependencies[0].to']);
    const missing = await t.gql(PUSH, { id, cis: [svc('bad-0')], deps: [{ from: k('bad-0'), to: k('no-such-ci') }] });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'dependencies[0].to', missingKeys: [k('no-such-ci')] });
    expect(await ci(k('bad-0'))).toBeNull();
    expect((await t.gqlOk(SYNC, { id })).sync).toMatchObject({ batches: 0, items: 0 });
    const duplicate = await t.gql(PUSH, { id, cis: [svc('dup'), svc('dup')] });
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cis[1].key' });
    await t.gqlOk(ABORT, { id });
  });

  it('lists per source and scope the last committed sync with its report', async () => {
    const source = src('fresh');
    const report = await fullSync(source, [svc('fresh-a')], [], 'ns-1');
    const open = await begin(source, 'ns-1');
    const listed = (await t.gqlOk(`query($s: String) { sourceSyncs(source: $s) {
      source scope lastCommittedAt lastSync { id status } lastReport { syncId cis { created } } openSync { id status } } }`, { s: source })).sourceSyncs;
    expect(listed).toEqual([
      {
        source,
        scope: 'ns-1',
        lastCommittedAt: report.committedAt,
        lastSync: { id: report.syncId, status: 'COMMITTED' },
        lastReport: { syncId: report.syncId, cis: { created: 1 } },
        openSync: { id: open, status: 'OPEN' },
      },
    ]);
    await t.gqlOk(ABORT, { id: open });
  });

  it('keeps an open sync across a restart: a new instance on the same database takes its batches and commits it', async () => {
    const source = src('restart');
    const old = svc('restart-old');
    await fullSync(source, [old, svc('restart-a')]);
    const id = await begin(source);
    await push(id, [svc('restart-a')]);
    await t.close();
    t = await startTestApp();
    expect((await t.gqlOk(SYNC, { id })).sync).toMatchObject({ status: 'OPEN', batches: 1 });
    expect((await ci(old.key)).status).toBe('ACTIVE');
    await push(id, [svc('restart-b')]);
    const report = await commit(id);
    expect(report.cis).toMatchObject({ created: 1, unchanged: 1, markedStale: 1 });
    expect((await ci(old.key)).status).toBe('STALE');
  });

  it('plans every statement of the sync feature with index or id seeks, never a scan of all CIs or dependencies', async () => {
    const seen = new Map<string, Record<string, unknown>>();
    const run = ManagedTransaction.prototype.run;
    const spy = jest.spyOn(ManagedTransaction.prototype, 'run').mockImplementation(function (this: ManagedTransaction, query: any, parameters?: any) {
      if (new Error().stack?.includes('sync.repository')) seen.set(String(query), parameters ?? {});
      return run.call(this, query, parameters);
    });
    try {
      const source = src('plans');
      const [a, b] = [svc('plans-a', { identifiers: [`host:${p}plans`] }), svc('plans-b')];
      await fullSync(source, [a, b], [{ from: a.key, to: b.key }]);
      const second = await begin(source);
      await push(second, [{ ...a, owner: 'x' }]);
      await push(second, [{ key: k('plans-alias'), kind: 'SERVICE', identifiers: [`host:${p}plans`] }]);
      await commit(second);
      const id = await begin(source);
      await push(id, [b]);
      await t.gqlOk(ABORT, { id });
      await fullSync(source, [a, b], [{ from: k('plans-alias'), to: b.key }]);
      await t.app.get(SyncService).sweep();
    } finally {
      spy.mockRestore();
    }
    expect(seen.size).toBeGreaterThan(30);
    const scans: string[] = [];
    await t.app.get(Neo4jService).write('test.explain', async (tx) => {
      for (const [query, parameters] of seen) {
        const plan = (await tx.run(`EXPLAIN ${query}`, parameters)).summary.plan as any;
        const operators: string[] = [];
        const walk = (node: any) => {
          operators.push(`${node.operatorType} ${node.arguments?.Details ?? ''}`);
          (node.children ?? []).forEach(walk);
        };
        walk(plan);
        // A scan of the few SyncScope nodes (one per source and scope) is fine; of CIs or dependencies it is not.
        const bad = operators.filter((o) => /AllNodesScan|NodeByLabelScan|RelationshipTypeScan|AllRelationshipsScan/.test(o) && !/:SyncScope/.test(o));
        if (bad.length) scans.push(`${query.replace(/\s+/g, ' ').slice(0, 120)} -> ${bad.join('; ')}`);
      }
    });
    expect(scans).toEqual([]);
  });
});
