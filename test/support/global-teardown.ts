import { TestNeo4j } from './neo4j-for-tests';

export default async function globalTeardown(): Promise<void> {
  const neo4j = (globalThis as Record<string, unknown>).__SVCMAP_TEST_NEO4J__ as TestNeo4j | undefined;
  await neo4j?.stop();
}
