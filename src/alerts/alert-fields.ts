import { createHash } from 'node:crypto';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { MAX_TEXT_LENGTH, keyProblem } from '../common/validation/text-rules';
import { StringMap } from './alerts.types';
import { DEFAULT_SEVERITY, Severity } from './alerts.vocabulary';

/** Most labels or annotations on one alert; Prometheus sets no limit, real alerts carry a few dozen. */
export const MAX_MAP_ENTRIES = 256;
export const MAX_MAP_NAME_LENGTH = 256;
/** Label values become CI keys and identifiers; annotations hold descriptions and runbook text. */
export const MAX_LABEL_VALUE_LENGTH = 16_384;
export const MAX_ANNOTATION_VALUE_LENGTH = 65_536;
/** Longest generatorURL stored; longer ones (URL-encoded PromQL can be) are stored cut to this. */
export const MAX_URL_LENGTH = 4_096;
/** Longest informational text kept (receiver, groupKey, for the log); longer is cut to this. */
export const MAX_INFO_LENGTH = 1_024;

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM). Go marshals time.Time with up to 9 fraction digits.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** What Go's zero time.Time marshals to; Alertmanager (and Grafana) send it as the endsAt of alerts with no known end. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00.000Z';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const RFC3339_MESSAGE = 'must be an RFC 3339 date-time such as 2026-11-26T16:02:49Z or 2026-11-26T17:02:49.123+01:00';

/**
 * An RFC 3339 date-time as an ISO 8601 UTC string with milliseconds, or null
 * when the text is not one. Stricter than Date.parse, which takes almost
 * anything (and rolls 31 February over into March).
 */
export function parseRfc3339(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const leapYear = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1] || (m === 2 && d === 29 && !leapYear)) return null;
  // RFC 3339 allows a leap second (:60); Date cannot hold one, so it becomes the end of that second.
  const leap = second === '60';
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return null;
  if (zone.length === 6 && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return null;
  const millis = (fraction ?? '.000').slice(1, 4).padEnd(3, '0');
  const text = `${year}-${month}-${day}T${hour}:${minute}:${leap ? '59' : second}.${leap ? '999' : millis}${zone.toUpperCase()}`;
  return toIsoUtc(new Date(text));
}

/** A Date as stored (ISO UTC with milliseconds), or null when it is invalid or outside years 0000-9999. */
export function toIsoUtc(date: unknown): string | null {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  // Outside 0000-9999 toISOString writes 6-digit years, which would not sort as text.
  return ISO_UTC.test(iso) ? iso : null;
}

/** A date given as an RFC 3339 string (JSON) or a Date (the GraphQL DateTime scalar). */
export function parseDate(value: unknown): string | null {
  return value instanceof Date ? toIsoUtc(value) : parseRfc3339(value);
}

/** A `severity` label or field: the vocabulary ignoring case; anything else is WARNING. */
export function severityOf(value: string | undefined | null): Severity {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return (Object.values(Severity) as string[]).includes(upper) ? (upper as Severity) : DEFAULT_SEVERITY;
}

/**
 * Text we store and show: lone surrogates replaced (they cannot be encoded),
 * at most `max` characters; longer text is cut, ending in `…`, never inside a surrogate pair.
 */
export function cleanText(value: string, max = MAX_TEXT_LENGTH): string {
  const whole = value.replace(LONE_SURROGATE, '\ufffd');
  if (whole.length <= max) return whole;
  const end = /[\ud800-\udbff]/.test(whole[max - 2] ?? '') ? max - 2 : max - 1;
  return `${whole.slice(0, end)}…`;
}

/** The one line that says what an alert is about: its summary annotation, else description, else the alert name. */
export function summaryOf(annotations: StringMap, labels: StringMap): string | null {
  const text = annotations.summary || annotations.description || annotations.message || labels.alertname || null;
  return text === null ? null : cleanText(text);
}

/**
 * Checks a map of string values (labels, annotations) and returns it, adding
 * a problem for each bad entry. Values must be strings, as Prometheus sends them.
 * A value longer than `maxValueLength` is a problem, or, with `overLong`
 * 'cut', is kept cut to that length (for informational values such as annotations).
 */
export function checkStringMap(value: unknown, path: string, maxValueLength: number, problems: FieldProblem[], overLong: 'refuse' | 'cut' = 'refuse'): StringMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path, message: 'must be an object of string values' });
    return {};
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_MAP_ENTRIES) {
    problems.push({ path, message: `must have at most ${MAX_MAP_ENTRIES} entries (got ${entries.length})` });
    return {};
  }
  const out: StringMap = {};
  for (const [name, item] of entries) {
    const where = `${path}.${name.length > 40 ? name.slice(0, 40) + '…' : name}`;
    if (name.length === 0 || name.length > MAX_MAP_NAME_LENGTH) {
      problems.push({ path: where, message: `names must be 1-${MAX_MAP_NAME_LENGTH} characters` });
    } else if (typeof item !== 'string') {
      problems.push({ path: where, message: `must be a string (got ${describe(item)})` });
    } else if (item.length > maxValueLength && overLong === 'refuse') {
      problems.push({ path: where, message: `must be at most ${maxValueLength} characters (got ${item.length})` });
    } else if (item.length > maxValueLength) {
      out[name] = cleanText(item, maxValueLength);
    } else {
      out[name] = item;
    }
  }
  return out;
}

/**
 * A map that is only informational (stored nowhere): absent or null is fine;
 * otherwise it must be an object of string values, of any size or length.
 */
export function checkInformationalMap(value: unknown, path: string, problems: FieldProblem[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path, message: `must be an object of string values, or null (got ${describe(value)})` });
    return;
  }
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') problems.push({ path: `${path}.${name.length > 40 ? name.slice(0, 40) + '…' : name}`, message: `must be a string (got ${describe(item)})` });
  }
}

/**
 * An optional string that is only informational: absent or null gives null,
 * another type is a problem, and text of any length is taken, cut to `max`
 * characters (a sender that drops the notification on a 4xx must not lose
 * alerts to an over-long link).
 */
export function checkInformationalText(value: unknown, path: string, max: number, problems: FieldProblem[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push({ path, message: `must be a string (got ${describe(value)})` });
    return null;
  }
  return cleanText(value, max);
}

/** An alert's identity within its source: like a CI key, 1-256 characters without whitespace or control characters. */
export function checkFingerprint(value: unknown, path: string, problems: FieldProblem[]): string | null {
  const problem = keyProblem(value);
  if (problem) {
    problems.push({ path, message: problem });
    return null;
  }
  return value as string;
}

/** A stable fingerprint for alerts sent without one: the same labels (and key) give the same alert. */
export function derivedFingerprint(parts: { key?: string | null; labels: StringMap; startsAt?: string }): string {
  const labels = Object.entries(parts.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([parts.key ?? null, labels, parts.startsAt ?? null]))
    .digest('hex')
    .slice(0, 32);
}

/** Refuses a payload with more alerts than one call may carry (HTTP 413). */
export function tooManyAlerts(path: string, count: number, maximum: number, hint: string): DomainError {
  return new DomainError(
    ErrorCode.LIMIT_EXCEEDED,
    `${path}: must have at most ${maximum} alerts per call (got ${count}); ${hint}`,
    { field: path, limit: 'alerts', value: count, maximum },
  );
}

/** Adds a problem for each fingerprint seen earlier in the same call, naming both places. */
export function checkUniqueFingerprints(fingerprints: (string | null)[], path: (index: number) => string, problems: FieldProblem[]): void {
  const first = new Map<string, number>();
  fingerprints.forEach((fingerprint, index) => {
    if (fingerprint === null) return;
    const seen = first.get(fingerprint);
    if (seen === undefined) first.set(fingerprint, index);
    else problems.push({ path: path(index), message: `'${fingerprint}' appears twice in one call (also at ${path(seen)})` });
  });
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
