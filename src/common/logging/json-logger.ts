import { LogLevel, LoggerService } from '@nestjs/common';
import { currentRequestContext } from '../request-context/request-context';

/** Where a finished line goes; the process streams in production, a buffer in tests. */
export interface LogSink {
  stdout(line: string): void;
  stderr(line: string): void;
}

const PROCESS_SINK: LogSink = {
  stdout: (line) => process.stdout.write(line),
  stderr: (line) => process.stderr.write(line),
};

/** Debug and verbose stay off unless asked for: they are for a developer's terminal, not production logs. */
export const DEFAULT_LOG_LEVELS: LogLevel[] = ['log', 'warn', 'error', 'fatal'];

/** Fields the logger owns; a message object cannot overwrite them. */
const RESERVED = new Set(['time', 'level']);

const STACK = /^.+\n\s+at .+/;

/**
 * Writes one JSON object per line, so log shippers need no parsing rules:
 * `time`, `level`, `context`, `message`, the `requestId` and GraphQL
 * `operation` of the request being served (from the async request context),
 * and the fields of a message given as an object. Errors and fatal lines go
 * to stderr, the rest to stdout.
 *
 * Follows Nest's calling conventions: the last string argument is the
 * context (`logger.log(message, 'Bootstrap')`), and `error(message, stack,
 * context)` may carry a stack trace.
 */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel>;

  constructor(
    levels: LogLevel[] = DEFAULT_LOG_LEVELS,
    private readonly sink: LogSink = PROCESS_SINK,
  ) {
    this.levels = new Set(levels);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...optional: unknown[]): void {
    this.write('log', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('verbose', message, optional);
  }

  private write(level: LogLevel, message: unknown, optional: unknown[]): void {
    if (!this.levels.has(level)) return;
    // Nest's Logger passes an explicit `undefined` stack before the context of error lines.
    const params = optional.filter((param) => param !== undefined);
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const stack = params.length > 0 && typeof params[0] === 'string' && STACK.test(params[0]) ? (params.shift() as string) : undefined;

    const request = currentRequestContext();
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      ...(context ? { context } : {}),
      ...(request ? { requestId: request.requestId } : {}),
      ...(request?.operationName ? { operation: request.operationName } : {}),
    };
    Object.assign(line, messageFields(message));
    if (stack) line.stack = stack;
    if (params.length > 0) line.details = params;

    const text = serialize(line) + '\n';
    if (level === 'error' || level === 'fatal') this.sink.stderr(text);
    else this.sink.stdout(text);
  }
}

function messageFields(message: unknown): Record<string, unknown> {
  if (message instanceof Error) return errorFields(message);
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(message)) {
      if (!RESERVED.has(key)) fields[key] = value;
    }
    return fields;
  }
  return { message: typeof message === 'string' ? message : String(message) };
}

function errorFields(error: Error): Record<string, unknown> {
  return { message: error.message, error: error.name, stack: error.stack };
}

/**
 * A log line must never throw: BigInts become strings, nested errors keep
 * their message and stack, and only when plain JSON fails (a cycle) are
 * repeated objects replaced.
 */
function serialize(line: Record<string, unknown>): string {
  const bigints = (_key: string, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value instanceof Error ? errorFields(value) : value;
  try {
    return JSON.stringify(line, bigints);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(line, (key, value: unknown) => {
      if (value !== null && typeof value === 'object') {
        if (seen.has(value)) return '[circular]';
        seen.add(value);
      }
      return bigints(key, value);
    });
  }
}

/** The logger the service and the tests use; `logLevels` narrows it (tests pass `['error']`). */
export function jsonLogger(logLevels?: LogLevel[]): LoggerService {
  return new JsonLogger(logLevels ?? DEFAULT_LOG_LEVELS);
}
