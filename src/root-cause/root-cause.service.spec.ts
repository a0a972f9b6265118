import { loadConfig } from '../common/config/app-config';
import { HistoryService } from '../history/history.service';
import { ImpactService, PrefetchedImpact, PricedFailure } from '../impact/impact.service';
import { RcaRunner } from './rca-runner';
import { AlertGrouping, RankedCandidate, RcaAlert, packSubgraph } from './root-cause-engine';
import { RootCauseRepository } from './root-cause.repository';
import { RootCauseService } from './root-cause.service';

/** A blast radius whose score names the CI it was priced for. */
function blastOf(key: string): PricedFailure {
  const score = key.charCodeAt(0);
  return {
    failedKeys: [key],
    businessImpacts: [],
    score,
    priority: 'P3',
    totals: { impacted: score, down: 0, degraded: 0, byKind: [] },
  };
}

const candidate = (key: string): RankedCandidate => ({
  key,
  kind: 'SERVICE',
  score: 1,
  rank: 1,
  evidence: {
    explainedAlertIds: [],
    unexplainedCount: 0,
    coverage: 1,
    precision: 1,
    alerting: true,
    startedFirst: true,
    firstAlertAt: null,
    earliestExplainedAt: null,
    dependenciesAlerting: [],
    recentlyChanged: false,
    exampleChain: [key],
  },
});

describe('RootCauseService.correlate', () => {
  const at = Date.UTC(2026, 10, 28, 1, 0);
  const alerts = ['a', 'b', 'c', 'd'].map((key, i) => ({ id: `x${i}`, key, severity: 'CRITICAL' as const, startsAt: new Date(at + i * 1000) }));

  /** A service over stand-ins: the worker groups {a} led by `a`, {b, c} led by `b` and {d} led by `d`, and ranks `c` first in the second and `e` in the third. */
  function service(events: string[]) {
    const repository = { alertSubgraph: async () => ({ ...packSubgraph({ nodes: ['a', 'b', 'c', 'd'].map((key) => ({ key, kind: 'SERVICE', dependentCount: 0 })), edges: [] }), missing: [] }) };
    const history = { anyChangeBetween: async () => false };
    const prefetched: PrefetchedImpact[] = [];
    const impact = {
      prefetchBlastRadii: (keys: string[]) => {
        events.push(`prefetch ${keys.join(',')}`);
        const fetch = { keys: new Set(keys), maxDepth: 10, graph: new Promise<never>(() => undefined) } as unknown as PrefetchedImpact;
        prefetched.push(fetch);
        return fetch;
      },
      blastRadii: async (failures: string[][], _depth: unknown, given?: PrefetchedImpact) => {
        // Each pricing is given a walk started ahead for exactly its failures: the leaders', then a late cause's.
        expect(prefetched).toContain(given);
        expect([...given!.keys].sort()).toEqual([...new Set(failures.flat())].sort());
        events.push(`price ${failures.map((keys) => keys.join('+')).join(',')}`);
        return failures.map(([key]) => blastOf(key));
      },
    };
    let release: () => void = () => undefined;
    const runner = {
      group: async (): Promise<AlertGrouping[]> => [
        { alerts: [toRca(alerts[0])], leader: 'a' },
        { alerts: [toRca(alerts[1]), toRca(alerts[2])], leader: 'b' },
        { alerts: [toRca(alerts[3])], leader: 'd' },
      ],
      rankGroups: (...args: unknown[]) => {
        const { leaders, onOtherCauses } = args[5] as { leaders: string[]; onOtherCauses: (ranked: { index: number; candidates: RankedCandidate[] }[]) => void };
        expect(leaders).toEqual(['a', 'b', 'd']);
        events.push('rank');
        const ranked = [[candidate('a')], [candidate('c'), candidate('b')], [candidate('e'), candidate('d')]];
        // The groups whose cause did not lead them are told of at once, together; the ranking ends
        // only once the leaders were priced: pricing runs while the worker ranks.
        onOtherCauses([
          { index: 1, candidates: ranked[1] },
          { index: 2, candidates: ranked[2] },
        ]);
        return new Promise<RankedCandidate[][]>((resolve) => (release = () => resolve(ranked)));
      },
    };
    const original = impact.blastRadii;
    impact.blastRadii = async (...args) => {
      const answers = await original(...args);
      release();
      return answers;
    };
    return new RootCauseService(repository as unknown as RootCauseRepository, history as unknown as HistoryService, impact as unknown as ImpactService, runner as unknown as RcaRunner, loadConfig({}, { neo4jUri: 'bolt://127.0.0.1:7687' }));
  }

  it('prices the leaders while the groups are ranked, and walks for and prices again only the causes that did not lead their group, once per batch named', async () => {
    const events: string[] = [];
    const answer = await service(events).correlate(alerts);
    expect(events).toEqual(['prefetch a,b,d', 'rank', 'prefetch c,e', 'price a,b,d', 'price c,e']);
    const byCause = Object.fromEntries(answer.incidents.map((incident) => [incident.candidates[0].key, [incident.score, incident.alerts.map((a) => a.id)]]));
    expect(byCause).toEqual({ a: [blastOf('a').score, ['x0']], c: [blastOf('c').score, ['x1', 'x2']], e: [blastOf('e').score, ['x3']] });
    expect(answer.incidents.map((incident) => incident.rank)).toEqual([1, 2, 3]);
    expect(answer.incidents.map((incident) => incident.candidates[0].key)).toEqual(['e', 'c', 'a']);
  });
});

function toRca(a: { id: string; key: string; severity: RcaAlert['severity']; startsAt: Date }): RcaAlert {
  return { id: a.id, key: a.key, severity: a.severity, startsAt: a.startsAt.getTime() };
}
