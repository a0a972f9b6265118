import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { MAX_TEXT_LENGTH, keyProblem, textProblem } from '../common/validation/text-rules';
import {
  GO_ZERO_TIME,
  MAX_LABEL_VALUE_LENGTH,
  RFC3339_MESSAGE,
  checkFingerprint,
  checkStringMap,
  cleanText,
  derivedFingerprint,
  describe,
  parseDate,
  tooManyAlerts,
} from './alert-fields';
import { IncomingAlert, StringMap } from './alerts.types';
import { AlertEventStatus, AlertSource, Severity } from './alerts.vocabulary';

const FIELDS = new Set(['id', 'key', 'labels', 'severity', 'startsAt', 'endsAt', 'summary', 'status']);

/**
 * Checks alerts sent by any other tool, through `ingestAlerts` (GraphQL,
 * where dates arrive as Date) or `POST /api/v1/alerts` (JSON, where they are
 * RFC 3339 strings), with the same rules and messages for both. Every
 * problem names its field (`alerts[3].severity`); nothing is taken unless all is well.
 */
export function parseGenericAlerts(values: unknown, path: string, maxAlerts: number): IncomingAlert[] {
  if (!Array.isArray(values)) throw DomainError.badInput([{ path, message: `is required: a list of alerts (got ${describe(values)})` }]);
  if (values.length > maxAlerts) throw tooManyAlerts(path, values.length, maxAlerts, 'split them into several calls');
  const problems: FieldProblem[] = [];
  const alerts = values.map((value, index) => parseOne(value, `${path}[${index}]`, problems));
  const first = new Map<string, number>();
  alerts.forEach((alert, index) => {
    if (!alert) return;
    const seen = first.get(alert.fingerprint);
    if (seen === undefined) first.set(alert.fingerprint, index);
    else if (hasId(values[index])) problems.push({ path: `${path}[${index}].id`, message: `'${alert.fingerprint}' appears twice in one call (also at ${path}[${seen}])` });
    else problems.push({ path: `${path}[${index}]`, message: `is the same alert as ${path}[${seen}] (same key, labels and startsAt); give each an id` });
  });
  if (problems.length) throw DomainError.badInput(problems);
  return alerts as IncomingAlert[];
}

function hasId(value: unknown): boolean {
  return (value as { id?: unknown }).id !== undefined && (value as { id?: unknown }).id !== null;
}

/** The body of `POST /api/v1/alerts`: `{ "alerts": [...] }`. */
export function parseGenericBody(body: unknown, maxAlerts: number): IncomingAlert[] {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.badInput([{ path: 'body', message: `must be a JSON object { "alerts": [...] } sent with Content-Type: application/json (got ${body === undefined ? 'no JSON body' : describe(body)})` }]);
  }
  const unknown = Object.keys(body).filter((name) => name !== 'alerts');
  if (unknown.length) {
    throw DomainError.badInput(unknown.slice(0, 10).map((name) => ({ path: name.slice(0, 60), message: 'is not a field of this request; send { "alerts": [...] }' })));
  }
  return parseGenericAlerts((body as { alerts?: unknown }).alerts, 'alerts', maxAlerts);
}

function parseOne(value: unknown, path: string, problems: FieldProblem[]): IncomingAlert | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path, message: `must be an object (got ${describe(value)})` });
    return null;
  }
  const input = value as Record<string, unknown>;
  const before = problems.length;
  for (const name of Object.keys(input)) {
    if (!FIELDS.has(name)) problems.push({ path: `${path}.${name.slice(0, 60)}`, message: `is not a field of an alert; the fields are ${[...FIELDS].join(', ')}` });
  }

  const given = (name: string) => input[name] !== undefined && input[name] !== null;
  let key: string | null = null;
  if (given('key')) {
    const problem = keyProblem(input.key);
    if (problem) problems.push({ path: `${path}.key`, message: problem });
    else key = input.key as string;
  }
  let labels: StringMap = {};
  if (given('labels')) labels = checkStringMap(input.labels, `${path}.labels`, MAX_LABEL_VALUE_LENGTH, problems);
  if (!given('key') && !given('labels')) problems.push({ path: `${path}.key`, message: 'is required when there are no labels: give the CI key, or labels that name it' });

  const severity = typeof input.severity === 'string' ? (Object.values(Severity) as string[]).find((s) => s === (input.severity as string).toUpperCase()) : undefined;
  if (!severity) {
    problems.push({ path: `${path}.severity`, message: `${given('severity') ? 'must be' : 'is required:'} one of ${Object.values(Severity).join(', ')}` });
  }
  const startsAt = parseDate(input.startsAt);
  if (startsAt === null) problems.push({ path: `${path}.startsAt`, message: given('startsAt') ? RFC3339_MESSAGE : `is required; ${RFC3339_MESSAGE}` });
  let endsAt: string | null = null;
  if (given('endsAt')) {
    endsAt = parseDate(input.endsAt);
    if (endsAt === null) problems.push({ path: `${path}.endsAt`, message: RFC3339_MESSAGE });
    else if (endsAt === GO_ZERO_TIME) endsAt = null;
    else if (startsAt !== null && endsAt < startsAt) problems.push({ path: `${path}.endsAt`, message: 'must not be before startsAt' });
  }
  let summary: string | null = null;
  if (given('summary')) {
    const problem = textProblem(input.summary, MAX_TEXT_LENGTH);
    if (problem) problems.push({ path: `${path}.summary`, message: problem });
    else summary = cleanText(input.summary as string);
  }
  let event = AlertEventStatus.FIRING;
  if (given('status')) {
    const status = typeof input.status === 'string' ? (Object.values(AlertEventStatus) as string[]).find((s) => s === (input.status as string).toUpperCase()) : undefined;
    if (!status) problems.push({ path: `${path}.status`, message: `must be one of ${Object.values(AlertEventStatus).join(', ')}` });
    else event = status as AlertEventStatus;
  }
  const fingerprint = given('id') ? checkFingerprint(input.id, `${path}.id`, problems) : null;

  if (problems.length > before || startsAt === null || !severity) return null;
  return {
    // Without an id, the same CI, labels and start time are the same alert, so a resend changes nothing.
    fingerprint: fingerprint ?? derivedFingerprint({ key, labels, startsAt }),
    source: AlertSource.API,
    event,
    severity: severity as Severity,
    labels,
    annotations: {},
    summary: summary ?? (labels.alertname ? cleanText(labels.alertname) : null),
    startsAt,
    endsAt,
    generatorURL: null,
    key,
  };
}
