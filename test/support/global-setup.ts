import { neo4jForTests } from './neo4j-for-tests';

/** Finds or starts one Neo4j for the whole integration run; workers inherit its address. */
export default async function globalSetup(): Promise<void> {
  const neo4j = await neo4jForTests();
  (globalThis as Record<string, unknown>).__SVCMAP_TEST_NEO4J__ = neo4j;
  process.env.NEO4J_URI = neo4j.uri;
  // Whether svcmap's topology plugin is there: the embedded launcher carries it (topology-index.int-spec.ts).
  process.env.SVCMAP_TEST_NEO4J_HOW = neo4j.how;
  if (neo4j.username) process.env.NEO4J_USERNAME = neo4j.username;
  if (neo4j.password) process.env.NEO4J_PASSWORD = neo4j.password;
  process.stderr.write(`\nIntegration tests use Neo4j at ${neo4j.uri} (${neo4j.how})\n`);
}
