/**
 * Embedded Neo4j for svcmap development and tests.
 *
 * Runs Neo4j Community 5.26 inside a plain JVM (tools/neo4j-launcher, built on demand with Maven) so
 * that neither a Neo4j installation nor Docker is needed. DEV/TEST ONLY: authentication is disabled
 * and Bolt is bound to 127.0.0.1.
 *
 * Lifecycle:
 * - non-detached (default): the JVM is a child of this Node process with a piped stdin and
 *   `--watch-stdin`, so it shuts down when this process exits or is killed, even by SIGKILL;
 * - detached (CLI `start`): the JVM outlives this process; output goes to `<home>/launcher.log`;
 *   stop it with `stopEmbeddedNeo4j(home)` (or the CLI `stop`).
 * Both modes write `<home>/launcher.pid` (JSON: pid, port, uri).
 *
 * Reuse: when `<home>/launcher.pid` names a live launcher whose Bolt port answers (and matches the
 * requested port, unless port 0 was requested), `startEmbeddedNeo4j` does not start a second JVM on the
 * same store; it returns that instance with `reused: true`, and its `stop()` does nothing, because this
 * caller does not own the process. Use `stopEmbeddedNeo4j(home)` to stop it anyway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface EmbeddedNeo4jOptions {
  /** Database home directory (data/, logs/, launcher.pid, launcher.log live here). */
  home: string;
  /** Bolt port on 127.0.0.1; 0 lets the OS pick a free port (read back from `uri`). */
  port: number;
  /** JVM heap (-Xms/-Xmx), e.g. "1g". Default: env SVCMAP_NEO4J_HEAP or "1g". */
  heap?: string;
  /** Neo4j page cache size, e.g. "512m". Default: env SVCMAP_NEO4J_PAGECACHE or "512m". */
  pageCache?: string;
  /** db.transaction.timeout, e.g. "60s". Default "60s". */
  txTimeout?: string;
  /** Delete `home` before starting (refused if a launcher is still running there). */
  fresh?: boolean;
  /** Let the JVM outlive this process (output to <home>/launcher.log). Default false. */
  detached?: boolean;
  /**
   * Receives progress messages and the JVM's output lines. Default: progress messages go to stderr,
   * JVM output is only kept for error messages.
   */
  log?: (line: string) => void;
  /** How long to wait for the database to become ready. Default 120 000 ms. */
  startTimeoutMs?: number;
}

export interface EmbeddedNeo4j {
  /** bolt://127.0.0.1:PORT */
  uri: string;
  /** Bolt port actually bound. */
  port: number;
  /** JVM process id. */
  pid: number;
  /** Absolute database home. */
  home: string;
  /** True if an already running launcher for this home was returned; stop() then does nothing. */
  reused: boolean;
  /** Shut the database down (SIGTERM, SIGKILL after 30 s) and wait until the JVM is gone. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the JVM exits, with its exit code where known (null otherwise). */
  whenExited(): Promise<number | null>;
}

const READY_RE = /^SVCMAP_NEO4J_READY (bolt:\/\/127\.0\.0\.1:(\d+))\s*$/;
const LOOPBACK = '127.0.0.1';
const PID_FILE = 'launcher.pid';
const LOG_FILE = 'launcher.log';
const STOP_GRACE_MS = 30_000;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const TAIL_LINES = 40;

/**
 * JVM flags: the `server.jvm.additional` defaults of Neo4j 5.26's conf/neo4j.conf, except
 * -XX:+AlwaysPreTouch (would commit the whole heap at start; dev/test JVMs should stay small) and
 * -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields (neo4j.conf itself says to disable
 * it in embedded mode), plus -XX:+ExitOnOutOfMemoryError and -Dfile.encoding=UTF-8.
 */
export const NEO4J_JVM_FLAGS: readonly string[] = Object.freeze([
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.tls.ephemeralDHKeySize=2048',
  '-Djdk.tls.rejectClientInitiatedRenegotiation=true',
  '-XX:FlightRecorderOptions=stackdepth=256',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:+DebugNonSafepoints',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dlog4j2.disable.jmx=true',
  '-Dlog4j.layout.jsonTemplate.maxStringLength=32768',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dfile.encoding=UTF-8',
]);

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

// ---------------------------------------------------------------------------------------------------
// Locating and building the launcher
// ---------------------------------------------------------------------------------------------------

/** The repository root: the nearest ancestor of this file holding tools/neo4j-launcher/pom.xml. */
export function repoRoot(): string {
  // __dirname is tools/neo4j-embedded (ts-jest, ts-node) or dist/tools/neo4j-embedded (compiled).
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tools', 'neo4j-launcher', 'pom.xml'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`svcmap: cannot find the repository root (tools/neo4j-launcher/pom.xml) above ${__dirname}`);
    }
    dir = parent;
  }
}

function launcherDir(): string {
  return path.join(repoRoot(), 'tools', 'neo4j-launcher');
}

/** sha256 over pom.xml and every file below src/, names included, in a stable order. */
function launcherSourceHash(dir: string): string {
  const files: string[] = ['pom.xml'];
  const walk = (rel: string): void => {
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('src');
  files.sort();
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(rel);
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(dir, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function launcherIsCurrent(dir: string, jar: string, hashFile: string, hash: string): boolean {
  try {
    const libDir = path.join(dir, 'target', 'lib');
    return (
      fs.existsSync(jar) &&
      fs.readdirSync(libDir).some((f) => f.endsWith('.jar')) &&
      fs.readFileSync(hashFile, 'utf8').trim() === hash
    );
  } catch {
    return false;
  }
}

/**
 * Returns the path of target/neo4j-launcher.jar, running `mvn -q -B -DskipTests package` first when the
 * jar or its lib/ is missing or pom.xml / the Java sources changed since the last build (sha256 kept in
 * target/.build-hash). Concurrent callers (e.g. parallel test workers) serialize on a lock directory.
 */
export async function ensureLauncherBuilt(log: (line: string) => void = defaultLog): Promise<string> {
  const dir = launcherDir();
  const target = path.join(dir, 'target');
  const jar = path.join(target, 'neo4j-launcher.jar');
  const hashFile = path.join(target, '.build-hash');

  const hash = launcherSourceHash(dir);
  if (launcherIsCurrent(dir, jar, hashFile, hash)) return jar;

  await fsp.mkdir(target, { recursive: true });
  const release = await acquireLock(path.join(target, '.build-lock'), log);
  try {
    if (launcherIsCurrent(dir, jar, hashFile, hash)) return jar; // built by whoever held the lock
    log('svcmap: building embedded Neo4j launcher (first run only, downloads Neo4j from Maven)…');
    const started = Date.now();
    await fsp.rm(hashFile, { force: true });
    await runMaven(dir, ['-q', '-B', '-DskipTests', 'package']);
    if (!fs.existsSync(jar)) {
      throw new Error(`svcmap: Maven finished but ${jar} is missing`);
    }
    await fsp.writeFile(hashFile, `${hash}\n`);
    log(`svcmap: embedded Neo4j launcher built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return jar;
  } finally {
    await release();
  }
}

function runMaven(cwd: string, args: string[]): Promise<void> {
  const mvn = process.env.SVCMAP_MVN || (process.platform === 'win32' ? 'mvn.cmd' : 'mvn');
  return new Promise((resolve, reject) => {
    const tail = new LineTail(TAIL_LINES * 2);
    let child: ChildProcess;
    try {
      child = spawn(mvn, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      reject(mavenError(err, mvn));
      return;
    }
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => tail.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => tail.push(chunk));
    child.on('error', (err) => reject(mavenError(err, mvn)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `svcmap: building the Neo4j launcher failed (${mvn} ${args.join(' ')} in ${cwd} exited ` +
              `${signal ?? code}). Last output:\n${tail.text()}`,
          ),
        );
    });
  });
}

function mavenError(err: unknown, mvn: string): Error {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') {
    return new Error(
      `svcmap: '${mvn}' not found. The embedded Neo4j launcher is built with Maven 3.8+ and a JDK 17+; ` +
        'install them (or set SVCMAP_MVN to the mvn executable).',
    );
  }
  return e instanceof Error ? e : new Error(String(err));
}

/** mkdir-based inter-process lock; a lock whose owner pid is dead is taken over. */
async function acquireLock(lockDir: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const ownerFile = path.join(lockDir, 'owner');
  let announced = false;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(ownerFile, String(process.pid));
      return async () => {
        await fsp.rm(lockDir, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(fs.readFileSync(ownerFile, 'utf8'), 10);
    } catch {
      // Owner not written yet (or lock being released): treat as held unless it stays that way.
    }
    const ageMs = Date.now() - safeMtimeMs(lockDir);
    if ((Number.isInteger(owner) && !isAlive(owner)) || (!Number.isInteger(owner) && ageMs > 10_000)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`svcmap: timed out waiting for the launcher build lock ${lockDir} (held by pid ${owner})`);
    }
    if (!announced) {
      log(`svcmap: waiting for another process (pid ${owner}) building the Neo4j launcher…`);
      announced = true;
    }
    await sleep(500);
  }
}

function safeMtimeMs(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return Date.now();
  }
}

// ---------------------------------------------------------------------------------------------------
// Starting and stopping
// ---------------------------------------------------------------------------------------------------

interface PidFile {
  pid: number;
  port: number;
  uri?: string;
  detached?: boolean;
  startedAt?: string;
}

/**
 * Starts Neo4j for `opts.home` and resolves once the READY line was printed and the Bolt port accepts
 * TCP connections. See the module comment for the non-detached/detached lifecycle and the reuse rule.
 */
export async function startEmbeddedNeo4j(opts: EmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> {
  if (!opts || typeof opts.home !== 'string' || opts.home.trim() === '') {
    throw new Error('svcmap: startEmbeddedNeo4j needs a home directory');
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error(`svcmap: invalid Bolt port ${String(opts.port)} (expected an integer 0-65535)`);
  }
  const home = path.resolve(opts.home);
  const progress = opts.log ?? defaultLog;
  const output = opts.log ?? ((): void => undefined);
  const heap = opts.heap ?? process.env.SVCMAP_NEO4J_HEAP ?? '1g';
  const pageCache = opts.pageCache ?? process.env.SVCMAP_NEO4J_PAGECACHE ?? '512m';
  const txTimeout = opts.txTimeout ?? '60s';
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  checkSize('heap', heap);
  checkSize('pageCache', pageCache);

  const current = await launcherState(home);
  if (current.state === 'unresponsive') {
    throw new Error(
      `svcmap: a Neo4j launcher (pid ${current.pid}) is running in ${home} but port ${current.port || '?'} ` +
        'does not answer (still starting, or hung); wait for it or stop it (stopEmbeddedNeo4j / cli stop)',
    );
  }
  if (current.state === 'running') {
    if (opts.fresh) {
      throw new Error(
        `svcmap: cannot start fresh: a Neo4j launcher (pid ${current.pid}, ${current.uri}) is still running ` +
          `in ${home}; stop it first (stopEmbeddedNeo4j / cli stop)`,
      );
    }
    if (opts.port === 0 || opts.port === current.port) {
      progress(`svcmap: reusing embedded Neo4j already running for ${home} (pid ${current.pid}, ${current.uri})`);
      return reusedInstance(home, current);
    }
    throw new Error(
      `svcmap: a Neo4j launcher for ${home} is already running on port ${current.port} (pid ${current.pid}), ` +
        `not on the requested port ${opts.port}; stop it first or use port ${current.port}`,
    );
  }

  if (opts.port !== 0) await assertPortFree(opts.port);
  if (opts.fresh) await deleteHome(home);

  const jar = await ensureLauncherBuilt(progress);
  await fsp.mkdir(home, { recursive: true });
  await fsp.rm(path.join(home, PID_FILE), { force: true });

  const java = javaExecutable();
  const args = [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    ...NEO4J_JVM_FLAGS,
    // Extra JVM flags for profiling or tuning, e.g. -XX:StartFlightRecording=filename=/tmp/neo4j.jfr
    ...(process.env.SVCMAP_NEO4J_JAVA_FLAGS ?? '').split(/\s+/).filter(Boolean),
    '-jar',
    jar,
    '--home',
    home,
    '--port',
    String(opts.port),
    '--pagecache',
    pageCache,
    '--tx-timeout',
    txTimeout,
  ];
  progress(
    `svcmap: starting embedded Neo4j (home ${home}, port ${opts.port || 'auto'}, heap ${heap}, ` +
      `page cache ${pageCache}${opts.detached ? ', detached' : ''})`,
  );
  const started = Date.now();
  const instance = opts.detached
    ? await startDetached({ java, args, home, port: opts.port, timeoutMs, output })
    : await startAttached({ java, args: [...args, '--watch-stdin'], home, port: opts.port, timeoutMs, output });
  progress(`svcmap: embedded Neo4j ready at ${instance.uri} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return instance;
}

interface SpawnPlan {
  java: string;
  args: string[];
  home: string;
  port: number;
  timeoutMs: number;
  output: (line: string) => void;
}

async function startAttached(plan: SpawnPlan): Promise<EmbeddedNeo4j> {
  const tail = new LineTail(TAIL_LINES);
  const child = spawn(plan.java, plan.args, { cwd: plan.home, stdio: ['pipe', 'pipe', 'pipe'] });
  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      resolve(code);
    });
    child.on('error', (err) => {
      spawnError ??= err;
      if (child.pid === undefined) resolve(null); // never started: no 'exit' will follow
    });
  });
  // Closing our end of stdin is what tells the JVM to stop when we die; a write error just means it is gone.
  child.stdin?.on('error', () => undefined);
  if (child.pid !== undefined) {
    // Provisional record (no uri yet) so a concurrent start for this home reports it instead of racing it.
    const childPid = child.pid;
    await writePidFile(plan.home, { pid: childPid, port: plan.port, detached: false });
    // Whenever the JVM exits, don't leave a pid file that points at nothing (or at a recycled pid).
    void exited.then(() => removePidFileIfOwned(plan.home, childPid));
  }

  let onReady: ((uri: string, port: number) => void) | undefined;
  const readyPromise = new Promise<{ uri: string; port: number }>((resolve) => {
    onReady = (uri, port) => resolve({ uri, port });
  });
  // Keep draining both pipes for the JVM's whole life, or it blocks once a pipe buffer fills up.
  forEachLine(child.stdout, (line) => {
    tail.add(line);
    plan.output(`[neo4j] ${line}`);
    const m = READY_RE.exec(line);
    if (m && onReady) {
      onReady(m[1], Number(m[2]));
      onReady = undefined;
    }
  });
  forEachLine(child.stderr, (line) => {
    tail.add(line);
    plan.output(`[neo4j] ${line}`);
  });

  const killNow = async (): Promise<void> => {
    if (exitCode === null && exitSignal === null && child.pid !== undefined) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readyPromise.then((r) => ({ kind: 'ready' as const, ...r })),
    exited.then(() => ({ kind: 'exited' as const })),
    new Promise<{ kind: 'timeout' }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), plan.timeoutMs);
    }),
  ]);
  clearTimeout(timer);

  if (outcome.kind === 'exited') {
    if (spawnError) throw javaError(spawnError, plan.java);
    throw new Error(
      `svcmap: embedded Neo4j exited during startup (${exitSignal ?? `exit code ${String(exitCode)}`}). ` +
        `Last output:\n${tail.text()}`,
    );
  }
  if (outcome.kind === 'timeout') {
    await killNow();
    throw new Error(
      `svcmap: embedded Neo4j did not become ready within ${plan.timeoutMs / 1000} s (home ${plan.home}). ` +
        `Last output:\n${tail.text()}`,
    );
  }

  const pid = child.pid as number;
  try {
    await waitForTcp(outcome.port, 10_000);
  } catch (err) {
    await killNow();
    throw new Error(`svcmap: Neo4j reported ready but ${outcome.uri} does not accept connections: ${errText(err)}`);
  }
  await writePidFile(plan.home, { pid, port: outcome.port, uri: outcome.uri, detached: false });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode === null && exitSignal === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
          }),
        ]);
        clearTimeout(timer);
        if (killed) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      child.stdin?.destroy();
      await removePidFileIfOwned(plan.home, pid);
    })();
    return stopping;
  };

  return {
    uri: outcome.uri,
    port: outcome.port,
    pid,
    home: plan.home,
    reused: false,
    stop,
    whenExited: () => exited,
  };
}

async function startDetached(plan: SpawnPlan): Promise<EmbeddedNeo4j> {
  const logPath = path.join(plan.home, LOG_FILE);
  if (fs.existsSync(logPath)) await fsp.rename(logPath, `${logPath}.1`);
  const fd = fs.openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(plan.java, plan.args, { cwd: plan.home, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError || child.pid === undefined) throw javaError(spawnError, plan.java);
  const pid = child.pid;
  child.on('error', () => undefined); // e.g. a failed kill(); state is tracked through the pid instead
  child.unref();
  await writePidFile(plan.home, { pid, port: plan.port, detached: true });

  const deadline = Date.now() + plan.timeoutMs;
  let offset = 0;
  let partial = '';
  const tail = new LineTail(TAIL_LINES);
  let ready: { uri: string; port: number } | undefined;
  while (!ready) {
    const { text, size } = readFrom(logPath, offset);
    offset = size;
    const lines = (partial + text).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.add(line);
      plan.output(`[neo4j] ${line}`);
      const m = READY_RE.exec(line);
      if (m) ready = { uri: m[1], port: Number(m[2]) };
    }
    if (ready) break;
    if (!isAlive(pid)) {
      if (partial) tail.add(partial);
      await fsp.rm(path.join(plan.home, PID_FILE), { force: true });
      throw new Error(`svcmap: embedded Neo4j exited during startup (see ${logPath}). Last output:\n${tail.text()}`);
    }
    if (Date.now() > deadline) {
      await terminate(pid, 5_000);
      await fsp.rm(path.join(plan.home, PID_FILE), { force: true });
      throw new Error(
        `svcmap: embedded Neo4j did not become ready within ${plan.timeoutMs / 1000} s (see ${logPath}). ` +
          `Last output:\n${tail.text()}`,
      );
    }
    await sleep(200);
  }

  try {
    await waitForTcp(ready.port, 10_000);
  } catch (err) {
    await terminate(pid, 5_000);
    await fsp.rm(path.join(plan.home, PID_FILE), { force: true });
    throw new Error(`svcmap: Neo4j reported ready but ${ready.uri} does not accept connections: ${errText(err)}`);
  }
  await writePidFile(plan.home, { pid, port: ready.port, uri: ready.uri, detached: true });

  let stopping: Promise<void> | undefined;
  return {
    uri: ready.uri,
    port: ready.port,
    pid,
    home: plan.home,
    reused: false,
    stop: () => {
      stopping ??= (async () => {
        await terminate(pid, STOP_GRACE_MS);
        await removePidFileIfOwned(plan.home, pid);
      })();
      return stopping;
    },
    whenExited: () => waitUntilDead(pid).then(() => null),
  };
}

function reusedInstance(home: string, running: { pid: number; port: number; uri: string }): EmbeddedNeo4j {
  return {
    uri: running.uri,
    port: running.port,
    pid: running.pid,
    home,
    reused: true,
    // Not ours: whoever started it stops it (or stopEmbeddedNeo4j(home)).
    stop: async () => undefined,
    whenExited: () => waitUntilDead(running.pid).then(() => null),
  };
}

/**
 * Stops the launcher recorded in `<home>/launcher.pid` (SIGTERM, SIGKILL after 30 s) and removes the
 * pid file. Returns true if a running launcher was stopped, false if none was running.
 */
export async function stopEmbeddedNeo4j(home: string): Promise<boolean> {
  const dir = path.resolve(home);
  const info = await readPidFile(dir);
  if (!info) return false;
  if (!isAlive(info.pid) || !isLauncherProcess(info.pid)) {
    await fsp.rm(path.join(dir, PID_FILE), { force: true });
    return false;
  }
  await terminate(info.pid, STOP_GRACE_MS);
  await removePidFileIfOwned(dir, info.pid);
  return true;
}

/** What `<home>/launcher.pid` says about a launcher for that home. */
export type LauncherState =
  | { state: 'stopped' }
  | { state: 'running'; pid: number; port: number; uri: string; detached: boolean }
  /** Alive, but its Bolt port does not answer (still starting, or wedged). */
  | { state: 'unresponsive'; pid: number; port: number; detached: boolean };

/**
 * Inspects `<home>/launcher.pid`: a stale file (dead pid, or a pid recycled by another program) is
 * removed and reported as stopped. Used by the reuse rule and the CLI's `status`.
 */
export async function launcherState(home: string): Promise<LauncherState> {
  const dir = path.resolve(home);
  const info = await readPidFile(dir);
  if (!info) return { state: 'stopped' };
  if (!isAlive(info.pid) || !isLauncherProcess(info.pid)) {
    await fsp.rm(path.join(dir, PID_FILE), { force: true });
    return { state: 'stopped' };
  }
  const detached = info.detached ?? false;
  if (info.uri && info.port && (await canConnect(info.port, 1_000))) {
    return { state: 'running', pid: info.pid, port: info.port, uri: info.uri, detached };
  }
  return { state: 'unresponsive', pid: info.pid, port: info.port, detached };
}

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

function javaExecutable(): string {
  const javaHome = process.env.JAVA_HOME;
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  if (javaHome) {
    const candidate = path.join(javaHome, 'bin', exe);
    if (fs.existsSync(candidate)) return candidate;
  }
  return exe;
}

function javaError(err: Error | undefined, java: string): Error {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return new Error(`svcmap: '${java}' not found; embedded Neo4j needs a JDK/JRE 17+ on PATH or JAVA_HOME`);
  }
  return new Error(`svcmap: could not start '${java}': ${errText(err)}`);
}

function checkSize(name: string, value: string): void {
  if (!/^\d+[kmgKMG]?$/.test(value)) {
    throw new Error(`svcmap: invalid ${name} '${value}' (expected e.g. 512m or 1g)`);
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `svcmap: port ${port} on ${LOOPBACK} is already in use (another Neo4j?); choose another port ` +
                '(--port / SVCMAP_NEO4J_PORT) or stop whatever listens there'
            : `svcmap: cannot use port ${port} on ${LOOPBACK}: ${err.message}`,
        ),
      );
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => server.close(() => resolve()));
  });
  // A listener on another address (e.g. 0.0.0.0 without SO_REUSEPORT quirks) may still answer on loopback.
  if (await canConnect(port, 500)) {
    throw new Error(`svcmap: port ${port} on ${LOOPBACK} is already in use; choose another port`);
  }
}

function canConnect(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: LOOPBACK });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port, 1_000)) return;
    if (Date.now() > deadline) throw new Error(`no TCP connection to ${LOOPBACK}:${port} within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Refuses to delete anything that does not look like a database home made by this tool. */
async function deleteHome(home: string): Promise<void> {
  const forbidden = new Set([path.parse(home).root, os.homedir(), repoRoot(), process.cwd()].map((p) => path.resolve(p)));
  if (forbidden.has(home)) throw new Error(`svcmap: refusing to delete ${home} (fresh: true)`);
  let entries: string[];
  try {
    entries = await fsp.readdir(home);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const ours = new Set(['data', 'logs', PID_FILE, LOG_FILE, `${LOG_FILE}.1`]);
  const foreign = entries.filter((e) => !ours.has(e));
  if (foreign.length > 0) {
    throw new Error(
      `svcmap: refusing to delete ${home} (fresh: true): it holds more than an embedded Neo4j home ` +
        `(${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''})`,
    );
  }
  await fsp.rm(home, { recursive: true, force: true });
}

async function readPidFile(home: string): Promise<PidFile | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(home, PID_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PidFile>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return { pid: parsed.pid, port: Number(parsed.port) || 0, uri: parsed.uri, detached: parsed.detached };
    }
  } catch {
    const pid = Number.parseInt(text, 10); // tolerate a bare pid
    if (Number.isInteger(pid) && pid > 0) return { pid, port: 0 };
  }
  return undefined;
}

async function writePidFile(home: string, info: PidFile): Promise<void> {
  const file = path.join(home, PID_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, `${JSON.stringify({ ...info, startedAt: new Date().toISOString() })}\n`);
  await fsp.rename(tmp, file);
}

async function removePidFileIfOwned(home: string, pid: number): Promise<void> {
  const info = await readPidFile(home);
  if (info && info.pid === pid) await fsp.rm(path.join(home, PID_FILE), { force: true });
}

/** True if `pid` exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** Guards against a recycled pid: on Linux, the process must be running our launcher jar. */
function isLauncherProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('neo4j-launcher');
  } catch {
    return true; // no /proc: cannot tell, assume it is
  }
}

async function waitUntilDead(pid: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function terminate(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  if (await waitUntilDead(pid, graceMs)) return;
  signal(pid, 'SIGKILL');
  await waitUntilDead(pid, 10_000);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function readFrom(file: string, offset: number): { text: string; size: number } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return { text: '', size: offset };
    const buf = Buffer.alloc(size - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    return { text: buf.toString('utf8'), size };
  } catch {
    return { text: '', size: offset };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function forEachLine(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (partial) onLine(partial);
    partial = '';
  });
}

/** Keeps the last N lines of output for error messages. */
class LineTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly max: number) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  push(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.add(line);
  }

  text(): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.length ? all.map((l) => `  ${l}`).join('\n') : '  (no output)';
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
