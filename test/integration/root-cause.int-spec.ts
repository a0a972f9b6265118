import { loadPrefixedSeed } from '../support/seed-copy';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const ROOT_CAUSE = `mutation($alerts: [AlertInput!]!) { rootCause(alerts: $alerts, maxCandidates: 5) {
  alertCount unmatched { id key }
  candidates { key kind score rank explainedCount unexplainedCount explainedAlerts
    evidence { coverage precision alerting startedFirst dependenciesAlerting exampleChain recentChanges { operation actor } } }
} }`;
const CORRELATE = `mutation($alerts: [AlertInput!]!) { correlateAlerts(alerts: $alerts) {
  unmatched { key }
  incidents { id rank priority score impactedCount startedAt alerts { id key } probableCause { key } candidates { key } businessImpacts { ci { key } state score distance reason chain } }
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
    // Noise: a warning on a CI neither fault reaches, in the middle of the storm, and one on a CI the map does not know.
    const noise = { id: 'noise', key: k('svc:search-service'), severity: 'WARNING', startsAt: new Date(base + 3 * 60_000).toISOString() };
    expect([...payments, ...reporting].map((a) => a.key)).not.toContain(noise.key);
    const unknown = { id: 'unknown', key: 'nowhere:at-all', severity: 'MAJOR', startsAt: new Date(base).toISOString() };
    const result = (await t.gqlOk(CORRELATE, { alerts: [...reporting, noise, unknown, ...payments] })).correlateAlerts;
    const causedBy = (key: string) => result.incidents.find((i: any) => i.probableCause.key === k(key));
    expect(result.incidents[0].probableCause.key).toBe(k('db:payments-ledger'));
    expect(result.incidents[0]).toMatchObject({ rank: 1, priority: 'P1' });
    expect(result.incidents[0].alerts).toHaveLength(payments.length);
    expect(causedBy('app:exec-mail-client').alerts).toHaveLength(reporting.length);
    // The noise is an incident of its own, not folded into either fault's, ranked by what search carries, above the mail client.
    const ofNoise = result.incidents.filter((i: any) => i.alerts.some((a: any) => a.id === 'noise'));
    expect(ofNoise).toHaveLength(1);
    expect(ofNoise[0].alerts).toEqual([{ id: 'noise', key: noise.key }]);
    expect(ofNoise[0].rank).toBeLessThan(causedBy('app:exec-mail-client').rank);
    expect(result.unmatched).toEqual([{ key: 'nowhere:at-all' }]);
    const all = result.incidents.flatMap((i: any) => i.alerts.map((a: any) => a.id)).sort();
    expect(all).toEqual([...payments, ...reporting, noise].map((a) => a.id).sort());
    // Each incident is priced as blastRadius prices its probable cause: the same count, business impacts, reasons and chains.
    for (const incident of result.incidents) {
      const blast = (
        await t.gqlOk('query($k: [String!]!) { blastRadius(keys: $k) { score priority totals { impacted } businessImpacts { ci { key } state score distance reason chain } } }', {
          k: [incident.probableCause.key],
        })
      ).blastRadius;
      expect({ score: incident.score, priority: incident.priority, impacted: incident.impactedCount, business: incident.businessImpacts }).toEqual({
        score: blast.score,
        priority: blast.priority,
        impacted: blast.totals.impacted,
        business: blast.businessImpacts,
      });
    }
    expect(result.incidents[0].businessImpacts.length).toBeGreaterThan(0);
    expect(result.incidents[0].businessImpacts[0].reason).toMatch(/\S/);
  });

  it('reads the whole CIs of incidents` business impacts only when asked for more than scoring read', async () => {
    const alerts = await alertsFor('db:payments-ledger');
    const asked = `mutation($alerts: [AlertInput!]!) { correlateAlerts(alerts: $alerts) { incidents { score businessImpacts { score ci { key owner tags } } } } }`;
    const [incident] = (await t.gqlOk(asked, { alerts })).correlateAlerts.incidents;
    expect(incident.businessImpacts.length).toBeGreaterThan(0);
    expect(incident.businessImpacts.some((b: any) => b.ci.owner !== null)).toBe(true);
    for (const b of incident.businessImpacts) {
      const ci = (await t.gqlOk('query($k: String!) { ci(key: $k) { owner tags } }', { k: b.ci.key })).ci;
      expect({ owner: b.ci.owner, tags: b.ci.tags }).toEqual(ci);
    }
    // Not asked for, they change nothing of the incident's score.
    const bare = (await t.gqlOk(`mutation($alerts: [AlertInput!]!) { correlateAlerts(alerts: $alerts) { incidents { score } } }`, { alerts })).correlateAlerts.incidents;
    expect(bare[0].score).toBe(incident.score);
  });

  it('tells alerts apart by id: a repeated id is refused, a missing one never takes a given one', async () => {
    const startsAt = new Date(base).toISOString();
    const on = (key: string, id?: string) => ({ ...(id === undefined ? {} : { id }), key: k(key), severity: 'MAJOR', startsAt });
    for (const query of [ROOT_CAUSE, CORRELATE]) {
      const repeated = await t.gql(query, { alerts: [on('svc:payment-processor', 'x'), on('svc:fraud-scoring', 'y'), on('db:payments-ledger', 'x')] });
      expect(repeated.data).toBeNull();
      expect(repeated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alerts[2].id' });
      expect(repeated.errors?.[0].message).toContain('alerts[0]');
    }
    // The second alert has no id; its position would be alert-1, which the first one was given.
    const alerts = [on('svc:payment-processor', 'alert-1'), on('db:payments-ledger')];
    const top = (await t.gqlOk(ROOT_CAUSE, { alerts })).rootCause.candidates[0];
    expect(top.key).toBe(k('db:payments-ledger'));
    expect([...top.explainedAlerts].sort()).toEqual(['alert-1', 'alert-1~2']);
  });

  it('refuses a candidate count outside 1 to 100, naming maxCandidates', async () => {
    const alerts = [{ key: k('db:payments-ledger'), severity: 'CRITICAL', startsAt: new Date(base).toISOString() }];
    for (const maxCandidates of [0, 101]) {
      const result = await t.gql('mutation($alerts: [AlertInput!]!, $n: Int) { rootCause(alerts: $alerts, maxCandidates: $n) { alertCount } }', { alerts, n: maxCandidates });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxCandidates' });
      expect(result.errors?.[0].message).toContain(`got ${maxCandidates}`);
    }
  });

  it('refuses a malformed storm for correlation with the field named', async () => {
    const startsAt = new Date(base).toISOString();
    const bad = [
      { alerts: [{ key: k('db:payments-ledger'), severity: 'CRITICAL', startsAt }, { key: k('db:payments-ledger'), severity: 'LOUD', startsAt }], code: 'BAD_USER_INPUT', field: /alerts/ },
      { alerts: [{ key: 'has space', severity: 'CRITICAL', startsAt }], code: 'BAD_USER_INPUT', field: 'alerts[0].key' },
    ];
    for (const { alerts, code, field } of bad) {
      const result = await t.gql(CORRELATE, { alerts });
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0].extensions?.code).toBe(code);
      if (typeof field === 'string') expect(result.errors?.[0].extensions?.field).toBe(field);
      else expect(result.errors?.[0].message).toMatch(field);
    }
  });

  it('refuses malformed alerts with the field named', async () => {
    const result = await t.gql(ROOT_CAUSE, { alerts: [{ key: 'has space', severity: 'CRITICAL', startsAt: new Date().toISOString() }] });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'alerts[0].key' });
  });
});
