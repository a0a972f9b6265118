import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CanRead } from '../auth/roles';
import { CI } from '../topology/models/ci.model';
import { ChangeFilterInput } from './dto/change-filter.input';
import { ChangeConnection, ChangeModel } from './models/change.model';
import { ChangePage, HistoryService, encodeChangeCursor } from './history.service';

function toConnection(page: ChangePage): ChangeConnection {
  const edges = page.items.map((item) => ({
    cursor: encodeChangeCursor(item),
    node: Object.assign(new ChangeModel(), item, { at: new Date(item.at) }),
  }));
  return { edges, totalCount: page.total, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}

@Resolver(() => CI)
export class HistoryResolver {
  constructor(private readonly historyService: HistoryService) {}

  @CanRead()
  @Query(() => ChangeConnection, { description: 'The change log, newest first: who changed what, when, through which source.' })
  async changes(
    @Args('filter', { type: () => ChangeFilterInput, nullable: true, description: 'Time range, actor, source, CI keys.' }) filter: ChangeFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'Page size.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor after which the page starts.' }) after: string | null,
  ): Promise<ChangeConnection> {
    return toConnection(await this.historyService.list(filter ?? {}, first ?? undefined, after ?? undefined));
  }

  @ResolveField(() => ChangeConnection, { description: 'Changes to this CI and to the dependencies it consumes, newest first.' })
  async history(
    @Parent() ci: CI,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'Page size.' }) first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'Cursor after which the page starts.' }) after: string | null,
  ): Promise<ChangeConnection> {
    return toConnection(await this.historyService.list({ keys: [ci.key] }, first ?? undefined, after ?? undefined));
  }
}
