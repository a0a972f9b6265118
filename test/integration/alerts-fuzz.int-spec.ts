import { randomBytes } from 'node:crypto';
import { Fuzzer, INJECTIONS, prng } from '../support/fuzz';
import { TestApp, startTestApp } from '../support/test-app';

const REQUESTS = Number(process.env.SVCMAP_ALERT_FUZZ_REQUESTS || 3_000);
const SEED = Number(process.env.SVCMAP_ALERT_FUZZ_SEED || 20261127);
const CONCURRENCY = 8;
const SECRET = `fuzz-webhook-secret-${randomBytes(12).toString('hex')}`;

/**
 * Throws at the alert intakes what a misconfigured sender, a proxy that
 * mangles bodies, or a hostile client would: payloads that are almost right,
 * wrong types in every field, hostile strings, broken dates, broken JSON,
 * bytes that are not UTF-8, duplicate fingerprints, too many alerts. Every
 * answer must be a 2xx with counts or a 4xx with a JSON error that says
 * what is wrong; never a 5xx. Valid alerts start in 2031, away from the
 * times other test files look at.
 */
describe(`fuzzing the alert intakes with ${REQUESTS} requests (seed ${SEED})`, () => {
  let t: TestApp;
  const prefix = `fz${randomBytes(3).toString('hex')}-`;
  const f = new Fuzzer(prng(SEED));
  const stats = { requests: 0, accepted: 0, statuses: new Map<number, number>(), bad: [] as string[] };

  beforeAll(async () => {
    process.env.SVCMAP_ALERT_WEBHOOK_SECRET = SECRET;
    t = await startTestApp();
    delete process.env.SVCMAP_ALERT_WEBHOOK_SECRET;
  });
  afterAll(() => t.close());

  const two = (n: number) => String(n).padStart(2, '0');

  function date(): unknown {
    switch (f.int(10)) {
      case 0:
        return f.pick(['2031-02-30T00:00:00Z', '2031-13-01T00:00:00Z', '2031-01-01T24:00:00Z', '2031-01-01 10:00:00Z', '2031-01-01', '0001-01-01T00:00:00Z', '2016-12-31T23:59:60Z', '9999-12-31T23:59:59-05:00']);
      case 1:
        return f.value();
      case 2:
        return Date.now();
      default: {
        const offset = f.pick(['Z', 'z', '+01:00', '-05:30', '+14:00']);
        const fraction = f.pick(['', '.9', '.123', '.108353279']);
        return `2031-${two(1 + f.int(12))}-${two(1 + f.int(28))}T${two(f.int(24))}:${two(f.int(60))}:${two(f.int(60))}${fraction}${offset}`;
      }
    }
  }

  function labels(): unknown {
    if (f.chance(0.1)) return f.value();
    const out: Record<string, unknown> = { alertname: f.pick(['HighErrorRate', 'NodeDown', 'KubePodCrashLooping', f.string()]) };
    if (f.chance(0.7)) out.severity = f.pick(['critical', 'WARNING', 'Major', 'info', 'minor', 'none', 'page', '']);
    for (const name of ['service', 'ci_key', 'instance', 'pod', 'namespace', 'cluster', 'deployment']) {
      if (f.chance(0.25)) out[name] = f.chance(0.6) ? f.pick([`svc:${f.int(50)}`, 'web-1:9100', 'checkout-7d4b9c8f6-x2kq9', 'prod', '[::1]:9100', 'https://x.example:443/p']) : f.string();
    }
    if (f.chance(0.1)) out[f.string().slice(0, 30)] = f.chance(0.5) ? f.string() : f.value();
    if (f.chance(0.03)) Object.assign(out, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`l${i}`, 'v'])));
    return out;
  }

  function validDate(): string {
    return `2031-${two(1 + f.int(12))}-${two(1 + f.int(28))}T${two(f.int(24))}:${two(f.int(60))}:${two(f.int(60))}${f.pick(['', '.9', '.108353279'])}${f.pick(['Z', '+01:00'])}`;
  }

  /** An alert as Alertmanager sends it, with hostile but legal label and annotation values. */
  function cleanAlert(): unknown {
    return {
      status: f.pick(['firing', 'resolved']),
      labels: { alertname: f.pick(['HighErrorRate', 'NodeDown']), severity: f.pick(['critical', 'warning', 'bogus']), service: f.chance(0.5) ? `svc:${f.int(50)}` : f.pick(INJECTIONS), instance: f.pick(['web-1:9100', '[::1]:9100', f.pick(INJECTIONS)]) },
      annotations: { summary: f.pick(INJECTIONS), description: 'x'.repeat(f.int(3000)) },
      startsAt: validDate(),
      endsAt: f.chance(0.5) ? '0001-01-01T00:00:00Z' : validDate(),
      // Now and then a long PromQL expression, URL-encoded, past the 4,096 characters stored.
      generatorURL: `http://prometheus:9090/graph?g0.expr=${f.chance(0.1) ? 'sum%28rate%28x%5B5m%5D%29%29+%2B+'.repeat(150 + f.int(150)) : 'up'}`,
      fingerprint: `${prefix}${f.int(400)}`,
    };
  }

  function alert(): unknown {
    if (f.chance(0.5)) return cleanAlert();
    if (f.chance(0.04)) return f.value();
    const item: Record<string, unknown> = {
      status: f.chance(0.9) ? f.pick(['firing', 'resolved', 'FIRING']) : f.value(),
      labels: labels(),
      annotations: f.chance(0.8) ? { summary: f.chance(0.8) ? f.string() : f.value(), description: f.string() } : f.value(),
      startsAt: date(),
      endsAt: f.chance(0.3) ? '0001-01-01T00:00:00Z' : date(),
      generatorURL: f.chance(0.9) ? `http://prometheus:9090/graph?g0.expr=${f.string().slice(0, 100)}` : f.value(),
      fingerprint: f.chance(0.85) ? `${prefix}${f.int(400)}` : f.chance(0.5) ? f.string() : f.value(),
    };
    if (f.chance(0.1)) delete item[f.pick(Object.keys(item))];
    if (f.chance(0.05)) item[f.string().slice(0, 20)] = f.value();
    return item;
  }

  function payload(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      receiver: 'svcmap',
      status: 'firing',
      alerts: Array.from({ length: f.int(8) }, alert),
      groupLabels: { alertname: 'x' },
      commonLabels: { alertname: 'x' },
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      version: '4',
      groupKey: '{}:{alertname="x"}',
      truncatedAlerts: 0,
    };
    for (const field of Object.keys(body)) {
      if (f.chance(0.03)) body[field] = f.value();
      if (f.chance(0.02)) delete body[field];
      // Informational fields may be null, or long.
      if (f.chance(0.02)) body[field] = null;
      if (f.chance(0.01) && typeof body[field] === 'string') body[field] = `${body[field]}${'x'.repeat(20_000)}`;
    }
    return body;
  }

  function genericPayload(): Record<string, unknown> {
    return {
      alerts: Array.from({ length: f.int(6) }, () => {
        if (f.chance(0.05)) return f.value();
        const item: Record<string, unknown> = {
          id: f.chance(0.7) ? `${prefix}g${f.int(300)}` : f.value(),
          key: f.chance(0.5) ? `svc:${f.int(50)}` : f.string(),
          severity: f.chance(0.8) ? f.pick(['CRITICAL', 'major', 'INFO', 'HIGH']) : f.value(),
          startsAt: date(),
          status: f.chance(0.8) ? f.pick(['FIRING', 'RESOLVED', 'resolved']) : f.value(),
        };
        if (f.chance(0.3)) item.labels = labels();
        if (f.chance(0.3)) item.summary = f.chance(0.8) ? f.string() : f.value();
        if (f.chance(0.2)) item.endsAt = date();
        if (f.chance(0.05)) item[f.string().slice(0, 20)] = f.value();
        return item;
      }),
    };
  }

  function request(): { path: string; body: string | Buffer; contentType: string; authorization?: string } {
    const path = f.chance(0.85) ? '/api/v1/alerts/alertmanager' : '/api/v1/alerts';
    const authorization = f.chance(0.97) ? `Bearer ${SECRET}` : f.pick([undefined, 'Bearer nope', `Basic ${SECRET}`, `Bearer ${f.pick(INJECTIONS.filter((s) => /^[\x20-\x7e]*$/.test(s)))}`]);
    const roll = f.int(100);
    let body: string | Buffer;
    let contentType = 'application/json';
    if (roll < 4) body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
    else if (roll < 8) body = JSON.stringify(payload()).slice(0, 1 + f.int(200));
    else if (roll < 10) {
      body = JSON.stringify(payload());
      contentType = f.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']);
    } else if (roll < 13) body = JSON.stringify(f.value());
    else if (roll < 14 && f.chance(0.2)) {
      const many = payload();
      many.alerts = Array.from({ length: 5_001 }, (_, i) => ({ status: 'firing', labels: {}, startsAt: '2031-01-01T00:00:00Z', fingerprint: `${prefix}many-${i}` }));
      body = JSON.stringify(many);
    } else body = JSON.stringify(path.endsWith('alertmanager') ? payload() : genericPayload());
    return { path, body, contentType, authorization };
  }

  async function send(): Promise<void> {
    const { path, body, contentType, authorization } = request();
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
      body,
    });
    stats.requests++;
    stats.statuses.set(response.status, (stats.statuses.get(response.status) ?? 0) + 1);
    const text = await response.text();
    const sample = () => `${path} HTTP ${response.status}: ${text.slice(0, 200)} <- ${String(body).slice(0, 200)}`;
    if (response.status >= 500) stats.bad.push(`5xx ${sample()}`);
    let json: { received?: unknown; error?: { code?: unknown; message?: unknown } };
    try {
      json = JSON.parse(text);
    } catch {
      stats.bad.push(`not JSON ${sample()}`);
      return;
    }
    if (response.status === 200) {
      if (typeof json.received !== 'number') stats.bad.push(`200 without counts ${sample()}`);
      else stats.accepted++;
    } else if (typeof json.error?.message !== 'string' || !json.error.message || typeof json.error.code !== 'string') {
      stats.bad.push(`error without code and message ${sample()}`);
    }
  }

  it('answers every request with counts or a clear 4xx JSON error, never a 5xx', async () => {
    let issued = 0;
    const worker = async () => {
      while (issued < REQUESTS) {
        issued++;
        await send();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    process.stderr.write(`alert fuzz: ${stats.requests} requests, ${stats.accepted} accepted, HTTP statuses ${JSON.stringify(Object.fromEntries(stats.statuses))}, ${stats.bad.length} bad answers\n`);
    expect(stats.bad.slice(0, 10)).toEqual([]);
    expect(stats.requests).toBe(REQUESTS);
    // Enough valid payloads got through to exercise the writes, not only the validation.
    expect(stats.accepted).toBeGreaterThan(REQUESTS / 10);
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  }, 600_000);
});
