import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { validateList } from '../common/validation/validate-input';
import { HistoryService } from '../history/history.service';
import { ChangeRecord } from '../history/history.types';
import { ImpactService, PrefetchedImpact, ScoredBusinessImpact } from '../impact/impact.service';
import { Priority } from '../impact/business-impact';
import { AlertInput } from './dto/alert.input';
import { RcaRunner } from './rca-runner';
import { DEFAULT_RCA_WEIGHTS, RankedCandidate, RcaAlert, RcaGraph, Severity, packSubgraph } from './root-cause-engine';
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
/** The most candidates rootCause returns. */
const MAX_CANDIDATES = 100;
/** Candidates shown per incident. */
const INCIDENT_CANDIDATES = 3;
/**
 * Root cause and correlation: Neo4j hands over the alerting CIs and what
 * they depend on; the ranking and grouping are the plain functions of
 * root-cause-engine.ts, run on a worker thread (RcaRunner); history adds "changed recently"; the impact engine
 * prices each incident.
 */
@Injectable()
export class RootCauseService {
  constructor(
    private readonly repository: RootCauseRepository,
    private readonly history: HistoryService,
    private readonly impact: ImpactService,
    private readonly runner: RcaRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The alerts as the engine takes them. An alert is told from the others by its id (an incident
   * lists its alerts by id), so two given the same id are refused; one sent without an id gets
   * its position, made unique against the ids given.
   */
  validate(input: unknown, problems: FieldProblem[] = []): AlertFacts[] {
    const alerts = validateList(AlertInput, input, 'alerts', this.config.limits.maxBatchSize);
    const firstWith = new Map<string, number>();
    alerts.forEach((a, i) => {
      if (a.id == null) return;
      const first = firstWith.get(a.id);
      if (first === undefined) firstWith.set(a.id, i);
      else problems.push({ path: `alerts[${i}].id`, message: `'${a.id}' is already the id of alerts[${first}]; each alert needs its own id` });
    });
    if (problems.length) throw DomainError.badInput(problems);
    return alerts.map((a, i) => ({ id: a.id ?? positionalId(i, firstWith), key: a.key, severity: a.severity as Severity, startsAt: new Date(a.startsAt), summary: a.summary ?? null }));
  }

  async rootCause(input: unknown, maxCandidates = 10): Promise<RootCauseAnswer> {
    const problems: FieldProblem[] = [];
    if (!Number.isInteger(maxCandidates) || maxCandidates < 1 || maxCandidates > MAX_CANDIDATES) {
      problems.push({ path: 'maxCandidates', message: `must be a whole number from 1 to ${MAX_CANDIDATES}, got ${maxCandidates}` });
    }
    const alerts = this.validate(input, problems);
    const changedAround = this.anyChangeAround(alerts);
    const { subgraph, known, unmatched } = await this.load(alerts);
    const rca = known.map(toRca);
    const top = maxCandidates;
    const { changes, first } = await this.changesNear(subgraph, rca, top, changedAround);
    // Without recent changes the first ranking is the answer.
    const ranked = changes.size ? (await this.runner.rank(subgraph, rca, changes.keys(), DEFAULT_RCA_WEIGHTS, top)).candidates : first;
    return { alertCount: known.length, candidates: ranked.map((c) => ({ ...c, recentChanges: changes.get(c.key) ?? [] })), unmatched };
  }

  async correlateAlerts(input: unknown): Promise<CorrelationAnswer> {
    return this.correlate(this.validate(input));
  }

  /** Groups already-valid alerts into incidents, most urgent first (also used for stored alerts). */
  async correlate(alerts: AlertFacts[]): Promise<CorrelationAnswer> {
    const changedAround = this.anyChangeAround(alerts);
    const { subgraph, known, unmatched } = await this.load(alerts);
    const rca = known.map(toRca);
    const { changes } = await this.changesNear(subgraph, rca, 0, changedAround);
    // The engine's correlate in its two steps on the worker: the storm's groups, then each group's
    // candidates. In between, each group is priced by the blast radius of its leader (the CI whose
    // failure took its alerts, most often its probable cause too): Neo4j walks from the leaders, then
    // this thread scores their blast radii, while the worker ranks (two cores busy, not one).
    const grouped = await this.runner.group(subgraph, rca, changes.keys(), DEFAULT_RCA_WEIGHTS);
    const leaders = grouped.map((group) => group.leader);
    const prefetched = this.impact.prefetchBlastRadii(leaders);
    // Every incident is priced by the blast radius of its top cause: its leader's, or for the few
    // causes that did not lead their group, one more walk for each batch the worker names (it ranks
    // lone alerts, where most of them are, first, and names their causes together).
    // The worker tells of every group whose first candidate is not its leader, before the answer.
    const late: { groups: number[]; causes: string[]; walk: PrefetchedImpact }[] = [];
    const ranking = this.runner.rankGroups(subgraph, grouped.map((group) => group.alerts), changes.keys(), DEFAULT_RCA_WEIGHTS, INCIDENT_CANDIDATES, {
      leaders,
      onOtherCauses: (ranked) => {
        const causes = ranked.map(({ candidates }) => candidates[0].key);
        late.push({ groups: ranked.map(({ index }) => index), causes, walk: this.impact.prefetchBlastRadii(causes) });
      },
    });
    const pricing = outcome(this.impact.blastRadii(leaders.map((key) => [key]), undefined, prefetched));
    const candidates = await ranking;
    const groups = grouped.map((group, i) => ({ alerts: group.alerts, candidates: candidates[i] }));
    // Each batch of other causes priced together, on the graph its walk fetched.
    const latePricing = late.map(({ causes, walk }) => outcome(this.impact.blastRadii(causes.map((key) => [key]), undefined, walk)));
    const blasts = [...valueOf(await pricing)];
    for (const [k, batch] of late.entries()) valueOf(await latePricing[k]).forEach((blast, at) => (blasts[batch.groups[at]] = blast));
    const byId = new Map(known.map((a) => [a.id, a]));
    const incidents = groups.map((group, i) => {
      const blast = blasts[i];
      const ids = group.alerts.map((a) => a.id).sort();
      return {
        id: 'inc-' + createHash('sha1').update(ids.join('\n')).digest('hex').slice(0, 12),
        rank: 0,
        startedAt: new Date(Math.min(...group.alerts.map((a) => a.startsAt))),
        alerts: group.alerts.map((a) => byId.get(a.id)!).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
        candidates: group.candidates.map((c) => ({ ...c, recentChanges: changes.get(c.key) ?? [] })),
        score: blast.score,
        priority: blast.priority,
        businessImpacts: blast.businessImpacts,
        impactedCount: blast.totals.impacted,
      };
    });
    incidents.sort((a, b) => b.score - a.score || b.alerts.length - a.alerts.length || a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
    incidents.forEach((incident, i) => (incident.rank = i + 1));
    return { incidents, unmatched };
  }

  private async load(alerts: AlertFacts[]) {
    const keys = [...new Set(alerts.map((a) => a.key))];
    const subgraph = keys.length ? await this.repository.alertSubgraph(keys, this.config.rootCause.depth) : { ...packSubgraph({ nodes: [], edges: [] }), missing: [] };
    const missing = new Set(subgraph.missing);
    return { subgraph, known: alerts.filter((a) => !missing.has(a.key)), unmatched: alerts.filter((a) => missing.has(a.key)) };
  }

  /**
   * Whether anything changed in the window around these alerts (from changeWindowMs before the
   * first to the last), asked while the subgraph is fetched: the one question history answers for
   * most storms. A wider window than the matched alerts alone span, so a "no" holds for them too.
   */
  private anyChangeAround(alerts: AlertFacts[]): { window: [number, number]; changed: Promise<Outcome<boolean>> } | null {
    if (!alerts.length) return null;
    const window = this.windowOf(alerts.map((a) => a.startsAt.getTime()));
    return { window, changed: outcome(this.history.anyChangeBetween(new Date(window[0]), new Date(window[1]))) };
  }

  /** From changeWindowMs before the first start to just after the last. */
  private windowOf(starts: number[]): [number, number] {
    return [Math.min(...starts) - this.config.rootCause.changeWindowMs, Math.max(...starts) + 1];
  }

  /**
   * Changes shortly before the storm, for the candidates that a first ranking
   * puts on top; also that ranking's first `top` candidates (the answer when
   * nothing changed).
   */
  private async changesNear(
    subgraph: RcaGraph,
    alerts: RcaAlert[],
    top: number,
    around: ReturnType<RootCauseService['anyChangeAround']>,
  ): Promise<{ changes: Map<string, ChangeRecord[]>; first: RankedCandidate[] }> {
    if (!alerts.length) return { changes: new Map(), first: [] };
    const [from, to] = this.windowOf(alerts.map((a) => a.startsAt));
    const since = new Date(from);
    const until = new Date(to);
    // Nothing changed anywhere in the window (a quiet night, a change freeze): no candidate did,
    // and no ranking is needed to find out which (a correlation wants none otherwise). The answer
    // asked during the fetch serves when it says no, or when its window is this one.
    const asked = around && valueOf(await around.changed);
    const answered = around && (!asked || (around.window[0] === from && around.window[1] === to));
    const quiet = answered ? !asked : !(await this.history.anyChangeBetween(since, until));
    if (quiet && !top) return { changes: new Map(), first: [] };
    const { candidates, leaders } = await this.runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, top, quiet ? 0 : CHANGE_LOOKUPS);
    if (quiet) return { changes: new Map(), first: candidates };
    const found = await this.history.recentChanges(leaders, since, until);
    return { changes: new Map([...found].filter(([, list]) => list.length)), first: candidates };
  }
}

type Outcome<T> = { value: T } | { error: unknown };

/**
 * A promise that resolves either way, for work started ahead of the await that needs it: a failure
 * surfaces there, not as an unhandled rejection while something else is awaited first.
 */
function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** What an outcome holds: its value, or its failure thrown here. */
function valueOf<T>(settled: Outcome<T>): T {
  if ('error' in settled) throw settled.error;
  return settled.value;
}

/** `alert-<position>`, or with a suffix when an alert was given that id. */
function positionalId(position: number, given: ReadonlyMap<string, number>): string {
  let id = `alert-${position}`;
  for (let n = 2; given.has(id); n++) id = `alert-${position}~${n}`;
  return id;
}

function toRca(a: AlertFacts): RcaAlert {
  return { id: a.id, key: a.key, severity: a.severity, startsAt: a.startsAt.getTime() };
}
