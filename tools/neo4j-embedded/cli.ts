#!/usr/bin/env node
/**
 * Dev CLI for the embedded Neo4j (DEV/TEST ONLY: no auth, loopback only).
 *
 *   node dist/tools/neo4j-embedded/cli.js start|stop|status|run [--home DIR] [--port N] [options]
 *   npm run db -- start
 *
 * Defaults: --home <repo>/.svcmap/neo4j-dev, --port $SVCMAP_NEO4J_PORT or 7687.
 */
import * as path from 'node:path';

import { launcherState, repoRoot, startEmbeddedNeo4j, stopEmbeddedNeo4j } from './embedded-neo4j';

const USAGE = `usage: svcmap db <start|stop|status|run> [options]

  start    start Neo4j in the background (survives this command); prints the Bolt URI
  stop     stop the background Neo4j for --home
  status   print whether Neo4j runs for --home (exit 0 running, 3 not running)
  run      run Neo4j in the foreground until Ctrl-C

options:
  --home DIR         database home (default <repo>/.svcmap/neo4j-dev)
  --port N           Bolt port on 127.0.0.1 (default $SVCMAP_NEO4J_PORT or 7687; 0 = any free port)
  --heap SIZE        JVM heap (default $SVCMAP_NEO4J_HEAP or 1g)
  --pagecache SIZE   page cache (default $SVCMAP_NEO4J_PAGECACHE or 512m)
  --tx-timeout DUR   transaction timeout (default 60s)
  --fresh            delete the database home first
  --timeout SECONDS  startup timeout (default 120)
  -v, --verbose      echo Neo4j's own output
  -h, --help         this help

Development and test use only: authentication is disabled and Bolt listens on 127.0.0.1 only.`;

interface CliArgs {
  command?: string;
  home: string;
  port: number;
  heap?: string;
  pageCache?: string;
  txTimeout?: string;
  fresh: boolean;
  timeoutMs?: number;
  verbose: boolean;
  help: boolean;
}

class UsageError extends Error {}

function defaultPort(): number {
  const env = process.env.SVCMAP_NEO4J_PORT;
  if (env === undefined || env.trim() === '') return 7687;
  return parsePort(env, 'SVCMAP_NEO4J_PORT');
}

function parsePort(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new UsageError(`${what} must be a port number 0-65535, got '${text}'`);
  }
  return port;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    home: path.join(repoRoot(), '.svcmap', 'neo4j-dev'),
    port: NaN,
    fresh: false,
    verbose: false,
    help: false,
  };
  let portText: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--home':
        args.home = path.resolve(value());
        break;
      case '--port':
        portText = value();
        break;
      case '--heap':
        args.heap = value();
        break;
      case '--pagecache':
        args.pageCache = value();
        break;
      case '--tx-timeout':
        args.txTimeout = value();
        break;
      case '--timeout': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout needs a number of seconds');
        args.timeoutMs = seconds * 1000;
        break;
      }
      case '--fresh':
        args.fresh = true;
        break;
      case '-v':
      case '--verbose':
        args.verbose = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        if (arg.startsWith('-') || args.command !== undefined) throw new UsageError(`unknown argument: ${argv[i]}`);
        args.command = arg;
    }
  }
  args.port = portText !== undefined ? parsePort(portText, '--port') : defaultPort();
  return args;
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`svcmap db: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (args.help || args.command === undefined) {
    (args.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return args.help ? 0 : 2;
  }

  const log = args.verbose
    ? (line: string): void => void process.stderr.write(`${line}\n`)
    : (line: string): void => {
        if (!line.startsWith('[neo4j] ')) process.stderr.write(`${line}\n`);
      };
  const startOptions = {
    home: args.home,
    port: args.port,
    heap: args.heap,
    pageCache: args.pageCache,
    txTimeout: args.txTimeout,
    fresh: args.fresh,
    startTimeoutMs: args.timeoutMs,
    log,
  };

  switch (args.command) {
    case 'start': {
      const db = await startEmbeddedNeo4j({ ...startOptions, detached: true });
      if (db.reused) process.stderr.write(`svcmap db: already running (pid ${db.pid})\n`);
      else process.stderr.write(`svcmap db: started (pid ${db.pid}, log ${path.join(db.home, 'launcher.log')})\n`);
      process.stdout.write(`${db.uri}\n`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopEmbeddedNeo4j(args.home);
      process.stderr.write(stopped ? `svcmap db: stopped (${args.home})\n` : `svcmap db: not running (${args.home})\n`);
      return 0;
    }
    case 'status': {
      const state = await launcherState(args.home);
      switch (state.state) {
        case 'running':
          process.stdout.write(
            `running ${state.uri} pid ${state.pid}${state.detached ? '' : ' (foreground)'} home ${args.home}\n`,
          );
          return 0;
        case 'unresponsive':
          process.stdout.write(`starting-or-unresponsive pid ${state.pid} port ${state.port} home ${args.home}\n`);
          return 1;
        default:
          process.stdout.write(`stopped home ${args.home}\n`);
          return 3;
      }
    }
    case 'run': {
      const db = await startEmbeddedNeo4j({ ...startOptions, detached: false });
      process.stdout.write(`${db.uri}\n`);
      if (db.reused) {
        process.stderr.write(
          `svcmap db: Neo4j is already running for ${args.home} (pid ${db.pid}); not starting another. ` +
            'Use `stop` to stop it.\n',
        );
        return 0;
      }
      process.stderr.write('svcmap db: running in the foreground; press Ctrl-C to stop\n');
      let stopping = false;
      const onSignal = (sig: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`svcmap db: ${sig}, stopping Neo4j…\n`);
        void db.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      process.on('SIGHUP', onSignal);
      const code = await db.whenExited();
      if (!stopping) {
        process.stderr.write(
          `svcmap db: Neo4j exited unexpectedly (${code === null ? 'killed by a signal' : `exit code ${code}`}); ` +
            `see ${path.join(args.home, 'logs', 'debug.log')}\n`,
        );
        return 1;
      }
      await db.stop();
      process.stderr.write('svcmap db: stopped\n');
      return 0;
    }
    default:
      process.stderr.write(`svcmap db: unknown command '${args.command}'\n\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
