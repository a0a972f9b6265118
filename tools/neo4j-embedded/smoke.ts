/**
 * Jest-free smoke check of the embedded Neo4j tooling (a few minutes; needs Java 17+ and Maven):
 *
 *   npx tsc -p tsconfig.build.json && node dist/tools/neo4j-embedded/smoke.js
 *
 * Builds the launcher if needed, starts a fresh database under the OS temp dir on a free port, writes
 * and reads through Bolt, stops it, restarts it on the same store, checks that the JVM dies with a
 * SIGKILLed Node parent, and exercises the detached/reuse/stop path and the port-in-use error.
 * Prints timings and the idle JVM's RSS. Exits non-zero on the first failure.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import neo4j from 'neo4j-driver';

import { ensureLauncherBuilt, launcherState, startEmbeddedNeo4j, stopEmbeddedNeo4j } from './embedded-neo4j';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const quiet = (line: string): void => {
  if (!line.startsWith('[neo4j] ')) log(line);
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`SMOKE FAILED: ${message}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitGone(pid: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (alive(pid)) {
    if (Date.now() - started > timeoutMs) return -1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// neo4j-driver 6.3's index.d.ts omits auth.none(), which exists at run time (auth is disabled here).
const noAuth = (neo4j.auth as unknown as { none(): ReturnType<typeof neo4j.auth.basic> }).none();

async function readWrite(uri: string, write: boolean): Promise<string | undefined> {
  const driver = neo4j.driver(uri, noAuth);
  const session = driver.session();
  try {
    if (write) {
      await session.executeWrite((tx) =>
        tx.run('CREATE CONSTRAINT smoke_service_id IF NOT EXISTS FOR (s:SmokeService) REQUIRE s.id IS UNIQUE'),
      );
      await session.executeWrite((tx) => tx.run('CREATE (:SmokeService {id: $id, name: $name})', { id: 'svc-1', name: 'billing' }));
      let duplicateRejected = false;
      try {
        await session.executeWrite((tx) => tx.run('CREATE (:SmokeService {id: $id})', { id: 'svc-1' }));
      } catch (err) {
        duplicateRejected = /already exists|ConstraintValidationFailed/i.test(String(err));
      }
      check(duplicateRejected, 'uniqueness constraint did not reject a duplicate id');
    }
    const result = await session.executeRead((tx) =>
      tx.run('MATCH (s:SmokeService {id: $id}) RETURN s.name AS name', { id: 'svc-1' }),
    );
    return result.records[0]?.get('name') as string | undefined;
  } finally {
    await session.close();
    await driver.close();
  }
}

async function main(): Promise<void> {
  const results: string[] = [];
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'svcmap-neo4j-smoke-'));

  let t = Date.now();
  await ensureLauncherBuilt(log);
  results.push(`ensureLauncherBuilt: ${sec(Date.now() - t)}`);

  // 1. attached: start, write, read, idle RSS, stop
  const home = path.join(base, 'attached');
  const port = await freePort();
  t = Date.now();
  const db = await startEmbeddedNeo4j({ home, port, fresh: true, log: quiet });
  const startMs = Date.now() - t;
  results.push(`start (fresh store, attached): ${sec(startMs)}`);
  check(db.uri === `bolt://127.0.0.1:${port}`, `unexpected uri ${db.uri}`);
  check(!db.reused, 'fresh start reported reused');
  check((await readWrite(db.uri, true)) === 'billing', 'node not read back');
  await new Promise((r) => setTimeout(r, 5_000));
  results.push(`JVM RSS idle (after one write, 5 s idle; heap 1g, page cache 512m): ${rssMiB(db.pid)} MiB`);
  const status = await launcherState(home);
  check(status.state === 'running' && status.pid === db.pid, `launcherState: ${JSON.stringify(status)}`);
  t = Date.now();
  await db.stop();
  results.push(`stop: ${sec(Date.now() - t)}`);
  check(!alive(db.pid), 'JVM still alive after stop()');
  check(!fs.existsSync(path.join(home, 'launcher.pid')), 'pid file left after stop()');
  check((await db.whenExited()) === 0, 'JVM did not exit 0 on SIGTERM');

  // 2. restart on the same store: data survives, clean shutdown means no recovery
  t = Date.now();
  const again = await startEmbeddedNeo4j({ home, port, log: quiet });
  results.push(`restart (existing store): ${sec(Date.now() - t)}`);
  check((await readWrite(again.uri, false)) === 'billing', 'data lost across restart');
  await again.stop();
  const debugLog = fs.readFileSync(path.join(home, 'logs', 'debug.log'), 'utf8');
  check(!/recovery (started|completed)/i.test(debugLog), 'store needed recovery after a clean stop');

  // 3. SIGKILL of the Node parent takes the JVM down (stdin EOF)
  const childScript = `
    const { startEmbeddedNeo4j } = require(${JSON.stringify(path.join(__dirname, 'embedded-neo4j'))});
    startEmbeddedNeo4j({ home: ${JSON.stringify(path.join(base, 'orphan'))}, port: 0, log: () => {} })
      .then((db) => { process.stdout.write('JVMPID ' + db.pid + '\\n'); setInterval(() => {}, 1000); })
      .catch((err) => { console.error(err); process.exit(1); });`;
  const parent = spawn(process.execPath, ['-e', childScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const jvmPid = await new Promise<number>((resolve, reject) => {
    let buf = '';
    parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const m = /JVMPID (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    parent.once('exit', (code) => reject(new Error(`orphan test parent exited early (${code})`)));
  });
  check(alive(jvmPid), 'orphan JVM not running');
  parent.kill('SIGKILL');
  const goneMs = await waitGone(jvmPid, 60_000);
  check(goneMs >= 0, `JVM ${jvmPid} survived its SIGKILLed parent`);
  results.push(`JVM exit after parent SIGKILL: ${sec(goneMs)}`);

  // 4. detached start, reuse, stop through the pid file
  const dhome = path.join(base, 'detached');
  const dport = await freePort();
  t = Date.now();
  const detached = await startEmbeddedNeo4j({ home: dhome, port: dport, detached: true, log: quiet });
  results.push(`start (detached): ${sec(Date.now() - t)}`);
  check(fs.readFileSync(path.join(dhome, 'launcher.log'), 'utf8').includes('SVCMAP_NEO4J_READY'), 'no READY in launcher.log');
  const reused = await startEmbeddedNeo4j({ home: dhome, port: dport, log: quiet });
  check(reused.reused && reused.pid === detached.pid, 'second start did not reuse the running launcher');
  await reused.stop();
  check(alive(detached.pid), 'stop() of a reused instance killed the JVM');
  check((await readWrite(detached.uri, true)) === 'billing', 'detached: node not read back');
  check(await stopEmbeddedNeo4j(dhome), 'stopEmbeddedNeo4j returned false');
  check(!alive(detached.pid), 'detached JVM alive after stopEmbeddedNeo4j');
  check(!(await stopEmbeddedNeo4j(dhome)), 'second stopEmbeddedNeo4j returned true');

  // 5. port already in use
  const blocker = net.createServer();
  const busyPort = await new Promise<number>((resolve) =>
    blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
  );
  try {
    await startEmbeddedNeo4j({ home: path.join(base, 'busy'), port: busyPort, log: () => undefined });
    check(false, 'start on a busy port succeeded');
  } catch (err) {
    check(String(err).includes(`port ${busyPort}`), `busy-port error does not name the port: ${String(err)}`);
  } finally {
    blocker.close();
  }

  fs.rmSync(base, { recursive: true, force: true });
  process.stdout.write(`${results.map((r) => `  ${r}`).join('\n')}\nSMOKE OK\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
