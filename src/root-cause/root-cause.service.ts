import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { validateList } from '../common/validation/validate-input';
import { HistoryService } from '../history/history.service';
import { ChangeRecord } from '../history/history.types';
import { ImpactService, ScoredBusinessImpact } from '../impact/impact.service';
import { Priority } from '../impact/business-impact';
import { AlertInput } from './dto/alert.input';
import { DEFAULT_RCA_WEIGHTS, RankedCandidate, RcaAlert, Severity, correlate, rankCandidates } from './root-cause-engine';
import { RootCauseRepository } from './root-cause.repository';

export interface AlertFacts {
  id: string;
  key: string;
  severity: Severity;
  startsAt: Date;
  summary?: string | null;
}

export interface CandidateAnswer extends RankedCandidate {
  recentChanges: ChangeRecord[];
}

export interface RootCauseAnswer {
  alertCount: number;
  candidates: CandidateAnswer[];
  unmatched: AlertFacts[];
}

export interface IncidentAnswer {
  id: string;
  rank: number;
  startedAt: Date;
  alerts: AlertFacts[];
  candidates: CandidateAnswer[];
  score: number;
  priority: Priority;
  businessImpacts: ScoredBusinessImpact[];
  impactedCount: number;
}

export interface CorrelationAnswer {
  incidents: IncidentAnswer[];
  unmatched: AlertFacts[];
}

/** How many top candidates get their change history looked up. */
const CHANGE_LOOKUPS = 50;
/** How many incidents of one storm are priced (blast radius) at the same time. */
const PRICING_CONCURRENCY = 4;

/** `items.map(fn)`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Root cause and correlation: Neo4j hands over the alerting CIs and what
 * they depend on; the ranking and grouping are the plain functions of
 * root-cause-engine.ts; history adds "changed recently"; the impact engine
 * prices each incident.
 */
@Injectable()
export class RootCauseService {
  constructor(
    private readonly repository: RootCauseRepository,
    private readonly history: HistoryService,
    private readonly impact: ImpactService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  validate(input: unknown): AlertFacts[] {
    const alerts = validateList(AlertInput, input, 'alerts', this.config.limits.maxBatchSize);
    return alerts.map((a, i) => ({ id: a.id ?? `alert-${i}`, key: a.key, severity: a.severity as Severity, startsAt: new Date(a.startsAt), summary: a.summary ?? null }));
  }

  async rootCause(input: unknown, maxCandidates = 10): Promise<RootCauseAnswer> {
    const alerts = this.validate(input);
    const { subgraph, known, unmatched } = await this.load(alerts);
    const rca = known.map(toRca);
    const changes = await this.changesNear(subgraph, rca);
    const ranked = rankCandidates(subgraph, rca, new Set(changes.keys()), DEFAULT_RCA_WEIGHTS).slice(0, Math.max(1, Math.min(maxCandidates, 100)));
    return { alertCount: known.length, candidates: ranked.map((c) => ({ ...c, recentChanges: changes.get(c.key) ?? [] })), unmatched };
  }

  async correlateAlerts(input: unknown): Promise<CorrelationAnswer> {
    return this.correlate(this.validate(input));
  }

  /** Groups already-valid alerts into incidents, most urgent first (also used for stored alerts). */
  async correlate(alerts: AlertFacts[]): Promise<CorrelationAnswer> {
    const { subgraph, known, unmatched } = await this.load(alerts);
    const rca = known.map(toRca);
    const changes = await this.changesNear(subgraph, rca);
    const groups = correlate(subgraph, rca, new Set(changes.keys()), DEFAULT_RCA_WEIGHTS);
    const byId = new Map(known.map((a) => [a.id, a]));
    // A storm splits into a hundred incidents and more; pricing them all at once would take every
    // Neo4j connection of the pool, so a few at a time.
    const incidents = await mapLimited(
      groups,
      PRICING_CONCURRENCY,
      async (group) => {
        const cause = group.candidates[0];
        const blast = await this.impact.blastRadius([cause.key]);
        const ids = group.alerts.map((a) => a.id).sort();
        return {
          id: 'inc-' + createHash('sha1').update(ids.join('\n')).digest('hex').slice(0, 12),
          rank: 0,
          startedAt: new Date(Math.min(...group.alerts.map((a) => a.startsAt))),
          alerts: group.alerts.map((a) => byId.get(a.id)!).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
          candidates: group.candidates.slice(0, 3).map((c) => ({ ...c, recentChanges: changes.get(c.key) ?? [] })),
          score: blast.score,
          priority: blast.priority,
          businessImpacts: blast.businessImpacts,
          impactedCount: blast.totals.impacted,
        };
      },
    );
    incidents.sort((a, b) => b.score - a.score || b.alerts.length - a.alerts.length || a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
    incidents.forEach((incident, i) => (incident.rank = i + 1));
    return { incidents, unmatched };
  }

  private async load(alerts: AlertFacts[]) {
    const keys = [...new Set(alerts.map((a) => a.key))];
    const subgraph = keys.length ? await this.repository.alertSubgraph(keys, this.config.rootCause.depth) : { nodes: [], edges: [], missing: [] };
    const missing = new Set(subgraph.missing);
    return { subgraph, known: alerts.filter((a) => !missing.has(a.key)), unmatched: alerts.filter((a) => missing.has(a.key)) };
  }

  /** Changes shortly before the storm, for the candidates that a first ranking puts on top. */
  private async changesNear(subgraph: Parameters<typeof rankCandidates>[0], alerts: RcaAlert[]): Promise<Map<string, ChangeRecord[]>> {
    if (!alerts.length) return new Map();
    const first = rankCandidates(subgraph, alerts).slice(0, CHANGE_LOOKUPS).map((c) => c.key);
    const earliest = Math.min(...alerts.map((a) => a.startsAt));
    const latest = Math.max(...alerts.map((a) => a.startsAt));
    const found = await this.history.recentChanges(first, new Date(earliest - this.config.rootCause.changeWindowMs), new Date(latest + 1));
    return new Map([...found].filter(([, list]) => list.length));
  }
}

function toRca(a: AlertFacts): RcaAlert {
  return { id: a.id, key: a.key, severity: a.severity, startsAt: a.startsAt.getTime() };
}
