import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Attributes, JSONObjectScalar } from '../../common/graphql/json-object.scalar';
import { SyncProvenanceProps } from '../topology.types';
import { CIKind, CIStatus, CriticalityTier, DependencyStrength, DependencyType } from '../topology.vocabulary';

@ObjectType({ description: 'Where a CI or dependency came from: a person, discovery sources, or both.' })
export class Provenance {
  @Field({ description: 'True when a person created it (through the API or a seed file); such an item never goes STALE for lack of a source. A person editing what discovery created does not set it.' })
  createdByPerson: boolean;

  @Field(() => String, { nullable: true, description: 'Who created it (API key name or source).' })
  createdBy: string | null;

  @Field(() => String, { nullable: true, description: 'Who changed it last.' })
  updatedBy: string | null;

  /** As stored by discovery syncs; src/discovery turns it into the `sources` and `overridden` fields. */
  sync?: SyncProvenanceProps;
}

@ObjectType({ description: 'A configuration item: any node of the service map, from business function to network device.' })
export class CI {
  @Field({ description: 'Stable, unique identity chosen by the writer.' })
  key: string;

  @Field(() => CIKind, { description: 'What it is.' })
  kind: CIKind;

  @Field({ description: 'Display name.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'What it is and does.' })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'Owning team.' })
  owner: string | null;

  @Field(() => String, { nullable: true, description: 'Environment, e.g. production.' })
  environment: string | null;

  @Field(() => [String], { description: 'Free labels, sorted.' })
  tags: string[];

  @Field(() => JSONObjectScalar, { description: 'Free key/value attributes.' })
  attributes: Attributes;

  @Field(() => CriticalityTier, { nullable: true, description: 'Business functions and services: how critical it is.' })
  criticality: CriticalityTier | null;

  @Field(() => Float, { nullable: true, description: 'Business functions and services: revenue lost per hour of outage.' })
  revenuePerHour: number | null;

  @Field(() => Int, { nullable: true, description: 'Business functions and services: users affected by an outage.' })
  usersAffected: number | null;

  @Field(() => Int, { nullable: true, description: 'Redundancy groups: how many members must be up.' })
  minHealthy: number | null;

  @Field(() => CIStatus, { description: 'Lifecycle status.' })
  status: CIStatus;

  @Field(() => Int, { description: 'Increases by one on every change; send it back as expectedVersion to avoid lost updates.' })
  version: number;

  @Field(() => GraphQLISODateTime, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it last changed (a write that changes nothing leaves it alone).' })
  updatedAt: Date;

  @Field(() => Provenance, { description: 'Who reports it.' })
  provenance: Provenance;
}

@ObjectType({ description: 'A dependency edge: `consumer` needs `provider`; failure flows from provider to consumer.' })
export class Dependency {
  @Field({ description: 'Key of the consumer.' })
  from: string;

  @Field({ description: 'Key of the provider.' })
  to: string;

  @Field(() => DependencyType, { description: 'What the consumer needs the provider for.' })
  type: DependencyType;

  @Field(() => DependencyStrength, { description: 'HARD or SOFT.' })
  strength: DependencyStrength;

  @Field(() => Int, { description: 'Increases by one on every change.' })
  version: number;

  @Field(() => GraphQLISODateTime, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it last changed.' })
  updatedAt: Date;

  @Field(() => CIStatus, { description: 'ACTIVE, or STALE when no source reports it any more (and no person created it), RETIRED after the grace period.' })
  status: CIStatus;

  @Field(() => Provenance, { description: 'Who created it, and which discovery sources report it.' })
  provenance: Provenance;

  @Field(() => CI, { description: 'The CI that needs the other.' })
  consumer: CI;

  @Field(() => CI, { description: 'The CI that is needed.' })
  provider: CI;
}
