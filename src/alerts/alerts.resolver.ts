import { Args, Context, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { CanRead, CanSync } from '../auth/roles';
import { Actor } from '../common/actor';
import { BatchLoader, loaderFor } from '../common/graphql/batch-loader';
import { CurrentActor } from '../common/graphql/current-actor.decorator';
import { toIncidentGroup } from '../root-cause/models/root-cause.mapper';
import { wholeCisFor } from '../impact/models/business-impact.mapper';
import { IncidentGroup } from '../root-cause/models/root-cause.model';
import { toCiModel } from '../topology/models/ci.mapper';
import { CI } from '../topology/models/ci.model';
import { CiRecord } from '../topology/topology.types';
import { TopologyService } from '../topology/topology.service';
import { AlertRecord, ReadRule, effectiveStatus } from './alerts.types';
import { AlertsService, encodeAlertCursor } from './alerts.service';
import { AlertFilterInput } from './dto/alert-filter.input';
import { AlertIngestInput } from './dto/alert-ingest.input';
import { Alert, AlertConnection, AlertKeyCandidateVia, IngestResult } from './models/alert.model';

export function toAlertModel(record: AlertRecord, rule: ReadRule): Alert {
  return Object.assign(new Alert(), {
    ...record,
    candidates: record.candidates.map((c) => ({ via: c.via as AlertKeyCandidateVia, value: c.value })),
    status: effectiveStatus(record, rule),
    startsAt: new Date(record.startsAt),
    endsAt: record.endsAt === null ? null : new Date(record.endsAt),
    receivedAt: new Date(record.receivedAt),
    updatedAt: new Date(record.updatedAt),
    lastNotifiedAt: new Date(record.lastNotifiedAt),
  });
}

@Resolver(() => Alert)
export class AlertsResolver {
  constructor(
    private readonly alertsService: AlertsService,
    private readonly topology: TopologyService,
  ) {}

  @CanSync()
  @Mutation(() => IngestResult, {
    description:
      'Stores alerts from any tool in one transaction, each matched to a CI by key or labels; unmatched alerts are stored too. Sending the same alert again changes nothing; a RESOLVED one resolves it. DISCOVERY keys need the source alerts:api (or alerts:*).',
  })
  ingestAlerts(
    @Args('alerts', { type: () => [AlertIngestInput], description: 'The alerts; at most SVCMAP_MAX_BATCH per call.' }) alerts: AlertIngestInput[],
    @CurrentActor() actor: Actor,
  ): Promise<IngestResult> {
    return this.alertsService.ingest(alerts, actor);
  }

  @CanRead()
  @Query(() => AlertConnection, { description: 'Received alerts, newest first (by startsAt), filtered and paginated (Relay-style).' })
  async alerts(
    @Args('filter', { type: () => AlertFilterInput, nullable: true, description: 'Conditions the alerts must meet.' }) filter: AlertFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'Page size (maximum SVCMAP_MAX_PAGE).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor after which the page starts.' }) after: string | null,
  ): Promise<AlertConnection> {
    const page = await this.alertsService.list(filter ?? {}, first ?? undefined, after ?? undefined);
    const edges = page.items.map((item) => ({ cursor: encodeAlertCursor(item), node: toAlertModel(item, page.rule) }));
    return { edges, totalCount: page.total, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @CanRead()
  @Query(() => [IncidentGroup], {
    description:
      'The incidents the stored alerts make now: active alerts that name a CI, correlated by time and topology, each with its probable cause and business priority, most urgent first. An active alert whose CI was deleted after it arrived is in no incident: `alerts(filter: { statuses: [ACTIVE], ciMissing: true })` lists those.',
  })
  async activeIncidents(@Info() info: GraphQLResolveInfo): Promise<IncidentGroup[]> {
    const { incidents } = await this.alertsService.activeIncidents();
    const whole = await wholeCisFor(info, ['businessImpacts', 'ci'], incidents.flatMap((i) => i.businessImpacts), this.topology);
    return incidents.map((i) => toIncidentGroup(i, whole));
  }

  @ResolveField(() => CI, { nullable: true, description: 'The CI the alert is about; null when unmatched (or the CI is gone).' })
  async ci(@Parent() alert: Alert, @Context() context: object): Promise<CI | null> {
    if (alert.key === null) return null;
    const loader = loaderFor(context, 'alerts.ci', () => new BatchLoader<string, CiRecord | null>((keys) => this.topology.findCis(keys), null));
    const record = await loader.load(alert.key);
    return record && toCiModel(record);
  }
}
