import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional } from 'class-validator';
import { IsCiKey, IsText, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../common/validation/text-rules';
import { SeverityEnum } from '../root-cause.vocabulary';

@InputType({ description: 'An alert on a CI, as root cause and correlation take it.' })
export class AlertInput {
  @Field(() => String, { nullable: true, description: 'Its id in the sending tool, unique among the alerts sent together; defaults to its position (`alert-0`, ...; `alert-0~2` if an alert was given `alert-0`).' })
  @IsOptional()
  @IsText(MAX_LABEL_LENGTH)
  id?: string | null;

  @Field({ description: 'Key of the CI the alert is on.' })
  @IsCiKey()
  key: string;

  @Field(() => SeverityEnum, { description: 'How severe it is.' })
  @IsEnum(SeverityEnum)
  severity: SeverityEnum;

  @Field(() => GraphQLISODateTime, { description: 'When it started firing.' })
  @IsDate()
  startsAt: Date;

  @Field(() => String, { nullable: true, description: 'A one-line summary, echoed back.' })
  @IsOptional()
  @IsText(MAX_NAME_LENGTH)
  summary?: string | null;
}
