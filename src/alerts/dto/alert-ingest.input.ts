import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/graphql/json-object.scalar';
import { AlertEventStatus, Severity } from '../alerts.vocabulary';

/**
 * The GraphQL shape of one alert for `ingestAlerts`. The rules (and the same
 * messages for POST /api/v1/alerts) are in generic-alerts.ts, which checks
 * both transports alike.
 */
@InputType({ description: 'One alert from any tool. Name its CI by `key`, or by `labels` that the label rules map to a CI (docs/alerts.md).' })
export class AlertIngestInput {
  @Field(() => String, {
    nullable: true,
    description: "The alert's id in the sending tool: the same id again is the same alert (a later RESOLVED resolves it). Without one, the same key, labels and startsAt are the same alert.",
  })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'The CI key the alert is about; tried before any label rule. Required without labels.' })
  key?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Labels (string values), mapped to a CI by the label rules, e.g. { "service": "checkout" }.' })
  labels?: Record<string, unknown> | null;

  @Field(() => Severity, { description: 'How bad it is.' })
  severity: Severity;

  @Field(() => GraphQLISODateTime, { description: 'When it started firing (RFC 3339).' })
  startsAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it ended, or will end unless sent again; once passed, the alert reads as RESOLVED.' })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'One line saying what is wrong (at most 4,000 characters).' })
  summary?: string | null;

  @Field(() => AlertEventStatus, { nullable: true, description: 'FIRING (the default) or RESOLVED.' })
  status?: AlertEventStatus | null;
}
