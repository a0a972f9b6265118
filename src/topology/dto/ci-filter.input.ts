import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional } from 'class-validator';
import { IsText, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../common/validation/text-rules';
import { CIKind, CIStatus } from '../topology.vocabulary';

@InputType({ description: 'Narrows `cis`; all given conditions must hold.' })
export class CIFilterInput {
  @Field(() => [CIKind], { nullable: true, description: 'Any of these kinds.' })
  @IsOptional()
  @IsArray()
  @IsEnum(CIKind, { each: true })
  kinds?: CIKind[];

  @Field({ nullable: true, description: 'Text contained in the key or the name, ignoring case.' })
  @IsOptional()
  @IsText(MAX_NAME_LENGTH)
  search?: string;

  @Field({ nullable: true, description: 'Exact owner.' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  owner?: string;

  @Field({ nullable: true, description: 'Exact environment.' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  environment?: string;

  @Field(() => [String], { nullable: true, description: 'All of these tags.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsText(MAX_LABEL_LENGTH, { each: true })
  tags?: string[];

  @Field(() => [CIStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @IsArray()
  @IsEnum(CIStatus, { each: true })
  statuses?: CIStatus[];
}
