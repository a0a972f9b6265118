import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { Role } from '../roles';

@ObjectType({ description: 'An API key, without its secret (only a hash of it is stored).' })
export class ApiKey {
  @Field({ description: 'Unique name, recorded as the actor of every change made with this key.' })
  name: string;

  @Field(() => Role, { description: 'What the key may do.' })
  role: Role;

  @Field(() => [String], { description: 'DISCOVERY keys: the sources it may sync, as patterns (`aws:*`).' })
  sources: string[];

  @Field({ description: 'The first characters of the secret, to tell keys apart.' })
  prefix: string;

  @Field(() => GraphQLISODateTime, { description: 'When it was created.' })
  createdAt: Date;

  @Field({ description: 'Who created it.' })
  createdBy: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; null while it works.' })
  revokedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'About when it was last used (updated at most once a minute).' })
  lastUsedAt: Date | null;
}

@ObjectType({ description: 'A new API key and its secret, which is shown this once and never again.' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key.' })
  key: ApiKey;

  @Field({ description: 'The secret to send as `Authorization: Bearer <secret>`.' })
  secret: string;
}

@ObjectType({ description: 'The caller of this request, as its API key says.' })
export class Caller {
  @Field({ description: 'The key name.' })
  name: string;

  @Field(() => Role, { description: 'The key role.' })
  role: Role;

  @Field(() => [String], { description: 'Sources a DISCOVERY key may sync.' })
  sources: string[];
}
