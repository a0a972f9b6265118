import { keyProblem } from '../common/validation/text-rules';
import { problemsOf } from '../common/validation/validate-input';
import { parseTopologyFile } from '../topology-as-code/topology-file';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { BUSINESS_KINDS, CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import {
  BENCH_KEYS,
  Enterprise,
  MIN_CIS,
  SIZE_CIS,
  batches,
  benchKeys,
  countEnterprise,
  enterpriseBatches,
  enterpriseStats,
  generateEnterprise,
  streamedTopologyYamlChunks,
  toTopologyYaml,
} from './enterprise-generator';
import { Rng, hashInts } from './random';

const small = generateEnterprise({ size: 'S', seed: 42 });
const medium = generateEnterprise({ size: 'M', seed: 7 });

const pair = (d: { from: string; to: string }) => `${d.from}->${d.to}`;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string, valueOf: (item: T) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(valueOf(item));
    else out.set(key, [valueOf(item)]);
  }
  return out;
}

function dependentsOf(enterprise: Enterprise): Map<string, string[]> {
  return groupBy(enterprise.dependencies, (d) => d.to, (d) => d.from);
}

/** Keys of the services that sit on at least one cycle of service-to-service calls. */
function servicesOnCycles(enterprise: Enterprise): Set<string> {
  const services = new Set(enterprise.cis.filter((c) => c.kind === CIKind.SERVICE).map((c) => c.key));
  const calls = groupBy(
    enterprise.dependencies.filter((d) => services.has(d.from) && services.has(d.to)),
    (d) => d.from,
    (d) => d.to,
  );
  return new Set([...services].filter((s) => (calls.get(s) ?? []).some((t) => (calls.get(t) ?? []).includes(s))));
}

describe('random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((rng) => () => rng.next())(new Rng(seed)));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(hashInts(1, 2)).not.toBe(hashInts(2, 1));
  });

  it('keeps draws in range', () => {
    const rng = new Rng(9);
    const draws = Array.from({ length: 1000 }, () => [rng.next(), rng.int(3, 5), rng.skewedIndex(7, 3)]);
    expect(draws.filter(([n, i, s]) => !(n >= 0 && n < 1 && i >= 3 && i <= 5 && s >= 0 && s < 7))).toEqual([]);
  });
});

describe('generateEnterprise', () => {
  it('is deterministic: the same seed gives the identical enterprise, another seed another one', () => {
    expect(generateEnterprise({ size: 'S', seed: 42 })).toEqual(small);
    const other = generateEnterprise({ size: 'S', seed: 43 });
    expect(other.cis.length).toBe(small.cis.length);
    expect(other.dependencies.map(pair)).not.toEqual(small.dependencies.map(pair));
  });

  it('makes exactly the number of CIs asked for', () => {
    expect(small.cis).toHaveLength(SIZE_CIS.S);
    expect(medium.cis).toHaveLength(SIZE_CIS.M);
    for (const cis of [MIN_CIS, 777, 2_345]) {
      expect(generateEnterprise({ cis, seed: cis }).cis).toHaveLength(cis);
    }
    for (let seed = 0; seed < 10; seed++) expect(countEnterprise({ cis: MIN_CIS, seed }).cis).toBe(MIN_CIS);
    expect(() => generateEnterprise({ cis: MIN_CIS - 1 })).toThrow(/at least/);
  });

  it('counts without generating, exactly', () => {
    expect(countEnterprise({ size: 'M', seed: 7 })).toEqual({ cis: medium.cis.length, dependencies: medium.dependencies.length });
  });

  it('makes L with 100,000 CIs and at least 4 dependencies per CI', () => {
    // Counted rather than generated: generating L in a test run takes several seconds.
    const large = countEnterprise({ size: 'L' });
    expect(large.cis).toBe(100_000);
    expect(large.dependencies).toBeGreaterThanOrEqual(400_000);
  });

  it.each([
    ['S', small],
    ['M', medium],
  ])('%s: unique valid keys, defined endpoints, no self or duplicate dependencies', (_size, enterprise) => {
    // Problems are collected and compared once: one expect per item would dominate the run time.
    const keys = new Set(enterprise.cis.map((c) => c.key));
    expect(keys.size).toBe(enterprise.cis.length);
    const problems = [...keys].filter((key) => keyProblem(key) !== null);
    const pairs = new Set<string>();
    const types = new Set<string>(Object.values(DependencyType));
    const strengths = new Set<string>(Object.values(DependencyStrength));
    for (const d of enterprise.dependencies) {
      if (!keys.has(d.from) || !keys.has(d.to)) problems.push(`undefined endpoint: ${pair(d)}`);
      if (d.from === d.to) problems.push(`self dependency: ${d.from}`);
      if (pairs.has(pair(d))) problems.push(`duplicate: ${pair(d)}`);
      if (!types.has(d.type) || !strengths.has(d.strength)) problems.push(`bad type or strength: ${pair(d)}`);
      pairs.add(pair(d));
    }
    expect(problems).toEqual([]);
  });

  it('produces inputs the API accepts as they are', () => {
    const problems = [
      ...small.cis.flatMap((ci, i) => problemsOf(CIInput, ci, `cis[${i}]`)),
      ...small.dependencies.flatMap((d, i) => problemsOf(DependencyInput, d, `dependencies[${i}]`)),
    ];
    expect(problems).toEqual([]);
  });

  it.each([
    ['S', small],
    ['M', medium],
  ])('%s: business fields only on business CIs, minHealthy only and always on groups, within their member count', (_size, enterprise) => {
    const members = new Map<string, number>();
    for (const d of enterprise.dependencies) {
      if (d.type === DependencyType.HAS_MEMBER) members.set(d.from, (members.get(d.from) ?? 0) + 1);
    }
    const problems: string[] = [];
    for (const ci of enterprise.cis) {
      const business = BUSINESS_KINDS.has(ci.kind);
      for (const field of ['criticality', 'revenuePerHour', 'usersAffected'] as const) {
        if (!business && ci[field] !== undefined) problems.push(`${ci.key}: ${field} on a ${ci.kind}`);
      }
      if (ci.kind === CIKind.BUSINESS_FUNCTION && (ci.criticality === undefined || !(ci.revenuePerHour! >= 0))) {
        problems.push(`${ci.key}: business function without criticality or revenue`);
      }
      if (ci.kind === CIKind.REDUNDANCY_GROUP) {
        if (!(ci.minHealthy! >= 1 && ci.minHealthy! <= (members.get(ci.key) ?? 0))) problems.push(`${ci.key}: minHealthy ${ci.minHealthy}`);
      } else if (ci.minHealthy !== undefined || members.has(ci.key)) {
        problems.push(`${ci.key}: members or minHealthy on a ${ci.kind}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every layer, from business function down to switches', () => {
    const stats = enterpriseStats(medium);
    for (const kind of [
      CIKind.BUSINESS_FUNCTION, CIKind.BUSINESS_SERVICE, CIKind.APPLICATION, CIKind.SERVICE, CIKind.API, CIKind.DATABASE,
      CIKind.CACHE, CIKind.QUEUE, CIKind.KUBERNETES_CLUSTER, CIKind.KUBERNETES_NAMESPACE, CIKind.KUBERNETES_WORKLOAD, CIKind.VM,
      CIKind.HOST, CIKind.ZONE, CIKind.REGION, CIKind.NETWORK, CIKind.NETWORK_DEVICE, CIKind.DNS, CIKind.IDENTITY_PROVIDER,
      CIKind.REDUNDANCY_GROUP, CIKind.LOAD_BALANCER, CIKind.CERTIFICATE, CIKind.STORAGE,
    ]) {
      expect(stats.byKind[kind]).toBeGreaterThan(0);
    }
    const tiers = new Set(medium.cis.filter((c) => c.kind === CIKind.BUSINESS_FUNCTION).map((c) => c.criticality));
    expect(tiers.size).toBe(4);
  });

  it.each([
    ['S', small],
    ['M', medium],
  ])('%s: 10-15%% soft dependencies, a shared DNS under most services, cycles among services', (_size, enterprise) => {
    const stats = enterpriseStats(enterprise);
    expect(stats.softShare).toBeGreaterThanOrEqual(0.1);
    expect(stats.softShare).toBeLessThanOrEqual(0.15);
    const services = stats.byKind[CIKind.SERVICE] ?? 0;
    const dns = dependentsOf(enterprise).get('dns:internal') ?? [];
    expect(dns.length).toBeGreaterThan(0.3 * services);
    expect(stats.topFanIn[0].key).toBe('dns:internal');
    expect(servicesOnCycles(enterprise).size).toBeGreaterThanOrEqual(2);
  });

  it('nests redundancy groups: replicas need 2 of 3 zone groups, each needing 1 of 2 VMs', () => {
    const byKey = new Map(medium.cis.map((c) => [c.key, c]));
    const membersOf = groupBy(
      medium.dependencies.filter((d) => d.type === DependencyType.HAS_MEMBER),
      (d) => d.from,
      (d) => d.to,
    );
    const replicaGroups = [...membersOf].filter(([, members]) => members.every((m) => byKey.get(m)?.kind === CIKind.REDUNDANCY_GROUP));
    expect(replicaGroups.length).toBeGreaterThan(10);
    const serviceReplicas = replicaGroups.filter(([key]) => key.endsWith('-replicas'));
    expect(serviceReplicas.length).toBeGreaterThan(10);
    for (const [key, zones] of serviceReplicas) {
      expect(byKey.get(key)?.minHealthy).toBe(2);
      expect(zones).toHaveLength(3);
      for (const zone of zones) {
        expect(byKey.get(zone)?.minHealthy).toBe(1);
        expect(membersOf.get(zone)?.map((m) => byKey.get(m)?.kind)).toEqual([CIKind.VM, CIKind.VM]);
      }
    }
    // Database clusters: 3 nodes, 2 needed.
    const shared = byKey.get('rg:shared-postgres-1');
    expect(shared?.minHealthy).toBe(2);
    expect(membersOf.get('rg:shared-postgres-1')).toHaveLength(3);
    expect(enterpriseStats(medium).nestedRedundancyGroups).toBe(replicaGroups.length);
  });
});

describe('benchKeys', () => {
  it('matches the documented keys of every size at the default seed', () => {
    for (const size of ['S', 'M', 'L', 'XL'] as const) expect(benchKeys({ size })).toEqual(BENCH_KEYS[size]);
  });

  it.each(['S', 'M'] as const)('%s: names a leaf, a mid-tier and a shared component that exist, in rising fan-in', (size) => {
    const enterprise = size === 'S' ? small : medium;
    const seed = size === 'S' ? 42 : 7;
    const keys = benchKeys({ size, seed });
    expect(benchKeys({ size, seed })).toEqual(keys);
    const cis = new Map(enterprise.cis.map((c) => [c.key, c]));
    expect(cis.get(keys.leaf)?.kind).toBe(CIKind.KUBERNETES_WORKLOAD);
    expect(cis.get(keys.midTier)?.kind).toBe(CIKind.SERVICE);
    expect(cis.get(keys.shared)?.kind).toBe(CIKind.DNS);
    const dependents = dependentsOf(enterprise);
    const fanIn = (key: string) => dependents.get(key)?.length ?? 0;
    expect(fanIn(keys.leaf)).toBe(1);
    expect(fanIn(keys.midTier)).toBeGreaterThan(fanIn(keys.leaf));
    expect(fanIn(keys.shared)).toBeGreaterThan(fanIn(keys.midTier));
  });
});

describe('batches', () => {
  it('splits into batches of at most the given size, all CIs before any dependency', () => {
    const all = [...batches(small, 300)];
    expect(all.every((b) => b.cis.length + b.dependencies.length <= 300)).toBe(true);
    const firstDependencies = all.findIndex((b) => b.dependencies.length > 0);
    expect(all.slice(firstDependencies).every((b) => b.cis.length === 0)).toBe(true);
    expect(all.flatMap((b) => b.cis)).toEqual(small.cis);
    expect(all.flatMap((b) => b.dependencies)).toEqual(small.dependencies);
    expect(() => [...batches(small, 0)]).toThrow(/batch size/);
  });

  it('streams the same enterprise in two passes without holding it', () => {
    const streamed = [...enterpriseBatches({ size: 'M', seed: 7 }, 5_000)];
    expect(streamed.every((b) => b.cis.length + b.dependencies.length <= 5_000)).toBe(true);
    const firstDependencies = streamed.findIndex((b) => b.dependencies.length > 0);
    expect(streamed.slice(firstDependencies).every((b) => b.cis.length === 0)).toBe(true);
    expect(streamed.flatMap((b) => b.cis)).toEqual(medium.cis);
    expect(streamed.flatMap((b) => b.dependencies)).toEqual(medium.dependencies);
  });
});

describe('topology files', () => {
  const canonical = (d: { from: string; to: string; type?: string; strength?: string }) =>
    `${d.from}->${d.to}:${d.type}:${d.strength ?? DependencyStrength.HARD}`;

  it('writes the seed file format, which the topology-file parser reads back to the same inputs', () => {
    const text = toTopologyYaml(small, 'generated-s');
    expect(text).toMatch(/^# Generated[^\n]*\napiVersion: svcmap\/v1\nkind: Topology\nmetadata:\n  name: generated-s\n/);
    expect(text).toContain('kind: business_function');
    expect(text).toContain('criticality: tier_');
    expect(text).toContain('dependsOn:');
    const parsed = parseTopologyFile(text, 'generated-s.yaml');
    expect(parsed.cis.map((c) => c.key)).toEqual(small.cis.map((c) => c.key));
    // The file leaves out empty tags and attributes; the API reads a missing list as an empty one.
    const { tags: _tags, attributes: _attributes, ...fields } = small.cis.find((c) => c.kind === CIKind.BUSINESS_FUNCTION)!;
    expect(parsed.cis.find((c) => c.key === fields.key)).toMatchObject(fields);
    expect(parsed.dependencies.map(canonical).sort()).toEqual(small.dependencies.map(canonical).sort());
  });

  it('writes the streamed form (CIs, then a dependencies list) in the same format', () => {
    const text = [...streamedTopologyYamlChunks({ cis: 600, seed: 3 }, 'streamed')].join('');
    const expected = generateEnterprise({ cis: 600, seed: 3 });
    const parsed = parseTopologyFile(text, 'streamed.yaml');
    expect(parsed.cis).toHaveLength(600);
    expect(parsed.dependencies.map(canonical).sort()).toEqual(expected.dependencies.map(canonical).sort());
  });
});
