import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRootTypes } from '../src/common/graphql/root-descriptions';
import { GRAPHQL_RESOLVERS } from '../src/graphql-resolvers';

/**
 * The GraphQL schema is a contract: its SDL is committed under schema/,
 * sorted, and `--check` fails when the code and the file disagree.
 */
const HEADER = '# svcmap GraphQL API. Generated from the code by `npm run schema:generate`; do not edit by hand.\n\n';


export function printSorted(schema: GraphQLSchema): string {
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}

export async function buildSchemaFromCode(): Promise<GraphQLSchema> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
  await app.close();
  return describeRootTypes(schema);
}

async function main(): Promise<void> {
  const file = process.env.SVCMAP_SCHEMA_FILE || join(process.cwd(), 'schema', 'schema.graphql');
  const sdl = printSorted(await buildSchemaFromCode());
  if (process.argv.includes('--check')) {
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed !== sdl) {
      console.error(`schema: ${file} differs from the schema the code defines. Run \`npm run schema:generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`schema: ${file} matches the code`);
    return;
  }
  writeFileSync(file, sdl);
  console.log(`schema: wrote ${file}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
