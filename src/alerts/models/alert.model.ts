import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONObjectScalar } from '../../common/graphql/json-object.scalar';
import { PageInfo } from '../../topology/models/ci-connection.model';
import { AlertSource, AlertStatus, Severity } from '../alerts.vocabulary';

export enum AlertKeyCandidateVia {
  KEY = 'KEY',
  IDENTIFIER = 'IDENTIFIER',
}

registerEnumType(AlertKeyCandidateVia, {
  name: 'AlertKeyCandidateVia',
  description: 'How a candidate names a CI.',
  valuesMap: {
    KEY: { description: 'It is a CI key.' },
    IDENTIFIER: { description: "It is one of a CI's identifiers (e.g. hostname:web-1)." },
  },
});

@ObjectType({ description: "Something an alert's labels (or key) yielded that may name a CI; the first one that does is the alert's CI." })
export class AlertKeyCandidate {
  @Field(() => AlertKeyCandidateVia, { description: 'A key or an identifier.' })
  via: AlertKeyCandidateVia;

  @Field({ description: 'The key or identifier.' })
  value: string;
}

@ObjectType({ description: 'An alert received from a monitoring tool, and the CI it is about when one matched.' })
export class Alert {
  @Field({ description: 'Unique id: `<source>:<fingerprint>`, e.g. `alertmanager:1a30ba71cca2921f`.' })
  id: string;

  @Field({ description: "The alert's identity in its source: Alertmanager's fingerprint, or the id the tool gave." })
  fingerprint: string;

  @Field(() => AlertSource, { description: 'Through which intake it came.' })
  source: AlertSource;

  @Field(() => String, { nullable: true, description: 'The key of the CI it is about; null when no candidate named a CI (unmatched).' })
  key: string | null;

  @Field(() => [AlertKeyCandidate], { description: 'The keys and identifiers tried, in order; shows why an alert matched as it did, or not at all.' })
  candidates: AlertKeyCandidate[];

  @Field(() => JSONObjectScalar, { description: 'Its labels, as sent.' })
  labels: Record<string, string>;

  @Field(() => JSONObjectScalar, { description: 'Its annotations, as sent (Alertmanager); empty for the generic intake.' })
  annotations: Record<string, string>;

  @Field(() => String, { nullable: true, description: 'What is wrong: the summary given, else the summary or description annotation, else the alert name.' })
  summary: string | null;

  @Field(() => Severity, { description: 'How bad it is.' })
  severity: Severity;

  @Field(() => AlertStatus, {
    description:
      'ACTIVE, or RESOLVED once a resolved notification came, its endsAt passed, or (an Alertmanager alert with no known end) no notification named it for SVCMAP_ALERT_EXPIRE_AFTER_MS.',
  })
  status: AlertStatus;

  @Field(() => GraphQLISODateTime, { description: 'When it started firing.' })
  startsAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it ended, or will end unless its source sends it again.' })
  endsAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Link to what produced it (the Prometheus expression), when sent.' })
  generatorURL: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was first received.' })
  receivedAt: Date;

  @Field(() => GraphQLISODateTime, { description: 'When a notification last changed it.' })
  updatedAt: Date;

  @Field(() => GraphQLISODateTime, {
    description: 'When a notification last named it, whether it changed anything or repeated it unchanged; an Alertmanager alert with no known end expires this long after it.',
  })
  lastNotifiedAt: Date;
}

@ObjectType({ description: 'One alert in a page, with its cursor.' })
export class AlertEdge {
  @Field({ description: 'Opaque position of this item.' })
  cursor: string;

  @Field(() => Alert, { description: 'The alert.' })
  node: Alert;
}

@ObjectType({ description: 'A page of alerts, newest first (by startsAt).' })
export class AlertConnection {
  @Field(() => [AlertEdge], { description: 'The alerts of this page.' })
  edges: AlertEdge[];

  @Field(() => PageInfo, { description: 'Whether and where the list goes on.' })
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'How many alerts match the filter in all.' })
  totalCount: number;
}

@ObjectType({ description: 'What one intake call did with its alerts.' })
export class IngestResult {
  @Field(() => Int, { description: 'Alerts in the call.' })
  received: number;

  @Field(() => Int, { description: 'Alerts seen for the first time, now stored.' })
  stored: number;

  @Field(() => Int, { description: 'Known alerts whose state this call changed.' })
  updated: number;

  @Field(() => Int, { description: 'Known alerts sent again with nothing new (or a late notification about an earlier occurrence).' })
  unchanged: number;

  @Field(() => Int, { description: 'Alerts of this call that no CI matched; stored all the same.' })
  unmatched: number;

  @Field(() => Int, { description: 'Alerts this call resolved (or stored as resolved).' })
  resolved: number;
}
