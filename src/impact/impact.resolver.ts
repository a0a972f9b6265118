import { Inject } from '@nestjs/common';
import { Args, Context, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { CanRead } from '../auth/roles';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { BatchLoader, loaderFor } from '../common/graphql/batch-loader';
import { toCiModel } from '../topology/models/ci.mapper';
import { CI } from '../topology/models/ci.model';
import { CiRecord } from '../topology/topology.types';
import { TopologyService } from '../topology/topology.service';
import { CIKind } from '../topology/topology.vocabulary';
import { IncidentInput } from './dto/incident.input';
import { BlastRadiusAnswer, ImpactService } from './impact.service';
import { ImpactStateEnum, PriorityEnum } from './impact.vocabulary';
import { FetchedMap } from './impact.repository';
import { BlastRadius, DependencyMap, ImpactedCI, ImpactedCIConnection, MapEdge } from './models/blast-radius.model';
import { WholeCis, toBusinessImpact, wholeCisFor } from './models/business-impact.mapper';
import { PrioritizedIncident } from './models/prioritized-incident.model';

function toBlastRadius(answer: BlastRadiusAnswer, whole: WholeCis): BlastRadius {
  return Object.assign(new BlastRadius(), {
    failedKeys: answer.failedKeys,
    maxDepth: answer.maxDepth,
    depthLimited: answer.depthLimited,
    score: answer.score,
    priority: answer.priority as PriorityEnum,
    businessImpacts: answer.businessImpacts.map((impact) => toBusinessImpact(impact, whole)),
    totals: { ...answer.totals, byKind: answer.totals.byKind.map((k) => ({ ...k, kind: k.kind as CIKind })) },
    misconfiguredGroups: answer.result.misconfiguredGroups,
    answer,
  });
}

function toMap(map: FetchedMap): DependencyMap {
  const nodes = map.nodes.map(toCiModel);
  return { root: nodes[0], nodes, edges: map.edges as MapEdge[], truncated: map.truncated };
}

const cursorOf = (index: number) => Buffer.from(`impacted:${index}`).toString('base64url');
/** The place a cursor of cursorOf stands for; null for anything else. */
function indexOf(cursor: string): number | null {
  const match = /^impacted:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match && cursorOf(Number(match[1])) === cursor ? Number(match[1]) : null;
}

@Resolver(() => BlastRadius)
export class BlastRadiusResolver {
  constructor(
    private readonly impact: ImpactService,
    private readonly topology: TopologyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @CanRead()
  @Query(() => BlastRadius, { description: 'What is hurt, and how badly, if these CIs fail together (what-if). Unknown keys are NOT_FOUND.' })
  async blastRadius(
    @Args('keys', { type: () => [String], description: 'The CIs assumed failed.' }) keys: string[],
    @Args('maxDepth', { type: () => Int, nullable: true, description: 'Hops to walk (default SVCMAP_BLAST_DEFAULT_DEPTH = 50, at most SVCMAP_BLAST_MAX_DEPTH = 100).' })
    maxDepth: number | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<BlastRadius> {
    const answer = await this.impact.blastRadius(keys, maxDepth);
    return toBlastRadius(answer, await wholeCisFor(info, ['businessImpacts', 'ci'], answer.businessImpacts, this.topology));
  }

  @CanRead()
  @Query(() => DependencyMap, { description: 'What a CI depends on, transitively, as nodes and edges. An unknown key is NOT_FOUND.' })
  async upstream(
    @Args('key', { description: 'The CI key.' }) key: string,
    @Args('maxDepth', { type: () => Int, nullable: true, description: 'Hops to walk (default SVCMAP_BLAST_DEFAULT_DEPTH = 50, at most SVCMAP_BLAST_MAX_DEPTH = 100).' })
    maxDepth: number | null,
  ): Promise<DependencyMap> {
    return toMap(await this.impact.upstream(key, maxDepth));
  }

  @CanRead()
  @Query(() => DependencyMap, {
    description: 'The whole subgraph a business function or service depends on, ready to draw: SVCMAP_BLAST_MAX_DEPTH hops at most. An unknown key is NOT_FOUND.',
  })
  async serviceMap(@Args('key', { description: 'The business function or service key.' }) key: string): Promise<DependencyMap> {
    return toMap(await this.impact.serviceMap(key));
  }

  @CanRead()
  @Mutation(() => [PrioritizedIncident], {
    description: 'Ranks incidents by business impact, most urgent first, each with a priority and one sentence why. Reads only; it is a mutation so tools can send batches.',
  })
  async prioritizeIncidents(
    @Args('incidents', { type: () => [IncidentInput], description: 'The incidents, at most 500.' }) incidents: IncidentInput[],
    @Info() info: GraphQLResolveInfo,
  ): Promise<PrioritizedIncident[]> {
    const answers = await this.impact.prioritizeIncidents(incidents);
    const whole = await wholeCisFor(info, ['businessImpacts', 'ci'], answers.flatMap((i) => i.businessImpacts), this.topology);
    return answers.map((i) => ({
      ...i,
      priority: i.priority as PriorityEnum,
      technicalPriority: i.technicalPriority as PriorityEnum | null,
      businessImpacts: i.businessImpacts.map((impact) => toBusinessImpact(impact, whole)),
    }));
  }

  @ResolveField(() => ImpactedCIConnection, { description: 'Every impacted CI, failed ones first, then by distance and key; paged.' })
  impacted(
    @Parent() blast: BlastRadius,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size: at most SVCMAP_MAX_PAGE; 100 (or SVCMAP_MAX_PAGE when smaller) when not given.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor after which the page starts.' }) after: string | null,
    @Args('states', { type: () => [ImpactStateEnum], nullable: true, description: 'Only these states.' }) states: ImpactStateEnum[] | null,
    @Args('kinds', { type: () => [CIKind], nullable: true, description: 'Only these kinds.' }) kinds: CIKind[] | null,
  ): ImpactedCIConnection {
    // Checked as every other page is: `first` against SVCMAP_MAX_PAGE, `after` as one of this list's cursors.
    const problems: FieldProblem[] = [];
    const maxPage = this.config.limits.maxPageSize;
    const size = first ?? Math.min(100, maxPage);
    if (!Number.isInteger(size) || size < 0 || size > maxPage) problems.push({ path: 'first', message: `must be from 0 to ${maxPage}` });
    const afterIndex = after === null || after === undefined ? -1 : indexOf(after);
    if (afterIndex === null) problems.push({ path: 'after', message: 'is not a cursor returned by this API' });
    if (problems.length) throw DomainError.badInput(problems);
    const { result, kindAt } = blast.answer;
    // Places in result.impacted, whose states and kinds are read by place: only the page's entries are built.
    const matching: number[] = [];
    for (let at = 0; at < result.count; at++) {
      const state = result.downAt[at] ? ImpactStateEnum.DOWN : ImpactStateEnum.DEGRADED;
      if ((!states?.length || states.includes(state)) && (!kinds?.length || kinds.includes(kindAt(at) as CIKind))) matching.push(at);
    }
    const start = (afterIndex ?? -1) + 1;
    const page = matching.slice(start, start + size);
    const edges = page.map((at, i) => {
      const item = result.entryAt(at);
      const node = Object.assign(new ImpactedCI(), { ...item, kind: kindAt(at) as CIKind, state: item.state as ImpactStateEnum });
      // Found only when the query selects it: a chain is a walk.
      Object.defineProperty(node, 'chain', { get: () => result.chainOf(item.key), enumerable: true });
      return { cursor: cursorOf(start + i), node };
    });
    return { edges, totalCount: matching.length, pageInfo: { hasNextPage: start + size < matching.length, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

@Resolver(() => ImpactedCI)
export class ImpactedCiResolver {
  constructor(private readonly topology: TopologyService) {}

  @ResolveField(() => CI, { nullable: true, description: 'The full CI (loaded for the CIs of the page only).' })
  async ci(@Parent() impacted: ImpactedCI, @Context() context: object): Promise<CI | null> {
    const loader = loaderFor(context, 'impact.ci', () => new BatchLoader<string, CiRecord | null>((keys) => this.topology.findCis(keys), null));
    const record = await loader.load(impacted.key);
    return record && toCiModel(record);
  }
}
