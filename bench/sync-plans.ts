/**
 * PROFILE of every Cypher statement a discovery sync runs, on a large graph.
 *
 *   npm run bench:sync-plans -- [--size S|M|L] [--items 5000] [--seed N] [--out bench/results]
 *
 * Uses the database the sync benchmark leaves loaded (.svcmap/neo4j-sync-<size>: run
 * `npm run bench:sync -- --size <size>` first) and runs the service in this process, so it can
 * record the statements the discovery code sends, with their parameters. On that graph a new
 * source then syncs `items` CIs of the loaded inventory, the dependencies among them and 50 CIs
 * of its own: a first sync (claims added to existing items, new ones created), a second that
 * changes 1% of the CIs and stops reporting its own 50 and a tenth of the rest (claims lost,
 * stale marking), an aborted third, and the sweep. Each statement recorded (the call with the
 * most rows of each text) is then run again with PROFILE in a transaction that is rolled back,
 * so profiling keeps nothing; its rows and db hits can be lower than in the sync itself, where
 * the version guards still matched, but the plan is the one the sync ran. A statement that
 * cannot run twice (it creates a node with a unique id, now taken) is EXPLAINed instead.
 *
 * Prints each statement's operators with rows and db hits, flags any scan of all CIs or of all
 * dependencies (a scan of the SyncScope nodes, one per source and scope, is allowed), exits 1
 * when there is one, and writes bench/results/sync-plans-<size>-<timestamp>.json. The new source's
 * claims stay in that database; the sync benchmark starts from an empty one anyway.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { createApp, jsonLogger } from '../src/app.factory';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/common/config/app-config';
import { SyncService } from '../src/discovery/sync.service';
import { CiSpec, DEFAULT_SEED, DepSpec, EnterpriseSize, SIZE_CIS, enterpriseBatches } from '../src/synthetic/enterprise-generator';
import { repoRoot, startEmbeddedNeo4j } from '../tools/neo4j-embedded/embedded-neo4j';
import { intArg, parseArgs, stringArg } from './args';
import { GraphQLClient } from './graphql-client';
import { BEGIN_SYNC, COMMIT_SYNC, PUSH_SYNC_BATCH } from './loader';
import { int } from './report';
import { gitCommit } from './service-process';

const ABORT_SYNC = 'mutation Abort($id: ID!) { abortSync(syncId: $id) { id status } }';
const BATCH = 5_000;
const OWN_CIS = 50;
/** Scans that read every CI or every dependency; SyncScope nodes are one per source and scope. */
const FULL_SCAN = /AllNodesScan|NodeByLabelScan|RelationshipTypeScan|AllRelationshipsScan|DirectedAllRelationshipsScan|UndirectedAllRelationshipsScan/;

interface Recorded {
  method: string;
  query: string;
  parameters: Record<string, unknown>;
  weight: number;
  calls: number;
}

interface Operator {
  depth: number;
  operator: string;
  details: string;
  rows: number;
  dbHits: number;
}

function log(line: string): void {
  process.stderr.write(`[sync-plans] ${line}\n`);
}

/** The discovery method that sent a statement, from the stack: `SyncQueries.readOrCreateDependencies`. */
function senderOf(stack: string): string | null {
  for (const line of stack.split('\n')) {
    const match = /at (?:async )?([\w$]+\.[\w$]+) \(.*[\\/]discovery[\\/]/.exec(line);
    if (match) return match[1];
  }
  return null;
}

/** Rough size of a call, to keep the largest of each statement: the longest list among its parameters. */
function weightOf(parameters: Record<string, unknown>): number {
  let most = 1;
  for (const value of Object.values(parameters)) if (Array.isArray(value)) most = Math.max(most, value.length);
  return most;
}

function operatorsOf(plan: any, depth = 0, out: Operator[] = []): Operator[] {
  out.push({
    depth,
    operator: String(plan.operatorType).replace(/@.*$/, ''),
    details: String(plan.arguments?.Details ?? '').replace(/\s+/g, ' '),
    rows: Number(plan.rows ?? 0),
    dbHits: Number(plan.dbHits ?? 0),
  });
  for (const child of plan.children ?? []) operatorsOf(child, depth + 1, out);
  return out;
}

/** The slice of the inventory this run syncs: the first `items` CIs, and the dependencies among them. */
function sliceOf(size: EnterpriseSize, seed: number, items: number): { cis: CiSpec[]; dependencies: DepSpec[] } {
  const cis: CiSpec[] = [];
  const dependencies: DepSpec[] = [];
  const keys = new Set<string>();
  for (const batch of enterpriseBatches({ size, seed }, BATCH)) {
    for (const ci of batch.cis) {
      if (cis.length < items) {
        cis.push(ci);
        keys.add(ci.key);
      }
    }
    for (const d of batch.dependencies) if (keys.has(d.from) && keys.has(d.to)) dependencies.push(d);
  }
  return { cis, dependencies };
}

async function sync(
  client: GraphQLClient,
  source: string,
  cis: readonly CiSpec[],
  dependencies: readonly DepSpec[],
  finish: 'commit' | 'abort',
): Promise<Record<string, unknown>> {
  const { data } = await client.request<{ beginSync: { id: string } }>(BEGIN_SYNC, { source });
  const id = data.beginSync.id;
  for (let at = 0; at < cis.length; at += BATCH) await client.request(PUSH_SYNC_BATCH, { id, cis: cis.slice(at, at + BATCH), dependencies: null });
  for (let at = 0; at < dependencies.length; at += BATCH) {
    const part = dependencies.slice(at, at + BATCH).map((d) => ({ from: d.from, to: d.to, type: d.type, strength: d.strength }));
    await client.request(PUSH_SYNC_BATCH, { id, cis: null, dependencies: part });
  }
  if (finish === 'abort') return (await client.request<Record<string, unknown>>(ABORT_SYNC, { id })).data;
  return (await client.request<{ commitSync: Record<string, unknown> }>(COMMIT_SYNC, { id })).data.commitSync;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), [], ['size', 'items', 'seed', 'out']);
  const size = (stringArg(args, 'size') ?? 'L').toUpperCase() as EnterpriseSize;
  if (!['S', 'M', 'L'].includes(size)) throw new Error(`--size must be S, M or L, got '${size}'`);
  const items = intArg(args, 'items', 5_000, 100);
  const seed = intArg(args, 'seed', DEFAULT_SEED);
  const outDir = resolve(stringArg(args, 'out') ?? join(repoRoot(), 'bench', 'results'));

  const home = join(repoRoot(), '.svcmap', `neo4j-sync-${size.toLowerCase()}`);
  const memory = size === 'L' ? { heap: '4g', pageCache: '4g' } : size === 'M' ? { heap: '2g', pageCache: '1g' } : { heap: '1g', pageCache: '512m' };
  const db = await startEmbeddedNeo4j({ home, port: 0, ...memory, log });
  const recorded = new Map<string, Recorded>();
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    const driver = neo4j.driver(db.uri);
    let cisInGraph = 0;
    try {
      const session = driver.session();
      cisInGraph = (await session.run('MATCH (n:CI) RETURN count(n) AS n')).records[0].get('n').toNumber();
      await session.close();
    } finally {
      await driver.close();
    }
    if (cisInGraph < SIZE_CIS[size]) {
      throw new Error(`${home} holds ${int(cisInGraph)} CIs, fewer than size ${size} has: run \`npm run bench:sync -- --size ${size}\` first, which leaves it loaded`);
    }
    log(`${home}: ${int(cisInGraph)} CIs`);

    const { cis, dependencies } = sliceOf(size, seed, items);
    const source = `bench:plans-${Date.now()}`;
    const own = Array.from({ length: OWN_CIS }, (_, i): CiSpec => ({ ...cis[i], key: `${source}:own-${i}`, name: `own ${i}` }));
    log(`syncing ${int(cis.length)} CIs of the inventory, ${int(dependencies.length)} dependencies among them and ${OWN_CIS} CIs of its own as ${source}`);

    const config = loadConfig({ ...process.env, NEO4J_URI: db.uri, PORT: '0', SVCMAP_SEED: '' });
    app = await createApp(config, jsonLogger(['error']));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const key = (await app.get(ApiKeysService).create({ name: `bench-plans-${Date.now()}`, role: Role.ADMIN }, { name: 'bench', person: false })).secret;
    const client = new GraphQLClient(`http://127.0.0.1:${port}`, key);

    // Every statement the discovery code runs, from here on.
    const run = ManagedTransaction.prototype.run;
    ManagedTransaction.prototype.run = function (this: ManagedTransaction, query: any, parameters?: any) {
      const method = senderOf(new Error().stack ?? '');
      if (method) {
        const text = String(query);
        const weight = weightOf(parameters ?? {});
        const seen = recorded.get(text);
        if (!seen) recorded.set(text, { method, query: text, parameters: parameters ?? {}, weight, calls: 1 });
        else {
          seen.calls++;
          if (weight > seen.weight) Object.assign(seen, { parameters: parameters ?? {}, weight });
        }
      }
      return run.call(this, query, parameters) as any;
    } as typeof run;
    try {
      const first = await sync(client, source, [...cis, ...own], dependencies, 'commit');
      log(`first sync: ${JSON.stringify(first)}`);
      const kept = cis.filter((_, i) => i % 10 !== 0).map((c, i) => (i % 100 === 0 ? { ...c, attributes: { ...c.attributes, benchPlans: true } } : c));
      const keptKeys = new Set(kept.map((c) => c.key));
      const second = await sync(client, source, kept, dependencies.filter((d) => keptKeys.has(d.from) && keptKeys.has(d.to)), 'commit');
      log(`second sync: ${JSON.stringify(second)}`);
      await sync(client, source, kept.slice(0, BATCH), [], 'abort');
      await app.get(SyncService).sweep();
    } finally {
      ManagedTransaction.prototype.run = run;
    }
    log(`${recorded.size} statements recorded; profiling each in a rolled-back transaction`);

    const profiled: { method: string; calls: number; how: 'PROFILE' | 'EXPLAIN'; query: string; operators: Operator[]; fullScans: string[]; dbHits: number }[] = [];
    const check = neo4j.driver(db.uri);
    try {
      for (const r of recorded.values()) {
        // A statement that creates what now exists (a sync, a ledger: unique ids) cannot run again:
        // its plan is read with EXPLAIN instead, without rows or db hits.
        let how: 'PROFILE' | 'EXPLAIN' = 'PROFILE';
        let plan: any;
        for (const mode of ['PROFILE', 'EXPLAIN'] as const) {
          const session = check.session();
          const tx = session.beginTransaction();
          try {
            const result = await tx.run(`${mode} ${r.query}`, r.parameters);
            plan = mode === 'PROFILE' ? result.summary.profile : result.summary.plan;
            how = mode;
            break;
          } catch (error) {
            if (mode === 'EXPLAIN') throw error;
            log(`${r.method}: PROFILE failed on re-running (${(error as Error).message.split('\n')[0].slice(0, 100)}); EXPLAIN instead`);
          } finally {
            await tx.rollback().catch(() => undefined);
            await session.close();
          }
        }
        const operators = operatorsOf(plan);
        const fullScans = operators.filter((o) => FULL_SCAN.test(o.operator) && !/:SyncScope/.test(o.details)).map((o) => `${o.operator} ${o.details}`);
        profiled.push({ method: r.method, calls: r.calls, how, query: r.query.replace(/\s+/g, ' ').trim(), operators, fullScans, dbHits: operators.reduce((s, o) => s + o.dbHits, 0) });
      }
    } finally {
      await check.close();
    }
    profiled.sort((a, b) => a.method.localeCompare(b.method) || a.query.localeCompare(b.query));

    for (const p of profiled) {
      const cost = p.how === 'PROFILE' ? `${int(p.dbHits)} db hits profiled` : 'plan only: EXPLAIN';
      process.stdout.write(`\n${p.method} (${p.calls} call${p.calls === 1 ? '' : 's'}; ${cost})${p.fullScans.length ? '  FULL SCAN' : ''}\n`);
      for (const o of p.operators) process.stdout.write(`  ${'  '.repeat(o.depth)}${o.operator}  rows ${int(o.rows)}  db hits ${int(o.dbHits)}  ${o.details.slice(0, 110)}\n`);
    }
    const scans = profiled.filter((p) => p.fullScans.length);
    const anyScan = profiled.flatMap((p) => p.operators).filter((o) => /Scan/.test(o.operator));
    const explained = profiled.filter((p) => p.how === 'EXPLAIN').length;
    process.stdout.write(
      `\n${profiled.length} statements of the sync feature on ${int(cisInGraph)} CIs (${profiled.length - explained} profiled, ${explained} explained): ` +
        `${scans.length ? `${scans.length} scan all CIs or dependencies` : 'none scans all CIs or dependencies'}` +
        ` (${anyScan.length} operators scan SyncScope nodes only).\n`,
    );
    mkdirSync(outDir, { recursive: true });
    const startedAt = new Date().toISOString();
    const file = join(outDir, `sync-plans-${size.toLowerCase()}-${startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ suite: 'svcmap-sync-plans', version: 1, startedAt, size, items, cisInGraph, gitCommit: gitCommit(), statements: profiled }, null, 2)}\n`);
    log(`wrote ${relative(process.cwd(), file)}`);
    if (scans.length) process.exitCode = 1;
  } finally {
    await app?.close();
    await db.stop();
  }
}

main().catch((error: Error) => {
  log(`failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
