import { APP_CONFIG, AppConfig } from '../../src/common/config/app-config';
import { Neo4jService } from '../../src/common/neo4j/neo4j.service';
import { TopologyIndexService } from '../../src/common/neo4j/topology-index';
import { FetchedImpactGraph, ImpactRepository } from '../../src/impact/impact.repository';
import { RootCauseRepository } from '../../src/root-cause/root-cause.repository';
import { Rng } from '../../src/synthetic/random';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const UPSERT_CIS = `mutation($input: [CIInput!]!) { upsertCIs(input: $input) { cis { key } } }`;
const UPSERT_DEPS = `mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }`;
const DELETE_CIS = `mutation($keys: [String!]!) { deleteCIs(keys: $keys, detach: true) { deleted } }`;

/** Polls `read` until it answers (the plugin's index is current again after writes), for up to a minute. */
async function once<T>(read: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await read();
    if (answer !== null) return answer;
    if (Date.now() > deadline) throw new Error('the topology index did not become current within a minute');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The topology plugin's index (tools/neo4j-launcher, svcmap.topology.*) against the Cypher it
 * stands in for: the same walks must give the engines exactly the same input, and no answer may
 * come from a snapshot older than the last write.
 */
describe('the topology index of the embedded Neo4j', () => {
  let t: TestApp;
  let withIndex: ImpactRepository;
  let cypherOnly: ImpactRepository;
  let rcaWithIndex: RootCauseRepository;
  let rcaCypherOnly: RootCauseRepository;
  const p = uniquePrefix('index');
  const rng = new Rng(20261127);
  const keys: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const neo4j = t.app.get(Neo4jService);
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const off = new TopologyIndexService(neo4j, { ...config, neo4j: { ...config.neo4j, topologyIndex: 'off' } });
    withIndex = t.app.get(ImpactRepository);
    cypherOnly = new ImpactRepository(neo4j, off);
    rcaWithIndex = t.app.get(RootCauseRepository);
    rcaCypherOnly = new RootCauseRepository(neo4j, off);

    // A random graph: business functions on top, groups (some needing more members than they have), SOFT edges, cycles.
    const cis: Record<string, unknown>[] = [];
    for (let i = 0; i < 240; i++) {
      const key = `${p}ci-${String(rng.int(0, 1e6)).padStart(7, '0')}-${i}`;
      keys.push(key);
      if (i < 20) cis.push({ key, kind: 'BUSINESS_FUNCTION', name: `function ${i}`, criticality: 'TIER_1', revenuePerHour: 1000 * i, usersAffected: 10 * i });
      else if (i < 40) cis.push({ key, kind: 'REDUNDANCY_GROUP', minHealthy: rng.int(1, 4) });
      else cis.push({ key, kind: i % 3 ? 'SERVICE' : 'DATABASE' });
    }
    await t.gqlOk(UPSERT_CIS, { input: cis });
    const pairs = new Set<string>();
    const deps: Record<string, unknown>[] = [];
    while (deps.length < 900) {
      const from = rng.int(0, keys.length - 1);
      // Mostly downwards (a higher index depends on a lower layer), some upwards: cycles.
      const to = rng.chance(0.9) ? rng.int(Math.min(from + 1, keys.length - 1), keys.length - 1) : rng.int(0, keys.length - 1);
      const pair = `${from}>${to}`;
      if (from === to || pairs.has(pair)) continue;
      pairs.add(pair);
      deps.push({ from: keys[from], to: keys[to], strength: rng.chance(0.25) ? 'SOFT' : 'HARD' });
    }
    await t.gqlOk(UPSERT_DEPS, { input: deps });
  });
  afterAll(() => t.close());

  const someKeys = (count: number) => Array.from({ length: count }, () => keys[rng.int(0, keys.length - 1)]);

  it('walks to the same subgraphs as the Cypher, in the same order, for blast radius and root cause', async () => {
    const embedded = process.env.SVCMAP_TEST_NEO4J_HOW === 'embedded';
    expect(await t.app.get(TopologyIndexService).hasIndex()).toBe(embedded);
    if (!embedded) {
      // A server without the plugin: every walk is Cypher.
      expect(await withIndex.impactedFromIndex(someKeys(1), 5)).toBeNull();
      return;
    }
    let compared = 0;
    for (let round = 0; round < 12; round++) {
      const failed = [...someKeys(rng.int(1, 3)), ...(round % 4 === 0 ? [`${p}no-such-ci`] : [])];
      const depth = [1, 2, 4, 50][round % 4];
      const fromIndex = await once(() => withIndex.impactedFromIndex(failed, depth));
      const fromCypher = await cypherOnly.impactedSubgraph(failed, depth);
      expect(fromIndex).toEqual(fromCypher);
      const alerting = someKeys(rng.int(1, 12));
      const upstreamIndex = await once(() => rcaWithIndex.alertSubgraphFromIndex(alerting, depth));
      expect(upstreamIndex).toEqual(await rcaCypherOnly.alertSubgraph(alerting, depth));
      compared += fromIndex.keys.length + upstreamIndex.keys.length;
    }
    // The walks were not all trivial.
    expect(compared).toBeGreaterThan(500);
  });

  it('never answers from a snapshot older than the last write', async () => {
    const top = keys[0];
    const bottom = keys[keys.length - 1];
    const reach = (graph: FetchedImpactGraph) => new Set(graph.keys);
    const before = reach(await withIndex.impactedSubgraph([bottom], 50));
    // A new dependency on the bottom CI: the very next walk, whichever path answers, sees it.
    const newcomer = `${p}newcomer`;
    await t.gqlOk(UPSERT_CIS, { input: [{ key: newcomer, kind: 'SERVICE' }] });
    await t.gqlOk(UPSERT_DEPS, { input: [{ from: newcomer, to: bottom, strength: 'SOFT' }] });
    const after = await withIndex.impactedSubgraph([bottom], 50);
    expect(reach(after).has(newcomer)).toBe(true);
    expect(after.keys.length).toBe(before.size + (before.has(newcomer) ? 0 : 1));
    // Its strength changed: seen at once.
    await t.gqlOk(UPSERT_DEPS, { input: [{ from: newcomer, to: bottom, strength: 'HARD' }] });
    const hard = await withIndex.impactedSubgraph([bottom], 50);
    const at = hard.keys.indexOf(bottom);
    const newcomerAt = hard.keys.indexOf(newcomer);
    const dependents = Array.from(hard.consumerFrom.subarray(hard.consumerStart[at], hard.consumerStart[at + 1]));
    const soft = Array.from(hard.consumerSoft.subarray(hard.consumerStart[at], hard.consumerStart[at + 1]));
    expect(soft[dependents.indexOf(newcomerAt)]).toBe(0);
    // Deleted: gone at once, from the walk and as a start.
    await t.gqlOk(DELETE_CIS, { keys: [newcomer] });
    expect(reach(await withIndex.impactedSubgraph([bottom], 50)).has(newcomer)).toBe(false);
    expect((await withIndex.impactedSubgraph([newcomer], 5)).missing).toEqual([newcomer]);
    expect((await rcaWithIndex.alertSubgraph([newcomer, top], 5)).missing).toEqual([newcomer]);
    if (process.env.SVCMAP_TEST_NEO4J_HOW === 'embedded') {
      // And once the index is current again, it agrees with the Cypher on the changed graph.
      expect(await once(() => withIndex.impactedFromIndex([bottom], 50))).toEqual(await cypherOnly.impactedSubgraph([bottom], 50));
    }
  });
});
