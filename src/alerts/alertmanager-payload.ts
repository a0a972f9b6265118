import { DomainError, FieldProblem } from '../common/errors/domain-error';
import {
  GO_ZERO_TIME,
  MAX_ANNOTATION_VALUE_LENGTH,
  MAX_INFO_LENGTH,
  MAX_LABEL_VALUE_LENGTH,
  MAX_URL_LENGTH,
  RFC3339_MESSAGE,
  checkFingerprint,
  checkInformationalMap,
  checkInformationalText,
  checkStringMap,
  checkUniqueFingerprints,
  derivedFingerprint,
  describe,
  parseRfc3339,
  severityOf,
  summaryOf,
  tooManyAlerts,
} from './alert-fields';
import { IncomingAlert, StringMap } from './alerts.types';
import { AlertEventStatus, AlertSource } from './alerts.vocabulary';

/** The one webhook format version this endpoint speaks (Alertmanager has sent "4" since 0.9). */
export const ALERTMANAGER_VERSION = '4';

/** A checked Alertmanager notification: its alerts normalized, plus what identifies the group. */
export interface AlertmanagerNotification {
  /** The receiver's name, for the log; cut to MAX_INFO_LENGTH. */
  receiver: string | null;
  /** The group's key, for the log; cut to MAX_INFO_LENGTH. */
  groupKey: string | null;
  /** Alerts Alertmanager left out because of the receiver's `max_alerts`. */
  truncatedAlerts: number;
  alerts: IncomingAlert[];
}

const STATUSES: Record<string, AlertEventStatus> = { firing: AlertEventStatus.FIRING, resolved: AlertEventStatus.RESOLVED };

/**
 * Checks a webhook body as Alertmanager sends it (format version 4) and
 * normalizes its alerts. Every problem is collected, each naming its field
 * (`alerts[2].startsAt`), and one BAD_USER_INPUT carries them all: a payload
 * is taken whole or not at all. Fields this format does not define are ignored.
 *
 * Alertmanager drops a notification answered with a 4xx, so only what is
 * malformed is refused (a wrong type, a time that does not parse, a missing
 * required field). Informational fields are taken at any length: what is
 * stored (generatorURL, annotation values) is cut to its limit, what is not
 * (externalURL, receiver, groupKey, the group's labels and annotations) is
 * only type-checked, and those may be null.
 */
export function parseAlertmanagerPayload(body: unknown, maxAlerts: number): AlertmanagerNotification {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.badInput([
      { path: 'body', message: `must be a JSON object as Alertmanager sends it, with Content-Type: application/json (got ${body === undefined ? 'no JSON body' : describe(body)})` },
    ]);
  }
  const payload = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];

  if (payload.version === undefined) problems.push({ path: 'version', message: `is required; Alertmanager sends "${ALERTMANAGER_VERSION}"` });
  else if (payload.version !== ALERTMANAGER_VERSION) {
    problems.push({ path: 'version', message: `must be "${ALERTMANAGER_VERSION}", the Alertmanager webhook format this endpoint speaks (got ${JSON.stringify(payload.version)?.slice(0, 40)})` });
  }
  const receiver = checkInformationalText(payload.receiver, 'receiver', MAX_INFO_LENGTH, problems);
  const groupKey = checkInformationalText(payload.groupKey, 'groupKey', MAX_INFO_LENGTH, problems);
  checkInformationalText(payload.externalURL, 'externalURL', MAX_INFO_LENGTH, problems);
  if (payload.status !== undefined && !(typeof payload.status === 'string' && STATUSES[payload.status.toLowerCase()])) {
    problems.push({ path: 'status', message: 'must be "firing" or "resolved"' });
  }
  let truncatedAlerts = 0;
  if (payload.truncatedAlerts !== undefined) {
    if (typeof payload.truncatedAlerts !== 'number' || !Number.isSafeInteger(payload.truncatedAlerts) || payload.truncatedAlerts < 0) {
      problems.push({ path: 'truncatedAlerts', message: 'must be a whole number, 0 or more' });
    } else truncatedAlerts = payload.truncatedAlerts;
  }
  for (const field of ['groupLabels', 'commonLabels', 'commonAnnotations'] as const) checkInformationalMap(payload[field], field, problems);

  const alerts: IncomingAlert[] = [];
  if (payload.alerts === undefined || payload.alerts === null) {
    problems.push({ path: 'alerts', message: 'is required: the list of alerts in this notification' });
  } else if (!Array.isArray(payload.alerts)) {
    problems.push({ path: 'alerts', message: `must be a list (got ${describe(payload.alerts)})` });
  } else {
    if (payload.alerts.length > maxAlerts) {
      throw tooManyAlerts('alerts', payload.alerts.length, maxAlerts, "set max_alerts in the receiver's webhook_configs to at most that");
    }
    const fingerprints = payload.alerts.map((item, index) => {
      const alert = parseAlert(item, `alerts[${index}]`, problems);
      if (alert) alerts.push(alert);
      return alert?.fingerprint ?? null;
    });
    checkUniqueFingerprints(fingerprints, (index) => `alerts[${index}].fingerprint`, problems);
  }
  if (problems.length) throw DomainError.badInput(problems);
  return { receiver, groupKey, truncatedAlerts, alerts };
}

function parseAlert(item: unknown, path: string, problems: FieldProblem[]): IncomingAlert | null {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    problems.push({ path, message: `must be an object (got ${describe(item)})` });
    return null;
  }
  const alert = item as Record<string, unknown>;
  const before = problems.length;

  const event = typeof alert.status === 'string' ? STATUSES[alert.status.toLowerCase()] : undefined;
  if (!event) problems.push({ path: `${path}.status`, message: alert.status === undefined ? 'is required: "firing" or "resolved"' : 'must be "firing" or "resolved"' });

  let labels: StringMap = {};
  if (alert.labels === undefined) problems.push({ path: `${path}.labels`, message: 'is required' });
  else labels = checkStringMap(alert.labels, `${path}.labels`, MAX_LABEL_VALUE_LENGTH, problems);
  const annotations = alert.annotations === undefined || alert.annotations === null
    ? {}
    : checkStringMap(alert.annotations, `${path}.annotations`, MAX_ANNOTATION_VALUE_LENGTH, problems, 'cut');

  const startsAt = parseRfc3339(alert.startsAt);
  if (startsAt === null || startsAt === GO_ZERO_TIME) {
    problems.push({ path: `${path}.startsAt`, message: alert.startsAt === undefined ? `is required; ${RFC3339_MESSAGE}` : RFC3339_MESSAGE });
  }
  let endsAt: string | null = null;
  if (alert.endsAt !== undefined && alert.endsAt !== null && alert.endsAt !== '') {
    endsAt = parseRfc3339(alert.endsAt);
    if (endsAt === null) problems.push({ path: `${path}.endsAt`, message: RFC3339_MESSAGE });
    // Go's zero time: the alert has no known end.
    else if (endsAt === GO_ZERO_TIME) endsAt = null;
  }
  const generatorURL = checkInformationalText(alert.generatorURL, `${path}.generatorURL`, MAX_URL_LENGTH, problems);
  const fingerprint = alert.fingerprint === undefined || alert.fingerprint === ''
    ? derivedFingerprint({ labels })
    : checkFingerprint(alert.fingerprint, `${path}.fingerprint`, problems);

  if (problems.length > before || !event || startsAt === null || fingerprint === null) return null;
  return {
    fingerprint,
    source: AlertSource.ALERTMANAGER,
    event,
    severity: severityOf(labels.severity),
    labels,
    annotations,
    summary: summaryOf(annotations, labels),
    startsAt,
    endsAt,
    generatorURL: generatorURL === '' ? null : generatorURL,
    key: null,
  };
}
