import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../common/errors/domain-error';
import { MAX_ANNOTATION_VALUE_LENGTH, MAX_INFO_LENGTH, MAX_URL_LENGTH, cleanText, parseDate, parseRfc3339, severityOf, summaryOf } from './alert-fields';
import { parseAlertmanagerPayload } from './alertmanager-payload';
import { AlertEventStatus, AlertSource, Severity } from './alerts.vocabulary';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'alertmanager');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/** The problems a payload is refused with, as `path: message`. */
function problems(body: unknown, maxAlerts = 5000): string[] {
  try {
    parseAlertmanagerPayload(body, maxAlerts);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const list = (error.details.problems as { path: string; message: string }[] | undefined) ?? [{ path: error.details.field as string, message: error.message }];
    return list.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('accepted');
}

function withAlert(change: (alert: Record<string, unknown>) => void, index = 0): unknown {
  const body = fixture('firing.json');
  change(body.alerts[index]);
  return body;
}

describe('RFC 3339 dates', () => {
  it.each([
    ['2026-11-26T15:58:12.415Z', '2026-11-26T15:58:12.415Z'],
    ['2026-11-26T15:59:47.108353279Z', '2026-11-26T15:59:47.108Z'],
    ['2026-11-26T17:00:02.9+01:00', '2026-11-26T16:00:02.900Z'],
    ['2026-11-26t16:00:00z', '2026-11-26T16:00:00.000Z'],
    ['2024-02-29T00:00:00-05:30', '2024-02-29T05:30:00.000Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseRfc3339(text)).toBe(iso);
  });

  it.each(['2026-11-26', '2026-11-26 16:00:00Z', '2026-11-26T16:00:00', '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-26T24:00:00Z', '2026-11-26T16:00:00+25:00', '9999-12-31T23:00:00-05:00', 'yesterday', '1732636800', ''])(
    'refuses %s',
    (text) => {
      expect(parseRfc3339(text)).toBeNull();
    },
  );

  it('takes Dates from GraphQL, but not invalid ones', () => {
    expect(parseDate(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-26T16:00:00.000Z');
    expect(parseDate(new Date('nonsense'))).toBeNull();
    expect(parseDate(1732636800000)).toBeNull();
  });
});

describe('severity and summary', () => {
  it('maps the severity label ignoring case; anything else is WARNING', () => {
    expect(severityOf('critical')).toBe(Severity.CRITICAL);
    expect(severityOf('Major')).toBe(Severity.MAJOR);
    expect(severityOf(' INFO ')).toBe(Severity.INFO);
    expect(severityOf('minor')).toBe(Severity.MINOR);
    expect(severityOf('none')).toBe(Severity.WARNING);
    expect(severityOf('page')).toBe(Severity.WARNING);
    expect(severityOf(undefined)).toBe(Severity.WARNING);
  });

  it('takes the summary annotation, else the description, else the alert name', () => {
    expect(summaryOf({ summary: 's', description: 'd' }, { alertname: 'A' })).toBe('s');
    expect(summaryOf({ description: 'd' }, { alertname: 'A' })).toBe('d');
    expect(summaryOf({}, { alertname: 'A' })).toBe('A');
    expect(summaryOf({}, {})).toBeNull();
    expect(summaryOf({ summary: 'x'.repeat(5000) }, {})!.length).toBe(4000);
    expect(summaryOf({ summary: 'a\ud800b' }, {})).toBe('a\ufffdb');
  });

  it('cuts long text to its limit, ending in an ellipsis, never inside a surrogate pair', () => {
    expect(cleanText('abcdef', 4)).toBe('abc…');
    expect(cleanText('abcd', 4)).toBe('abcd');
    // '🔑' is two UTF-16 units; cutting after its first would leave a lone surrogate.
    expect(cleanText('ab🔑cdef', 4)).toBe('ab…');
    expect(cleanText('a🔑cdef', 4)).toBe('a🔑…');
  });
});

describe('the Alertmanager webhook payload (version 4)', () => {
  it('reads a real notification: firing and resolved alerts, offsets, nanoseconds and Go zero times', () => {
    const parsed = parseAlertmanagerPayload(fixture('firing.json'), 5000);
    expect(parsed).toMatchObject({ receiver: 'svcmap', truncatedAlerts: 0 });
    expect(parsed.alerts).toHaveLength(5);
    const [lag, crash, errors, disk, watchdog] = parsed.alerts;
    expect(lag).toMatchObject({
      fingerprint: '4fd2f4ab1c2e7a90',
      source: AlertSource.ALERTMANAGER,
      event: AlertEventStatus.FIRING,
      severity: Severity.CRITICAL,
      summary: 'Postgres replica db-01 lags its primary',
      startsAt: '2026-11-26T15:58:12.415Z',
      // Alertmanager hides the end of a firing alert: Go's zero time, no known end.
      endsAt: null,
      key: null,
    });
    expect(lag.labels.team).toBe('payments');
    expect(lag.generatorURL).toContain('pg_replication_lag_seconds');
    expect(crash).toMatchObject({ severity: Severity.WARNING, startsAt: '2026-11-26T15:59:47.108Z', endsAt: null });
    expect(errors).toMatchObject({ severity: Severity.MAJOR, startsAt: '2026-11-26T16:00:02.900Z' });
    expect(disk).toMatchObject({ event: AlertEventStatus.RESOLVED, severity: Severity.INFO, endsAt: '2026-11-26T15:56:57.621Z' });
    expect(parsed.alerts.filter((a) => a.event === AlertEventStatus.FIRING).map((a) => a.endsAt)).toEqual([null, null, null, null]);
    expect(watchdog).toMatchObject({ severity: Severity.WARNING, summary: 'This is an alert meant to ensure that the entire alerting pipeline is functional.' });
  });

  it('ignores fields the format does not define, and tolerates missing optional ones', () => {
    const body = fixture('firing.json');
    body.orgId = 1;
    body.alerts[0].silenceURL = 'http://x';
    delete body.groupKey;
    delete body.commonAnnotations;
    delete body.alerts[0].annotations;
    delete body.alerts[0].generatorURL;
    const parsed = parseAlertmanagerPayload(body, 5000);
    expect(parsed.alerts[0]).toMatchObject({ annotations: {}, generatorURL: null, summary: 'PostgresReplicationLag' });
  });

  it('takes a generatorURL of any length (long PromQL), stored cut to its limit', () => {
    const long = `http://prometheus:9090/graph?g0.expr=${'sum%28rate%28x%5B5m%5D%29%29+%2B+'.repeat(200)}`.slice(0, 5000);
    expect(long).toHaveLength(5000);
    const [alert] = parseAlertmanagerPayload(withAlert((a) => (a.generatorURL = long)), 5000).alerts;
    expect(alert.generatorURL).toHaveLength(MAX_URL_LENGTH);
    expect(alert.generatorURL).toBe(`${long.slice(0, MAX_URL_LENGTH - 1)}…`);
    // The same long URL again gives the same stored value, so a re-delivery stays unchanged.
    expect(parseAlertmanagerPayload(withAlert((a) => (a.generatorURL = long)), 5000).alerts[0].generatorURL).toBe(alert.generatorURL);
  });

  it('takes long externalURL, receiver and groupKey, which it does not store; receiver and groupKey are cut for the log', () => {
    const body = fixture('firing.json');
    body.externalURL = `http://alertmanager:9093/${'x'.repeat(10_000)}`;
    body.receiver = 'r'.repeat(5_000);
    body.groupKey = `{}/{cluster=~".+"}:{cluster="${'c'.repeat(20_000)}"}`;
    const parsed = parseAlertmanagerPayload(body, 5000);
    expect(parsed.alerts).toHaveLength(5);
    expect(parsed.receiver).toHaveLength(MAX_INFO_LENGTH);
    expect(parsed.groupKey).toHaveLength(MAX_INFO_LENGTH);
    expect(parsed.groupKey!.startsWith('{}/{cluster=~".+"}')).toBe(true);
  });

  it('takes null for the group objects, as for annotations, and long values in them', () => {
    const body = fixture('firing.json');
    body.groupLabels = null;
    body.commonLabels = null;
    body.commonAnnotations = null;
    body.receiver = null;
    body.groupKey = null;
    body.externalURL = null;
    body.alerts[0].annotations = null;
    expect(parseAlertmanagerPayload(body, 5000)).toMatchObject({ receiver: null, groupKey: null });
    const long = fixture('firing.json');
    long.commonAnnotations = { description: 'd'.repeat(MAX_ANNOTATION_VALUE_LENGTH + 10) };
    long.commonLabels = { cluster: 'c'.repeat(20_000) };
    expect(parseAlertmanagerPayload(long, 5000).alerts).toHaveLength(5);
  });

  it('stores an over-long annotation value cut to its limit rather than refusing the notification', () => {
    const [alert] = parseAlertmanagerPayload(withAlert((a) => ((a.annotations as Record<string, string>).description = 'd'.repeat(MAX_ANNOTATION_VALUE_LENGTH + 1))), 5000).alerts;
    expect(alert.annotations.description).toHaveLength(MAX_ANNOTATION_VALUE_LENGTH);
    expect(alert.annotations.description.endsWith('…')).toBe(true);
  });

  it('derives a fingerprint from the labels when none is sent', () => {
    const a = parseAlertmanagerPayload(withAlert((alert) => delete alert.fingerprint), 5000).alerts[0].fingerprint;
    const b = parseAlertmanagerPayload(withAlert((alert) => delete alert.fingerprint), 5000).alerts[0].fingerprint;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).toBe(b);
  });

  it.each<[string, unknown, string]>([
    ['a list', [], 'body: must be a JSON object'],
    ['a string', 'hello', 'body: must be a JSON object'],
    ['nothing', undefined, 'body: must be a JSON object as Alertmanager sends it, with Content-Type: application/json (got no JSON body)'],
    ['no version', { alerts: [] }, 'version: is required'],
    ['version 3', { version: '3', alerts: [] }, 'version: must be "4"'],
    ['version as a number', { version: 4, alerts: [] }, 'version: must be "4"'],
    ['no alerts', { version: '4' }, 'alerts: is required'],
    ['alerts as an object', { version: '4', alerts: {} }, 'alerts: must be a list (got an object)'],
    ['a bad truncatedAlerts', { version: '4', alerts: [], truncatedAlerts: -1 }, 'truncatedAlerts: must be a whole number'],
    ['a numeric commonLabels value', { version: '4', alerts: [], commonLabels: { a: 1 } }, 'commonLabels.a: must be a string (got a number)'],
    ['groupLabels as a list', { version: '4', alerts: [], groupLabels: ['a'] }, 'groupLabels: must be an object of string values, or null (got a list)'],
    ['a numeric commonAnnotations value', { version: '4', alerts: [], commonAnnotations: { summary: 1 } }, 'commonAnnotations.summary: must be a string (got a number)'],
    ['a numeric externalURL', { version: '4', alerts: [], externalURL: 9093 }, 'externalURL: must be a string (got a number)'],
    ['an object as receiver', { version: '4', alerts: [], receiver: { name: 'svcmap' } }, 'receiver: must be a string (got an object)'],
    ['a numeric groupKey', { version: '4', alerts: [], groupKey: 7 }, 'groupKey: must be a string (got a number)'],
    ['a bad group status', { version: '4', alerts: [], status: 'burning' }, 'status: must be "firing" or "resolved"'],
  ])('refuses %s, naming the field', (_what, body, expected) => {
    expect(problems(body)[0]).toContain(expected);
  });

  it.each<[string, (alert: Record<string, unknown>) => void, string]>([
    ['a bad startsAt', (a) => (a.startsAt = '26/11/2026 16:00'), 'alerts[2].startsAt: must be an RFC 3339 date-time'],
    ['no startsAt', (a) => delete a.startsAt, 'alerts[2].startsAt: is required'],
    ['Go zero startsAt', (a) => (a.startsAt = '0001-01-01T00:00:00Z'), 'alerts[2].startsAt: must be an RFC 3339'],
    ['a numeric endsAt', (a) => (a.endsAt = 1732636800), 'alerts[2].endsAt: must be an RFC 3339'],
    ['no status', (a) => delete a.status, 'alerts[2].status: is required'],
    ['an unknown status', (a) => (a.status = 'pending'), 'alerts[2].status: must be "firing" or "resolved"'],
    ['labels as a list', (a) => (a.labels = ['x']), 'alerts[2].labels: must be an object of string values'],
    ['no labels', (a) => delete a.labels, 'alerts[2].labels: is required'],
    ['a numeric label', (a) => ((a.labels as Record<string, unknown>).severity = 3), 'alerts[2].labels.severity: must be a string (got a number)'],
    ['a nested annotation', (a) => (a.annotations = { summary: { text: 'x' } }), 'alerts[2].annotations.summary: must be a string (got an object)'],
    ['a fingerprint with spaces', (a) => (a.fingerprint = 'a b'), 'alerts[2].fingerprint: must not contain whitespace'],
    ['a numeric fingerprint', (a) => (a.fingerprint = 42), 'alerts[2].fingerprint: must be a string'],
    ['a numeric generatorURL', (a) => (a.generatorURL = 1), 'alerts[2].generatorURL: must be a string'],
    ['a label value over 16,384 characters', (a) => ((a.labels as Record<string, unknown>).pod = 'p'.repeat(16_385)), 'alerts[2].labels.pod: must be at most 16384 characters'],
  ])('refuses an alert with %s, naming alerts[i].field', (_what, change, expected) => {
    expect(problems(withAlert(change, 2))).toEqual([expect.stringContaining(expected)]);
  });

  it('names every bad field at once', () => {
    const body = fixture('firing.json');
    body.alerts[0].startsAt = 'soon';
    body.alerts[3].status = 'gone';
    body.alerts[4] = 'not an alert';
    expect(problems(body)).toEqual([
      expect.stringMatching(/^alerts\[0\]\.startsAt: /),
      expect.stringMatching(/^alerts\[3\]\.status: /),
      'alerts[4]: must be an object (got a string)',
    ]);
  });

  it('refuses the same fingerprint twice, naming both places', () => {
    const body = fixture('firing.json');
    body.alerts[3].fingerprint = body.alerts[1].fingerprint;
    expect(problems(body)).toEqual(["alerts[3].fingerprint: 'a81c03e2b54f6d17' appears twice in one call (also at alerts[1].fingerprint)"]);
  });

  it('refuses more alerts than one call may carry, with LIMIT_EXCEEDED and a hint', () => {
    const body = fixture('firing.json');
    const error = (() => {
      try {
        parseAlertmanagerPayload(body, 4);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'alerts', limit: 'alerts', value: 5, maximum: 4 } });
    expect(error!.message).toContain('max_alerts');
  });
});
