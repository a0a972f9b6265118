import { Field, Int, ObjectType } from '@nestjs/graphql';
import { CI, Dependency } from './ci.model';

@ObjectType({ description: 'What upsertCIs did, item by item.' })
export class UpsertCIsResult {
  @Field(() => [CI], { description: 'The CIs as stored after the call, in input order.' })
  cis: CI[];

  @Field(() => Int, { description: 'How many were new.' })
  created: number;

  @Field(() => Int, { description: 'How many existed and changed.' })
  updated: number;

  @Field(() => Int, { description: 'How many existed and were already as given.' })
  unchanged: number;
}

@ObjectType({ description: 'What upsertDependencies did.' })
export class UpsertDependenciesResult {
  @Field(() => [Dependency], { description: 'The dependencies as stored after the call, in input order.' })
  dependencies: Dependency[];

  @Field(() => Int, { description: 'How many were new.' })
  created: number;

  @Field(() => Int, { description: 'How many existed and changed type or strength.' })
  updated: number;

  @Field(() => Int, { description: 'How many existed and were already as given.' })
  unchanged: number;
}

@ObjectType({ description: 'What a delete did. Deleting something absent is not an error, so a retry is safe.' })
export class DeleteResult {
  @Field(() => Int, { description: 'How many were deleted.' })
  deleted: number;

  @Field(() => [String], { description: 'Keys (or `from->to` pairs) that did not exist.' })
  notFound: string[];

  @Field(() => Int, { description: 'Dependencies removed along with deleted CIs (with detach: true).' })
  detachedDependencies: number;
}
