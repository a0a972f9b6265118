import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

describe('connecting to Neo4j', () => {
  it('works through a routing URI (neo4j://), as clusters and hosted Neo4j need', async () => {
    const routing = process.env.NEO4J_URI!.replace(/^bolt(\+s|\+ssc)?:\/\//, 'neo4j$1://');
    const t: TestApp = await startTestApp({ NEO4J_URI: routing });
    try {
      const key = `${uniquePrefix('routing')}svc`;
      await t.gqlOk('mutation($key: String!) { upsertCIs(input: [{ key: $key, kind: SERVICE }]) { created } }', { key });
      expect((await t.gqlOk('query($key: String!) { ci(key: $key) { key } }', { key })).ci.key).toBe(key);
      const health = await fetch(`${t.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', neo4j: 'up', schema: 'applied' });
    } finally {
      await t.close();
    }
  });

  it('refuses to start with a NEO4J_URI of an unknown scheme, naming the variable', async () => {
    await expect(startTestApp({ NEO4J_URI: 'http://localhost:7474' })).rejects.toThrow(/NEO4J_URI: must start with one of neo4j:\/\//);
  });
});
