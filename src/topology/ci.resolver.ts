import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CanEdit, CanRead } from '../auth/roles';
import { Actor } from '../common/actor';
import { BatchLoader, loaderFor } from '../common/graphql/batch-loader';
import { CurrentActor } from '../common/graphql/current-actor.decorator';
import { CIFilterInput } from './dto/ci-filter.input';
import { CIInput } from './dto/ci.input';
import { DependencyInput, DependencyRefInput } from './dto/dependency.input';
import { CIConnection } from './models/ci-connection.model';
import { toCiModel, toDependencyModel } from './models/ci.mapper';
import { CI, Dependency } from './models/ci.model';
import { DeleteResult, UpsertCIsResult, UpsertDependenciesResult } from './models/write-results.model';
import { DependencyWithEnds } from './topology.types';
import { NeighbourPage, TopologyService, encodeCursor } from './topology.service';

@Resolver(() => CI)
export class CiResolver {
  constructor(private readonly topology: TopologyService) {}

  @CanRead()
  @Query(() => CI, { nullable: true, description: 'One CI by key; null when no CI has that key.' })
  async ci(@Args('key', { description: 'The CI key.' }) key: string): Promise<CI | null> {
    const record = await this.topology.findCi(key);
    return record && toCiModel(record);
  }

  @CanRead()
  @Query(() => CIConnection, { description: 'CIs in key order, filtered and paginated (Relay-style).' })
  async cis(
    @Args('filter', { type: () => CIFilterInput, nullable: true, description: 'Conditions the CIs must meet.' }) filter: CIFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'Page size (maximum SVCMAP_MAX_PAGE).' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor after which the page starts.' }) after: string | null,
  ): Promise<CIConnection> {
    const page = await this.topology.listCis(filter ?? {}, first ?? undefined, after ?? undefined);
    const edges = page.items.map((item) => ({ cursor: encodeCursor(item.key), node: toCiModel(item) }));
    return {
      edges,
      totalCount: page.total,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @ResolveField(() => [Dependency], { description: 'What this CI needs, one edge per provider, ordered by provider key; a page of them with first and after.' })
  async dependencies(
    @Parent() ci: CI,
    @Context() context: object,
    @Args('first', { type: () => Int, nullable: true, description: 'At most this many (0 to SVCMAP_MAX_PAGE); all when absent.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Only providers whose key sorts after this one: the last key of the previous page.' }) after: string | null,
  ): Promise<Dependency[]> {
    return (await this.loader(context, 'providers', { first, after }).load(ci.key)).map(toDependencyModel);
  }

  @ResolveField(() => [Dependency], { description: 'What needs this CI, one edge per consumer, ordered by consumer key; a page of them with first and after.' })
  async dependents(
    @Parent() ci: CI,
    @Context() context: object,
    @Args('first', { type: () => Int, nullable: true, description: 'At most this many (0 to SVCMAP_MAX_PAGE); all when absent.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Only consumers whose key sorts after this one: the last key of the previous page.' }) after: string | null,
  ): Promise<Dependency[]> {
    return (await this.loader(context, 'consumers', { first, after }).load(ci.key)).map(toDependencyModel);
  }

  @ResolveField(() => Int, { description: 'How many dependencies this CI has (the length of dependencies without a page).' })
  async dependencyCount(@Parent() ci: CI, @Context() context: object): Promise<number> {
    return this.countLoader(context, 'providers').load(ci.key);
  }

  @ResolveField(() => Int, { description: 'How many CIs depend on this one (the length of dependents without a page).' })
  async dependentCount(@Parent() ci: CI, @Context() context: object): Promise<number> {
    return this.countLoader(context, 'consumers').load(ci.key);
  }

  @CanEdit()
  @Mutation(() => UpsertCIsResult, { description: 'Creates or updates CIs in one transaction: all of them or none.' })
  async upsertCIs(
    @Args('input', { type: () => [CIInput], description: 'The CIs; at most SVCMAP_MAX_BATCH per call.' }) input: CIInput[],
    @CurrentActor() actor: Actor,
  ): Promise<UpsertCIsResult> {
    const outcome = await this.topology.upsertCis(input, actor);
    return { ...outcome, cis: outcome.cis.map(toCiModel) };
  }

  @CanEdit()
  @Mutation(() => DeleteResult, { description: 'Deletes CIs in one transaction. A CI others depend on is only deleted with detach: true.' })
  deleteCIs(
    @Args('keys', { type: () => [String], description: 'Keys of the CIs to delete.' }) keys: string[],
    @Args('detach', { type: () => Boolean, nullable: true, description: 'Also remove the dependencies of other CIs on these.' }) detach: boolean | null,
    @CurrentActor() actor: Actor,
  ): Promise<DeleteResult> {
    return this.topology.deleteCis(keys, detach ?? false, actor);
  }

  @CanEdit()
  @Mutation(() => UpsertDependenciesResult, { description: 'Creates or updates dependencies in one transaction: all of them or none.' })
  async upsertDependencies(
    @Args('input', { type: () => [DependencyInput], description: 'The dependencies; at most SVCMAP_MAX_BATCH per call.' }) input: DependencyInput[],
    @CurrentActor() actor: Actor,
  ): Promise<UpsertDependenciesResult> {
    const outcome = await this.topology.upsertDependencies(input, actor);
    return { ...outcome, dependencies: outcome.dependencies.map(toDependencyModel) };
  }

  @CanEdit()
  @Mutation(() => DeleteResult, { description: 'Deletes dependencies in one transaction.' })
  deleteDependencies(
    @Args('input', { type: () => [DependencyRefInput], description: 'The dependencies, by their two ends.' }) input: DependencyRefInput[],
    @CurrentActor() actor: Actor,
  ): Promise<DeleteResult> {
    return this.topology.deleteDependencies(input, actor);
  }

  /** One loader per direction and page: the CIs of a query that ask for the same page are read together. */
  private loader(context: object, direction: 'providers' | 'consumers', page: NeighbourPage): BatchLoader<string, DependencyWithEnds[]> {
    const id = `topology.${direction} ${JSON.stringify([page.first ?? null, page.after ?? null])}`;
    return loaderFor(context, id, () => new BatchLoader((keys) => this.topology.neighbours(keys, direction, page), []));
  }

  private countLoader(context: object, direction: 'providers' | 'consumers'): BatchLoader<string, number> {
    return loaderFor(context, `topology.${direction}.count`, () => new BatchLoader((keys) => this.topology.neighbourCounts(keys, direction), 0));
  }
}
