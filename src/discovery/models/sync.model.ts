import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONValueScalar } from '../../common/graphql/json-value.scalar';
import { SyncStatus } from '../sync.types';

@ObjectType({ description: 'What a committed sync did to CIs or to dependencies.' })
export class SyncCountsModel {
  @Field(() => Int, { description: 'New items.' })
  created: number;

  @Field(() => Int, { description: 'Items whose fields changed.' })
  updated: number;

  @Field(() => Int, { description: 'Items reported as they were (each counted once per sync).' })
  unchanged: number;

  @Field(() => Int, { description: 'Items no source reports any more (and no person created): now STALE.' })
  markedStale: number;

  @Field(() => Int, { description: 'STALE or RETIRED items reported again: ACTIVE once more.' })
  revived: number;
}

@ObjectType('SyncReport', { description: 'The outcome of a committed sync.' })
export class SyncReportModel {
  @Field(() => ID, { description: 'The sync.' })
  syncId: string;

  @Field({ description: 'The source it synced.' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The scope within the source; null for the whole source.' })
  scope: string | null;

  @Field(() => SyncCountsModel, { description: 'What it did to CIs.' })
  cis: SyncCountsModel;

  @Field(() => SyncCountsModel, { description: 'What it did to dependencies.' })
  dependencies: SyncCountsModel;

  @Field(() => Int, { description: 'From beginSync to the end of the commit, in milliseconds.' })
  durationMs: number;

  @Field(() => GraphQLISODateTime, { description: 'When the commit finished.' })
  committedAt: Date;
}

@ObjectType('Sync', { description: 'A full sync of one source (and scope): begun, fed batches, then committed or aborted.' })
export class SyncModel {
  @Field(() => ID, { description: 'Pass it to pushSyncBatch, commitSync and abortSync.' })
  id: string;

  @Field({ description: 'The source, e.g. `aws:123456789012`.' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The part of the source it covers (a region, a namespace); null for the whole source.' })
  scope: string | null;

  @Field(() => SyncStatus, { description: 'Where it is in its life.' })
  status: SyncStatus;

  @Field(() => GraphQLISODateTime, { description: 'When it began.' })
  startedAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it expires unless a batch or the commit comes first (each batch extends it).' })
  expiresAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was committed, aborted or expired.' })
  finishedAt: Date | null;

  @Field({ description: 'Name of the API key that began it.' })
  startedBy: string;

  @Field(() => Int, { description: 'Batches pushed so far.' })
  batches: number;

  @Field(() => Int, { description: 'Items (CIs and dependencies) pushed so far, repeats included.' })
  items: number;

  @Field(() => SyncReportModel, { nullable: true, description: 'The report, once committed.' })
  report: SyncReportModel | null;
}

@ObjectType({ description: 'What one pushSyncBatch did.' })
export class BatchCountsModel {
  @Field(() => Int, { description: 'New items.' })
  created: number;

  @Field(() => Int, { description: 'Items whose fields changed.' })
  updated: number;

  @Field(() => Int, { description: 'Items as they were (or whose reported values lost to precedence).' })
  unchanged: number;
}

@ObjectType({ description: 'The outcome of one batch of a sync.' })
export class SyncBatchResult {
  @Field(() => SyncModel, { description: 'The sync after the batch (its expiry extended).' })
  sync: SyncModel;

  @Field(() => BatchCountsModel, { description: 'What the batch did to CIs.' })
  cis: BatchCountsModel;

  @Field(() => BatchCountsModel, { description: 'What the batch did to dependencies.' })
  dependencies: BatchCountsModel;
}

@ObjectType({ description: 'How fresh one (source, scope) is: its last committed sync, and the one now open.' })
export class SourceSync {
  @Field({ description: 'The source.' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The scope; null for the whole source.' })
  scope: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When its last sync was committed; null if none was.' })
  lastCommittedAt: Date | null;

  @Field(() => SyncModel, { nullable: true, description: 'The last committed sync.' })
  lastSync: SyncModel | null;

  @Field(() => SyncReportModel, { nullable: true, description: "The last committed sync's report." })
  lastReport: SyncReportModel | null;

  @Field(() => SyncModel, { nullable: true, description: 'The sync open now, if any.' })
  openSync: SyncModel | null;
}

@ObjectType({ description: 'A discovery source that reports a CI or dependency.' })
export class SourceClaim {
  @Field({ description: 'The source.' })
  source: string;

  @Field(() => String, { nullable: true, description: 'The scope of the source that reports it; null for the whole source.' })
  scope: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When that source last reported it (in a committed sync, unless pending).' })
  lastSeenAt: Date;

  @Field({ description: 'True when only a sync still open reports it: it counts once that sync commits.' })
  pending: boolean;
}

@ObjectType({ description: 'A value that lost to attribute precedence, kept as provenance.' })
export class OverriddenValue {
  @Field({ description: 'The field, as in the CI or Dependency type.' })
  field: string;

  @Field({ description: 'Who wanted it: a source name, or `person` for a value a person set.' })
  source: string;

  @Field(() => JSONValueScalar, { nullable: true, description: 'The losing value.' })
  value: unknown;

  @Field(() => GraphQLISODateTime, { description: 'When it lost.' })
  at: Date;
}
