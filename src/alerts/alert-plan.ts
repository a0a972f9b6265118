import { AlertRecord, AlertState, IncomingAlert, IngestOutcome, KeyCandidate, StringMap, alertId } from './alerts.types';
import { AlertEventStatus, AlertStatus } from './alerts.vocabulary';

/**
 * What to do with one incoming alert, decided from what is stored. An
 * unchanged alert that the notification repeats (its current state again)
 * only has its last-notified time moved; a late or older notification leaves it untouched.
 */
export type PlannedAlert =
  | { id: string; action: 'create'; state: AlertState; resolves: boolean }
  | { id: string; action: 'update'; state: AlertState; resolves: boolean; baseVersion: number }
  | { id: string; action: 'unchanged'; state: AlertState; resolves: false; repeat: boolean };

/** Labels and annotations in key order, so the same map always compares (and stores) the same. */
export function sortedMap(map: StringMap): StringMap {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function stateOf(incoming: IncomingAlert, key: string | null, candidates: KeyCandidate[]): AlertState {
  return {
    fingerprint: incoming.fingerprint,
    source: incoming.source,
    key,
    candidates,
    labels: sortedMap(incoming.labels),
    annotations: sortedMap(incoming.annotations),
    summary: incoming.summary,
    severity: incoming.severity,
    status: incoming.event === AlertEventStatus.RESOLVED ? AlertStatus.RESOLVED : AlertStatus.ACTIVE,
    startsAt: incoming.startsAt,
    endsAt: incoming.endsAt,
    generatorURL: incoming.generatorURL,
  };
}

const COMPARED: readonly (keyof AlertState)[] = ['key', 'summary', 'severity', 'status', 'startsAt', 'endsAt', 'generatorURL'];

export function sameState(a: AlertState, b: AlertState): boolean {
  return (
    COMPARED.every((field) => a[field] === b[field]) &&
    JSON.stringify(sortedMap(a.labels)) === JSON.stringify(sortedMap(b.labels)) &&
    JSON.stringify(sortedMap(a.annotations)) === JSON.stringify(sortedMap(b.annotations)) &&
    JSON.stringify(a.candidates) === JSON.stringify(b.candidates)
  );
}

/**
 * Decides what a notification does to the alert it names. Deliveries are
 * retried and may arrive late or twice, so:
 * - the same state again changes nothing (a repeat: only its last-notified
 *   time moves, which keeps a firing alert from expiring);
 * - a notification about an earlier occurrence (older startsAt) changes nothing;
 * - a firing notification does not reopen a resolved alert unless it starts
 *   later (a new occurrence): it is a retry that lost the race with the resolution;
 * - anything else replaces the stored state; a resolved notification resolves it.
 */
export function planAlertWrite(existing: AlertRecord | undefined, incoming: IncomingAlert, key: string | null, candidates: KeyCandidate[]): PlannedAlert {
  const id = alertId(incoming.source, incoming.fingerprint);
  const state = stateOf(incoming, key, candidates);
  if (!existing) return { id, action: 'create', state, resolves: state.status === AlertStatus.RESOLVED };
  const stale =
    incoming.startsAt < existing.startsAt ||
    (existing.status === AlertStatus.RESOLVED && state.status === AlertStatus.ACTIVE && incoming.startsAt === existing.startsAt);
  if (stale) return { id, action: 'unchanged', state: existing, resolves: false, repeat: false };
  if (sameState(existing, state)) return { id, action: 'unchanged', state: existing, resolves: false, repeat: true };
  return {
    id,
    action: 'update',
    state,
    resolves: existing.status !== AlertStatus.RESOLVED && state.status === AlertStatus.RESOLVED,
    baseVersion: existing.version,
  };
}

/** The counts an intake call answers with. */
export function countOutcome(plans: readonly PlannedAlert[]): IngestOutcome {
  return {
    received: plans.length,
    stored: plans.filter((p) => p.action === 'create').length,
    updated: plans.filter((p) => p.action === 'update').length,
    unchanged: plans.filter((p) => p.action === 'unchanged').length,
    unmatched: plans.filter((p) => p.state.key === null).length,
    resolved: plans.filter((p) => p.resolves).length,
  };
}
