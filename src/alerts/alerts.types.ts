import { AlertEventStatus, AlertSource, AlertStatus, Severity } from './alerts.vocabulary';

export type StringMap = Record<string, string>;

/**
 * One alert as a notification describes it, checked and normalized, before it
 * is matched to a CI. Times are ISO 8601 UTC strings with milliseconds, so
 * they compare correctly as text (in Neo4j too).
 */
export interface IncomingAlert {
  /** Identity within its source: Alertmanager's fingerprint, or the caller's id. */
  fingerprint: string;
  source: AlertSource;
  event: AlertEventStatus;
  severity: Severity;
  labels: StringMap;
  annotations: StringMap;
  summary: string | null;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
  /** A CI key the caller named explicitly (generic intake); tried before any label rule. */
  key: string | null;
}

/** Something that may name a CI: a key, or an identifier a CI carries in its `identifiers` list. */
export interface KeyCandidate {
  via: 'KEY' | 'IDENTIFIER';
  value: string;
}

/** The stored, comparable part of an alert: what a notification can change. */
export interface AlertState {
  fingerprint: string;
  source: AlertSource;
  key: string | null;
  candidates: KeyCandidate[];
  labels: StringMap;
  annotations: StringMap;
  summary: string | null;
  severity: Severity;
  /** As stored; an ACTIVE alert whose endsAt has passed, or that expired, reads as RESOLVED (see effectiveStatus). */
  status: AlertStatus;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
}

export interface AlertRecord extends AlertState {
  /** `<source>:<fingerprint>`: unique, so two tools that pick the same ids never overwrite each other. */
  id: string;
  receivedAt: string;
  /** When a notification last changed its state. */
  updatedAt: string;
  /** When a notification last named it, changed or not: a repeat of the same state moves only this. */
  lastNotifiedAt: string;
  /** Bumped by every change; writes check it so concurrent deliveries cannot lose an update. */
  version: number;
}

/** What one intake call did, as counted for the caller. */
export interface IngestOutcome {
  received: number;
  stored: number;
  updated: number;
  unchanged: number;
  unmatched: number;
  resolved: number;
}

export interface AlertFilter {
  statuses?: AlertStatus[];
  severities?: Severity[];
  keys?: string[];
  matched?: boolean | null;
  /** true: only alerts whose key names no CI now (deleted after they arrived); false: leaves those out. */
  ciMissing?: boolean | null;
  sources?: AlertSource[];
  since?: Date;
  until?: Date;
}

export function alertId(source: AlertSource, fingerprint: string): string {
  return `${source}:${fingerprint}`;
}

/** What a stored alert's status is read against: the clock, and how long an Alertmanager alert with no known end lives without a notification. */
export interface ReadRule {
  now: Date;
  expireAfterMs: number;
}

/**
 * The source whose firing alerts expire. Alertmanager repeats the notification
 * of a group that still fires every repeat_interval, so a long silence about
 * an alert with no known end means its resolution was lost. The generic intake
 * promises no repeats; its senders bound an alert with endsAt.
 */
export const EXPIRING_SOURCE = AlertSource.ALERTMANAGER;

/** The last-notified time at or before which an Alertmanager alert with no known end has expired. */
export function expiredAtOrBefore(rule: ReadRule): string {
  return new Date(rule.now.getTime() - rule.expireAfterMs).toISOString();
}

/**
 * ACTIVE until resolved, or until its endsAt passes, or, for an Alertmanager
 * alert with no known end, until no notification has named it for
 * `expireAfterMs`: a source that stops sending does not leave it firing forever.
 * Nothing is rewritten; the same rule is applied in Cypher by the repository.
 */
export function effectiveStatus(alert: Pick<AlertRecord, 'status' | 'endsAt' | 'source' | 'lastNotifiedAt'>, rule: ReadRule): AlertStatus {
  if (alert.status === AlertStatus.RESOLVED) return AlertStatus.RESOLVED;
  if (alert.endsAt !== null) return alert.endsAt <= rule.now.toISOString() ? AlertStatus.RESOLVED : AlertStatus.ACTIVE;
  if (alert.source === EXPIRING_SOURCE && alert.lastNotifiedAt <= expiredAtOrBefore(rule)) return AlertStatus.RESOLVED;
  return AlertStatus.ACTIVE;
}
