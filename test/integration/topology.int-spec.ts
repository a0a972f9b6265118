import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const CI_FIELDS = `key kind name description owner environment tags attributes criticality revenuePerHour usersAffected
  minHealthy status version createdAt updatedAt provenance { createdByPerson createdBy updatedBy }`;

const UPSERT = `mutation Upsert($input: [CIInput!]!) {
  upsertCIs(input: $input) { created updated unchanged cis { ${CI_FIELDS} } }
}`;
const UPSERT_DEPS = `mutation UpsertDeps($input: [DependencyInput!]!) {
  upsertDependencies(input: $input) { created updated unchanged dependencies { from to type strength version consumer { key } provider { key } } }
}`;
const GET = `query Get($key: String!) {
  ci(key: $key) { ${CI_FIELDS}
    dependencies { to type strength provider { key kind } }
    dependents { from type strength consumer { key } } }
}`;
const DELETE = `mutation Delete($keys: [String!]!, $detach: Boolean) { deleteCIs(keys: $keys, detach: $detach) { deleted notFound detachedDependencies } }`;
const DELETE_DEPS = `mutation DeleteDeps($input: [DependencyRefInput!]!) { deleteDependencies(input: $input) { deleted notFound } }`;

describe('topology API over HTTP against Neo4j', () => {
  let t: TestApp;
  const p = uniquePrefix('topology');
  const k = (name: string) => `${p}${name}`;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const upsert = (input: unknown[]) => t.gql(UPSERT, { input });
  const get = async (key: string) => (await t.gqlOk(GET, { key })).ci;

  describe('upsertCIs and ci', () => {
    it('creates a business function with business attributes and reads it back', async () => {
      const result = await t.gqlOk(UPSERT, {
        input: [
          {
            key: k('bf:payments'),
            kind: 'BUSINESS_FUNCTION',
            name: 'Online payments',
            owner: 'team-payments',
            environment: 'production',
            tags: ['pci', 'customer-facing', 'pci'],
            attributes: { region: 'eu-west-1', tier: 1, public: true },
            criticality: 'TIER_1',
            revenuePerHour: 180000.5,
            usersAffected: 250000,
          },
        ],
      });
      expect(result.upsertCIs).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
      const ci = await get(k('bf:payments'));
      expect(ci).toMatchObject({
        key: k('bf:payments'),
        kind: 'BUSINESS_FUNCTION',
        name: 'Online payments',
        tags: ['customer-facing', 'pci'],
        attributes: { public: true, region: 'eu-west-1', tier: 1 },
        criticality: 'TIER_1',
        revenuePerHour: 180000.5,
        usersAffected: 250000,
        status: 'ACTIVE',
        version: 1,
        provenance: { createdByPerson: true, createdBy: expect.stringMatching(/^test-admin-/) },
      });
      expect(new Date(ci.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('returns null for a key nobody has', async () => {
      expect(await get(k('nothing-here'))).toBeNull();
    });

    it('changes nothing when the same input is sent again: same version, same updatedAt', async () => {
      const input = [{ key: k('app:idem'), kind: 'APPLICATION', name: 'Idem', tags: ['b', 'a'], attributes: { x: 1, y: 'z' } }];
      await t.gqlOk(UPSERT, { input });
      const first = await get(k('app:idem'));
      const again = await t.gqlOk(UPSERT, { input: [{ ...input[0], tags: ['a', 'b'], attributes: { y: 'z', x: 1 } }] });
      expect(again.upsertCIs).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const second = await get(k('app:idem'));
      expect(second.version).toBe(first.version);
      expect(second.updatedAt).toBe(first.updatedAt);
    });

    it('bumps the version on a change, keeps omitted fields and clears null ones', async () => {
      await t.gqlOk(UPSERT, { input: [{ key: k('svc:patch'), kind: 'SERVICE', owner: 'team-a', description: 'first' }] });
      const result = await t.gqlOk(UPSERT, { input: [{ key: k('svc:patch'), kind: 'SERVICE', description: null, environment: 'staging' }] });
      expect(result.upsertCIs.updated).toBe(1);
      const ci = await get(k('svc:patch'));
      expect(ci).toMatchObject({ owner: 'team-a', description: null, environment: 'staging', version: 2, name: k('svc:patch') });
    });

    it('stores quotes, backticks, braces and Cypher keywords literally', async () => {
      const nasty = "x' }) MATCH (n) DETACH DELETE n //`\"{}$param\\";
      await t.gqlOk(UPSERT, {
        input: [{ key: k("weird'`{}\"key"), kind: 'OTHER', name: nasty, description: `${nasty}\n${nasty}`, owner: nasty, tags: [nasty], attributes: { [nasty]: nasty } }],
      });
      const ci = await get(k("weird'`{}\"key"));
      expect(ci).toMatchObject({ name: nasty, description: `${nasty}\n${nasty}`, owner: nasty, tags: [nasty], attributes: { [nasty]: nasty } });
    });

    it('refuses a stale expectedVersion with CONFLICT naming the key and both versions', async () => {
      await t.gqlOk(UPSERT, { input: [{ key: k('svc:occ'), kind: 'SERVICE' }] });
      await t.gqlOk(UPSERT, { input: [{ key: k('svc:occ'), kind: 'SERVICE', owner: 'x', expectedVersion: 1 }] });
      const stale = await upsert([{ key: k('svc:occ'), kind: 'SERVICE', owner: 'y', expectedVersion: 1 }]);
      expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(stale.errors?.[0].message).toContain(`${k('svc:occ')} is at version 2, not 1`);
      expect((await get(k('svc:occ'))).owner).toBe('x');
    });

    it('treats expectedVersion 0 as "must not exist yet"', async () => {
      expect((await upsert([{ key: k('svc:new0'), kind: 'SERVICE', expectedVersion: 0 }])).errors).toBeUndefined();
      const again = await upsert([{ key: k('svc:new0'), kind: 'SERVICE', expectedVersion: 0 }]);
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it('creates a redundancy group with minHealthy', async () => {
      await t.gqlOk(UPSERT, { input: [{ key: k('rg:db'), kind: 'REDUNDANCY_GROUP', minHealthy: 2 }] });
      expect((await get(k('rg:db'))).minHealthy).toBe(2);
    });
  });

  describe('bad input gets a clear error naming the field and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['empty key', { key: '', kind: 'SERVICE' }, 'input[1].key', /must not be empty/],
      ['over-long key', { key: 'k'.repeat(257), kind: 'SERVICE' }, 'input[1].key', /at most 256 characters/],
      ['whitespace in key', { key: 'has space', kind: 'SERVICE' }, 'input[1].key', /whitespace or control/],
      ['control character in key', { key: 'bell\u0007', kind: 'SERVICE' }, 'input[1].key', /U\+0007/],
      ['negative revenue', { key: 'bf:neg', kind: 'BUSINESS_FUNCTION', revenuePerHour: -1 }, 'input[1].revenuePerHour', /must not be negative/],
      ['negative users', { key: 'bf:negu', kind: 'BUSINESS_FUNCTION', usersAffected: -5 }, 'input[1].usersAffected', /must not be negative/],
      ['minHealthy below 1', { key: 'rg:zero', kind: 'REDUNDANCY_GROUP', minHealthy: 0 }, 'input[1].minHealthy', /at least 1/],
      ['group without minHealthy', { key: 'rg:none', kind: 'REDUNDANCY_GROUP' }, 'input[1].minHealthy', /required for a REDUNDANCY_GROUP/],
      ['business field on a host', { key: 'host:rev', kind: 'HOST', revenuePerHour: 10 }, 'input[1].revenuePerHour', /only be set on business functions/],
      ['minHealthy on a service', { key: 'svc:mh', kind: 'SERVICE', minHealthy: 2 }, 'input[1].minHealthy', /only be set on redundancy groups/],
      ['control character in name', { key: 'svc:ctl', kind: 'SERVICE', name: 'a\u0000b' }, 'input[1].name', /control characters/],
      ['nested attributes', { key: 'svc:attr', kind: 'SERVICE', attributes: { a: { b: 1 } } }, 'input[1].attributes', /string, number, boolean/],
    ];
    it.each(cases)('%s', async (_name, bad, field, message) => {
      const good = { key: k(`ok-${_name.replace(/\W/g, '-')}`), kind: 'SERVICE' };
      const result = await upsert([good, { ...bad, key: bad.key === '' || / |\u0007/.test(bad.key as string) || (bad.key as string).length > 256 ? bad.key : k(bad.key as string) }]);
      expect(result.errors).toHaveLength(1);
      const error = result.errors![0];
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.extensions?.field).toBe(field);
      expect(error.message).toMatch(message);
      expect(await get(good.key)).toBeNull();
    });

    it('rejects an unknown kind through GraphQL validation', async () => {
      const result = await upsert([{ key: k('svc:kind'), kind: 'SPACESHIP' }]);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toMatch(/SPACESHIP/);
    });

    it('rejects the same key twice in one batch, pointing at both', async () => {
      const result = await upsert([{ key: k('dup'), kind: 'SERVICE' }, { key: k('dup'), kind: 'HOST' }]);
      expect(result.errors?.[0].extensions?.field).toBe('input[1].key');
      expect(result.errors?.[0].message).toMatch(/also at input\[0\]\.key/);
    });

    it('rejects a batch over the documented size limit', async () => {
      const small = await startTestApp({ SVCMAP_MAX_BATCH: '3' });
      try {
        const result = await small.gql(UPSERT, { input: [1, 2, 3, 4].map((i) => ({ key: k(`big${i}`), kind: 'SERVICE' })) });
        expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0].message).toMatch(/at most 3 items per call \(got 4\)/);
        expect(await get(k('big1'))).toBeNull();
      } finally {
        await small.close();
      }
    });
  });

  describe('dependencies', () => {
    beforeAll(async () => {
      await t.gqlOk(UPSERT, {
        input: ['app:shop', 'svc:cart', 'db:main', 'cache:main'].map((key) => ({ key: k(key), kind: key.startsWith('db') ? 'DATABASE' : key.startsWith('cache') ? 'CACHE' : 'SERVICE' })),
      });
    });

    it('creates edges with type and strength and shows them from both ends', async () => {
      const result = await t.gqlOk(UPSERT_DEPS, {
        input: [
          { from: k('app:shop'), to: k('svc:cart'), type: 'CALLS' },
          { from: k('svc:cart'), to: k('db:main'), type: 'STORES_DATA_IN', strength: 'HARD' },
          { from: k('svc:cart'), to: k('cache:main'), type: 'READS_FROM', strength: 'SOFT' },
        ],
      });
      expect(result.upsertDependencies).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
      expect(result.upsertDependencies.dependencies[0]).toMatchObject({ from: k('app:shop'), to: k('svc:cart'), type: 'CALLS', strength: 'HARD', version: 1 });
      const cart = await get(k('svc:cart'));
      expect(cart.dependencies).toEqual([
        { to: k('cache:main'), type: 'READS_FROM', strength: 'SOFT', provider: { key: k('cache:main'), kind: 'CACHE' } },
        { to: k('db:main'), type: 'STORES_DATA_IN', strength: 'HARD', provider: { key: k('db:main'), kind: 'DATABASE' } },
      ]);
      expect(cart.dependents).toEqual([{ from: k('app:shop'), type: 'CALLS', strength: 'HARD', consumer: { key: k('app:shop') } }]);
    });

    it('is idempotent, and updates strength when it changes', async () => {
      const same = await t.gqlOk(UPSERT_DEPS, { input: [{ from: k('app:shop'), to: k('svc:cart'), type: 'CALLS' }] });
      expect(same.upsertDependencies).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      const softer = await t.gqlOk(UPSERT_DEPS, { input: [{ from: k('app:shop'), to: k('svc:cart'), strength: 'SOFT' }] });
      expect(softer.upsertDependencies).toMatchObject({ updated: 1 });
      expect(softer.upsertDependencies.dependencies[0]).toMatchObject({ type: 'CALLS', strength: 'SOFT', version: 2 });
    });

    it('names a missing endpoint and writes none of the batch', async () => {
      const result = await t.gql(UPSERT_DEPS, {
        input: [
          { from: k('app:shop'), to: k('db:main') },
          { from: k('app:shop'), to: k('db:ghost') },
        ],
      });
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(result.errors?.[0].extensions?.field).toBe('input[1].to');
      expect(result.errors?.[0].message).toContain(k('db:ghost'));
      const shop = await get(k('app:shop'));
      expect(shop.dependencies.map((d: { to: string }) => d.to)).toEqual([k('svc:cart')]);
    });

    it('pages a hub`s dependents by consumer key, counts them, and batches the page across CIs', async () => {
      const consumers = Array.from({ length: 7 }, (_, i) => k(`svc:hub-user-${i}`));
      await t.gqlOk(UPSERT, { input: [{ key: k('net:hub'), kind: 'NETWORK_DEVICE' }, ...consumers.map((key) => ({ key, kind: 'SERVICE' }))] });
      await t.gqlOk(UPSERT_DEPS, { input: consumers.map((from) => ({ from, to: k('net:hub') })) });
      const PAGE = `query Page($key: String!, $first: Int, $after: String) {
        ci(key: $key) { dependentCount dependencyCount dependents(first: $first, after: $after) { from consumer { key dependencyCount } } } }`;
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        type Page = { ci: { dependentCount: number; dependencyCount: number; dependents: { from: string; consumer: { dependencyCount: number } }[] } };
        const { ci }: Page = await t.gqlOk<Page>(PAGE, { key: k('net:hub'), first: 3, after });
        expect(ci.dependentCount).toBe(7);
        expect(ci.dependencyCount).toBe(0);
        expect(ci.dependents.length).toBeLessThanOrEqual(3);
        for (const d of ci.dependents) expect(d.consumer.dependencyCount).toBe(1);
        seen.push(...ci.dependents.map((d) => d.from));
        if (ci.dependents.length < 3) break;
        after = ci.dependents[ci.dependents.length - 1].from;
      }
      expect(seen).toEqual([...consumers].sort());
      // Without a page, every dependent, as before.
      expect((await t.gqlOk(PAGE, { key: k('net:hub') })).ci.dependents).toHaveLength(7);
      // Two CIs asking for the same page each get their own.
      const both = await t.gqlOk(`{ a: ci(key: "${consumers[0]}") { dependencies(first: 1) { to } } b: ci(key: "${k('net:hub')}") { dependents(first: 1) { from } } }`);
      expect(both.a.dependencies).toEqual([{ to: k('net:hub') }]);
      expect(both.b.dependents).toEqual([{ from: consumers[0] }]);
      const bad = await t.gql(PAGE, { key: k('net:hub'), first: -1 });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(bad.errors?.[0].message).toMatch(/from 0 to/);
    });

    it('refuses a self-dependency', async () => {
      const result = await t.gql(UPSERT_DEPS, { input: [{ from: k('db:main'), to: k('db:main') }] });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].to' });
      expect(result.errors?.[0].message).toMatch(/cannot depend on itself/);
    });

    it('refuses to delete a CI others depend on without detach, listing the dependents', async () => {
      const result = await t.gql(DELETE, { keys: [k('db:main')] });
      expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(result.errors?.[0].message).toContain(k('svc:cart'));
      expect(result.errors?.[0].extensions?.dependents).toEqual({ [k('db:main')]: [k('svc:cart')] });
      expect(await get(k('db:main'))).not.toBeNull();
    });

    it('deletes with detach, reports what was detached and what was not there', async () => {
      await t.gqlOk(UPSERT, { input: [{ key: k('db:gone'), kind: 'DATABASE' }] });
      await t.gqlOk(UPSERT_DEPS, { input: [{ from: k('svc:cart'), to: k('db:gone') }] });
      const result = await t.gqlOk(DELETE, { keys: [k('db:gone'), k('never-was')], detach: true });
      expect(result.deleteCIs).toEqual({ deleted: 1, notFound: [k('never-was')], detachedDependencies: 1 });
      expect(await get(k('db:gone'))).toBeNull();
    });

    it('deletes a CI with only outgoing dependencies without detach', async () => {
      await t.gqlOk(UPSERT, { input: [{ key: k('app:leaf'), kind: 'APPLICATION' }] });
      await t.gqlOk(UPSERT_DEPS, { input: [{ from: k('app:leaf'), to: k('db:main') }] });
      const result = await t.gqlOk(DELETE, { keys: [k('app:leaf')] });
      expect(result.deleteCIs).toMatchObject({ deleted: 1 });
    });

    it('deletes dependencies and reports the absent ones', async () => {
      const result = await t.gqlOk(DELETE_DEPS, {
        input: [{ from: k('svc:cart'), to: k('cache:main') }, { from: k('cache:main'), to: k('svc:cart') }],
      });
      expect(result.deleteDependencies).toEqual({ deleted: 1, notFound: [`${k('cache:main')}->${k('svc:cart')}`] });
    });
  });

  describe('cis list', () => {
    const q = `query List($filter: CIFilterInput, $first: Int, $after: String) {
      cis(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { key kind owner tags } } }
    }`;
    const lp = uniquePrefix('list');
    beforeAll(async () => {
      const input = Array.from({ length: 7 }, (_, i) => ({
        key: `${lp}item-${i}`,
        kind: i % 2 ? 'HOST' : 'DATABASE',
        name: i === 3 ? 'The Special One' : `item ${i}`,
        owner: i < 4 ? 'team-x' : 'team-y',
        environment: 'production',
        tags: i % 3 === 0 ? ['gold'] : ['silver'],
      }));
      await t.gqlOk(UPSERT, { input });
    });

    it('pages through a filter in stable key order', async () => {
      const filter = { search: lp };
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = (await t.gqlOk(q, { filter, first: 3, after })).cis;
        expect(page.totalCount).toBe(7);
        seen.push(...page.edges.map((e: any) => e.node.key));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toHaveLength(7);
    });

    it('filters by kinds, owner, tags and name text', async () => {
      const hosts = (await t.gqlOk(q, { filter: { search: lp, kinds: ['HOST'], owner: 'team-x' } })).cis;
      expect(hosts.edges.map((e: any) => e.node.key)).toEqual([`${lp}item-1`, `${lp}item-3`]);
      const gold = (await t.gqlOk(q, { filter: { search: lp, tags: ['gold'] } })).cis;
      expect(gold.totalCount).toBe(3);
      const special = (await t.gqlOk(q, { filter: { search: 'special one', kinds: ['HOST'] } })).cis;
      expect(special.edges.map((e: any) => e.node.key)).toContain(`${lp}item-3`);
    });

    it('refuses a page size over the maximum and a forged cursor', async () => {
      const big = await t.gql(q, { first: 501 });
      expect(big.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      const forged = await t.gql(q, { after: '!!not-a-cursor' });
      expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });
});
