/**
 * The wide blast-radius walk measured inside the database process (bench/kernel-walk/KernelWalk.java,
 * on Neo4j's core API), to say what a server-side procedure could gain over svcmap's Cypher
 * statement: the time to read what that statement reads, before anything is sent to the service.
 *
 *   npm run bench:kernel-walk -- [--home .svcmap/neo4j-bench-l] [--key dns:internal] [--runs 10] [--warmup 3]
 *        [--heap 1g] [--pagecache 1g] [--out bench/results]
 *
 * Uses the database `npm run bench -- --size L` leaves behind (it must be stopped: the program opens
 * the store itself, read-only). Compiles the Java program against the embedded launcher's Neo4j
 * libraries (built on demand, as for every other run), runs it, prints the p50 of each variant and
 * writes bench/results/kernel-walk-<timestamp>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { NEO4J_JVM_FLAGS, ensureLauncherBuilt, launcherState, repoRoot } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { gitCommit } from './service-process';
import { summarize } from './stats';

const VARIANTS = ['walk', 'keys', 'strength', 'everything'] as const;
const READS: Record<(typeof VARIANTS)[number], string> = {
  walk: "each CI's dependents (what the walk needs)",
  keys: '+ key and kind of each CI',
  strength: "+ each dependency's strength",
  everything: "+ a group's minHealthy and member count (all the engine needs)",
};

/** A JDK tool, from JAVA_HOME when it is set (as the launcher finds java). */
const jdk = (tool: string) => (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', tool) : tool);

function fail(message: string): never {
  process.stderr.write(`[kernel-walk] ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), [], ['home', 'key', 'runs', 'warmup', 'heap', 'pagecache', 'out']);
  } catch (error) {
    fail((error as Error).message);
  }
  const root = repoRoot();
  const home = resolve(stringArg(args, 'home') ?? join(root, '.svcmap', 'neo4j-bench-l'));
  const key = stringArg(args, 'key') ?? 'dns:internal';
  const runs = intArg(args, 'runs', 10, 1);
  const warmup = intArg(args, 'warmup', 3);
  const heap = stringArg(args, 'heap') ?? '1g';
  // The L store is some 700 MB: a gigabyte of page cache holds it all, as the L benchmark's does.
  const pageCache = stringArg(args, 'pagecache') ?? '1g';
  const outDir = stringArg(args, 'out') ?? join(root, 'bench', 'results');
  if (!existsSync(join(home, 'data'))) fail(`no database at ${home}: run \`npm run bench -- --size L\` first, or pass --home`);
  const state = await launcherState(home);
  if (state.state !== 'stopped') fail(`the Neo4j of ${home} is running (pid ${state.pid}); stop it first: node dist/tools/neo4j-embedded/cli.js stop --home ${home}`);

  const jar = await ensureLauncherBuilt((line) => process.stderr.write(`[kernel-walk] ${line}\n`));
  const libs = join(jar, '..', 'lib', '*');
  const classes = join(root, '.svcmap', 'kernel-walk-classes');
  mkdirSync(classes, { recursive: true });
  const compiled = spawnSync(jdk('javac'), ['-Xlint:all', '-Werror', '-d', classes, '-cp', libs, join(root, 'bench', 'kernel-walk', 'KernelWalk.java')], { encoding: 'utf8' });
  if (compiled.status !== 0) fail(`javac failed:\n${compiled.stderr}`);

  const startedAt = new Date();
  process.stderr.write(`[kernel-walk] walking from ${key} in ${home}, ${warmup} warm-up and ${runs} timed runs of each variant\n`);
  const ran = spawnSync(jdk('java'), [...NEO4J_JVM_FLAGS, `-Xms${heap}`, `-Xmx${heap}`, '-cp', `${libs}:${classes}`, 'KernelWalk', home, key, String(runs), String(warmup), pageCache], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (ran.status !== 0) fail(`the walk failed (exit ${ran.status}):\n${ran.stderr.split('\n').slice(-20).join('\n')}`);

  const samples = new Map<string, number[]>(VARIANTS.map((v) => [v, []]));
  let reached = { cis: 0, dependencies: 0, soft: 0 };
  for (const line of ran.stdout.trim().split('\n')) {
    const [variant, , ms, cis, dependencies, soft] = line.split(' ');
    samples.get(variant)?.push(Number(ms));
    if (variant === 'everything') reached = { cis: Number(cis), dependencies: Number(dependencies), soft: Number(soft) };
  }
  const rows = VARIANTS.map((variant) => ({ variant, reads: READS[variant], ...summarize(samples.get(variant)!) }));
  const result = {
    suite: 'svcmap-kernel-walk',
    version: 1,
    startedAt: startedAt.toISOString(),
    command: `npm run bench:kernel-walk -- ${process.argv.slice(2).join(' ')}`.trim(),
    settings: { home, key, runs, warmup, heap, pageCache },
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, gitCommit: gitCommit(), loadAverage: os.loadavg() },
    reached,
    rows,
  };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `kernel-walk-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `Walk from ${key} inside the database (core API, no transfer): ${reached.cis.toLocaleString('en-US')} CIs, ` +
      `${reached.dependencies.toLocaleString('en-US')} dependencies (${reached.soft.toLocaleString('en-US')} SOFT)\n\n` +
      `| reads | p50 ms | min ms | max ms |\n| --- | ---: | ---: | ---: |\n` +
      rows.map((r) => `| ${r.reads} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.maxMs.toFixed(1)} |`).join('\n') +
      `\n\nsaved ${file}\n`,
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
