import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsDate, IsOptional } from 'class-validator';
import { IsCiKey, IsText, MAX_LABEL_LENGTH } from '../../common/validation/text-rules';

@InputType({ description: 'Narrows `changes`; all given conditions must hold.' })
export class ChangeFilterInput {
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Changes at or after this time.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Changes before this time.' })
  @IsOptional()
  @IsDate()
  until?: Date;

  @Field({ nullable: true, description: 'Only changes made by this actor (API key name).' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  actor?: string;

  @Field({ nullable: true, description: 'Only changes through this source (`api`, a discovery source, a topology file).' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  source?: string;

  @Field(() => [String], { nullable: true, description: 'Only changes to these CIs (and to the dependencies they consume).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsCiKey({ each: true })
  keys?: string[];
}
