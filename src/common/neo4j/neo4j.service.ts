import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import neo4j, { Driver, ManagedTransaction, Neo4jError } from 'neo4j-driver';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { currentRequestContext } from '../request-context/request-context';
import { coalesceBoltWrites } from './bolt-write-coalescing';
import { QUERY_OBSERVER, QueryObservation, QueryObserver, QueryOutcome } from './query-observer';

export type Work<T> = (tx: ManagedTransaction) => Promise<T>;

/** How long a transient failure of an auto-commit read is retried, as the driver does for managed transactions. */
const MAX_RETRY_MS = 2_000;

/** Neo4j error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Neo4jError)) return false;
  return (
    UNAVAILABLE_CODES.has(error.code) ||
    error.code === 'Neo.ClientError.Cluster.NotALeader' ||
    /connection acquisition timed out|Failed to connect|ECONNREFUSED|Connection was closed/i.test(error.message)
  );
}

/**
 * The one owner of the Neo4j driver. Repositories hand it a unit of work;
 * it opens the session, runs it as a managed (retried) transaction with a
 * timeout and metadata naming the caller, and always closes the session.
 */
@Injectable()
export class Neo4jService implements OnApplicationShutdown {
  private readonly logger = new Logger(Neo4jService.name);
  readonly driver: Driver;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(QUERY_OBSERVER) private readonly observer?: QueryObserver,
  ) {
    coalesceBoltWrites(this.logger);
    const { uri, username, password, connectionAcquisitionTimeoutMs } = config.neo4j;
    const auth = username ? neo4j.auth.basic(username, password ?? '') : undefined;
    this.driver = neo4j.driver(uri, auth, {
      disableLosslessIntegers: true,
      connectionAcquisitionTimeout: connectionAcquisitionTimeoutMs,
      connectionTimeout: Math.min(connectionAcquisitionTimeoutMs, 5_000),
      // Retries cover a leader change or a blip; longer would make an outage look like a hang.
      maxTransactionRetryTime: 2_000,
      // Records pulled per round trip: the default 1,000 makes a 37,000-row blast radius wait on 37 of them.
      fetchSize: 5_000,
      userAgent: 'svcmap',
    });
  }

  read<T>(name: string, work: Work<T>): Promise<T> {
    return this.run('READ', name, work);
  }

  write<T>(name: string, work: Work<T>): Promise<T> {
    return this.run('WRITE', name, work);
  }

  /**
   * A read whose statements need no common snapshot (usually it has one):
   * each statement runs as its own auto-commit transaction, one round trip,
   * where a managed transaction adds a second for its COMMIT. On small reads
   * (a CI by key, the blast radius of a leaf) that round trip is a third of
   * the time. Transient failures are retried as the driver retries managed
   * transactions.
   */
  async readEach<T>(name: string, work: Work<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run('READ', name, work, true);
      } catch (error) {
        if (!Neo4jError.isRetryable(error)) throw error;
        if (Date.now() - started > MAX_RETRY_MS) throw this.translate(error, name);
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /** True when a trivial query answers; never throws. */
  async ping(): Promise<boolean> {
    try {
      await this.read('health.ping', (tx) => tx.run('RETURN 1'));
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for the database at start-up, so the service and Neo4j can start together. */
  async waitUntilAvailable(): Promise<void> {
    const deadline = Date.now() + this.config.neo4j.startupWaitMs;
    let lastError: unknown;
    do {
      try {
        await this.driver.verifyConnectivity({ database: this.config.neo4j.database });
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } while (Date.now() < deadline);
    throw new Error(`Neo4j at ${this.config.neo4j.uri} did not answer: ${(lastError as Error)?.message}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }

  private async run<T>(mode: 'READ' | 'WRITE', name: string, work: Work<T>, autoCommit = false): Promise<T> {
    const context = currentRequestContext();
    const session = this.driver.session({
      database: this.config.neo4j.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const txConfig = {
      timeout: this.config.neo4j.transactionTimeoutMs,
      metadata: { app: 'svcmap', query: name, operation: context?.operationName ?? null, requestId: context?.requestId ?? null },
    };
    const started = process.hrtime.bigint();
    let outcome: QueryOutcome = 'success';
    try {
      if (autoCommit) {
        const eachOnItsOwn = { run: (query: string, parameters?: Record<string, unknown>) => session.run(query, parameters, txConfig) };
        return await work(eachOnItsOwn as ManagedTransaction);
      }
      return mode === 'READ' ? await session.executeRead(work, txConfig) : await session.executeWrite(work, txConfig);
    } catch (error) {
      // Retryable errors reach readEach untranslated; it retries them.
      if (autoCommit && Neo4jError.isRetryable(error)) {
        outcome = 'error';
        throw error;
      }
      const translated = this.translate(error, name);
      outcome = outcomeOf(translated);
      throw translated;
    } finally {
      await session.close().catch(() => undefined);
      this.observe({ query: name, mode, outcome, durationSeconds: Number(process.hrtime.bigint() - started) / 1e9 });
    }
  }

  /** Observers watch; a failing one must not fail the query. */
  private observe(observation: QueryObservation): void {
    try {
      this.observer?.observeQuery(observation);
    } catch (error) {
      this.logger.warn(`Query observer failed: ${(error as Error).message}`);
    }
  }

  private translate(error: unknown, name: string): unknown {
    if (error instanceof DomainError) return error;
    if (isUnavailable(error)) {
      this.logger.warn(`Neo4j unavailable during ${name}: ${(error as Error).message}`);
      return new DomainError(ErrorCode.UNAVAILABLE, 'The graph database is unavailable; retry shortly');
    }
    if (error instanceof Neo4jError && /TransactionTimedOut|Transaction.*timed out/i.test(error.code + error.message)) {
      return new DomainError(ErrorCode.LIMIT_EXCEEDED, `The query took longer than the ${this.config.neo4j.transactionTimeoutMs} ms limit`);
    }
    return error;
  }
}

function outcomeOf(error: unknown): QueryOutcome {
  if (error instanceof DomainError && error.code === ErrorCode.UNAVAILABLE) return 'unavailable';
  if (error instanceof DomainError && error.code === ErrorCode.LIMIT_EXCEEDED) return 'timeout';
  return 'error';
}
