import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../topology/models/ci-connection.model';
import { CI } from '../../topology/models/ci.model';
import { CIKind, DependencyStrength, DependencyType } from '../../topology/topology.vocabulary';
import { ImpactStateEnum, PriorityEnum } from '../impact.vocabulary';
import type { BlastRadiusAnswer } from '../impact.service';

@ObjectType({ description: 'How the members of an impacted redundancy group stand.' })
export class GroupHealthModel {
  @Field(() => Int, { description: 'Number of members (dependencies of the group).' })
  members: number;

  @Field(() => Int, { description: 'Members DOWN.' })
  down: number;

  @Field(() => Int, { description: 'Members DEGRADED (they still count as up).' })
  degraded: number;

  @Field(() => Int, { description: 'Members that must be up.' })
  minHealthy: number;

  @Field({ description: 'True when the group has fewer members than minHealthy, so it can never be healthy.' })
  misconfigured: boolean;
}

@ObjectType({ description: 'An impacted CI: its state, how far it is from the failure, and why.' })
export class ImpactedCI {
  @Field({ description: 'The CI key.' })
  key: string;

  @Field(() => CIKind, { description: 'The CI kind.' })
  kind: CIKind;

  @Field(() => ImpactStateEnum, { description: 'DOWN or DEGRADED.' })
  state: ImpactStateEnum;

  @Field(() => Int, { description: 'Hops from the nearest failed CI; 0 for a failed one.' })
  distance: number;

  @Field(() => [String], { description: 'The keys from this CI down to the failure that explains its state (this CI first).' })
  chain: string[];

  @Field({ description: 'Why it is in this state, in words, e.g. "2 of 3 members down, needs 2 up".' })
  reason: string;

  @Field(() => GroupHealthModel, { nullable: true, description: 'For redundancy groups: how their members stand.' })
  group: GroupHealthModel | null;
}

@ObjectType({ description: 'An impacted business function or business service, scored.' })
export class BusinessImpact {
  @Field(() => CI, { description: 'The business function or service.' })
  ci: CI;

  @Field(() => ImpactStateEnum, { description: 'DOWN or DEGRADED.' })
  state: ImpactStateEnum;

  @Field(() => Float, { description: 'Business impact score, 0-100 with the default weights (docs/impact.md).' })
  score: number;

  @Field(() => PriorityEnum, { description: 'The priority this score alone maps to.' })
  priority: PriorityEnum;

  @Field(() => Int, { description: 'Hops from the nearest failed CI.' })
  distance: number;

  @Field(() => [String], { description: 'The keys from this CI down to the failure that explains its state.' })
  chain: string[];

  @Field({ description: 'Why it is in this state, in words.' })
  reason: string;
}

@ObjectType({ description: 'Impacted CIs of one kind.' })
export class KindTotal {
  @Field(() => CIKind, { description: 'The kind.' })
  kind: CIKind;

  @Field(() => Int, { description: 'How many are DOWN.' })
  down: number;

  @Field(() => Int, { description: 'How many are DEGRADED.' })
  degraded: number;
}

@ObjectType({ description: 'Counts over the whole blast radius.' })
export class ImpactTotals {
  @Field(() => Int, { description: 'Impacted CIs, failed ones included.' })
  impacted: number;

  @Field(() => Int, { description: 'CIs DOWN.' })
  down: number;

  @Field(() => Int, { description: 'CIs DEGRADED.' })
  degraded: number;

  @Field(() => [KindTotal], { description: 'Per kind, most impacted first.' })
  byKind: KindTotal[];
}

@ObjectType({ description: 'One impacted CI in a page.' })
export class ImpactedCIEdge {
  @Field({ description: 'Opaque position of this item.' })
  cursor: string;

  @Field(() => ImpactedCI, { description: 'The impacted CI.' })
  node: ImpactedCI;
}

@ObjectType({ description: 'A page of impacted CIs, failed ones first, then by distance and key.' })
export class ImpactedCIConnection {
  @Field(() => [ImpactedCIEdge], { description: 'The CIs of this page.' })
  edges: ImpactedCIEdge[];

  @Field(() => PageInfo, { description: 'Whether and where the list goes on.' })
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'How many impacted CIs match in all.' })
  totalCount: number;
}

@ObjectType({ description: 'What fails if these CIs fail: business impact first, then every impacted CI.' })
export class BlastRadius {
  @Field(() => [String], { description: 'The CIs assumed failed.' })
  failedKeys: string[];

  @Field(() => Int, { description: 'How far the walk went (hops against the dependency arrows).' })
  maxDepth: number;

  @Field({ description: 'True when some impacted CI sits at maxDepth, so impact may reach further.' })
  depthLimited: boolean;

  @Field(() => Float, { description: 'Combined business impact score of the whole failure (docs/impact.md).' })
  score: number;

  @Field(() => PriorityEnum, { description: 'The business priority the combined score maps to.' })
  priority: PriorityEnum;

  @Field(() => [BusinessImpact], { description: 'Impacted business functions and services, highest score first.' })
  businessImpacts: BusinessImpact[];

  @Field(() => ImpactTotals, { description: 'Counts by state and kind.' })
  totals: ImpactTotals;

  @Field(() => [String], { description: 'Impacted redundancy groups with fewer members than minHealthy.' })
  misconfiguredGroups: string[];

  /** The computed answer, paged by the `impacted` field resolver. */
  answer: BlastRadiusAnswer;
}

@ObjectType({ description: 'A dependency inside a map.' })
export class MapEdge {
  @Field({ description: 'The consumer key.' })
  from: string;

  @Field({ description: 'The provider key.' })
  to: string;

  @Field(() => DependencyType, { description: 'What the consumer needs the provider for.' })
  type: DependencyType;

  @Field(() => DependencyStrength, { description: 'HARD or SOFT.' })
  strength: DependencyStrength;
}

@ObjectType({ description: 'A CI and everything it depends on, as nodes and edges ready to draw.' })
export class DependencyMap {
  @Field(() => CI, { description: 'The CI the map starts from.' })
  root: CI;

  @Field(() => [CI], { description: 'The root and the CIs it depends on, transitively.' })
  nodes: CI[];

  @Field(() => [MapEdge], { description: 'The dependencies among those CIs.' })
  edges: MapEdge[];

  @Field({ description: 'True when the map was cut at the node limit or the depth limit.' })
  truncated: boolean;
}
