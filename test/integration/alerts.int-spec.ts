import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/auth/roles';
import { Clock } from '../../src/common/clock';
import { Neo4jService } from '../../src/common/neo4j/neo4j.service';
import { MetricsService } from '../../src/observability/metrics.service';
import { TestApp, startTestApp } from '../support/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures', 'alertmanager');
const SECRET = `webhook-secret-${randomBytes(16).toString('hex')}`;
/** Unique per run: fingerprints, clusters, services and hosts carry it, so this file shares the database with others safely. */
const RUN = `r${randomBytes(4).toString('hex')}`;

type Payload = Record<string, any>;

/** A fixture as Alertmanager sent it, with this run's names in fingerprints and in the labels that name CIs. */
function fixture(name: string): Payload {
  const payload = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
  const relabel = (labels: Record<string, string>) => {
    if (labels.cluster) labels.cluster = `${RUN}-${labels.cluster}`;
    if (labels.service) labels.service = `${RUN}-${labels.service}`;
    if (labels.instance) labels.instance = `${RUN}-${labels.instance}`;
  };
  for (const alert of payload.alerts) {
    alert.fingerprint = `${RUN}-${alert.fingerprint}`;
    relabel(alert.labels);
  }
  relabel(payload.groupLabels);
  relabel(payload.commonLabels);
  return payload;
}

function oneAlert(fingerprint: string, change: Record<string, unknown> = {}): Payload {
  return {
    version: '4',
    groupKey: '{}:{alertname="Probe"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'svcmap',
    groupLabels: { alertname: 'Probe' },
    commonLabels: { alertname: 'Probe' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Probe', severity: 'critical' },
        annotations: { summary: 'probe failed' },
        startsAt: '2026-11-26T16:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: `${RUN}-${fingerprint}`,
        ...change,
      },
    ],
  };
}

const ALERT_FIELDS =
  'id fingerprint source key severity status summary startsAt endsAt generatorURL labels annotations candidates { via value } receivedAt updatedAt lastNotifiedAt ci { key kind }';

describe('alert intake', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T16:01:00Z');
  const keys = {
    checkout: `${RUN}-checkout`,
    cart: `k8s:${RUN}-prod-eu-1/shop/deployment/cart`,
    db: `host:${RUN}-db-01.internal`,
    web: `vm:${RUN}-web-7`,
  };
  const headers: Partial<Record<string, Record<string, string>>> = {};

  async function post(path: string, body: unknown, auth: Record<string, string> | null = { authorization: `Bearer ${SECRET}` }, contentType = 'application/json') {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(auth ?? {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) };
  }
  const webhook = (body: unknown, auth?: Record<string, string> | null) => post('/api/v1/alerts/alertmanager', body, auth);
  const generic = (body: unknown, auth?: Record<string, string> | null) => post('/api/v1/alerts', body, auth);

  async function alertsOn(key: string, filter: Record<string, unknown> = {}): Promise<any[]> {
    const data = await t.gqlOk(`query($filter: AlertFilterInput) { alerts(filter: $filter, first: 500) { totalCount edges { node { ${ALERT_FIELDS} } } } }`, {
      filter: { keys: [key], ...filter },
    });
    return data.alerts.edges.map((e: any) => e.node);
  }

  /** What Neo4j holds for an alert beyond what GraphQL shows: its version. */
  async function storedVersion(id: string): Promise<number | null> {
    const result = await t.app.get(Neo4jService).read('test.alertVersion', (tx) => tx.run('MATCH (a:Alert {id: $id}) RETURN a.version AS version', { id }));
    return result.records.length ? (result.records[0].get('version') as number) : null;
  }

  /** How many alerts this file stored whose id starts so. */
  async function storedCount(idPrefix: string): Promise<number> {
    const result = await t.app.get(Neo4jService).read('test.alertCount', (tx) =>
      tx.run('MATCH (a:Alert) WHERE a.id STARTS WITH $prefix RETURN count(a) AS n', { prefix: idPrefix }),
    );
    return result.records[0].get('n') as number;
  }

  /** The ids of the alerts in activeIncidents now. */
  async function inIncidents(): Promise<Set<string>> {
    const data = await t.gqlOk('{ activeIncidents { alerts { id } } }');
    return new Set(data.activeIncidents.flatMap((i: any) => i.alerts.map((a: any) => a.id)));
  }

  beforeAll(async () => {
    process.env.SVCMAP_ALERT_WEBHOOK_SECRET = SECRET;
    t = await startTestApp();
    delete process.env.SVCMAP_ALERT_WEBHOOK_SECRET;
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    for (const role of [Role.READER, Role.ARCHITECT, Role.ADMIN]) headers[role] = await t.authAs(role);
    headers.discoveryOther = await t.authAs(Role.DISCOVERY, ['test:*']);
    headers.discoveryAlertmanager = await t.authAs(Role.DISCOVERY, ['alerts:alertmanager']);
    headers.discoveryAlerts = await t.authAs(Role.DISCOVERY, ['alerts:*']);
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', {
      input: [
        { key: keys.checkout, kind: 'SERVICE' },
        { key: keys.cart, kind: 'KUBERNETES_WORKLOAD' },
        { key: keys.db, kind: 'HOST' },
      ],
    });
    // A discovery sync reports the VM with an identifier, then under a second key that the identifier makes an alias.
    const { beginSync } = await t.gqlOk('mutation($source: String!) { beginSync(source: $source) { id } }', { source: `test:${RUN}` });
    const push = 'mutation($id: ID!, $cis: [CIInput!]) { pushSyncBatch(syncId: $id, cis: $cis) { __typename } }';
    await t.gqlOk(push, { id: beginSync.id, cis: [{ key: keys.web, kind: 'VM', identifiers: [`hostname:${RUN}-web-7`] }] });
    await t.gqlOk(push, { id: beginSync.id, cis: [{ key: `aws:ec2:${RUN}-i-0abc`, kind: 'VM', identifiers: [`hostname:${RUN}-web-7`] }] });
    await t.gqlOk('mutation($id: ID!) { commitSync(syncId: $id) { __typename } }', { id: beginSync.id });
  }, 180_000);
  afterAll(() => t.close());

  describe('the Alertmanager webhook', () => {
    it('stores a real notification, matching each alert to its CI by labels; unknown labels leave it unmatched', async () => {
      const { status, body } = await webhook(fixture('firing.json'));
      expect(status).toBe(200);
      expect(body).toEqual({ received: 5, stored: 5, updated: 0, unchanged: 0, unmatched: 1, resolved: 1 });

      // Both alerts on the database host, newest first; the disk alert arrived resolved.
      const [lag, disk] = await alertsOn(keys.db);
      expect([lag.id, disk.id]).toEqual([`alertmanager:${RUN}-4fd2f4ab1c2e7a90`, `alertmanager:${RUN}-d3e5b7f02a6c9184`]);
      expect(disk).toMatchObject({ status: 'RESOLVED', severity: 'INFO', endsAt: '2026-11-26T15:56:57.621Z' });
      expect((await alertsOn(keys.db, { statuses: ['ACTIVE'] })).map((a) => a.id)).toEqual([lag.id]);
      expect(lag).toMatchObject({
        source: 'ALERTMANAGER',
        key: keys.db,
        severity: 'CRITICAL',
        status: 'ACTIVE',
        summary: 'Postgres replica db-01 lags its primary',
        startsAt: '2026-11-26T15:58:12.415Z',
        // Alertmanager hides the end of a firing alert (Go's zero time): no known end.
        endsAt: null,
        receivedAt: '2026-11-26T16:01:00.000Z',
        lastNotifiedAt: '2026-11-26T16:01:00.000Z',
        ci: { key: keys.db, kind: 'HOST' },
      });
      expect(lag.labels).toMatchObject({ alertname: 'PostgresReplicationLag', team: 'payments' });
      expect(lag.annotations.runbook_url).toContain('runbooks.example.com');
      expect(lag.candidates).toEqual([
        { via: 'IDENTIFIER', value: `hostname:${RUN}-db-01.internal` },
        { via: 'KEY', value: keys.db },
      ]);

      const [crash] = await alertsOn(keys.cart);
      expect(crash).toMatchObject({ id: `alertmanager:${RUN}-a81c03e2b54f6d17`, severity: 'WARNING', endsAt: null, status: 'ACTIVE' });
      expect(crash.candidates[0]).toEqual({ via: 'KEY', value: keys.cart });
      const [errors] = await alertsOn(keys.checkout);
      expect(errors).toMatchObject({ severity: 'MAJOR', startsAt: '2026-11-26T16:00:02.900Z' });

      const unmatched = await t.gqlOk(
        '{ alerts(filter: { matched: false, since: "2026-11-26T09:00:00Z", until: "2026-11-26T09:00:01Z" }, first: 500) { edges { node { id key candidates { value } ci { key } severity } } } }',
      );
      const watchdog = unmatched.alerts.edges.map((e: any) => e.node).find((n: any) => n.id === `alertmanager:${RUN}-7b0e91c4d2f35a68`);
      expect(watchdog).toEqual({ id: `alertmanager:${RUN}-7b0e91c4d2f35a68`, key: null, candidates: [], ci: null, severity: 'WARNING' });
    });

    it('takes a re-delivery without changing anything but the time it was last notified', async () => {
      const [before] = await alertsOn(keys.checkout);
      const versionBefore = await storedVersion(before.id);
      now = new Date('2026-11-26T16:02:00Z');
      const { status, body } = await webhook(fixture('firing.json'));
      expect(status).toBe(200);
      expect(body).toEqual({ received: 5, stored: 0, updated: 0, unchanged: 5, unmatched: 1, resolved: 0 });
      const [after] = await alertsOn(keys.checkout);
      expect(after).toEqual({ ...before, lastNotifiedAt: '2026-11-26T16:02:00.000Z' });
      expect(after.updatedAt).toBe('2026-11-26T16:01:00.000Z');
      expect(await storedVersion(after.id)).toBe(versionBefore);
    });

    it('resolves alerts on a resolved notification, once', async () => {
      now = new Date('2026-11-26T16:13:00Z');
      expect((await webhook(fixture('resolved.json'))).body).toEqual({ received: 2, stored: 0, updated: 2, unchanged: 0, unmatched: 0, resolved: 2 });
      expect((await webhook(fixture('resolved.json'))).body).toEqual({ received: 2, stored: 0, updated: 0, unchanged: 2, unmatched: 0, resolved: 0 });
      const [errors] = await alertsOn(keys.checkout);
      expect(errors).toMatchObject({ status: 'RESOLVED', endsAt: '2026-11-26T16:12:17.350Z' });
      expect(await alertsOn(keys.checkout, { statuses: ['ACTIVE'] })).toEqual([]);
      // A firing notification retried after the resolution does not reopen it.
      const late = fixture('firing.json');
      late.alerts = late.alerts.filter((a: any) => a.labels.alertname === 'HighErrorRate');
      expect((await webhook(late)).body).toMatchObject({ unchanged: 1, updated: 0 });
      expect((await alertsOn(keys.checkout))[0].status).toBe('RESOLVED');
      // The crash-looping pod was not in the resolved notification: still active.
      expect((await alertsOn(keys.cart))[0].status).toBe('ACTIVE');
    });

    it('expires a firing alert with no known end that no notification named for 12 hours, until one does', async () => {
      const id = `alertmanager:${RUN}-silent`;
      const payload = oneAlert('silent', { labels: { alertname: 'Probe', service: keys.checkout }, startsAt: '2026-11-26T15:30:00Z' });
      const find = async (filter: Record<string, unknown> = {}) => (await alertsOn(keys.checkout, filter)).find((a) => a.id === id);
      now = new Date('2026-11-26T16:00:00Z');
      expect((await webhook(payload)).body).toMatchObject({ stored: 1, unmatched: 0 });
      expect(await find()).toMatchObject({ status: 'ACTIVE', endsAt: null, lastNotifiedAt: '2026-11-26T16:00:00.000Z' });
      const version = await storedVersion(id);

      // Alertmanager repeats the still-firing group (repeat_interval, 4h by default): only the last-notified time moves.
      now = new Date('2026-11-26T20:00:00Z');
      expect((await webhook(payload)).body).toEqual({ received: 1, stored: 0, updated: 0, unchanged: 1, unmatched: 0, resolved: 0 });
      expect(await find()).toMatchObject({ status: 'ACTIVE', updatedAt: '2026-11-26T16:00:00.000Z', lastNotifiedAt: '2026-11-26T20:00:00.000Z' });
      expect(await storedVersion(id)).toBe(version);

      // A millisecond short of 12 hours after that, it still fires: in the ACTIVE filter and in an incident.
      now = new Date('2026-11-27T07:59:59.999Z');
      expect((await find())?.status).toBe('ACTIVE');
      expect((await find({ statuses: ['ACTIVE'] }))?.id).toBe(id);
      expect(await find({ statuses: ['RESOLVED'] })).toBeUndefined();
      expect((await inIncidents()).has(id)).toBe(true);

      // 12 hours without a notification: its resolution was lost; it reads as RESOLVED everywhere, nothing rewritten.
      now = new Date('2026-11-27T08:00:00Z');
      expect(await find()).toMatchObject({ status: 'RESOLVED', endsAt: null, updatedAt: '2026-11-26T16:00:00.000Z' });
      expect(await find({ statuses: ['ACTIVE'] })).toBeUndefined();
      expect((await find({ statuses: ['RESOLVED'] }))?.id).toBe(id);
      expect((await inIncidents()).has(id)).toBe(false);
      expect(await storedVersion(id)).toBe(version);

      // Alertmanager names it again (say, after a restart): it fires again, with nothing else changed.
      now = new Date('2026-11-27T09:00:00Z');
      expect((await webhook(payload)).body).toMatchObject({ unchanged: 1, updated: 0 });
      expect(await find()).toMatchObject({ status: 'ACTIVE', updatedAt: '2026-11-26T16:00:00.000Z', lastNotifiedAt: '2026-11-27T09:00:00.000Z' });
      expect((await inIncidents()).has(id)).toBe(true);
      expect(await storedVersion(id)).toBe(version);

      // A resolved notification still resolves it for good.
      const resolved = oneAlert('silent', { labels: payload.alerts[0].labels, startsAt: '2026-11-26T15:30:00Z', status: 'resolved', endsAt: '2026-11-27T08:59:00Z' });
      expect((await webhook(resolved)).body).toMatchObject({ updated: 1, resolved: 1 });
      now = new Date('2026-11-27T09:00:01Z');
      expect(await find()).toMatchObject({ status: 'RESOLVED', endsAt: '2026-11-27T08:59:00.000Z' });
    });

    it('takes a generatorURL longer than 4,096 characters, long group fields and null group objects; stores the URL cut', async () => {
      now = new Date('2026-11-26T16:01:00Z');
      const generatorURL = `http://prometheus:9090/graph?g0.expr=${'histogram_quantile%280.99%2C+sum+by%28le%29%28rate%28x%5B5m%5D%29%29%29+%3E+'.repeat(80)}`.slice(0, 5000);
      expect(generatorURL).toHaveLength(5000);
      const payload = {
        ...oneAlert('long-url', { labels: { alertname: 'SlowQuantile', service: keys.checkout }, generatorURL }),
        externalURL: `http://alertmanager:9093/${'e'.repeat(6000)}`,
        receiver: 'r'.repeat(5000),
        groupKey: `{}:{alertname="${'g'.repeat(17_000)}"}`,
        groupLabels: null,
        commonLabels: null,
        commonAnnotations: null,
      };
      const { status, body } = await webhook(payload);
      expect(status).toBe(200);
      expect(body).toMatchObject({ received: 1, stored: 1, unmatched: 0 });
      const alert = (await alertsOn(keys.checkout)).find((a) => a.id === `alertmanager:${RUN}-long-url`);
      expect(alert.generatorURL).toHaveLength(4096);
      expect(alert.generatorURL).toBe(`${generatorURL.slice(0, 4095)}…`);
      // The same notification again is a repeat: the cut URL compares equal.
      expect((await webhook(payload)).body).toMatchObject({ stored: 0, updated: 0, unchanged: 1 });
    });

    it('logs a warning when Alertmanager left alerts out of a notification (truncatedAlerts)', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        const payload = { ...oneAlert('truncated'), truncatedAlerts: 17, groupKey: `{}:{alertname="${RUN}-Truncated"}` };
        expect((await webhook(payload)).status).toBe(200);
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ message: expect.stringContaining('max_alerts'), truncatedAlerts: 17, groupKey: `{}:{alertname="${RUN}-Truncated"}`, receiver: 'svcmap' }),
        );
        warn.mockClear();
        expect((await webhook(oneAlert('not-truncated'))).status).toBe(200);
        expect(warn).not.toHaveBeenCalledWith(expect.objectContaining({ truncatedAlerts: expect.anything() }));
      } finally {
        warn.mockRestore();
      }
    });

    it('matches a CI by an identifier it carries', async () => {
      const { body } = await webhook(oneAlert('by-identifier', { labels: { alertname: 'NodeDown', instance: `${RUN}-web-7:9100` } }));
      expect(body).toMatchObject({ stored: 1, unmatched: 0 });
      expect((await alertsOn(keys.web)).find((a) => a.id === `alertmanager:${RUN}-by-identifier`)).toMatchObject({ key: keys.web });
    });

    it('matches a CI by another key discovery recorded for it (an alias)', async () => {
      const { body } = await webhook(oneAlert('by-alias', { labels: { alertname: 'InstanceDown', ci_key: `aws:ec2:${RUN}-i-0abc` } }));
      expect(body).toMatchObject({ stored: 1, unmatched: 0 });
      expect((await alertsOn(keys.web)).find((a) => a.id === `alertmanager:${RUN}-by-alias`)).toMatchObject({ key: keys.web });
    });

    it('stores alerts whose labels name nothing as unmatched, not as an error', async () => {
      const { status, body } = await webhook(oneAlert('strange', { labels: { alertname: 'Odd', 'weird label': 'ü 🔑', ci_key: `${RUN}-no-such-ci`, pod: 'x-1' } }));
      expect(status).toBe(200);
      expect(body).toEqual({ received: 1, stored: 1, updated: 0, unchanged: 0, unmatched: 1, resolved: 0 });
    });

    it('answers 8 concurrent deliveries of the same notification with one write', async () => {
      const payload = fixture('firing.json');
      for (const a of payload.alerts) a.fingerprint = `${a.fingerprint}-concurrent`;
      const answers = await Promise.all(Array.from({ length: 8 }, () => webhook(payload)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.reduce((sum, a) => sum + a.body.stored, 0)).toBe(5);
      expect(answers.reduce((sum, a) => sum + a.body.unchanged, 0)).toBe(35);
    });

    describe('refuses a malformed payload with 400, naming the field, and stores nothing of it', () => {
      const cases: [string, () => unknown, string][] = [
        ['no alerts', () => ({ ...oneAlert('m1'), alerts: undefined }), 'alerts: is required'],
        ['a bad date', () => oneAlert('m2', { startsAt: '2026-11-26 16:00' }), 'alerts[0].startsAt: must be an RFC 3339 date-time'],
        ['a label that is not a string', () => oneAlert('m3', { labels: { alertname: 'x', replicas: 3 } }), 'alerts[0].labels.replicas: must be a string'],
        ['alerts that is not a list', () => ({ ...oneAlert('m4'), alerts: 'many' }), 'alerts: must be a list'],
        ['the wrong version', () => ({ ...oneAlert('m5'), version: '2' }), 'version: must be "4"'],
        ['a JSON array', () => [oneAlert('m6')], 'body: must be a JSON object'],
      ];
      it.each(cases)('%s', async (_what, build, message) => {
        const { status, body } = await webhook(build());
        expect(status).toBe(400);
        expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(body.error.message).toContain(message);
        expect(body.error.field).toBe(message.split(':')[0]);
      });

      it('one bad alert refuses the whole payload', async () => {
        const payload = fixture('firing.json');
        for (const a of payload.alerts) a.fingerprint = `${a.fingerprint}-partial`;
        payload.alerts[3].startsAt = 'yesterday';
        const { status, body } = await webhook(payload);
        expect(status).toBe(400);
        expect(body.error.field).toBe('alerts[3].startsAt');
        expect((await alertsOn(keys.checkout)).filter((a) => a.id.endsWith('-partial'))).toEqual([]);
      });

      it('invalid JSON', async () => {
        const { status, body } = await post('/api/v1/alerts/alertmanager', '{"version": "4", "alerts": [', { authorization: `Bearer ${SECRET}` });
        expect(status).toBe(400);
        expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: 'The request body is not valid JSON' });
      });

      it('a body that is not sent as JSON', async () => {
        const { status, body } = await post('/api/v1/alerts/alertmanager', JSON.stringify(oneAlert('m7')), { authorization: `Bearer ${SECRET}` }, 'text/plain');
        expect(status).toBe(400);
        expect(body.error.message).toContain('Content-Type: application/json');
      });

      it('too many alerts: 413, naming the limit and max_alerts', async () => {
        const payload = oneAlert('m8');
        payload.alerts = Array.from({ length: 5001 }, (_, i) => ({ ...payload.alerts[0], fingerprint: `${RUN}-many-${i}` }));
        const { status, body } = await webhook(payload);
        expect(status).toBe(413);
        expect(body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'alerts', maximum: 5000, value: 5001 });
        expect(body.error.message).toContain('max_alerts');
      });

      it('none of them stored anything', async () => {
        const data = await t.gqlOk('{ alerts(filter: { matched: false, since: "2026-11-26T16:00:00Z", until: "2026-11-26T16:00:01Z" }, first: 500) { edges { node { id } } } }');
        const ids = data.alerts.edges.map((e: any) => e.node.id);
        expect(ids.filter((id: string) => /-(m\d|many-\d+)$/.test(id))).toEqual([]);
      });
    });

    it('counts received alerts in svcmap_alerts_received_total', async () => {
      const metrics = await t.app.get(MetricsService).render();
      expect(metrics).toMatch(/svcmap_alerts_received_total\{endpoint="alertmanager",outcome="accepted"\} \d+/);
      expect(metrics).toMatch(/svcmap_alerts_received_total\{endpoint="alertmanager",outcome="rejected"\} \d+/);
    });
  });

  describe('who may send alerts', () => {
    const body = () => oneAlert(`auth-${randomBytes(3).toString('hex')}`);
    const genericBody = () => ({ alerts: [{ id: `${RUN}-auth-${randomBytes(3).toString('hex')}`, key: keys.checkout, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' }] });

    it('refuses no key and unknown keys or secrets with 401', async () => {
      for (const send of [webhook, generic]) {
        for (const auth of [null, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer not-the-secret-not-a-key-0000000000' }]) {
          const { status, body: answer } = await send(send === webhook ? body() : genericBody(), auth);
          expect(status).toBe(401);
          expect(answer.error.code).toBe('UNAUTHENTICATED');
        }
      }
    });

    it('refuses keys without the role, or DISCOVERY keys without the alert source, with 403', async () => {
      for (const role of [Role.READER, Role.ARCHITECT, 'discoveryOther']) {
        for (const send of [webhook, generic]) {
          const { status, body: answer } = await send(send === webhook ? body() : genericBody(), headers[role]);
          expect(status).toBe(403);
          expect(answer.error.code).toBe('FORBIDDEN');
          expect(answer.error.message).toMatch(role === 'discoveryOther' ? /alerts:(alertmanager|api)/ : /DISCOVERY or ADMIN/);
        }
      }
      const { status } = await generic(genericBody(), headers.discoveryAlertmanager);
      expect(status).toBe(403);
    });

    it('lets ADMIN keys, DISCOVERY keys allowing the source, and the shared secret through', async () => {
      expect((await webhook(body(), headers[Role.ADMIN])).status).toBe(200);
      expect((await webhook(body(), headers.discoveryAlertmanager)).status).toBe(200);
      expect((await webhook(body(), headers.discoveryAlerts)).status).toBe(200);
      expect((await webhook(body(), { authorization: `Bearer ${SECRET}` })).status).toBe(200);
      expect((await generic(genericBody(), headers.discoveryAlerts)).status).toBe(200);
      expect((await generic(genericBody(), { authorization: `bearer ${SECRET}` })).status).toBe(200);
    });

    it('applies the same rule to ingestAlerts', async () => {
      const document = 'mutation($alerts: [AlertIngestInput!]!) { ingestAlerts(alerts: $alerts) { received } }';
      const alerts = genericBody().alerts;
      expect((await t.gql(document, { alerts }, headers.discoveryOther)).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredSource: 'alerts:api' });
      expect((await t.gql(document, { alerts }, headers[Role.READER])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await t.gqlOk(document, { alerts }, headers.discoveryAlerts)).ingestAlerts.received).toBe(1);
    });
  });

  describe('the generic intake', () => {
    it('takes { alerts } over HTTP, by key or labels, and resolves by id', async () => {
      const alerts = [
        { id: `${RUN}-g1`, key: keys.cart, severity: 'critical', startsAt: '2026-11-26T16:00:00Z', summary: 'cart down' },
        { id: `${RUN}-g2`, labels: { service: keys.checkout }, severity: 'MINOR', startsAt: '2026-11-26T16:00:00Z' },
        { id: `${RUN}-g3`, key: `${RUN}-nothing-here`, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' },
      ];
      expect((await generic({ alerts })).body).toEqual({ received: 3, stored: 3, updated: 0, unchanged: 0, unmatched: 1, resolved: 0 });
      expect((await generic({ alerts })).body).toEqual({ received: 3, stored: 0, updated: 0, unchanged: 3, unmatched: 1, resolved: 0 });
      const cart = (await alertsOn(keys.cart)).find((a) => a.id === `api:${RUN}-g1`);
      expect(cart).toMatchObject({ source: 'API', severity: 'CRITICAL', summary: 'cart down', status: 'ACTIVE' });
      const resolved = { alerts: [{ ...alerts[0], status: 'RESOLVED', endsAt: '2026-11-26T16:05:00Z' }] };
      expect((await generic(resolved)).body).toMatchObject({ updated: 1, resolved: 1 });
      expect((await alertsOn(keys.cart)).find((a) => a.id === `api:${RUN}-g1`)?.status).toBe('RESOLVED');
    });

    it('reads an alert whose endsAt has passed as resolved, until it is sent again with a later one', async () => {
      now = new Date('2026-11-26T16:01:00Z');
      const body = { alerts: [{ id: `${RUN}-expiring`, key: keys.checkout, severity: 'MINOR', startsAt: '2026-11-26T15:59:00Z', endsAt: '2026-11-26T16:05:00Z' }] };
      expect((await generic(body)).body).toMatchObject({ stored: 1, unmatched: 0 });
      const id = `api:${RUN}-expiring`;
      const find = async (filter: Record<string, unknown> = {}) => (await alertsOn(keys.checkout, filter)).find((a) => a.id === id);
      expect((await find())?.status).toBe('ACTIVE');
      now = new Date('2026-11-26T16:06:00Z');
      expect((await find())?.status).toBe('RESOLVED');
      expect(await find({ statuses: ['ACTIVE'] })).toBeUndefined();
      expect((await find({ statuses: ['RESOLVED'] }))?.id).toBe(id);
      body.alerts[0].endsAt = '2026-11-26T16:10:00Z';
      expect((await generic(body)).body).toMatchObject({ updated: 1, resolved: 0 });
      expect((await find({ statuses: ['ACTIVE'] }))?.status).toBe('ACTIVE');
    });

    it('does not expire its alerts with no endsAt: it promises no repeats', async () => {
      now = new Date('2026-11-26T16:01:00Z');
      expect((await generic({ alerts: [{ id: `${RUN}-open-ended`, key: keys.checkout, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' }] })).body).toMatchObject({ stored: 1 });
      now = new Date('2026-12-26T16:01:00Z');
      expect((await alertsOn(keys.checkout, { statuses: ['ACTIVE'] })).find((a) => a.id === `api:${RUN}-open-ended`)?.status).toBe('ACTIVE');
    });

    it('refuses invalid JSON with 400 and stores nothing', async () => {
      const before = await storedCount(`api:${RUN}-`);
      const { status, body } = await post('/api/v1/alerts', `{"alerts": [{"id": "${RUN}-broken", "key": "${keys.cart}", "severity": "INFO", "startsAt": "2026-11-26T16:00:00Z"}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: 'The request body is not valid JSON' });
      expect(await storedCount(`api:${RUN}-`)).toBe(before);
    });

    it('refuses a body not sent as application/json with 400 naming the content type, and stores nothing', async () => {
      const before = await storedCount(`api:${RUN}-`);
      const alerts = [{ id: `${RUN}-wrong-type`, key: keys.cart, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' }];
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const { status, body } = await post('/api/v1/alerts', JSON.stringify({ alerts }), { authorization: `Bearer ${SECRET}` }, contentType);
        expect(status).toBe(400);
        expect(body.error).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'body',
          message: 'Invalid input: body: must be a JSON object { "alerts": [...] } sent with Content-Type: application/json (got no JSON body)',
        });
      }
      expect(await storedCount(`api:${RUN}-`)).toBe(before);
    });

    it('refuses bad alerts over HTTP with 400 naming the field, storing none', async () => {
      const { status, body } = await generic({ alerts: [{ id: `${RUN}-bad-1`, key: keys.cart, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' }, { key: keys.cart, severity: 'SEVERE', startsAt: 'today' }] });
      expect(status).toBe(400);
      expect(body.error.field).toBe('alerts[1].severity');
      expect(body.error.problems.map((p: any) => p.path)).toEqual(['alerts[1].severity', 'alerts[1].startsAt']);
      expect((await alertsOn(keys.cart)).find((a) => a.id === `api:${RUN}-bad-1`)).toBeUndefined();
    });

    it('ingestAlerts takes a re-delivery of the same alerts without changing anything', async () => {
      now = new Date('2026-11-26T16:01:00Z');
      const document = 'mutation($alerts: [AlertIngestInput!]!) { ingestAlerts(alerts: $alerts) { received stored updated unchanged unmatched resolved } }';
      const alerts = [
        { id: `${RUN}-again-1`, key: keys.cart, severity: 'CRITICAL', startsAt: '2026-11-26T16:00:07Z', summary: 'cart errors' },
        // No id: its key, labels and startsAt make its identity.
        { labels: { service: keys.checkout, alertname: `${RUN}-Again` }, severity: 'MINOR', startsAt: '2026-11-26T16:00:07Z', endsAt: '2026-11-26T18:00:00Z' },
        { id: `${RUN}-again-3`, key: `${RUN}-no-such-ci`, severity: 'INFO', startsAt: '2026-11-26T16:00:07Z', status: 'RESOLVED', endsAt: '2026-11-26T16:00:30Z' },
      ];
      expect((await t.gqlOk(document, { alerts })).ingestAlerts).toEqual({ received: 3, stored: 3, updated: 0, unchanged: 0, unmatched: 1, resolved: 1 });
      const mine = async () =>
        (await t.gqlOk(`query($since: DateTime) { alerts(filter: { sources: [API], since: $since, until: "2026-11-26T16:00:08Z" }, first: 500) { edges { node { ${ALERT_FIELDS} } } } }`, { since: '2026-11-26T16:00:07Z' }))
          .alerts.edges.map((e: any) => e.node)
          .filter((a: any) => a.id.includes(`${RUN}-again-`) || a.summary === `${RUN}-Again`)
          .sort((a: any, b: any) => a.id.localeCompare(b.id));
      const before = await mine();
      expect(before).toHaveLength(3);
      const versions = await Promise.all(before.map((a: any) => storedVersion(a.id)));

      now = new Date('2026-11-26T16:03:00Z');
      expect((await t.gqlOk(document, { alerts })).ingestAlerts).toEqual({ received: 3, stored: 0, updated: 0, unchanged: 3, unmatched: 1, resolved: 0 });
      const after = await mine();
      expect(after.map((a: any) => a.id)).toEqual(before.map((a: any) => a.id));
      // Everything about their content is as it was; only a repeat of the current state moves lastNotifiedAt.
      const content = (a: any) => ({ ...a, lastNotifiedAt: undefined });
      expect(after.map(content)).toEqual(before.map(content));
      expect(await Promise.all(after.map((a: any) => storedVersion(a.id)))).toEqual(versions);
    });

    it('ingestAlerts stores alerts and names the bad field of any that are not valid', async () => {
      const document = 'mutation($alerts: [AlertIngestInput!]!) { ingestAlerts(alerts: $alerts) { received stored updated unchanged unmatched resolved } }';
      const good = { id: `${RUN}-q1`, key: keys.checkout, severity: 'MAJOR', startsAt: '2026-11-26T16:00:00Z', summary: 'slow' };
      expect((await t.gqlOk(document, { alerts: [good] })).ingestAlerts).toEqual({ received: 1, stored: 1, updated: 0, unchanged: 0, unmatched: 0, resolved: 0 });
      const bad = await t.gql(document, {
        alerts: [good, { key: keys.checkout, severity: 'INFO', startsAt: '2026-11-26T16:00:00Z', endsAt: '2026-11-26T15:00:00Z' }, { severity: 'INFO', startsAt: '2026-11-26T16:00:00Z' }],
      });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alerts[1].endsAt' });
      expect(bad.errors?.[0].extensions?.problems.map((p: any) => p.path)).toEqual(['alerts[1].endsAt', 'alerts[2].key']);
      const invalidDate = await t.gql(document, { alerts: [{ ...good, startsAt: 'not a date' }] });
      expect(invalidDate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alerts[0].startsAt' });
      const wrongEnum = await t.gql(document, { alerts: [{ ...good, severity: 'SEVERE' }] });
      expect(wrongEnum.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(wrongEnum.errors?.[0].message).toContain('severity');
    });
  });

  describe('activeIncidents', () => {
    const k = (name: string) => `${RUN}:${name}`;
    beforeAll(async () => {
      await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', {
        input: [
          { key: k('bf:checkout'), kind: 'BUSINESS_FUNCTION', criticality: 'TIER_1', revenuePerHour: 50000 },
          { key: k('app:checkout'), kind: 'APPLICATION' },
          { key: k('app:billing'), kind: 'APPLICATION' },
          { key: k('db:orders'), kind: 'DATABASE' },
        ],
      });
      await t.gqlOk('mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }', {
        input: [
          { from: k('bf:checkout'), to: k('app:checkout') },
          { from: k('app:checkout'), to: k('db:orders') },
          { from: k('app:billing'), to: k('db:orders') },
        ],
      });
    });

    it('correlates the active alerts that name a CI into incidents with a probable cause and a priority', async () => {
      now = new Date('2026-11-26T16:05:00Z');
      const alert = (fingerprint: string, key: string, startsAt: string, status = 'firing') => ({
        status,
        labels: { alertname: 'Probe', ci_key: key, severity: 'critical' },
        annotations: { summary: `${key} failing` },
        startsAt,
        endsAt: status === 'resolved' ? '2026-11-26T16:02:00Z' : '0001-01-01T00:00:00Z',
        fingerprint: `${RUN}-${fingerprint}`,
      });
      const payload = {
        ...oneAlert('unused'),
        alerts: [
          alert('rc-db', k('db:orders'), '2026-11-26T16:00:00Z'),
          alert('rc-checkout', k('app:checkout'), '2026-11-26T16:00:30Z'),
          alert('rc-billing', k('app:billing'), '2026-11-26T16:00:40Z'),
          alert('rc-billing-old', k('app:billing'), '2026-11-26T15:30:00Z', 'resolved'),
        ],
      };
      expect((await webhook(payload)).body).toMatchObject({ stored: 4, unmatched: 0 });

      const { activeIncidents } = await t.gqlOk(
        '{ activeIncidents { id rank priority score startedAt alerts { id key severity summary } probableCause { key } businessImpacts { ci { key } } } }',
        {},
        headers[Role.READER],
      );
      const mine = activeIncidents.filter((i: any) => i.alerts.some((a: any) => a.id.startsWith(`alertmanager:${RUN}-rc-`)));
      expect(mine).toHaveLength(1);
      const [incident] = mine;
      expect(incident.alerts.map((a: any) => a.id).sort()).toEqual([`alertmanager:${RUN}-rc-billing`, `alertmanager:${RUN}-rc-checkout`, `alertmanager:${RUN}-rc-db`]);
      expect(incident).toMatchObject({ probableCause: { key: k('db:orders') }, startedAt: '2026-11-26T16:00:00.000Z' });
      expect(incident.alerts[0]).toMatchObject({ severity: 'CRITICAL', summary: `${k('db:orders')} failing` });
      expect(incident.businessImpacts.map((b: any) => b.ci.key)).toContain(k('bf:checkout'));
      expect(activeIncidents.map((i: any) => i.rank)).toEqual(activeIncidents.map((_: unknown, i: number) => i + 1));

      // Once resolved, its alerts leave the incidents.
      const resolved = { ...payload, alerts: payload.alerts.slice(0, 3).map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-26T16:04:00Z' })) };
      expect((await webhook(resolved)).body).toMatchObject({ resolved: 3 });
      const after = await t.gqlOk('{ activeIncidents { alerts { id } } }');
      expect(after.activeIncidents.flatMap((i: any) => i.alerts.map((a: any) => a.id)).filter((id: string) => id.startsWith(`alertmanager:${RUN}-rc-`))).toEqual([]);
    });

    it('does not lose an active alert whose CI was deleted after it arrived: the ciMissing filter lists it, and the log says so', async () => {
      now = new Date('2026-11-26T16:05:00Z');
      const doomed = k('svc:doomed');
      await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', { input: [{ key: doomed, kind: 'SERVICE' }] });
      const id = `api:${RUN}-on-doomed`;
      expect((await generic({ alerts: [{ id: `${RUN}-on-doomed`, key: doomed, severity: 'MAJOR', startsAt: '2026-11-26T16:04:00Z', summary: 'doomed failing' }] })).body).toMatchObject({
        stored: 1,
        unmatched: 0,
      });
      expect((await inIncidents()).has(id)).toBe(true);
      expect((await alertsOn(doomed, { statuses: ['ACTIVE'], ciMissing: true })).map((a) => a.id)).toEqual([]);

      await t.gqlOk('mutation($keys: [String!]!) { deleteCIs(keys: $keys, detach: true) { deleted } }', { keys: [doomed] });
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        expect((await inIncidents()).has(id)).toBe(false);
        expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('ciMissing'), alerts: expect.any(Number) }));
      } finally {
        warn.mockRestore();
      }
      const [missing] = await alertsOn(doomed, { statuses: ['ACTIVE'], ciMissing: true });
      expect(missing).toMatchObject({ id, key: doomed, ci: null, status: 'ACTIVE', severity: 'MAJOR', summary: 'doomed failing' });
      expect(await alertsOn(doomed, { ciMissing: false })).toEqual([]);
      // An alert whose CI is still there is not among them.
      expect((await alertsOn(k('db:orders'), { ciMissing: true })).map((a) => a.id)).toEqual([]);
    });
  });

  describe('alerts(filter)', () => {
    const key = `${RUN}-paged`;
    beforeAll(async () => {
      await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created } }', { input: [{ key, kind: 'DATABASE' }] });
      const alerts = Array.from({ length: 7 }, (_, i) => ({
        id: `${RUN}-p${i}`,
        key,
        severity: i % 2 ? 'CRITICAL' : 'INFO',
        startsAt: `2026-11-26T1${i}:00:00Z`,
        ...(i === 6 ? { status: 'RESOLVED', endsAt: '2026-11-26T16:30:00Z' } : {}),
      }));
      expect((await generic({ alerts })).body.stored).toBe(7);
    });

    it('pages newest first with stable cursors', async () => {
      const page = (after: string | null) =>
        t.gqlOk('query($k: [String!], $after: String) { alerts(filter: { keys: $k }, first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id startsAt } } } }', { k: [key], after });
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 3; i++) {
        const { alerts } = await page(after);
        expect(alerts.totalCount).toBe(7);
        seen.push(...alerts.edges.map((e: any) => e.node.id));
        expect(alerts.pageInfo.hasNextPage).toBe(i < 2);
        after = alerts.pageInfo.endCursor;
      }
      expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `api:${RUN}-p${i}`));
    });

    it('filters by status, severity, time and match', async () => {
      const ids = async (filter: Record<string, unknown>) => (await alertsOn(key, filter)).map((a) => a.id.replace(`api:${RUN}-`, ''));
      expect(await ids({ severities: ['CRITICAL'] })).toEqual(['p5', 'p3', 'p1']);
      expect(await ids({ statuses: ['RESOLVED'] })).toEqual(['p6']);
      expect(await ids({ statuses: ['ACTIVE'], severities: ['INFO'] })).toEqual(['p4', 'p2', 'p0']);
      expect(await ids({ since: '2026-11-26T12:00:00Z', until: '2026-11-26T14:00:00Z' })).toEqual(['p3', 'p2']);
      expect(await ids({ matched: false })).toEqual([]);
      expect(await ids({ sources: ['ALERTMANAGER'] })).toEqual([]);
    });

    it('refuses bad page sizes and cursors', async () => {
      expect((await t.gql('{ alerts(first: 100000) { totalCount } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect((await t.gql('{ alerts(after: "bm9wZQ") { totalCount } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      expect((await t.gql('{ alerts(filter: { keys: ["has space"] }) { totalCount } }')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.keys' });
    });

    it('is open to every role', async () => {
      expect((await t.gql('{ alerts(first: 1) { totalCount } }', {}, headers[Role.READER])).errors).toBeUndefined();
    });
  });
});
