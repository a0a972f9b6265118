import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { ChangeModel } from '../../history/models/change.model';
import { BusinessImpact } from '../../impact/models/blast-radius.model';
import { PriorityEnum } from '../../impact/impact.vocabulary';
import { CIKind } from '../../topology/topology.vocabulary';
import { SeverityEnum } from '../root-cause.vocabulary';

@ObjectType({ description: 'An alert, as it was taken into an answer.' })
export class AlertRef {
  @Field({ description: 'The alert id.' })
  id: string;

  @Field({ description: 'The CI key it is on.' })
  key: string;

  @Field(() => SeverityEnum, { description: 'Its severity.' })
  severity: SeverityEnum;

  @Field(() => GraphQLISODateTime, { description: 'When it started.' })
  startsAt: Date;

  @Field(() => String, { nullable: true, description: 'Its summary.' })
  summary: string | null;
}

@ObjectType({ description: 'Why a candidate ranks where it does (docs/root-cause.md).' })
export class RootCauseEvidence {
  @Field(() => Float, { description: 'Share of the alerts (by severity weight) its failure explains.' })
  coverage: number;

  @Field(() => Float, { description: 'Share of its direct dependents that are alerting or lead to alerts.' })
  precision: number;

  @Field({ description: 'Whether it is alerting itself.' })
  alerting: boolean;

  @Field({ description: 'Whether its alerts (or, when silent, those nearest to it) started first among those it explains.' })
  startedFirst: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When its own first alert started.' })
  firstAlertAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the earliest alert it explains started.' })
  earliestExplainedAt: Date | null;

  @Field(() => [String], { description: 'Alerting CIs it depends on (if any, it may be a victim rather than the cause).' })
  dependenciesAlerting: string[];

  @Field(() => [ChangeModel], { description: 'Its changes shortly before the alerts (most recent first).' })
  recentChanges: ChangeModel[];

  @Field(() => [String], { description: 'An example chain from an explained alerting CI down to this candidate.' })
  exampleChain: string[];
}

@ObjectType({ description: 'A CI whose failure would explain alerts, ranked.' })
export class RootCauseCandidate {
  @Field({ description: 'The CI key.' })
  key: string;

  @Field(() => CIKind, { description: 'The CI kind.' })
  kind: CIKind;

  @Field(() => Float, { description: 'Score in [0, 1]; higher is more likely the cause.' })
  score: number;

  @Field(() => Int, { description: 'Rank, 1 = most likely.' })
  rank: number;

  @Field(() => [String], { description: 'Ids of the alerts its failure explains.' })
  explainedAlerts: string[];

  @Field(() => Int, { description: 'How many alerts it explains.' })
  explainedCount: number;

  @Field(() => Int, { description: 'How many alerts it leaves unexplained.' })
  unexplainedCount: number;

  @Field(() => RootCauseEvidence, { description: 'The evidence behind the score.' })
  evidence: RootCauseEvidence;
}

@ObjectType({ description: 'Ranked root-cause candidates for a set of alerts.' })
export class RootCauseResult {
  @Field(() => Int, { description: 'Alerts on CIs the map knows.' })
  alertCount: number;

  @Field(() => [RootCauseCandidate], { description: 'Candidates, most likely first.' })
  candidates: RootCauseCandidate[];

  @Field(() => [AlertRef], { description: 'Alerts on keys the map does not know; never dropped silently.' })
  unmatched: AlertRef[];
}

@ObjectType({ description: 'A correlated group of alerts: one incident, its probable cause and its business priority.' })
export class IncidentGroup {
  @Field({ description: 'Stable id derived from its alerts.' })
  id: string;

  @Field(() => Int, { description: 'Position, 1 = most urgent.' })
  rank: number;

  @Field(() => GraphQLISODateTime, { description: 'When its first alert started.' })
  startedAt: Date;

  @Field(() => [AlertRef], { description: 'Its alerts, oldest first.' })
  alerts: AlertRef[];

  @Field(() => RootCauseCandidate, { description: 'The most likely cause.' })
  probableCause: RootCauseCandidate;

  @Field(() => [RootCauseCandidate], { description: 'The top candidates (up to 3), most likely first.' })
  candidates: RootCauseCandidate[];

  @Field(() => Float, { description: 'Business impact score of the probable cause failing (docs/impact.md).' })
  score: number;

  @Field(() => PriorityEnum, { description: 'Business priority.' })
  priority: PriorityEnum;

  @Field(() => [BusinessImpact], { description: 'Business functions and services the probable cause failing hurts.' })
  businessImpacts: BusinessImpact[];

  @Field(() => Int, { description: 'How many CIs the probable cause failing impacts.' })
  impactedCount: number;
}

@ObjectType({ description: 'An alert storm split into incidents, most urgent first.' })
export class CorrelationResult {
  @Field(() => [IncidentGroup], { description: 'The incidents, most urgent first.' })
  incidents: IncidentGroup[];

  @Field(() => [AlertRef], { description: 'Alerts on keys the map does not know.' })
  unmatched: AlertRef[];
}
