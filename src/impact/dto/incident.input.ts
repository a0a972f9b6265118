import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsEnum, IsOptional } from 'class-validator';
import { IsCiKey, IsText, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../common/validation/text-rules';
import { PriorityEnum } from '../impact.vocabulary';

@InputType({ description: 'An incident to prioritize by business impact.' })
export class IncidentInput {
  @Field({ description: "The incident's id in the calling tool." })
  @IsText(MAX_LABEL_LENGTH)
  id: string;

  @Field(() => [String], { description: 'Keys of the CIs the incident affects; they are treated as failed.' })
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one CI key' })
  @ArrayMaxSize(100)
  @IsCiKey({ each: true })
  keys: string[];

  @Field(() => String, { nullable: true, description: 'A title, echoed back.' })
  @IsOptional()
  @IsText(MAX_NAME_LENGTH)
  title?: string | null;

  @Field(() => PriorityEnum, { nullable: true, description: 'The technical priority the calling tool gave it; breaks ties.' })
  @IsOptional()
  @IsEnum(PriorityEnum)
  technicalPriority?: PriorityEnum | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it started; older incidents break remaining ties.' })
  @IsOptional()
  @IsDate()
  startedAt?: Date | null;
}
