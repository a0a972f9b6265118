import { DomainError } from '../common/errors/domain-error';
import { AlertEventStatus, AlertSource, Severity } from './alerts.vocabulary';
import { parseGenericAlerts, parseGenericBody } from './generic-alerts';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return ((error.details.problems as { path: string; message: string }[]) ?? [{ path: error.details.field, message: error.message }]).map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('accepted');
}

const ok = { key: 'svc:checkout', severity: 'CRITICAL', startsAt: '2026-11-26T16:00:00Z' };

describe('generic alert intake', () => {
  it('takes JSON with RFC 3339 strings and GraphQL with Dates alike', () => {
    const [fromJson] = parseGenericAlerts([{ ...ok, severity: 'critical', status: 'resolved', endsAt: '2026-11-26T16:05:00+00:00', summary: 'down' }], 'alerts', 10);
    const [fromGraphql] = parseGenericAlerts(
      [{ ...ok, severity: Severity.CRITICAL, status: AlertEventStatus.RESOLVED, startsAt: new Date('2026-11-26T16:00:00Z'), endsAt: new Date('2026-11-26T16:05:00Z'), summary: 'down' }],
      'alerts',
      10,
    );
    expect(fromJson).toEqual(fromGraphql);
    expect(fromJson).toMatchObject({
      source: AlertSource.API,
      key: 'svc:checkout',
      severity: Severity.CRITICAL,
      event: AlertEventStatus.RESOLVED,
      startsAt: '2026-11-26T16:00:00.000Z',
      endsAt: '2026-11-26T16:05:00.000Z',
      summary: 'down',
    });
  });

  it('uses the id as fingerprint, else derives one from key, labels and startsAt', () => {
    const [withId, a, b, c] = parseGenericAlerts(
      [{ ...ok, id: 'INC-1' }, ok, { ...ok, labels: { x: '1' } }, { ...ok, startsAt: '2026-11-26T17:00:00Z' }],
      'alerts',
      10,
    );
    expect(withId.fingerprint).toBe('INC-1');
    expect(new Set([a.fingerprint, b.fingerprint, c.fingerprint]).size).toBe(3);
    expect(parseGenericAlerts([ok], 'alerts', 10)[0].fingerprint).toBe(a.fingerprint);
  });

  it('defaults to FIRING, and reads Go zero endsAt as no end', () => {
    const [alert] = parseGenericAlerts([{ ...ok, endsAt: '0001-01-01T00:00:00Z' }], 'alerts', 10);
    expect(alert).toMatchObject({ event: AlertEventStatus.FIRING, endsAt: null });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no key nor labels', { severity: 'INFO', startsAt: ok.startsAt }, 'alerts[0].key: is required when there are no labels'],
    ['a bad key', { ...ok, key: 'has space' }, 'alerts[0].key: must not contain whitespace'],
    ['no severity', { key: 'k', startsAt: ok.startsAt }, 'alerts[0].severity: is required: one of CRITICAL'],
    ['an unknown severity', { ...ok, severity: 'HIGH' }, 'alerts[0].severity: must be one of CRITICAL'],
    ['no startsAt', { key: 'k', severity: 'INFO' }, 'alerts[0].startsAt: is required'],
    ['a bad startsAt', { ...ok, startsAt: 'now' }, 'alerts[0].startsAt: must be an RFC 3339 date-time'],
    ['an invalid Date', { ...ok, startsAt: new Date('nonsense') }, 'alerts[0].startsAt: must be an RFC 3339 date-time'],
    ['an endsAt before startsAt', { ...ok, endsAt: '2026-11-26T15:00:00Z' }, 'alerts[0].endsAt: must not be before startsAt'],
    ['a bad status', { ...ok, status: 'PENDING' }, 'alerts[0].status: must be one of FIRING, RESOLVED'],
    ['a numeric label', { ...ok, labels: { severity: 1 } }, 'alerts[0].labels.severity: must be a string (got a number)'],
    ['a summary with control characters', { ...ok, summary: 'a\u0000b' }, 'alerts[0].summary: must not contain control characters'],
    ['an unknown field', { ...ok, startAt: ok.startsAt }, 'alerts[0].startAt: is not a field of an alert'],
    ['an empty id', { ...ok, id: '' }, 'alerts[0].id: must not be empty'],
  ])('refuses %s, naming the field', (_what, alert, expected) => {
    expect(problems(() => parseGenericAlerts([alert], 'alerts', 10))).toEqual([expect.stringContaining(expected)]);
  });

  it('refuses the same alert twice in one call', () => {
    expect(problems(() => parseGenericAlerts([{ ...ok, id: 'a' }, { ...ok, id: 'a' }], 'alerts', 10))).toEqual([
      "alerts[1].id: 'a' appears twice in one call (also at alerts[0])",
    ]);
    expect(problems(() => parseGenericAlerts([ok, ok], 'alerts', 10))).toEqual([
      'alerts[1]: is the same alert as alerts[0] (same key, labels and startsAt); give each an id',
    ]);
  });

  it('refuses a body that is not { "alerts": [...] }, and too many alerts', () => {
    expect(problems(() => parseGenericBody([ok], 10))[0]).toContain('body: must be a JSON object');
    expect(problems(() => parseGenericBody({ alerts: ok }, 10))[0]).toContain('alerts: is required: a list of alerts (got an object)');
    expect(problems(() => parseGenericBody({}, 10))).toEqual(['alerts: is required: a list of alerts (got nothing)']);
    // What a body sent with another content type reads as: none at all.
    expect(problems(() => parseGenericBody(undefined, 10))).toEqual(['body: must be a JSON object { "alerts": [...] } sent with Content-Type: application/json (got no JSON body)']);
    expect(problems(() => parseGenericBody({ alerts: [], extra: 1 }, 10))[0]).toContain('extra: is not a field of this request');
    expect(problems(() => parseGenericBody({ alerts: [ok, ok, ok] }, 2))[0]).toContain('alerts: alerts: must have at most 2 alerts per call (got 3)');
  });
});
