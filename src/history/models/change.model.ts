import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { JSONValueScalar } from '../../common/graphql/json-value.scalar';
import { PageInfo } from '../../topology/models/ci-connection.model';
import { ChangeEntity, ChangeOperation } from '../history.types';

@ObjectType({ description: 'One field a change touched, with its value before and after.' })
export class FieldChangeModel {
  @Field({ description: 'The field name, as in the CI or Dependency type.' })
  field: string;

  @Field(() => JSONValueScalar, { nullable: true, description: 'The value before; null when it had none.' })
  from: unknown;

  @Field(() => JSONValueScalar, { nullable: true, description: 'The value after; null when it was cleared or deleted.' })
  to: unknown;
}

@ObjectType('Change', { description: 'A recorded change to a CI or a dependency: who, when, from which source, what.' })
export class ChangeModel {
  @Field({ description: 'Unique id of the change.' })
  id: string;

  @Field(() => GraphQLISODateTime, { description: 'When the change was committed.' })
  at: Date;

  @Field({ description: 'Who made it: the API key name (or `seed`, `system`).' })
  actor: string;

  @Field({ description: 'Through which source: `api` for edits, else the discovery source or topology file.' })
  source: string;

  @Field(() => ChangeOperation, { description: 'Create, update or delete.' })
  operation: ChangeOperation;

  @Field(() => ChangeEntity, { description: 'A CI or a dependency.' })
  entity: ChangeEntity;

  @Field({ description: 'The CI key, or the consumer key of a dependency.' })
  key: string;

  @Field(() => String, { nullable: true, description: 'The provider key of a dependency; null for CI changes.' })
  to: string | null;

  @Field(() => [FieldChangeModel], { description: 'The fields it changed, from what to what.' })
  fields: FieldChangeModel[];
}

@ObjectType({ description: 'One change in a page, with its cursor.' })
export class ChangeEdge {
  @Field({ description: 'Opaque position of this item.' })
  cursor: string;

  @Field(() => ChangeModel, { description: 'The change.' })
  node: ChangeModel;
}

@ObjectType({ description: 'A page of changes, newest first.' })
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: 'The changes of this page.' })
  edges: ChangeEdge[];

  @Field(() => PageInfo, { description: 'Whether and where the list goes on.' })
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'How many changes match in all.' })
  totalCount: number;
}
