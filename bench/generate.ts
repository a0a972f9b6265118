/**
 * Writes a synthetic enterprise as a topology file.
 *
 *   npm run generate -- --size S --seed 42 --out seeds/generated-s.yaml
 *   npm run generate -- --cis 25000 --out /tmp/topology.yaml
 *
 * Sizes: S 1,000 CIs, M 10,000, L 100,000, XL 1,000,000. XL (or --stream) is
 * written without holding the graph: CIs first, then a top-level
 * `dependencies` list. Without --out the file goes to standard output.
 * Generated files are not committed (`seeds/generated-*` is ignored).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import {
  DEFAULT_SEED,
  EnterpriseOptions,
  EnterpriseSize,
  SIZE_CIS,
  countEnterprise,
  enterpriseStats,
  generateEnterprise,
  streamedTopologyYamlChunks,
  topologyYamlChunks,
} from '../src/synthetic/enterprise-generator';
import { intArg, parseArgs, stringArg } from './args';

async function write(out: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['stream', 'help'], ['size', 'cis', 'seed', 'out', 'name']);
  if (args.has('help')) {
    process.stdout.write('usage: npm run generate -- [--size S|M|L|XL | --cis N] [--seed N] [--out FILE] [--name NAME] [--stream]\n');
    return;
  }
  const size = (stringArg(args, 'size') ?? 'S').toUpperCase() as EnterpriseSize;
  if (!(size in SIZE_CIS)) throw new Error(`--size must be one of ${Object.keys(SIZE_CIS).join(', ')}`);
  const cis = args.has('cis') ? intArg(args, 'cis', SIZE_CIS[size], 1) : undefined;
  const options: EnterpriseOptions = { size, cis, seed: intArg(args, 'seed', DEFAULT_SEED) };
  const name = stringArg(args, 'name') ?? `generated-${cis ? cis : size.toLowerCase()}`;
  const stream = args.has('stream') || (cis ?? SIZE_CIS[size]) > SIZE_CIS.L;
  const file = stringArg(args, 'out');
  const out: Writable = file ? createWriteStream(file) : process.stdout;
  const started = Date.now();

  if (stream) {
    await write(out, streamedTopologyYamlChunks(options, name));
    const counts = countEnterprise(options);
    process.stderr.write(`${counts.cis} CIs, ${counts.dependencies} dependencies (streamed)`);
  } else {
    const enterprise = generateEnterprise(options);
    await write(out, topologyYamlChunks(enterprise, name));
    const stats = enterpriseStats(enterprise);
    process.stderr.write(
      `${stats.cis} CIs, ${stats.dependencies} dependencies, ${(stats.softShare * 100).toFixed(1)}% soft, ` +
        `${stats.redundancyGroups} redundancy groups (${stats.nestedRedundancyGroups} nested); ` +
        `most needed: ${stats.topFanIn.slice(0, 3).map((f) => `${f.key} (${f.dependents})`).join(', ')}`,
    );
  }
  if (file) {
    out.end();
    await once(out, 'finish');
  }
  process.stderr.write(` in ${((Date.now() - started) / 1000).toFixed(1)} s${file ? ` -> ${file}` : ''}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`generate: ${error.message}\n`);
  process.exit(1);
});
