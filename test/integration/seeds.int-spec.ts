import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopologyFile } from '../../src/topology-as-code/topology-file';
import { SeedService } from '../../src/topology-as-code/seed.service';
import { TestApp, startTestApp } from '../support/test-app';

const SEED = join(__dirname, '..', '..', 'seeds', 'demo-enterprise.yaml');

describe('the demo seed topology', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads, and loading it again changes nothing', async () => {
    const seeds = t.app.get(SeedService);
    const first = await seeds.loadFile(SEED);
    expect(first.cis).toBeGreaterThanOrEqual(80);
    const second = await seeds.loadFile(SEED);
    expect(second).toEqual({ ...first, created: 0, updated: 0, unchanged: first.cis + first.dependencies });
  });

  it('has business functions with criticality and revenue, shared infrastructure, groups and soft edges', async () => {
    // Only the seed's own keys: other tests share the database.
    const seedKeys = parseTopologyFile(readFileSync(SEED, 'utf8'), SEED).cis.filter((c) => c.kind === 'BUSINESS_FUNCTION').map((c) => c.key);
    expect(seedKeys.length).toBeGreaterThanOrEqual(6);
    for (const key of seedKeys) {
      const { ci } = await t.gqlOk('query($key: String!) { ci(key: $key) { criticality revenuePerHour } }', { key });
      expect(ci.criticality).toMatch(/^TIER_[1-4]$/);
      expect(ci.revenuePerHour).toBeGreaterThan(0);
    }
    const data = await t.gqlOk(`{
      groups: cis(filter: { kinds: [REDUNDANCY_GROUP], search: "rg:" }, first: 50) { edges { node { key minHealthy dependencies { provider { kind } } } } }
      psp: ci(key: "svc:payment-processor") { dependents { consumer { key } } dependencies { strength } }
    }`);
    const groups = data.groups.edges.map((e: any) => e.node);
    expect(groups.length).toBeGreaterThanOrEqual(2);
    const nested = groups.filter((g: any) => g.dependencies.some((d: any) => d.provider.kind === 'REDUNDANCY_GROUP'));
    expect(nested.length).toBeGreaterThanOrEqual(1);
    expect(data.psp.dependents.length).toBeGreaterThan(0);
    expect(data.psp.dependencies.some((d: any) => d.strength === 'SOFT')).toBe(true);
  });
});
