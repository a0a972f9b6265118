import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { IsCiKey } from '../../common/validation/text-rules';
import { DependencyStrength, DependencyType } from '../topology.vocabulary';

@InputType({ description: 'A dependency to create or update: `from` needs `to`; when `to` fails, `from` is impacted.' })
export class DependencyInput {
  @Field({ description: 'Key of the consumer (the CI that needs the other).' })
  @IsCiKey()
  from: string;

  @Field({ description: 'Key of the provider (the CI that is needed).' })
  @IsCiKey()
  to: string;

  @Field(() => DependencyType, { nullable: true, description: 'What the consumer needs the provider for; defaults to USES.' })
  @IsOptional()
  @IsEnum(DependencyType)
  type?: DependencyType;

  @Field(() => DependencyStrength, { nullable: true, description: 'HARD (cannot work without) or SOFT (works worse without); defaults to HARD.' })
  @IsOptional()
  @IsEnum(DependencyStrength)
  strength?: DependencyStrength;
}

@InputType({ description: 'Names one dependency by its two ends.' })
export class DependencyRefInput {
  @Field({ description: 'Key of the consumer.' })
  @IsCiKey()
  from: string;

  @Field({ description: 'Key of the provider.' })
  @IsCiKey()
  to: string;
}
