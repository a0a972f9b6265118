import { ChangeModel } from '../../history/models/change.model';
import { WholeCis, toBusinessImpact } from '../../impact/models/business-impact.mapper';
import { PriorityEnum } from '../../impact/impact.vocabulary';
import { CIKind } from '../../topology/topology.vocabulary';
import { SeverityEnum } from '../root-cause.vocabulary';
import { AlertFacts, CandidateAnswer, CorrelationAnswer, IncidentAnswer, RootCauseAnswer } from '../root-cause.service';
import { AlertRef, CorrelationResult, IncidentGroup, RootCauseCandidate, RootCauseResult } from './root-cause.model';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function toAlertRef(a: AlertFacts): AlertRef {
  return { id: a.id, key: a.key, severity: a.severity as SeverityEnum, startsAt: a.startsAt, summary: a.summary ?? null };
}

export function toCandidate(c: CandidateAnswer): RootCauseCandidate {
  const e = c.evidence;
  return {
    key: c.key,
    kind: c.kind as CIKind,
    score: c.score,
    rank: c.rank,
    explainedAlerts: e.explainedAlertIds,
    explainedCount: e.explainedAlertIds.length,
    unexplainedCount: e.unexplainedCount,
    evidence: {
      coverage: e.coverage,
      precision: e.precision,
      alerting: e.alerting,
      startedFirst: e.startedFirst,
      firstAlertAt: date(e.firstAlertAt),
      earliestExplainedAt: date(e.earliestExplainedAt),
      dependenciesAlerting: e.dependenciesAlerting,
      recentChanges: c.recentChanges.map((ch) => Object.assign(new ChangeModel(), ch, { at: new Date(ch.at) })),
      exampleChain: e.exampleChain,
    },
  };
}

export function toRootCauseResult(answer: RootCauseAnswer): RootCauseResult {
  return { alertCount: answer.alertCount, candidates: answer.candidates.map(toCandidate), unmatched: answer.unmatched.map(toAlertRef) };
}

export function toIncidentGroup(i: IncidentAnswer, whole: WholeCis): IncidentGroup {
  const candidates = i.candidates.map(toCandidate);
  return {
    id: i.id,
    rank: i.rank,
    startedAt: i.startedAt,
    alerts: i.alerts.map(toAlertRef),
    probableCause: candidates[0],
    candidates,
    score: i.score,
    priority: i.priority as PriorityEnum,
    businessImpacts: i.businessImpacts.map((impact) => toBusinessImpact(impact, whole)),
    impactedCount: i.impactedCount,
  };
}

export function toCorrelationResult(answer: CorrelationAnswer, whole: WholeCis): CorrelationResult {
  return { incidents: answer.incidents.map((i) => toIncidentGroup(i, whole)), unmatched: answer.unmatched.map(toAlertRef) };
}
