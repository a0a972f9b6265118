import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { PriorityEnum } from '../impact.vocabulary';
import { BusinessImpact } from './blast-radius.model';

@ObjectType({ description: 'An incident with its business priority and the reason for it.' })
export class PrioritizedIncident {
  @Field({ description: "The incident's id, as given." })
  id: string;

  @Field(() => String, { nullable: true, description: 'The title, as given.' })
  title: string | null;

  @Field(() => Int, { description: 'Position in the answer, 1 = most urgent.' })
  rank: number;

  @Field(() => PriorityEnum, { description: 'Business priority from the impact score.' })
  priority: PriorityEnum;

  @Field(() => Float, { description: 'Business impact score (docs/impact.md).' })
  score: number;

  @Field(() => PriorityEnum, { nullable: true, description: 'The technical priority, as given.' })
  technicalPriority: PriorityEnum | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The start time, as given.' })
  startedAt: Date | null;

  @Field(() => [BusinessImpact], { description: 'The business functions and services it hurts, highest score first.' })
  businessImpacts: BusinessImpact[];

  @Field(() => Int, { description: 'How many CIs it impacts in all.' })
  impactedCount: number;

  @Field(() => [String], { description: 'Keys the map does not know; they count for nothing.' })
  unknownKeys: string[];

  @Field({ description: 'One sentence saying why it has this priority.' })
  explanation: string;
}
