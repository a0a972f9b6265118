import { countOutcome, planAlertWrite, stateOf } from './alert-plan';
import { AlertRecord, IncomingAlert, KeyCandidate, ReadRule, effectiveStatus, expiredAtOrBefore } from './alerts.types';
import { AlertEventStatus, AlertSource, AlertStatus, Severity } from './alerts.vocabulary';

const candidates: KeyCandidate[] = [{ via: 'KEY', value: 'svc:checkout' }];

function incoming(change: Partial<IncomingAlert> = {}): IncomingAlert {
  return {
    fingerprint: 'fp1',
    source: AlertSource.ALERTMANAGER,
    event: AlertEventStatus.FIRING,
    severity: Severity.MAJOR,
    labels: { service: 'svc:checkout', alertname: 'HighErrorRate' },
    annotations: { summary: 'errors' },
    summary: 'errors',
    startsAt: '2026-11-26T16:00:00.000Z',
    endsAt: null,
    generatorURL: null,
    key: null,
    ...change,
  };
}

function stored(change: Partial<IncomingAlert> = {}, key: string | null = 'svc:checkout'): AlertRecord {
  return { ...stateOf(incoming(change), key, candidates), id: 'alertmanager:fp1', receivedAt: 'r', updatedAt: 'u', lastNotifiedAt: 'n', version: 3 };
}

describe('planning alert writes', () => {
  it('creates what is new, and counts it as resolved when it arrives resolved', () => {
    expect(planAlertWrite(undefined, incoming(), 'svc:checkout', candidates)).toMatchObject({ id: 'alertmanager:fp1', action: 'create', resolves: false });
    expect(planAlertWrite(undefined, incoming({ event: AlertEventStatus.RESOLVED }), null, [])).toMatchObject({ action: 'create', resolves: true, state: { status: 'RESOLVED', key: null } });
  });

  it('changes nothing when the same state arrives again, whatever the order of its labels; it counts as a repeat', () => {
    const again = incoming({ labels: { alertname: 'HighErrorRate', service: 'svc:checkout' } });
    const plan = planAlertWrite(stored(), again, 'svc:checkout', candidates);
    expect(plan).toMatchObject({ action: 'unchanged', resolves: false, repeat: true });
    expect(plan.state).toEqual(stored());
  });

  it('resolves an active alert on a resolved notification, once', () => {
    const resolvedNote = incoming({ event: AlertEventStatus.RESOLVED, endsAt: '2026-11-26T16:10:00.000Z' });
    expect(planAlertWrite(stored(), resolvedNote, 'svc:checkout', candidates)).toMatchObject({ action: 'update', resolves: true, baseVersion: 3 });
    const alreadyResolved = stored({ event: AlertEventStatus.RESOLVED, endsAt: '2026-11-26T16:10:00.000Z' });
    expect(planAlertWrite(alreadyResolved, resolvedNote, 'svc:checkout', candidates)).toMatchObject({ action: 'unchanged' });
  });

  it('updates when anything a notification carries changes: endsAt extended, severity, CI', () => {
    expect(planAlertWrite(stored(), incoming({ endsAt: '2026-11-26T16:20:00.000Z' }), 'svc:checkout', candidates).action).toBe('update');
    expect(planAlertWrite(stored(), incoming({ severity: Severity.CRITICAL }), 'svc:checkout', candidates).action).toBe('update');
    expect(planAlertWrite(stored(), incoming(), null, candidates).action).toBe('update');
  });

  it('ignores a late firing notification for an occurrence already resolved (not a repeat)', () => {
    const resolved = stored({ event: AlertEventStatus.RESOLVED, endsAt: '2026-11-26T16:10:00.000Z' });
    expect(planAlertWrite(resolved, incoming(), 'svc:checkout', candidates)).toMatchObject({ action: 'unchanged', repeat: false, state: { status: 'RESOLVED' } });
  });

  it('reopens a resolved alert when it fires again later (a new occurrence)', () => {
    const resolved = stored({ event: AlertEventStatus.RESOLVED, endsAt: '2026-11-26T16:10:00.000Z' });
    expect(planAlertWrite(resolved, incoming({ startsAt: '2026-11-26T17:00:00.000Z' }), 'svc:checkout', candidates)).toMatchObject({
      action: 'update',
      resolves: false,
      state: { status: 'ACTIVE', startsAt: '2026-11-26T17:00:00.000Z' },
    });
  });

  it('ignores notifications about an earlier occurrence (not a repeat either)', () => {
    const current = stored({ startsAt: '2026-11-26T17:00:00.000Z' });
    expect(planAlertWrite(current, incoming({ event: AlertEventStatus.RESOLVED }), 'svc:checkout', candidates)).toMatchObject({ action: 'unchanged', repeat: false });
    expect(planAlertWrite(current, incoming(), 'svc:checkout', candidates)).toMatchObject({ action: 'unchanged', repeat: false });
  });

  it('counts what a call did', () => {
    const plans = [
      planAlertWrite(undefined, incoming({ fingerprint: 'a' }), null, []),
      planAlertWrite(stored(), incoming(), 'svc:checkout', candidates),
      planAlertWrite(stored(), incoming({ event: AlertEventStatus.RESOLVED }), 'svc:checkout', candidates),
    ];
    expect(countOutcome(plans)).toEqual({ received: 3, stored: 1, updated: 1, unchanged: 1, unmatched: 1, resolved: 1 });
  });
});

describe('effective status', () => {
  const rule: ReadRule = { now: new Date('2026-11-26T16:05:00Z'), expireAfterMs: 12 * 3_600_000 };
  const alert = (change: Partial<AlertRecord> = {}) => ({
    status: AlertStatus.ACTIVE,
    endsAt: null,
    source: AlertSource.ALERTMANAGER,
    lastNotifiedAt: '2026-11-26T16:00:00.000Z',
    ...change,
  });

  it('reads an active alert as resolved once its endsAt has passed', () => {
    expect(effectiveStatus(alert(), rule)).toBe(AlertStatus.ACTIVE);
    expect(effectiveStatus(alert({ endsAt: '2026-11-26T16:06:00.000Z' }), rule)).toBe(AlertStatus.ACTIVE);
    expect(effectiveStatus(alert({ endsAt: '2026-11-26T16:05:00.000Z' }), rule)).toBe(AlertStatus.RESOLVED);
    expect(effectiveStatus(alert({ status: AlertStatus.RESOLVED }), rule)).toBe(AlertStatus.RESOLVED);
  });

  it('computes the last-notified time at or before which an alert has expired', () => {
    expect(expiredAtOrBefore(rule)).toBe('2026-11-26T04:05:00.000Z');
    expect(expiredAtOrBefore({ now: new Date('2026-11-26T00:00:30Z'), expireAfterMs: 60_000 })).toBe('2026-11-25T23:59:30.000Z');
  });

  it('expires an Alertmanager alert with no known end that no notification named for expireAfterMs', () => {
    expect(effectiveStatus(alert({ lastNotifiedAt: '2026-11-26T04:05:00.001Z' }), rule)).toBe(AlertStatus.ACTIVE);
    expect(effectiveStatus(alert({ lastNotifiedAt: '2026-11-26T04:05:00.000Z' }), rule)).toBe(AlertStatus.RESOLVED);
    expect(effectiveStatus(alert({ lastNotifiedAt: '2026-11-20T00:00:00.000Z' }), rule)).toBe(AlertStatus.RESOLVED);
    // The setting decides how long that is.
    expect(effectiveStatus(alert({ lastNotifiedAt: '2026-11-20T00:00:00.000Z' }), { ...rule, expireAfterMs: 30 * 24 * 3_600_000 })).toBe(AlertStatus.ACTIVE);
  });

  it('lets a known endsAt, not the silence, decide when there is one', () => {
    expect(effectiveStatus(alert({ lastNotifiedAt: '2026-11-20T00:00:00.000Z', endsAt: '2026-11-27T00:00:00.000Z' }), rule)).toBe(AlertStatus.ACTIVE);
  });

  it('does not expire alerts of the generic intake, which promises no repeats', () => {
    expect(effectiveStatus(alert({ source: AlertSource.API, lastNotifiedAt: '2026-11-20T00:00:00.000Z' }), rule)).toBe(AlertStatus.ACTIVE);
  });
});
