import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot, startEmbeddedNeo4j } from '../../tools/neo4j-embedded/embedded-neo4j';

export interface TestNeo4j {
  uri: string;
  username?: string;
  password?: string;
  how: 'NEO4J_URI' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function dockerMayWork(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

async function tryTestcontainers(): Promise<TestNeo4j | null> {
  if (!dockerMayWork() || process.env.SVCMAP_TEST_NO_DOCKER) return null;
  try {
    const { Neo4jContainer } = await import('@testcontainers/neo4j');
    const container = await new Neo4jContainer('neo4j:5.26-community').start();
    return {
      uri: container.getBoltUri(),
      username: container.getUsername(),
      password: container.getPassword(),
      how: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  } catch (error) {
    console.warn(`testcontainers could not start Neo4j (${(error as Error).message}); using the embedded launcher`);
    return null;
  }
}

/**
 * A Neo4j for tests and benchmarks: NEO4J_URI when set, else a container
 * where a Docker engine works, else the embedded launcher on a free port
 * with a fresh data folder.
 */
export async function neo4jForTests(name = `neo4j-test-${process.pid}`): Promise<TestNeo4j> {
  if (process.env.NEO4J_URI) {
    return {
      uri: process.env.NEO4J_URI,
      username: process.env.NEO4J_USERNAME,
      password: process.env.NEO4J_PASSWORD,
      how: 'NEO4J_URI',
      stop: async () => undefined,
    };
  }
  const container = await tryTestcontainers();
  if (container) return container;
  // One folder per run, so several runs on one machine never share (or wipe) a database.
  const home = join(repoRoot(), '.svcmap', name);
  const embedded = await startEmbeddedNeo4j({
    home,
    port: await freePort(),
    fresh: true,
    log: (line) => process.stderr.write(`[neo4j] ${line}\n`),
  });
  return {
    uri: embedded.uri,
    how: 'embedded',
    stop: async () => {
      await embedded.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
