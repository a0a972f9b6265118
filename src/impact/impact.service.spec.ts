import { loadConfig } from '../common/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { CiRecord } from '../topology/topology.types';
import { CIKind, CIStatus, CriticalityTier } from '../topology/topology.vocabulary';
import { IncidentInput } from './dto/incident.input';
import { ImpactEdge, indexImpactGraph } from './impact-engine';
import { FetchedImpactGraph, FetchedMap, ImpactRepository } from './impact.repository';
import { ImpactService } from './impact.service';
import { PriorityEnum } from './impact.vocabulary';

interface FakeCi {
  kind: CIKind;
  name?: string;
  criticality?: CriticalityTier;
  revenuePerHour?: number;
  usersAffected?: number;
}

/**
 * A small estate: two business functions on HARD chains, and a lab host nothing
 * of the business depends on.
 *
 *   bf:payments (TIER_1) > app:payments > svc:pay
 *   bf:mail     (TIER_4) > app:mail
 *   svc:lab > host:lab
 */
const CIS: Record<string, FakeCi> = {
  'bf:payments': { kind: CIKind.BUSINESS_FUNCTION, name: 'Payments', criticality: CriticalityTier.TIER_1, revenuePerHour: 180_000, usersAffected: 250_000 },
  'app:payments': { kind: CIKind.APPLICATION },
  'svc:pay': { kind: CIKind.SERVICE },
  'bf:mail': { kind: CIKind.BUSINESS_FUNCTION, name: 'Executive mail', criticality: CriticalityTier.TIER_4, revenuePerHour: 300, usersAffected: 15 },
  'app:mail': { kind: CIKind.APPLICATION },
  'svc:lab': { kind: CIKind.SERVICE },
  'host:lab': { kind: CIKind.HOST },
};
const EDGES: ImpactEdge[] = [
  { from: 'bf:payments', to: 'app:payments', strength: 'HARD' },
  { from: 'app:payments', to: 'svc:pay', strength: 'HARD' },
  { from: 'bf:mail', to: 'app:mail', strength: 'HARD' },
  { from: 'svc:lab', to: 'host:lab', strength: 'HARD' },
];

function record(key: string, ci: FakeCi): CiRecord {
  return {
    key,
    kind: ci.kind,
    name: ci.name ?? key,
    description: null,
    owner: null,
    environment: null,
    tags: [],
    attributes: {},
    criticality: ci.criticality ?? null,
    revenuePerHour: ci.revenuePerHour ?? null,
    usersAffected: ci.usersAffected ?? null,
    minHealthy: null,
    status: CIStatus.ACTIVE,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: null,
    updatedBy: null,
    createdByPerson: true,
  };
}

/**
 * Stands in for Neo4j: hands over the whole estate (the service cuts out each
 * failure's part) with the asked keys it does not hold as missing.
 */
class FakeImpactRepository {
  readonly asked: { keys: readonly string[]; maxDepth: number }[] = [];
  readonly mapsAsked: string[] = [];
  map: FetchedMap | null = null;

  async impactedSubgraph(keys: readonly string[], maxDepth: number): Promise<FetchedImpactGraph> {
    this.asked.push({ keys, maxDepth });
    const graph = indexImpactGraph({
      nodes: Object.keys(CIS).map((key) => ({ key, minHealthy: null, dependencyCount: EDGES.filter((e) => e.from === key).length })),
      edges: EDGES,
    });
    const records = new Map<string, CiRecord>();
    for (const [key, ci] of Object.entries(CIS)) if (ci.kind === CIKind.BUSINESS_FUNCTION) records.set(key, record(key, ci));
    return { ...graph, kinds: graph.keys.map((key) => CIS[key].kind), records, missing: keys.filter((k) => !(k in CIS)) };
  }

  async dependencySubgraph(key: string): Promise<FetchedMap | null> {
    this.mapsAsked.push(key);
    return this.map;
  }
}

function serviceWith(env: Record<string, string> = {}): { impact: ImpactService; repository: FakeImpactRepository } {
  const repository = new FakeImpactRepository();
  const config = loadConfig({ NEO4J_URI: 'bolt://localhost:1', ...env });
  return { impact: new ImpactService(repository as unknown as ImpactRepository, config), repository };
}

const incident = (id: string, keys: string[], technicalPriority?: PriorityEnum, startedAt?: string): IncidentInput => ({
  id,
  keys,
  ...(technicalPriority ? { technicalPriority } : {}),
  ...(startedAt ? { startedAt: new Date(startedAt) } : {}),
});

describe('ImpactService.prioritizeIncidents', () => {
  it('orders by score, then technical priority (none counts as P5), then start time (none last), then id', async () => {
    const { impact, repository } = serviceWith();
    const ranked = await impact.prioritizeIncidents([
      incident('INC-h', ['host:lab'], PriorityEnum.P5, '2026-11-26T07:00:00Z'),
      incident('INC-d', ['host:lab'], PriorityEnum.P3),
      incident('INC-a', ['host:lab'], PriorityEnum.P3, '2026-11-26T10:00:00Z'),
      incident('INC-y', ['app:mail'], PriorityEnum.P1, '2026-11-26T12:00:00Z'),
      incident('INC-e', ['host:lab'], undefined, '2026-11-26T06:00:00Z'),
      incident('INC-g', ['host:lab'], PriorityEnum.P5, '2026-11-26T07:00:00Z'),
      incident('INC-c', ['host:lab'], PriorityEnum.P3, '2026-11-26T09:00:00Z'),
      incident('INC-z', ['svc:pay'], PriorityEnum.P4, '2026-11-26T13:00:00Z'),
      incident('INC-b', ['host:lab'], PriorityEnum.P2, '2026-11-26T11:00:00Z'),
      incident('INC-f', ['host:lab'], PriorityEnum.P5, '2026-11-26T07:00:00Z'),
    ]);
    expect(ranked.map((r) => [r.rank, r.id, r.score])).toEqual([
      // Business impact first, whatever the calling tool reported.
      [1, 'INC-z', 94.3],
      [2, 'INC-y', 21.4],
      // The rest hurt no business: the technical priority decides, P2 before P3,
      [3, 'INC-b', 0],
      // then the oldest start among equal priorities, an unknown start last,
      [4, 'INC-c', 0],
      [5, 'INC-a', 0],
      [6, 'INC-d', 0],
      // no technical priority ranks as P5 (so the older INC-e comes before the P5s),
      [7, 'INC-e', 0],
      // and the id breaks what is left.
      [8, 'INC-f', 0],
      [9, 'INC-g', 0],
      [10, 'INC-h', 0],
    ]);
    expect(ranked.slice(0, 2).map((r) => r.priority)).toEqual(['P1', 'P4']);
    // One walk for every incident, at the default depth.
    expect(repository.asked).toEqual([{ keys: ['host:lab', 'app:mail', 'svc:pay'], maxDepth: 50 }]);
  });

  it('explains an incident that hurts no business function', async () => {
    const { impact } = serviceWith();
    const [lab] = await impact.prioritizeIncidents([incident('INC-1', ['host:lab'], PriorityEnum.P3)]);
    expect(lab).toMatchObject({ priority: 'P5', score: 0, impactedCount: 2, unknownKeys: [], businessImpacts: [] });
    expect(lab.explanation).toBe('host:lab failing impacts 1 other CI but no business function or service; score 0 -> P5, reported P3.');
  });

  it('explains an incident with unknown keys: they count for nothing and are named', async () => {
    const { impact } = serviceWith();
    const [mixed, unknown] = await impact.prioritizeIncidents([
      incident('INC-1', ['svc:pay', 'nope:gone'], PriorityEnum.P4),
      incident('INC-2', ['nope:gone', 'nope:never']),
    ]);
    expect(mixed).toMatchObject({ priority: 'P1', score: 94.3, unknownKeys: ['nope:gone'], impactedCount: 3 });
    expect(mixed.explanation).toBe('svc:pay (unknown to the map: nope:gone) failing takes Payments (TIER_1) DOWN; business impact 94.3 -> P1, reported P4.');
    expect(unknown).toMatchObject({ priority: 'P5', score: 0, unknownKeys: ['nope:gone', 'nope:never'], impactedCount: 0 });
    expect(unknown.explanation).toBe('no known CI (unknown to the map: nope:gone, nope:never) failing impacts 0 other CIs but no business function or service; score 0 -> P5.');
  });
});

describe('ImpactService with configured weights', () => {
  // TIER_1 worth nothing, TIER_4 worth 60, revenue ignored: the mail function now outweighs payments.
  const WEIGHTS = '{"tierPoints":{"TIER_1":0,"TIER_4":60},"revenuePoints":0}';

  it('scores and prioritizes a blast radius with them', async () => {
    const defaults = await serviceWith().impact.blastRadius(['svc:pay']);
    expect([defaults.score, defaults.priority, defaults.businessImpacts[0].priority]).toEqual([94.3, 'P1', 'P1']);
    const weighted = await serviceWith({ SVCMAP_IMPACT_WEIGHTS: WEIGHTS }).impact.blastRadius(['svc:pay']);
    // 0 + 0 + 20 x log10(250001)/6 = 18.0 -> P4
    expect([weighted.score, weighted.priority, weighted.businessImpacts[0].priority]).toEqual([18, 'P4', 'P4']);
  });

  it('ranks incidents with them', async () => {
    const incidents = [incident('INC-pay', ['svc:pay']), incident('INC-mail', ['app:mail'])];
    const byDefault = await serviceWith().impact.prioritizeIncidents(incidents);
    expect(byDefault.map((r) => [r.id, r.score, r.priority])).toEqual([
      ['INC-pay', 94.3, 'P1'],
      ['INC-mail', 21.4, 'P4'],
    ]);
    const weighted = await serviceWith({ SVCMAP_IMPACT_WEIGHTS: WEIGHTS }).impact.prioritizeIncidents(incidents);
    // 60 + 0 + 20 x log10(16)/6 = 64.0 -> P2, above payments' 18.0 -> P4.
    expect(weighted.map((r) => [r.id, r.score, r.priority])).toEqual([
      ['INC-mail', 64, 'P2'],
      ['INC-pay', 18, 'P4'],
    ]);
  });

  it('refuses malformed weights when the service is built, that is at start-up', () => {
    expect(() => serviceWith({ SVCMAP_IMPACT_WEIGHTS: '{"tierPoints":{"TIER1":99}}' })).toThrow('SVCMAP_IMPACT_WEIGHTS.tierPoints.TIER1: unknown field');
  });
});

describe('ImpactService.upstream and serviceMap', () => {
  const problemsOf = async (call: Promise<unknown>) => {
    const error = (await call.then(
      () => null,
      (e: unknown) => e,
    )) as DomainError | null;
    if (!error) throw new Error('the call was accepted');
    return { code: error.code, ...error.details };
  };

  it('names a malformed key `key`, with a bad depth in the same error, and asks Neo4j nothing', async () => {
    const { impact, repository } = serviceWith();
    expect(await problemsOf(impact.upstream('two words', 0))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'key',
      problems: [
        { path: 'key', message: 'must not contain whitespace or control characters (found U+0020 at position 3)' },
        { path: 'maxDepth', message: 'must be from 1 to 100' },
      ],
    });
    expect(await problemsOf(impact.serviceMap(''))).toEqual({ code: 'BAD_USER_INPUT', field: 'key', problems: [{ path: 'key', message: 'must not be empty' }] });
    expect(repository.mapsAsked).toEqual([]);
  });

  it('answers NOT_FOUND naming an unknown key', async () => {
    const { impact, repository } = serviceWith();
    expect(await problemsOf(impact.upstream('nope:gone'))).toEqual({ code: 'NOT_FOUND', field: 'key', missingKeys: ['nope:gone'] });
    expect(repository.mapsAsked).toEqual(['nope:gone']);
  });
});

describe('ImpactService business impacts of equal score', () => {
  it('come in localeCompare order of their keys, not code-unit order, below higher scores', async () => {
    // Business functions on one shared service: four alike in every scored field, two above them, one below.
    const keys = ['bf:Zeta', 'bf:beta', 'bf:top-b', 'bf:alpha', 'bf:low', 'bf:Éclair', 'bf:top-A'];
    const tierOf = (key: string) => (key.startsWith('bf:top') ? CriticalityTier.TIER_1 : key === 'bf:low' ? CriticalityTier.TIER_4 : CriticalityTier.TIER_2);
    const edges: ImpactEdge[] = keys.map((key) => ({ from: key, to: 'svc:shared', strength: 'HARD' }));
    const repository = {
      async impactedSubgraph(asked: readonly string[]): Promise<FetchedImpactGraph> {
        const graph = indexImpactGraph({
          nodes: [...keys, 'svc:shared'].map((key) => ({ key, minHealthy: null, dependencyCount: key === 'svc:shared' ? 0 : 1 })),
          edges,
        });
        const kinds = graph.keys.map((key) => (key === 'svc:shared' ? CIKind.SERVICE : CIKind.BUSINESS_FUNCTION));
        const records = new Map(keys.map((key) => [key, record(key, { kind: CIKind.BUSINESS_FUNCTION, criticality: tierOf(key), revenuePerHour: 1_000 })]));
        return { ...graph, kinds, records, missing: asked.filter((k) => k !== 'svc:shared') };
      },
    };
    const impact = new ImpactService(repository as unknown as ImpactRepository, loadConfig({ NEO4J_URI: 'bolt://localhost:1' }));
    const answer = await impact.blastRadius(['svc:shared']);
    const scores = answer.businessImpacts.map((b) => b.score);
    expect(new Set(scores).size).toBe(3);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(answer.businessImpacts.map((b) => b.ci.key)).toEqual(['bf:top-A', 'bf:top-b', 'bf:alpha', 'bf:beta', 'bf:Éclair', 'bf:Zeta', 'bf:low']);
    // Code-unit order would put the capitals first: the check above tells the two apart.
    expect(['bf:alpha', 'bf:beta', 'bf:Éclair', 'bf:Zeta'].sort()).toEqual(['bf:Zeta', 'bf:alpha', 'bf:beta', 'bf:Éclair']);
  });
});
