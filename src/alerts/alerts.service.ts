import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { problemsOf } from '../common/validation/validate-input';
import { MetricsService } from '../observability/metrics.service';
import { CorrelationAnswer, RootCauseService } from '../root-cause/root-cause.service';
import { assertMayWriteAlerts } from './alert-permissions';
import { countOutcome, planAlertWrite } from './alert-plan';
import { parseAlertmanagerPayload } from './alertmanager-payload';
import { ALERTS_CONFIG, AlertsConfig } from './alerts.config';
import { AlertQueries, AlertWriteRace, AlertsRepository } from './alerts.repository';
import { AlertFilter, AlertRecord, IncomingAlert, IngestOutcome, ReadRule, alertId } from './alerts.types';
import { AlertSource } from './alerts.vocabulary';
import { AlertFilterInput } from './dto/alert-filter.input';
import { parseGenericAlerts, parseGenericBody } from './generic-alerts';
import { chooseKey, keyCandidates } from './label-mapping';

/** The receiving endpoints, as the `endpoint` label of svcmap_alerts_received_total. */
export type AlertEndpoint = 'alertmanager' | 'http' | 'graphql';

export interface AlertPage {
  items: AlertRecord[];
  total: number;
  hasNextPage: boolean;
  /** What the page was read against, so each alert's status shows as the filter saw it. */
  rule: ReadRule;
}

/** Times the whole call is planned again when another delivery wrote the same alerts first. */
const WRITE_ATTEMPTS = 3;

export function encodeAlertCursor(alert: Pick<AlertRecord, 'startsAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([alert.startsAt, alert.id]), 'utf8').toString('base64url');
}

export function decodeAlertCursor(cursor: string): { startsAt: string; id: string } {
  try {
    const [startsAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startsAt === 'string' && typeof id === 'string') return { startsAt, id };
  } catch {
    // fall through to the error below
  }
  throw DomainError.badInput([{ path: 'after', message: 'is not a cursor returned by this API' }]);
}

/** How many alerts a body carries, for counting a rejected one; a body without a list counts as one. */
function alertCount(list: unknown): number {
  return Array.isArray(list) ? Math.max(list.length, 1) : 1;
}

/**
 * Alert intake and reading. Each intake checks the caller, checks the whole
 * payload, maps every alert's labels to CI candidates, resolves them all
 * with one query, and writes the payload in one transaction.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly repository: AlertsRepository,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly rootCause: RootCauseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ALERTS_CONFIG) private readonly alertsConfig: AlertsConfig,
  ) {}

  /** A Prometheus Alertmanager webhook notification (format version 4). */
  ingestAlertmanager(body: unknown, actor: Actor): Promise<IngestOutcome> {
    const count = alertCount((body as { alerts?: unknown } | null)?.alerts);
    return this.counted('alertmanager', count, async () => {
      assertMayWriteAlerts(actor, AlertSource.ALERTMANAGER);
      const notification = parseAlertmanagerPayload(body, this.config.limits.maxBatchSize);
      if (notification.truncatedAlerts > 0) {
        this.logger.warn({
          message: 'Alertmanager left alerts out of a notification (max_alerts)',
          receiver: notification.receiver,
          groupKey: notification.groupKey,
          truncatedAlerts: notification.truncatedAlerts,
        });
      }
      return this.store(notification.alerts);
    });
  }

  /** The body of POST /api/v1/alerts: `{ "alerts": [...] }`. */
  ingestHttp(body: unknown, actor: Actor): Promise<IngestOutcome> {
    const count = alertCount((body as { alerts?: unknown } | null)?.alerts);
    return this.counted('http', count, async () => {
      assertMayWriteAlerts(actor, AlertSource.API);
      return this.store(parseGenericBody(body, this.config.limits.maxBatchSize));
    });
  }

  /** The `alerts` argument of the ingestAlerts mutation. */
  ingest(alerts: unknown, actor: Actor): Promise<IngestOutcome> {
    return this.counted('graphql', alertCount(alerts), async () => {
      assertMayWriteAlerts(actor, AlertSource.API);
      return this.store(parseGenericAlerts(alerts, 'alerts', this.config.limits.maxBatchSize));
    });
  }

  async list(filter: AlertFilter, first: number | undefined, after: string | undefined): Promise<AlertPage> {
    const problems = problemsOf(AlertFilterInput, filter, 'filter');
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 0 || limit > this.config.limits.maxPageSize) {
      problems.push({ path: 'first', message: `must be from 0 to ${this.config.limits.maxPageSize}` });
    }
    if (problems.length) throw DomainError.badInput(problems);
    const position = after ? decodeAlertCursor(after) : null;
    const rule = this.readRule();
    const { items, total } = await this.repository.read('alerts.list', (q) => q.list(filter, position, limit + 1, rule));
    return { items: items.slice(0, limit), total, hasNextPage: items.length > limit, rule };
  }

  /**
   * The stored alerts that read as active now and name a CI, correlated into
   * incidents by the root-cause engine, most urgent first; `unmatched` holds
   * those whose CI has left the map since they arrived (logged, and listed by
   * the `ciMissing` filter of `alerts`). A storm larger than SVCMAP_MAX_BATCH
   * is correlated on its newest alerts (and logged).
   */
  async activeIncidents(): Promise<CorrelationAnswer> {
    const limit = this.config.limits.maxBatchSize;
    const rule = this.readRule();
    const { items, total } = await this.repository.read('alerts.active', (q) => q.activeMatched(rule, limit));
    if (total > items.length) {
      this.logger.warn({ message: 'More active alerts than one correlation takes; using the newest', active: total, used: items.length });
    }
    const answer = await this.rootCause.correlate(
      items.map((alert) => ({ id: alert.id, key: alert.key!, severity: alert.severity, startsAt: new Date(alert.startsAt), summary: alert.summary })),
    );
    if (answer.unmatched.length) {
      this.logger.warn({
        message: 'Active alerts name CIs no longer in the map and are in no incident; list them with alerts(filter: { statuses: [ACTIVE], ciMissing: true })',
        alerts: answer.unmatched.length,
        examples: answer.unmatched.slice(0, 5).map((alert) => ({ id: alert.id, key: alert.key })),
      });
    }
    return answer;
  }

  /**
   * What stored alerts are read against now: the clock, and how long an
   * Alertmanager alert with no known end lives without a notification.
   */
  readRule(): ReadRule {
    return { now: this.clock.now(), expireAfterMs: this.alertsConfig.expireAfterMs };
  }

  private async store(alerts: IncomingAlert[]): Promise<IngestOutcome> {
    if (!alerts.length) return countOutcome([]);
    const candidates = alerts.map((alert) => keyCandidates(alert.labels, this.alertsConfig.keyRules, alert.key));
    const ids = alerts.map((alert) => alertId(alert.source, alert.fingerprint));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.repository.write('alerts.ingest', (q) => this.write(q, alerts, ids, candidates));
      } catch (error) {
        if (!(error instanceof AlertWriteRace)) throw error;
        if (attempt >= WRITE_ATTEMPTS) {
          // 503, not 409: Alertmanager retries 5xx answers and drops 4xx ones.
          throw new DomainError(ErrorCode.UNAVAILABLE, 'Other deliveries kept writing the same alerts at the same time; retry shortly');
        }
      }
    }
  }

  private async write(q: AlertQueries, alerts: IncomingAlert[], ids: string[], candidates: ReturnType<typeof keyCandidates>[]): Promise<IngestOutcome> {
    const all = candidates.flat();
    const matches = await q.matchCandidates(
      all.filter((c) => c.via === 'KEY').map((c) => c.value),
      all.filter((c) => c.via === 'IDENTIFIER').map((c) => c.value),
    );
    const existing = await q.findForUpdate(ids);
    const plans = alerts.map((alert, index) =>
      planAlertWrite(existing.get(ids[index]), alert, chooseKey(candidates[index], matches), candidates[index]),
    );
    const now = this.clock.now().toISOString();
    await q.create(plans.filter((p) => p.action === 'create'), now);
    await q.update(plans.filter((p) => p.action === 'update'), now);
    await q.touch(plans.filter((p) => p.action === 'unchanged' && p.repeat), now);
    return countOutcome(plans);
  }

  /** Counts the alerts of a call by outcome: accepted, rejected (the caller's fault) or failed (ours). */
  private async counted(endpoint: AlertEndpoint, count: number, work: () => Promise<IngestOutcome>): Promise<IngestOutcome> {
    try {
      const outcome = await work();
      if (outcome.received) this.metrics.alertsReceived.inc({ endpoint, outcome: 'accepted' }, outcome.received);
      return outcome;
    } catch (error) {
      const rejected =
        error instanceof DomainError &&
        ([ErrorCode.BAD_USER_INPUT, ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED].includes(error.code) ||
          (error.code === ErrorCode.LIMIT_EXCEEDED && error.details.limit === 'alerts'));
      this.metrics.alertsReceived.inc({ endpoint, outcome: rejected ? 'rejected' : 'failed' }, count);
      throw error;
    }
  }
}
