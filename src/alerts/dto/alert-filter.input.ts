import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsEnum, IsOptional } from 'class-validator';
import { IsCiKey } from '../../common/validation/text-rules';
import { AlertSource, AlertStatus, Severity } from '../alerts.vocabulary';

@InputType({ description: 'Narrows `alerts`; all given conditions must hold.' })
export class AlertFilterInput {
  @Field(() => [AlertStatus], { nullable: true, description: 'Any of these statuses (as read now: an alert past its endsAt, or expired, is RESOLVED).' })
  @IsOptional()
  @IsArray()
  @IsEnum(AlertStatus, { each: true })
  statuses?: AlertStatus[];

  @Field(() => [Severity], { nullable: true, description: 'Any of these severities.' })
  @IsOptional()
  @IsArray()
  @IsEnum(Severity, { each: true })
  severities?: Severity[];

  @Field(() => [String], { nullable: true, description: 'Only alerts on these CIs.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsCiKey({ each: true })
  keys?: string[];

  @Field(() => Boolean, { nullable: true, description: 'true: only alerts matched to a CI; false: only unmatched ones.' })
  @IsOptional()
  @IsBoolean()
  matched?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: only alerts that name a CI no longer in the map (deleted after they arrived; `ci` is null, and `activeIncidents` leaves them out); false: leaves those out.',
  })
  @IsOptional()
  @IsBoolean()
  ciMissing?: boolean | null;

  @Field(() => [AlertSource], { nullable: true, description: 'Any of these intakes.' })
  @IsOptional()
  @IsArray()
  @IsEnum(AlertSource, { each: true })
  sources?: AlertSource[];

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Alerts that started at or after this time.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Alerts that started before this time.' })
  @IsOptional()
  @IsDate()
  until?: Date;
}
