import { loadPrefixedSeed } from '../support/seed-copy';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const ROOT_CAUSE = `mutation($alerts: [AlertInput!]!) { rootCause(alerts: $alerts, maxCandidates: 5) {
  alertCount unmatched { id key }
  candidates { key kind score rank explainedCount unexplainedCount explainedAlerts
    evidence { coverage precision alerting startedFirst dependenciesAlerting exampleChain recentChanges { operation actor } } }
} }`;
const CORRELATE = `mutation($alerts: [AlertInput!]!) { correlateAlerts(alerts: $alerts) {
  unmatched { key }
  incidents { id rank priority score impactedCount startedAt alerts { id key } probableCause { key } candidates { key } businessImpacts { ci { key } state } }
} }`;

const CORRELATE_CHANGES = `mutation($alerts: [AlertInput!]!) { correlateAlerts(alerts: $alerts) {
  incidents { candidates { key evidence { recentChanges { operation } } } }
} }`;

describe('root cause and correlation on the demo enterprise', () => {
  let t: TestApp;
  const p = uniquePrefix('rca');
  const k = (key: string) => p + key;
  const base = Date.UTC(2026, 10, 26, 9, 0);

  beforeAll(async () => {
    t = await startTestApp();
    await loadPrefixedSeed(t, p);
  });
  afterAll(() => t.close());

  /** Alerts as a fault would raise them: on every impacted CI, later with distance, MAJOR where it is DOWN and WARNING where DEGRADED. */
  async function alertsFor(fault: string, skip: (key: string, i: number) => boolean = () => false, offsetMinutes = 0) {
    const blast = (await t.gqlOk('query($k: [String!]!) { blastRadius(keys: $k) { impacted(first: 500) { edges { node { key distance state } } } } }', { k: [k(fault)] })).blastRadius;
    return blast.impacted.edges
      .map((e: any, i: number) => ({ node: e.node, i }))
      .filter(({ node, i }: any) => !skip(node.key, i))
      .map(({ node }: any) => ({
        id: `${fault}:${node.key}`,
        key: node.key,
        severity: node.distance === 0 ? 'CRITICAL' : node.state === 'DOWN' ? 'MAJOR' : 'WARNING',
        startsAt: new Date(base + (offsetMinutes + node.distance) * 60_000).toISOString(),
      }));
  }

  it('ranks the failed database first, with evidence and an example chain', async () => {
    const alerts = await alertsFor('db:payments-ledger');
    const result = (await t.gqlOk(ROOT_CAUSE, { alerts })).rootCause;
    const [top] = result.candidates;
    expect(top.key).toBe(k('db:payments-ledger'));
    expect(top).toMatchObject({ rank: 1, kind: 'DATABASE', unexplainedCount: 0, explainedCount: alerts.length });
    expect(top.evidence).toMatchObject({ alerting: true, startedFirst: true, coverage: 1, dependenciesAlerting: [] });
    expect(top.evidence.exampleChain.at(-1)).toBe(k('db:payments-ledger'));
    expect(top.score).toBeGreaterThan(result.candidates[1].score);
    expect(top.score).toBeLessThanOrEqual(1);
  });

  it('finds a cause that raised no alert itself, and names alerts on unknown CIs', async () => {
    const alerts = await alertsFor('rg:dc1-core-switches', (key) => key.includes('dc1-core'));
    alerts.push({ id: 'stray', key: 'nowhere:at-all', severity: 'WARNING', startsAt: new Date(base).toISOString() });
    const result = (await t.gqlOk(ROOT_CAUSE, { alerts })).rootCause;
    expect(result.unmatched).toEqual([{ id: 'stray', key: 'nowhere:at-all' }]);
    expect(result.alertCount).toBe(alerts.length - 1);
    expect(result.candidates[0].key).toBe(k('rg:dc1-core-switches'));
    expect(result.candidates[0].evidence.alerting).toBe(false);
  });

  it('reports a recent change to a candidate', async () => {
    await t.gqlOk('mutation($k: String!) { upsertCIs(input: [{ key: $k, kind: CACHE, description: "resized" }]) { updated } }', { k: k('cache:fraud-feature-store') });
    const now = Date.now();
    const alerts = [
      { id: 'c1', key: k('cache:fraud-feature-store'), severity: 'CRITICAL', startsAt: new Date(now).toISOString() },
      { id: 'c2', key: k('svc:fraud-scoring'), severity: 'MAJOR', startsAt: new Date(now + 60_000).toISOString() },
    ];
    const top = (await t.gqlOk(ROOT_CAUSE, { alerts })).rootCause.candidates[0];
    expect(top.key).toBe(k('cache:fraud-feature-store'));
    expect(top.evidence.recentChanges[0]).toMatchObject({ operation: 'UPDATE' });
    // Its creation, by the seed load moments ago, is history too.
    expect(top.evidence.recentChanges.slice(1).map((c: { operation: string }) => c.operation)).toContain('CREATE');
    const correlated = (await t.gqlOk(CORRELATE_CHANGES, { alerts })).correlateAlerts;
    expect(correlated.incidents).toHaveLength(1);
    expect(correlated.incidents[0].candidates[0].key).toBe(k('cache:fraud-feature-store'));
    expect(correlated.incidents[0].candidates[0].evidence.recentChanges[0]).toMatchObject({ operation: 'UPDATE' });
  });

  it('finds no recent change when nothing changed in the window before the alerts', async () => {
    const long = Date.UTC(2001, 0, 1);
    const alerts = [
      { id: 'q1', key: k('cache:fraud-feature-store'), severity: 'CRITICAL', startsAt: new Date(long).toISOString() },
      { id: 'q2', key: k('svc:fraud-scoring'), severity: 'MAJOR', startsAt: new Date(long + 60_000).toISOString() },
    ];
    const top = (await t.gqlOk(ROOT_CAUSE, { alerts })).rootCause.candidates[0];
    expect(top.key).toBe(k('cache:fraud-feature-store'));
    expect(top.evidence.recentChanges).toEqual([]);
    const [incident] = (await t.gqlOk(CORRELATE_CHANGES, { alerts })).correlateAlerts.incidents;
    expect(incident.candidates[0]).toMatchObject({ key: k('cache:fraud-feature-store'), evidence: { recentChanges: [] } });
  });

  it('splits two faults and their noise into incidents, most urgent first', async () => {
    const payments = await alertsFor('db:payments-ledger');
    const reporting = await alertsFor('app:exec-mail-client', () => false, 5);
    const result = (await t.gqlOk(CORRELATE, { alerts: [...reporting, ...payments] })).correlateAlerts;
    const causes = result.incidents.map((i: any) => i.probableCause.key);
    expect(causes.slice(0, 2)).toEqual([k('db:payments-ledger'), k('app:exec-mail-client')]);
    expect(result.incidents[0]).toMatchObject({ rank: 1, priority: 'P1' });
    expect(result.incidents[0].alerts).toHaveLength(payments.length);
    const all = result.incidents.flatMap((i: any) => i.alerts.map((a: any) => a.id)).sort();
    expect(all).toEqual([...payments, ...reporting].map((a) => a.id).sort());
  });

  it('refuses malformed alerts with the field named', async () => {
    const result = await t.gql(ROOT_CAUSE, { alerts: [{ key: 'has space', severity: 'CRITICAL', startsAt: new Date().toISOString() }] });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alerts[0].key' });
  });
});
