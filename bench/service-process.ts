/**
 * What every bench program needs to run svcmap the way production does: a
 * free port, the service as a child process (`node dist/src/main.js`) that is
 * ready once /health/ready answers, the commit being measured, and (for the
 * smaller programs) the whole stack, embedded Neo4j plus service, in one call.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EmbeddedNeo4j, repoRoot, startEmbeddedNeo4j } from '../tools/neo4j-embedded/embedded-neo4j';
import { GraphQLClient } from './graphql-client';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot(), encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot(), encoding: 'utf8' }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The service under test, as a child process, the way it runs in production: `node dist/src/main.js`. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  readonly logFile: string;

  /** `name` names the log file: `.svcmap/bench-<name>-service.log`. */
  constructor(
    name: string,
    readonly port: number,
  ) {
    this.logFile = join(repoRoot(), '.svcmap', `bench-${name.toLowerCase()}-service.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(env: Record<string, string>): Promise<void> {
    mkdirSync(join(repoRoot(), '.svcmap'), { recursive: true });
    const out = createWriteStream(this.logFile);
    // SVCMAP_BENCH_NODE_FLAGS passes flags to the service's node only (e.g. --cpu-prof, refused in NODE_OPTIONS).
    const flags = (process.env.SVCMAP_BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...flags, join(repoRoot(), 'dist', 'src', 'main.js')], {
      cwd: repoRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.child = child;
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    process.once('exit', () => child.kill('SIGKILL'));
    const deadline = Date.now() + 120_000;
    let gone = false;
    void this.exited.then(() => (gone = true));
    for (;;) {
      if (gone) throw new Error(`the service exited during start-up; its log: ${this.logFile}\n${this.tail()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the service was not ready within 120 s; its log: ${this.logFile}\n${this.tail()}`);
      await sleep(250);
    }
  }

  /** Whether the child has exited (e.g. crashed) since start. */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exited!.then(() => false), sleep(15_000).then(() => true)]);
    if (killed) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** A database and the service on it, ready for GraphQL requests. */
export interface BenchStack {
  client: GraphQLClient;
  service: ServiceProcess;
  embedded: EmbeddedNeo4j | undefined;
  uri: string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Names the database home (`.svcmap/neo4j-<name>`) and the logs (`.svcmap/bench-<name>-*.log`). */
  name: string;
  /** Wipe the embedded database first (ignored with NEO4J_URI). */
  fresh: boolean;
  heap: string;
  pageCache: string;
  log: (line: string) => void;
  /** Extra environment for the service. */
  env?: Record<string, string>;
}

/**
 * Starts the embedded Neo4j (or uses NEO4J_URI) and the service on it with a
 * random bootstrap admin key, as bench/run.ts does, and returns a client
 * that sends that key. `stop()` stops what this call started.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const svcmapDir = join(repoRoot(), '.svcmap');
  mkdirSync(svcmapDir, { recursive: true });
  let embedded: EmbeddedNeo4j | undefined;
  let service: ServiceProcess | undefined;
  try {
    let uri = process.env.NEO4J_URI;
    if (!uri) {
      const neo4jLog = createWriteStream(join(svcmapDir, `bench-${options.name}-neo4j.log`));
      const home = join(svcmapDir, `neo4j-${options.name}`);
      // Earlier versions kept the bench key inside the home, where it blocks a fresh start.
      if (existsSync(join(home, 'bench-admin-key'))) renameSync(join(home, 'bench-admin-key'), `${home}.admin-key`);
      embedded = await startEmbeddedNeo4j({
        home,
        port: await freePort(),
        fresh: options.fresh,
        heap: options.heap,
        pageCache: options.pageCache,
        txTimeout: '300s',
        log: (line) => (line.startsWith('[neo4j]') ? neo4jLog.write(`${line}\n`) : options.log(line)),
        startTimeoutMs: 180_000,
      });
      uri = embedded.uri;
    }
    // A reused database keeps the admin key it was first started with (the bootstrap key only
    // applies to a database without keys): the key lives next to the data.
    // Kept beside the home, not in it: the launcher refuses to wipe a home holding files it does not know.
    const keyFile = embedded ? `${embedded.home}.admin-key` : undefined;
    let apiKey = !options.fresh && keyFile && existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : randomBytes(32).toString('hex');
    service = new ServiceProcess(options.name, await freePort());
    options.log(`starting the service on port ${service.port} (log: ${service.logFile})`);
    await service.start({
      NEO4J_URI: uri,
      PORT: String(service.port),
      SVCMAP_SEED: '',
      SVCMAP_BOOTSTRAP_ADMIN_KEY: apiKey,
      SVCMAP_TX_TIMEOUT_MS: '300000',
      ...options.env,
    });
    const started = { service, embedded };
    if (keyFile) {
      if (!(await acceptsKey(service.port, apiKey))) {
        options.log('the reused database does not know the bench admin key: creating one with `svcmap keys create`');
        apiKey = createAdminKey(uri);
      }
      writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
    }
    return {
      client: new GraphQLClient(`http://127.0.0.1:${service.port}`, apiKey),
      service,
      embedded,
      uri,
      async stop() {
        await started.service.stop();
        await started.embedded?.stop();
      },
    };
  } catch (error) {
    await service?.stop();
    await embedded?.stop();
    throw error;
  }
}

/** Whether the service takes this key. */
/** Whether the service on `port` takes the key. */
export async function acceptsKey(port: number, apiKey: string): Promise<boolean> {
  try {
    await new GraphQLClient(`http://127.0.0.1:${port}`, apiKey).request('{ cis(first: 0) { totalCount } }');
    return true;
  } catch {
    return false;
  }
}

/** A new admin key, straight in Neo4j through the CLI (as an operator who lost the key would). */
export function createAdminKey(uri: string): string {
  const out = execFileSync(process.execPath, [join(repoRoot(), 'bin', 'svcmap.js'), 'keys', 'create', '--name', `bench-${Date.now()}`, '--role', 'admin'], {
    cwd: repoRoot(),
    env: { ...process.env, NEO4J_URI: uri },
    encoding: 'utf8',
  });
  const secret = /secret \(shown only now\): (\S+)/.exec(out)?.[1];
  if (!secret) throw new Error(`svcmap keys create printed no secret:\n${out}`);
  return secret;
}
