import './production-mode';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { EmbeddedNeo4j, repoRoot, startEmbeddedNeo4j } from '../tools/neo4j-embedded/embedded-neo4j';
import { createApp, jsonLogger } from './app.factory';
import { loadConfig } from './common/config/app-config';
import { closeGracefully } from './common/http/graceful-shutdown';

/**
 * Starts svcmap. Without NEO4J_URI it starts the embedded Neo4j (dev only)
 * and loads the demo topology into an empty graph; with NEO4J_URI it uses
 * that server and starts nothing else.
 */
async function main(): Promise<void> {
  const logger = jsonLogger();
  const env = { ...process.env };
  let embedded: EmbeddedNeo4j | undefined;
  if (!env.NEO4J_URI) {
    const root = repoRoot();
    logger.log('NEO4J_URI is not set: starting the embedded Neo4j (development mode)', 'Bootstrap');
    embedded = await startEmbeddedNeo4j({
      home: env.SVCMAP_NEO4J_HOME || join(root, '.svcmap', 'neo4j-dev'),
      port: Number(env.SVCMAP_NEO4J_PORT || 7687),
      log: (line) => logger.log(line, 'EmbeddedNeo4j'),
    });
    env.NEO4J_URI = embedded.uri;
    env.SVCMAP_SEED ??= join(root, 'seeds', 'demo-enterprise.yaml');
  }

  const config = loadConfig(env);
  const app = await createApp(config, logger);
  await app.listen(config.port);
  logger.log(`svcmap serves GraphQL at http://localhost:${config.port}/graphql`, 'Bootstrap');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests and stopping`, 'Bootstrap');
    await closeGracefully(app);
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: Error) => {
  new Logger('Bootstrap').error(`svcmap failed to start: ${error.message}`);
  process.exit(1);
});
