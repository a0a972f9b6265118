import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopologyFile } from '../../src/topology-as-code/topology-file';
import { TestApp } from './test-app';

export const DEMO_SEED = join(__dirname, '..', '..', 'seeds', 'demo-enterprise.yaml');

/**
 * Loads the demo topology with every key prefixed, so a test gets its own
 * copy of a realistic map without touching anyone else's keys.
 */
export async function loadPrefixedSeed(t: TestApp, prefix: string, file = DEMO_SEED): Promise<{ cis: number; dependencies: number }> {
  const doc = parseTopologyFile(readFileSync(file, 'utf8'), file);
  const cis = doc.cis.map((c) => ({ ...c, key: prefix + c.key }));
  const dependencies = doc.dependencies.map((d) => ({ ...d, from: prefix + d.from, to: prefix + d.to }));
  await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', { input: cis });
  await t.gqlOk('mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }', { input: dependencies });
  return { cis: cis.length, dependencies: dependencies.length };
}
