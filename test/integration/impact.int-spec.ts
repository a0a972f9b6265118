import { ImpactService, PricedFailure } from '../../src/impact/impact.service';
import { loadPrefixedSeed } from '../support/seed-copy';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const BLAST = `query Blast($keys: [String!]!, $maxDepth: Int, $first: Int, $after: String, $states: [ImpactState!]) {
  blastRadius(keys: $keys, maxDepth: $maxDepth) {
    failedKeys maxDepth depthLimited score priority misconfiguredGroups
    businessImpacts { ci { key name criticality } state score priority distance chain reason }
    totals { impacted down degraded byKind { kind down degraded } }
    impacted(first: $first, after: $after, states: $states) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { key kind state distance chain reason group { members down degraded minHealthy misconfigured } ci { name } } }
    }
  }
}`;

describe('blast radius, maps and prioritization on the demo enterprise', () => {
  let t: TestApp;
  const p = uniquePrefix('impact');
  const k = (key: string) => p + key;

  beforeAll(async () => {
    t = await startTestApp();
    await loadPrefixedSeed(t, p);
  });
  afterAll(() => t.close());

  const blast = async (keys: string[], extra: Record<string, unknown> = {}) => (await t.gqlOk(BLAST, { keys: keys.map(k), first: 500, ...extra })).blastRadius;

  it('takes online payments and checkout DOWN when the payment processor fails, with chains', async () => {
    const b = await blast(['svc:payment-processor']);
    const byKey = Object.fromEntries(b.businessImpacts.map((x: any) => [x.ci.key, x]));
    expect(byKey[k('bf:online-payments')]).toMatchObject({ state: 'DOWN', priority: 'P1' });
    expect(byKey[k('bf:checkout')]).toMatchObject({ state: 'DOWN', priority: 'P1' });
    expect(byKey[k('bf:executive-support')]).toBeUndefined();
    const chain: string[] = byKey[k('bf:online-payments')].chain;
    expect(chain[0]).toBe(k('bf:online-payments'));
    expect(chain.at(-1)).toBe(k('svc:payment-processor'));
    expect(b.businessImpacts[0].score).toBeGreaterThanOrEqual(b.businessImpacts.at(-1).score);
    expect(b.priority).toBe('P1');
    const nodes = b.impacted.edges.map((e: any) => e.node);
    expect(nodes[0]).toMatchObject({ key: k('svc:payment-processor'), state: 'DOWN', distance: 0, chain: [k('svc:payment-processor')], reason: 'failed' });
    expect(b.totals.impacted).toBe(b.impacted.totalCount);
    expect(b.totals.down + b.totals.degraded).toBe(b.totals.impacted);
    expect(nodes.find((n: any) => n.key === k('bf:online-payments')).kind).toBe('BUSINESS_FUNCTION');
    // Filtered by kind: exactly the business functions among all impacted, as the totals count them.
    const KINDS = `query($keys: [String!]!) { blastRadius(keys: $keys) { impacted(first: 500, kinds: [BUSINESS_FUNCTION]) { totalCount edges { node { key kind } } } } }`;
    const functions = (await t.gqlOk(KINDS, { keys: [k('svc:payment-processor')] })).blastRadius.impacted;
    const counted = b.totals.byKind.find((x: any) => x.kind === 'BUSINESS_FUNCTION');
    expect(functions.totalCount).toBe(counted.down + counted.degraded);
    expect(functions.edges.map((e: any) => e.node.key).sort()).toEqual(nodes.filter((n: any) => n.kind === 'BUSINESS_FUNCTION').map((n: any) => n.key).sort());
    expect(functions.edges.every((e: any) => e.node.kind === 'BUSINESS_FUNCTION')).toBe(true);
  });

  it("shows a business impact's CI as stored, whether a query asks only for what scoring read or for more", async () => {
    const FIELDS = 'key kind name criticality revenuePerHour usersAffected owner tags status version createdAt provenance { createdByPerson }';
    const scored = `query($keys: [String!]!) { blastRadius(keys: $keys) { businessImpacts { ci { key kind name criticality revenuePerHour usersAffected } } } }`;
    const whole = `query($keys: [String!]!) { blastRadius(keys: $keys) { businessImpacts { ci { ${FIELDS} } } } }`;
    const keys = [k('svc:payment-processor')];
    const light = (await t.gqlOk(scored, { keys })).blastRadius.businessImpacts.map((b: any) => b.ci);
    const full = (await t.gqlOk(whole, { keys })).blastRadius.businessImpacts.map((b: any) => b.ci);
    expect(light.length).toBeGreaterThan(1);
    for (const [i, ci] of full.entries()) {
      const stored = (await t.gqlOk(`query($key: String!) { ci(key: $key) { ${FIELDS} } }`, { key: ci.key })).ci;
      expect(ci).toEqual(stored);
      expect(light[i]).toEqual({ key: stored.key, kind: stored.kind, name: stored.name, criticality: stored.criticality, revenuePerHour: stored.revenuePerHour, usersAffected: stored.usersAffected });
    }
  });

  it('explains redundancy: one shared database node down degrades, two take the cluster down', async () => {
    const one = await blast(['db:pg-node-1']);
    const group1 = one.impacted.edges.find((e: any) => e.node.key === k('rg:shared-postgres')).node;
    expect(group1).toMatchObject({ state: 'DEGRADED', group: { members: 3, down: 1, minHealthy: 2, misconfigured: false } });
    expect(group1.reason).toBe('1 of 3 members down; 2 up, needs 2');
    const two = await blast(['db:pg-node-1', 'db:pg-node-2']);
    const group2 = two.impacted.edges.find((e: any) => e.node.key === k('rg:shared-postgres')).node;
    expect(group2).toMatchObject({ state: 'DOWN', reason: '2 of 3 members down, needs 2 up' });
    expect(two.businessImpacts.some((b: any) => b.state === 'DOWN')).toBe(true);
    expect(two.score).toBeGreaterThan(one.score);
  });

  it('walks several failures at once to the same CIs and distances as each failure alone', async () => {
    const failures = ['svc:payment-processor', 'db:pg-node-1', 'rg:dc1-core-switches'];
    const distances = (b: any) => new Map<string, number>(b.impacted.edges.map((e: any) => [e.node.key, e.node.distance]));
    const alone = await Promise.all(failures.map(async (f) => distances(await blast([f]))));
    const together = distances(await blast(failures));
    const expected = new Map<string, number>();
    for (const single of alone) for (const [key, d] of single) expected.set(key, Math.min(d, expected.get(key) ?? Infinity));
    expect(together.size).toBeGreaterThan(alone[0].size);
    expect([...together].sort()).toEqual([...expected].sort());
  });

  it('refuses a page above SVCMAP_MAX_PAGE (naming first) and a cursor it did not hand out (naming after)', async () => {
    const keys = [k('rg:dc1-core-switches')];
    const tooBig = await t.gql(BLAST, { keys, first: 501 });
    expect(tooBig.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', problems: [{ path: 'first', message: 'must be from 0 to 500' }] });
    expect((await t.gql(BLAST, { keys, first: -1 })).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    for (const after of ['nope', Buffer.from('impacted:x').toString('base64url'), Buffer.from('other:3').toString('base64url')]) {
      const forged = await t.gql(BLAST, { keys, first: 5, after });
      expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', problems: [{ path: 'after', message: 'is not a cursor returned by this API' }] });
    }
    const both = await t.gql(BLAST, { keys, first: 501, after: 'nope' });
    expect(both.errors?.[0].extensions?.problems.map((p: any) => p.path)).toEqual(['first', 'after']);
  });

  it('limits the page by the configured SVCMAP_MAX_PAGE, not a fixed size', async () => {
    const small = await startTestApp({ SVCMAP_MAX_PAGE: '20' });
    try {
      const keys = [k('rg:dc1-core-switches')];
      const over = await small.gql(BLAST, { keys, first: 21 });
      expect(over.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', problems: [{ path: 'first', message: 'must be from 0 to 20' }] });
      const page = (await small.gqlOk(BLAST, { keys, first: 20 })).blastRadius.impacted;
      expect(page.edges).toHaveLength(20);
      expect(page.totalCount).toBeGreaterThan(20);
      // Without `first`, the page is the configured maximum when that is below the usual 100.
      const unsized = (await small.gqlOk(BLAST, { keys })).blastRadius.impacted;
      expect(unsized.edges).toHaveLength(20);
      expect(unsized.pageInfo.hasNextPage).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('pages the impacted list and filters it by state', async () => {
    const all = await blast(['rg:dc1-core-switches']);
    const first = (await t.gqlOk(BLAST, { keys: [k('rg:dc1-core-switches')], first: 10 })).blastRadius.impacted;
    expect(first.edges).toHaveLength(10);
    const second = (await t.gqlOk(BLAST, { keys: [k('rg:dc1-core-switches')], first: 10, after: first.pageInfo.endCursor })).blastRadius.impacted;
    expect(second.edges[0].node.key).toBe(all.impacted.edges[10].node.key);
    const downOnly = (await t.gqlOk(BLAST, { keys: [k('rg:dc1-core-switches')], first: 500, states: ['DOWN'] })).blastRadius.impacted;
    expect(downOnly.totalCount).toBe(all.totals.down);
  });

  it('bounds the walk with maxDepth and says so', async () => {
    const shallow = await blast(['svc:payment-processor'], { maxDepth: 1 });
    expect(shallow.maxDepth).toBe(1);
    expect(shallow.depthLimited).toBe(true);
    expect(Math.max(...shallow.impacted.edges.map((e: any) => e.node.distance))).toBe(1);
  });

  it('walks the default depth when maxDepth is left out, and echoes it', async () => {
    const full = await blast(['svc:payment-processor']);
    expect(full).toMatchObject({ maxDepth: 50, depthLimited: false });
    expect(Math.max(...full.impacted.edges.map((e: any) => e.node.distance))).toBeLessThan(50);
  });

  it('keeps the payment processor <-> fraud scoring cycle finite, and healthy when nothing in it fails', async () => {
    const nodesOf = (b: any) => new Map<string, any>(b.impacted.edges.map((e: any) => [e.node.key, e.node]));
    // The processor calls fraud scoring (HARD); fraud scoring calls the processor back (SOFT).
    const processorDown = nodesOf(await blast(['svc:payment-processor']));
    expect(processorDown.get(k('svc:payment-processor'))).toMatchObject({ state: 'DOWN', distance: 0, reason: 'failed' });
    expect(processorDown.get(k('svc:fraud-scoring'))).toMatchObject({
      state: 'DEGRADED',
      distance: 1,
      chain: [k('svc:fraud-scoring'), k('svc:payment-processor')],
      reason: `soft dependency on ${k('svc:payment-processor')}, which is down`,
    });
    expect(processorDown.get(k('app:fraud-engine'))).toMatchObject({ state: 'DEGRADED', reason: `depends on ${k('svc:fraud-scoring')}, which is degraded` });

    // Below the cycle: both DOWN, each explained without going round it.
    const storeDown = nodesOf(await blast(['cache:fraud-feature-store']));
    expect(storeDown.get(k('svc:fraud-scoring'))).toMatchObject({ state: 'DOWN', distance: 1, chain: [k('svc:fraud-scoring'), k('cache:fraud-feature-store')] });
    expect(storeDown.get(k('svc:payment-processor'))).toMatchObject({
      state: 'DOWN',
      distance: 2,
      chain: [k('svc:payment-processor'), k('svc:fraud-scoring'), k('cache:fraud-feature-store')],
      reason: `hard dependency on ${k('svc:fraud-scoring')}, which is down`,
    });

    // A failure that never reaches the cycle leaves it out.
    const mailDown = nodesOf(await blast(['app:exec-mail-client']));
    expect(mailDown.size).toBeGreaterThan(1);
    expect(mailDown.has(k('svc:payment-processor'))).toBe(false);
    expect(mailDown.has(k('svc:fraud-scoring'))).toBe(false);
  });

  it('walks the nested web tier (2 of 3 zones, each 1 of 2 VMs) group by group', async () => {
    const nodesOf = async (vms: string[]) => new Map<string, any>((await blast(vms)).impacted.edges.map((e: any) => [e.node.key, e.node]));
    const oneVm = await nodesOf(['vm:web-a1']);
    expect(oneVm.get(k('rg:web-zone-a'))).toMatchObject({ state: 'DEGRADED', reason: '1 of 2 members down; 1 up, needs 1', group: { members: 2, down: 1, degraded: 0, minHealthy: 1 } });
    expect(oneVm.get(k('rg:web-tier'))).toMatchObject({ state: 'DEGRADED', reason: '0 of 3 members down, 1 degraded; 3 up, needs 2', group: { members: 3, down: 0, degraded: 1 } });
    expect(oneVm.get(k('app:storefront-web'))).toMatchObject({ state: 'DEGRADED' });

    const oneZone = await nodesOf(['vm:web-a1', 'vm:web-a2']);
    expect(oneZone.get(k('rg:web-zone-a'))).toMatchObject({ state: 'DOWN', reason: '2 of 2 members down, needs 1 up' });
    expect(oneZone.get(k('rg:web-tier'))).toMatchObject({ state: 'DEGRADED', reason: '1 of 3 members down; 2 up, needs 2' });
    expect(oneZone.get(k('app:storefront-web'))).toMatchObject({ state: 'DEGRADED', distance: 3 });

    const twoZones = await nodesOf(['vm:web-a1', 'vm:web-a2', 'vm:web-b1', 'vm:web-b2']);
    expect(twoZones.get(k('rg:web-zone-b'))).toMatchObject({ state: 'DOWN', reason: '2 of 2 members down, needs 1 up' });
    const tier = twoZones.get(k('rg:web-tier'));
    expect(tier).toMatchObject({ state: 'DOWN', distance: 2, reason: '2 of 3 members down, needs 2 up', group: { members: 3, down: 2, minHealthy: 2 } });
    const shop = twoZones.get(k('app:storefront-web'));
    expect(shop).toMatchObject({ state: 'DOWN', reason: `hard dependency on ${k('rg:web-tier')}, which is down` });
    // The chain goes down through a DOWN zone to one of its failed VMs: every link DOWN.
    expect(shop.chain).toHaveLength(4);
    expect(shop.chain.slice(0, 2)).toEqual([k('app:storefront-web'), k('rg:web-tier')]);
    expect([k('rg:web-zone-a'), k('rg:web-zone-b')]).toContain(shop.chain[2]);
    const zone = shop.chain[2] === k('rg:web-zone-a') ? 'a' : 'b';
    expect([k(`vm:web-${zone}1`), k(`vm:web-${zone}2`)]).toContain(shop.chain[3]);
    expect(shop.chain.every((key: string) => twoZones.get(key).state === 'DOWN')).toBe(true);
  });

  it('reports a redundancy group with fewer members than minHealthy as misconfigured, and DOWN once reached', async () => {
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', {
      input: [
        { key: k('rg:lonely-pair'), kind: 'REDUNDANCY_GROUP', name: 'A pair with one member', minHealthy: 2 },
        { key: k('vm:lonely-1'), kind: 'VM', name: 'lonely-1' },
        { key: k('svc:lonely'), kind: 'SERVICE', name: 'Lonely service' },
      ],
    });
    await t.gqlOk('mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }', {
      input: [
        { from: k('rg:lonely-pair'), to: k('vm:lonely-1'), type: 'HAS_MEMBER' },
        { from: k('svc:lonely'), to: k('rg:lonely-pair'), type: 'RUNS_ON', strength: 'SOFT' },
      ],
    });
    const b = await blast(['vm:lonely-1']);
    expect(b.misconfiguredGroups).toEqual([k('rg:lonely-pair')]);
    const byKey = new Map<string, any>(b.impacted.edges.map((e: any) => [e.node.key, e.node]));
    expect(byKey.get(k('rg:lonely-pair'))).toMatchObject({
      state: 'DOWN',
      reason: 'misconfigured: 1 members but needs 2 up',
      group: { members: 1, down: 1, minHealthy: 2, misconfigured: true },
    });
    expect(byKey.get(k('svc:lonely'))).toMatchObject({ state: 'DEGRADED', chain: [k('svc:lonely'), k('rg:lonely-pair'), k('vm:lonely-1')] });
    // A well-formed group reached by a failure is not listed.
    expect((await blast(['db:pg-node-1'])).misconfiguredGroups).toEqual([]);
  });

  it('names unknown keys (NOT_FOUND) and refuses a bad depth (BAD_USER_INPUT)', async () => {
    const unknown = await t.gql(BLAST, { keys: [k('svc:payment-processor'), k('svc:nope')] });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'keys', missingKeys: [k('svc:nope')] });
    const deep = await t.gql(BLAST, { keys: [k('svc:payment-processor')], maxDepth: 0 });
    expect(deep.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth' });
    const tooDeep = await t.gql(BLAST, { keys: [k('svc:payment-processor')], maxDepth: 101 });
    expect(tooDeep.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth', problems: [{ path: 'maxDepth', message: 'must be from 1 to 100' }] });
    expect(tooDeep.data).toBeNull();
    const none = await t.gql(BLAST, { keys: [] });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'keys' });
  });

  it('draws upstream and the service map of a business function', async () => {
    const up = (await t.gqlOk('query($k: String!) { upstream(key: $k, maxDepth: 1) { root { key } nodes { key } edges { from to type strength } truncated } }', { k: k('svc:payment-processor') })).upstream;
    expect(up.root.key).toBe(k('svc:payment-processor'));
    // Depth 1: the root's direct providers, plus any dependencies among them.
    expect(up.edges.filter((e: any) => e.from === k('svc:payment-processor')).length).toBe(up.nodes.length - 1);
    const upKeys = new Set(up.nodes.map((n: any) => n.key));
    expect(up.edges.every((e: any) => upKeys.has(e.from) && upKeys.has(e.to))).toBe(true);
    const map = (await t.gqlOk('query($k: String!) { serviceMap(key: $k) { root { key kind } nodes { key } edges { from to strength } truncated } }', { k: k('bf:online-payments') })).serviceMap;
    const keys = new Set(map.nodes.map((n: any) => n.key));
    expect(keys.has(k('svc:payment-processor'))).toBe(true);
    expect(map.edges.every((e: any) => keys.has(e.from) && keys.has(e.to))).toBe(true);
    expect(map.truncated).toBe(false);
    const missing = await t.gql('{ serviceMap(key: "nope:nothing") { truncated } }');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  const UPSTREAM = 'query($k: String!, $d: Int) { upstream(key: $k, maxDepth: $d) { nodes { key } edges { from to } truncated } }';

  it('says an upstream map is truncated when the depth limit cut it, and not when the walk went deep enough', async () => {
    const one = (await t.gqlOk(UPSTREAM, { k: k('svc:payment-processor'), d: 1 })).upstream;
    // The processor's direct providers depend on more (its Kubernetes deployment runs on a cluster ...).
    expect(one.truncated).toBe(true);
    const full = (await t.gqlOk(UPSTREAM, { k: k('svc:payment-processor') })).upstream;
    expect(full.truncated).toBe(false);
    expect(full.nodes.length).toBeGreaterThan(one.nodes.length);
    const fullKeys = new Set(full.nodes.map((n: any) => n.key));
    expect(one.nodes.every((n: any) => fullKeys.has(n.key))).toBe(true);
    // A CI that depends on nothing: nothing to cut at any depth.
    const leaf = (await t.gqlOk(UPSTREAM, { k: k('ext:fraud-data-consortium'), d: 1 })).upstream;
    expect(leaf).toEqual({ nodes: [{ key: k('ext:fraud-data-consortium') }], edges: [], truncated: false });
  });

  it('refuses upstream for an unknown key (NOT_FOUND), a malformed key or a depth out of range (BAD_USER_INPUT), naming the field', async () => {
    const unknown = await t.gql(UPSTREAM, { k: k('svc:nope') });
    expect(unknown.errors?.[0].message).toBe(`No CI has the key ${k('svc:nope')}`);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'key', missingKeys: [k('svc:nope')] });
    expect(unknown.data).toBeNull();
    const malformed = await t.gql(UPSTREAM, { k: 'two words' });
    expect(malformed.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'key',
      problems: [{ path: 'key', message: 'must not contain whitespace or control characters (found U+0020 at position 3)' }],
    });
    const map = await t.gql('query($k: String!) { serviceMap(key: $k) { truncated } }', { k: '' });
    expect(map.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
    for (const d of [0, 101]) {
      const depth = await t.gql(UPSTREAM, { k: k('svc:payment-processor'), d });
      expect(depth.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth', problems: [{ path: 'maxDepth', message: 'must be from 1 to 100' }] });
    }
  });

  it('ranks the payment incident (technical P3) above the executive mail one (technical P2)', async () => {
    const result = await t.gqlOk(
      `mutation($incidents: [IncidentInput!]!) { prioritizeIncidents(incidents: $incidents) {
        id rank priority score technicalPriority impactedCount unknownKeys explanation businessImpacts { ci { key } state } } }`,
      {
        incidents: [
          { id: 'INC-1', title: 'CEO cannot read mail', keys: [k('app:exec-mail-client')], technicalPriority: 'P2', startedAt: '2026-11-26T09:00:00Z' },
          { id: 'INC-2', title: 'Payment errors', keys: [k('svc:payment-processor')], technicalPriority: 'P3', startedAt: '2026-11-26T09:05:00Z' },
          { id: 'INC-3', keys: [k('nope:unknown')] },
        ],
      },
    );
    const [first, second, third] = result.prioritizeIncidents;
    expect(first).toMatchObject({ id: 'INC-2', rank: 1, priority: 'P1', technicalPriority: 'P3' });
    expect(second).toMatchObject({ id: 'INC-1', rank: 2, technicalPriority: 'P2' });
    expect(['P3', 'P4', 'P5']).toContain(second.priority);
    expect(second.businessImpacts.map((b: any) => b.ci.key)).toContain(k('bf:executive-support'));
    expect(first.explanation).toMatch(/Online payments \(TIER_1\) DOWN/);
    expect(first.explanation).toMatch(/-> P1, reported P3\.$/);
    expect(third).toMatchObject({ id: 'INC-3', rank: 3, priority: 'P5', unknownKeys: [k('nope:unknown')], impactedCount: 0 });
  });

  it('prices failures from a walk started ahead of them, fetching only those it does not cover', async () => {
    const impact = t.app.get(ImpactService);
    const failures = [[k('svc:payment-processor')], [k('app:exec-mail-client')], [k('db:payments-ledger')], [k('svc:payment-processor')]];
    // The walk covers the first two; the third is fetched when asked.
    const prefetched = impact.prefetchBlastRadii([k('svc:payment-processor'), k('app:exec-mail-client')]);
    const summary = (answers: PricedFailure[]) =>
      answers.map((a) => ({ failed: a.failedKeys, score: a.score, priority: a.priority, totals: a.totals, business: a.businessImpacts.map((b) => [b.ci.key, b.state, b.score]) }));
    const ahead = await impact.blastRadii(failures, undefined, prefetched);
    const plain = await impact.blastRadii(failures);
    expect(summary(ahead)).toEqual(summary(plain));
    expect(ahead[2].failedKeys).toEqual([k('db:payments-ledger')]);
    expect(ahead[2].totals.impacted).toBeGreaterThan(1);
    // A walk for another depth covers nothing: everything is fetched again, with the same answers.
    const other = impact.prefetchBlastRadii([k('svc:payment-processor')], 3);
    expect(summary(await impact.blastRadii(failures, undefined, other))).toEqual(summary(plain));
  });

  it('refuses malformed incidents with the field named', async () => {
    const result = await t.gql('mutation($i: [IncidentInput!]!) { prioritizeIncidents(incidents: $i) { id } }', { i: [{ id: 'x', keys: [] }] });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'incidents[0].keys' });
  });
});
