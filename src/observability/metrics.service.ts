import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QueryObservation, QueryObserver } from '../common/neo4j/query-observer';

/** Every metric name starts with this, so svcmap's series are easy to find next to other services'. */
export const METRIC_PREFIX = 'svcmap_';

/** Distinct GraphQL operation names kept as label values; later ones count as 'other'. */
export const MAX_OPERATION_NAMES = 200;

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** From 5 ms (a cached lookup) to 30 s (the transaction timeout's default). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's Prometheus metrics, in a registry of its own (so several
 * apps in one process, as in the tests, do not collide). Features increment
 * the counters below; the names, labels and label values are part of the
 * operating contract documented in the README.
 */
@Injectable()
export class MetricsService implements QueryObserver {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, matched route (or "unmatched") and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly graphqlOperations = new Counter({
    name: `${METRIC_PREFIX}graphql_operations_total`,
    help: 'GraphQL operations, by operation name ("anonymous", or "other" past the first 200 names), type and outcome (success, error, rejected before execution).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: `${METRIC_PREFIX}graphql_operation_duration_seconds`,
    help: 'Time from receiving a GraphQL operation to sending its answer, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly neo4jQueryDuration = new Histogram({
    name: `${METRIC_PREFIX}neo4j_query_duration_seconds`,
    help: 'Time of one unit of work in Neo4j (a managed transaction, retries included), by its name, READ/WRITE mode and outcome (success, error, unavailable, timeout).',
    labelNames: ['query', 'mode', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  /** For discovery syncs. `source_kind`: the kind of source (aws, kubernetes, terraform, ...); `outcome`: success or failed. */
  readonly syncRuns = new Counter({
    name: `${METRIC_PREFIX}sync_runs_total`,
    help: 'Discovery sync runs, by kind of source and outcome (success, failed).',
    labelNames: ['source_kind', 'outcome'] as const,
    registers: [this.registry],
  });

  /** For discovery syncs. `outcome`: created, updated, unchanged, stale or rejected. */
  readonly syncItems = new Counter({
    name: `${METRIC_PREFIX}sync_items_total`,
    help: 'Items (CIs and dependencies) reported by discovery syncs, by kind of source and outcome (created, updated, unchanged, stale, rejected).',
    labelNames: ['source_kind', 'outcome'] as const,
    registers: [this.registry],
  });

  /** For discovery syncs: how long one run took. */
  readonly syncDuration = new Histogram({
    name: `${METRIC_PREFIX}sync_duration_seconds`,
    help: 'Duration of discovery sync runs, by kind of source and outcome.',
    labelNames: ['source_kind', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  /** For alert intake. `endpoint`: the receiving endpoint (e.g. alertmanager, generic); `outcome`: accepted, rejected or failed. */
  readonly alertsReceived = new Counter({
    name: `${METRIC_PREFIX}alerts_received_total`,
    help: 'Alerts received, by receiving endpoint and outcome (accepted, rejected, failed).',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly operationNames = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /**
   * The label value for a GraphQL operation name. Names come from clients,
   * so they are capped: no name is 'anonymous', a name that is not a valid
   * GraphQL name or arrives after MAX_OPERATION_NAMES others is 'other'.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  observeQuery({ query, mode, outcome, durationSeconds }: QueryObservation): void {
    this.neo4jQueryDuration.observe({ query, mode, outcome }, durationSeconds);
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
