import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedNeo4j, repoRoot, startEmbeddedNeo4j } from '../../tools/neo4j-embedded/embedded-neo4j';
import { freePort } from '../support/neo4j-for-tests';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * The database blinks under a running service: these tests own a Neo4j of
 * their own (embedded, on its own port), so they can stop, kill and restart it.
 */
describe('surviving a Neo4j outage', () => {
  const home = join(repoRoot(), '.svcmap', `neo4j-faults-${randomBytes(3).toString('hex')}`);
  let port: number;
  let neo4j: EmbeddedNeo4j;
  let t: TestApp;

  const start = async (fresh: boolean) => {
    neo4j = await startEmbeddedNeo4j({ home, port, fresh, heap: '512m', pageCache: '128m', log: () => undefined });
  };
  const ready = async () => (await fetch(`${t.url}/health/ready`)).status;
  const waitForReady = async () => {
    for (let i = 0; i < 120; i++) {
      if ((await ready()) === 200) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the service did not become ready again');
  };
  const write = (key: string) =>
    t.gql('mutation($k: String!) { upsertCIs(input: [{ key: $k, kind: SERVICE }]) { created } }', { k: key }, {});

  beforeAll(async () => {
    port = await freePort();
    await start(true);
    t = await startTestApp({ NEO4J_URI: neo4j.uri, NEO4J_USERNAME: '', NEO4J_PASSWORD: '' });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await neo4j?.stop();
    // Its own store is of no use after the run: each run would otherwise leave one more in .svcmap.
    rmSync(home, { recursive: true, force: true });
  });

  it('fails requests with UNAVAILABLE while Neo4j is down, reports not ready, and recovers by itself', async () => {
    expect((await write('faults:before')).errors).toBeUndefined();
    await neo4j.stop();

    const started = Date.now();
    const during = await t.gql('{ ci(key: "faults:before") { key } }');
    expect(during.errors?.[0].extensions?.code).toBe('UNAVAILABLE');
    expect(during.errors?.[0].message).toMatch(/unavailable/i);
    process.stderr.write(`UNAVAILABLE answered after ${Date.now() - started} ms\n`);
    expect(await ready()).toBe(503);
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ neo4j: 'down' });

    await start(false);
    await waitForReady();
    const after = await t.gqlOk('{ ci(key: "faults:before") { key } }');
    expect(after.ci.key).toBe('faults:before');
  }, 180_000);

  it('loses no acknowledged write when Neo4j is killed hard mid-stream', async () => {
    const acknowledged: string[] = [];
    let failures = 0;
    let killed = false;
    let restarted: Promise<void> | null = null;
    for (let i = 0; (!killed || restarted === null || acknowledged.length < 40 || failures === 0) && i < 5000; i++) {
      const key = `faults:ack-${i}`;
      const result = await write(key).catch(() => null);
      if (result && !result.errors) acknowledged.push(key);
      else failures++;
      if (!killed && acknowledged.length === 25) {
        process.kill(neo4j.pid, 'SIGKILL');
        killed = true;
        await neo4j.whenExited();
        restarted = start(false);
      }
      if (restarted && failures > 0) await restarted;
    }
    await restarted;
    await waitForReady();
    expect(killed).toBe(true);
    expect(failures).toBeGreaterThan(0);
    const stored = await t.gqlOk('{ cis(filter: { search: "faults:ack-" }, first: 500) { edges { node { key } } } }');
    const keys = new Set(stored.cis.edges.map((e: any) => e.node.key));
    expect(acknowledged.filter((k) => !keys.has(k))).toEqual([]);
    process.stderr.write(`${acknowledged.length} acknowledged writes, ${failures} refused during the outage, all acknowledged ones present\n`);
  }, 300_000);
});
