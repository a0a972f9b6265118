import { Field, Int, ObjectType } from '@nestjs/graphql';
import { CI } from './ci.model';

@ObjectType({ description: 'Relay-style page information.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass as `after` for the next page.' })
  endCursor: string | null;
}

@ObjectType({ description: 'One CI in a page, with its cursor.' })
export class CIEdge {
  @Field({ description: 'Opaque position of this item.' })
  cursor: string;

  @Field(() => CI, { description: 'The CI.' })
  node: CI;
}

@ObjectType({ description: 'A page of CIs in key order.' })
export class CIConnection {
  @Field(() => [CIEdge], { description: 'The CIs of this page.' })
  edges: CIEdge[];

  @Field(() => PageInfo, { description: 'Whether and where the list goes on.' })
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'How many CIs match the filter in all.' })
  totalCount: number;
}
