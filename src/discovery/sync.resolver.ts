import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CanRead, RequireRole } from '../auth/roles';
import { Actor } from '../common/actor';
import { CurrentActor } from '../common/graphql/current-actor.decorator';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { toSourceSyncModel, toSyncModel } from './models/sync.mapper';
import { SourceSync, SyncBatchResult, SyncModel, SyncReportModel } from './models/sync.model';
import { SYNC_WRITER_ROLES } from './sync-access';
import { SyncService } from './sync.service';

/** The discovery sync API; transport only (see SyncService). */
@Resolver(() => SyncModel)
export class SyncResolver {
  constructor(private readonly syncs: SyncService) {}

  @RequireRole(...SYNC_WRITER_ROLES)
  @Mutation(() => SyncModel, {
    description:
      'Begins a full sync of a source (and scope): DISCOVERY keys for their sources, ADMIN any, ARCHITECT `topology-file:*`. One open sync per (source, scope): a second is a CONFLICT naming the open one, unless it expired.',
  })
  async beginSync(
    @Args('source', { description: 'The source, e.g. `aws:123456789012`, `k8s:prod-eu`, `terraform:network`, `backstage`: 1-256 characters, no whitespace.' }) source: string,
    @Args('scope', { type: () => String, nullable: true, description: 'The part of the source this sync covers (a region, a namespace); omit for the whole source.' }) scope: string | null,
    @CurrentActor() actor: Actor,
  ): Promise<SyncModel> {
    return toSyncModel(await this.syncs.beginSync(source, scope ?? null, actor));
  }

  @RequireRole(...SYNC_WRITER_ROLES)
  @Mutation(() => SyncBatchResult, {
    description:
      'Pushes CIs and dependencies of an open sync, in one transaction; at most SVCMAP_MAX_BATCH items together. Idempotent. Dependencies may name CIs of earlier batches or already in the graph. Their claims count once the sync commits.',
  })
  async pushSyncBatch(
    @Args('syncId', { type: () => ID, description: 'The sync, from beginSync.' }) syncId: string,
    @Args('cis', { type: () => [CIInput], nullable: true, description: 'CIs the source sees; `identifiers` let a new key name an existing CI.' }) cis: CIInput[] | null,
    @Args('dependencies', { type: () => [DependencyInput], nullable: true, description: 'Dependencies the source sees.' }) dependencies: DependencyInput[] | null,
    @CurrentActor() actor: Actor,
  ): Promise<SyncBatchResult> {
    const outcome = await this.syncs.pushBatch(syncId, cis, dependencies, actor);
    return { ...outcome, sync: toSyncModel(outcome.sync) };
  }

  @RequireRole(...SYNC_WRITER_ROLES)
  @Mutation(() => SyncReportModel, {
    description:
      'Commits a sync: what its source (and scope) reported before and not in this sync loses that claim; what then nobody reports and no person created becomes STALE. Committing again returns the same report.',
  })
  async commitSync(@Args('syncId', { type: () => ID, description: 'The sync.' }) syncId: string, @CurrentActor() actor: Actor): Promise<SyncReportModel> {
    const sync = toSyncModel(await this.syncs.commitSync(syncId, actor));
    return sync.report!;
  }

  @RequireRole(...SYNC_WRITER_ROLES)
  @Mutation(() => SyncModel, { description: 'Aborts a sync: its pending claims are discarded and nothing loses a claim. Aborting again is harmless.' })
  async abortSync(@Args('syncId', { type: () => ID, description: 'The sync.' }) syncId: string, @CurrentActor() actor: Actor): Promise<SyncModel> {
    return toSyncModel(await this.syncs.abortSync(syncId, actor));
  }

  @CanRead()
  @Query(() => SyncModel, { nullable: true, description: 'One sync by id; null when there is none.' })
  async sync(@Args('id', { type: () => ID, description: 'The sync id.' }) id: string): Promise<SyncModel | null> {
    const record = await this.syncs.findSync(id);
    return record && toSyncModel(record);
  }

  @CanRead()
  @Query(() => [SourceSync], { description: 'Per (source, scope) that ever synced: its last committed sync with the report, and any open one; by source, then scope.' })
  async sourceSyncs(
    @Args('source', { type: () => String, nullable: true, description: 'Only this source.' }) source: string | null,
  ): Promise<SourceSync[]> {
    return (await this.syncs.sourceSyncs(source ?? null)).map(toSourceSyncModel);
  }
}


