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
  /** As stored; an ACTIVE alert whose endsAt has passed reads as RESOLVED (see effectiveStatus). */
  status: AlertStatus;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
}

export interface AlertRecord extends AlertState {
  /** `<source>:<fingerprint>`: unique, so two tools that pick the same ids never overwrite each other. */
  id: string;
  receivedAt: string;
  updatedAt: string;
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
  sources?: AlertSource[];
  since?: Date;
  until?: Date;
}

export function alertId(source: AlertSource, fingerprint: string): string {
  return `${source}:${fingerprint}`;
}

/** ACTIVE until resolved, or until its endsAt passes: a source that stops sending does not leave it firing forever. */
export function effectiveStatus(alert: Pick<AlertState, 'status' | 'endsAt'>, now: Date): AlertStatus {
  if (alert.status === AlertStatus.RESOLVED) return AlertStatus.RESOLVED;
  return alert.endsAt !== null && alert.endsAt <= now.toISOString() ? AlertStatus.RESOLVED : AlertStatus.ACTIVE;
}
