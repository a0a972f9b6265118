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
import { TopologyService, encodeCursor } from './topology.service';

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

  @ResolveField(() => [Dependency], { description: 'What this CI needs, one edge per provider, ordered by provider key.' })
  async dependencies(@Parent() ci: CI, @Context() context: object): Promise<Dependency[]> {
    return (await this.loader(context, 'providers').load(ci.key)).map(toDependencyModel);
  }

  @ResolveField(() => [Dependency], { description: 'What needs this CI, one edge per consumer, ordered by consumer key.' })
  async dependents(@Parent() ci: CI, @Context() context: object): Promise<Dependency[]> {
    return (await this.loader(context, 'consumers').load(ci.key)).map(toDependencyModel);
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

  private loader(context: object, direction: 'providers' | 'consumers'): BatchLoader<string, DependencyWithEnds[]> {
    return loaderFor(context, `topology.${direction}`, () => new BatchLoader((keys) => this.topology.neighbours(keys, direction), []));
  }
}
