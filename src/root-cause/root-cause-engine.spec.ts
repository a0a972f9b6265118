import { RankedCandidate, RcaAlert, RcaSubgraph, correlate, rankCandidates, rankGroup } from './root-cause-engine';

/** `a>b` = a depends on b. dependentCount is counted from the edges unless given. */
function graph(edges: string[], extraDependents: Record<string, number> = {}): RcaSubgraph {
  const pairs = edges.map((e) => e.split('>'));
  const keys = new Set(pairs.flat());
  return {
    nodes: [...keys].map((key) => ({ key, kind: 'SERVICE', dependentCount: pairs.filter(([, to]) => to === key).length + (extraDependents[key] ?? 0) })),
    edges: pairs.map(([from, to]) => ({ from, to })),
  };
}

let seq = 0;
const alert = (key: string, minute: number, severity: RcaAlert['severity'] = 'CRITICAL'): RcaAlert => ({
  id: `a${++seq}-${key}`,
  key,
  severity,
  startsAt: Date.UTC(2026, 10, 26, 10, minute),
});

describe('rankCandidates', () => {
  it('names a silent switch under many alerting services, and says what it explains', () => {
    const services = Array.from({ length: 40 }, (_, i) => `svc${i}`);
    const g = graph([...services.map((s) => `${s}>switch`), ...services.map((s) => `${s}>dns`), 'other>dns'], { dns: 5000 });
    const alerts = services.map((s, i) => alert(s, 1 + (i % 3)));
    const [top, second] = rankCandidates(g, alerts);
    expect(top.key).toBe('switch');
    expect(top.evidence).toMatchObject({ alerting: false, coverage: 1, unexplainedCount: 0, dependenciesAlerting: [] });
    expect(top.evidence.explainedAlertIds).toHaveLength(40);
    expect(top.score).toBeGreaterThan(second.score);
    expect(top.evidence.exampleChain.at(-1)).toBe('switch');
  });

  it('prefers the alerting root over its quiet providers and its alerting victims', () => {
    const g = graph(['bf>app', 'app>svc', 'svc>db', 'db>host', 'web>host', 'svc>dns', 'x>dns'], { dns: 300, host: 10 });
    const alerts = [alert('db', 0), alert('svc', 1), alert('app', 2), alert('bf', 3)];
    const ranked = rankCandidates(g, alerts);
    expect(ranked[0].key).toBe('db');
    expect(ranked[0].evidence).toMatchObject({ alerting: true, startedFirst: true, coverage: 1 });
    const svc = ranked.find((c) => c.key === 'svc')!;
    expect(svc.evidence.dependenciesAlerting).toEqual(['db']);
  });

  it('still finds a root whose own alert is missing when it explains several branches', () => {
    const g = graph(['a>cache', 'b>cache', 'c>cache', 'a>host', 'b>host2']);
    const [top] = rankCandidates(g, [alert('a', 1), alert('b', 1), alert('c', 2)]);
    expect(top.key).toBe('cache');
    expect(top.evidence.alerting).toBe(false);
  });

  it('keeps its answer when a noise alert far away joins, and counts that alert as unexplained', () => {
    const g = graph(['web>app', 'app>db', 'api>db', 'db>disk', 'far>farhost'], { farhost: 20 });
    const fault = [alert('db', 0), alert('app', 1), alert('api', 1), alert('web', 2)];
    const noise = alert('far', 1, 'WARNING');
    const without = rankCandidates(g, fault);
    const [top] = rankCandidates(g, [...fault, noise]);
    expect(without[0].key).toBe('db');
    expect(top.key).toBe('db');
    expect(top.evidence.explainedAlertIds).toEqual(without[0].evidence.explainedAlertIds);
    expect(top.evidence.unexplainedCount).toBe(1);
    expect(without[0].evidence.unexplainedCount).toBe(0);
  });

  it('terminates on cycles and gives each alert once', () => {
    const g = graph(['a>b', 'b>a', 'b>db']);
    const ranked = rankCandidates(g, [alert('a', 2), alert('b', 1), alert('db', 0)]);
    expect(ranked[0].key).toBe('db');
    expect(ranked.find((c) => c.key === 'a')!.evidence.explainedAlertIds).toHaveLength(2);
  });

  it('is deterministic', () => {
    const g = graph(['a>x', 'b>x', 'c>y']);
    const alerts = [alert('a', 1), alert('b', 1), alert('c', 1)];
    expect(rankCandidates(g, alerts)).toEqual(rankCandidates(g, [...alerts].reverse()));
  });

  it('returns the first `top` of the whole ranking, with the same scores, when asked for fewer', () => {
    const services = Array.from({ length: 12 }, (_, i) => `svc${i}`);
    const g = graph([...services.map((s, i) => `${s}>${i % 2 ? 'switch' : 'lb'}`), 'switch>core', 'lb>core', 'svc3>dns'], { dns: 40 });
    const alerts = services.slice(0, 9).map((s, i) => alert(s, i % 4));
    const all = rankCandidates(g, alerts);
    const first = rankCandidates(g, alerts, new Set(), undefined, 3);
    expect(all.length).toBeGreaterThan(3);
    expect(first.map((c) => [c.key, c.score, c.rank])).toEqual(all.slice(0, 3).map((c) => [c.key, c.score, c.rank]));
    expect(first.map((c) => ({ ...c.evidence }))).toEqual(all.slice(0, 3).map((c) => ({ ...c.evidence })));
  });

  it('gives a recent change a little weight, and ignores alerts on unknown CIs', () => {
    const g = graph(['a>x', 'a>y']);
    const alerts = [alert('a', 1), alert('nowhere', 0)];
    const withChange = rankCandidates(g, alerts, new Set(['y']));
    const y = withChange.find((c) => c.key === 'y')!;
    expect(y.evidence.recentlyChanged).toBe(true);
    expect(y.score).toBeGreaterThan(withChange.find((c) => c.key === 'x')!.score);
    expect(withChange[0].evidence.unexplainedCount).toBe(0);
  });
});

describe('rankCandidates and the order CIs come in', () => {
  it('ranks the same whether the subgraph lists its CIs in key order (as the repository does) or not', () => {
    const g = graph(['web>app', 'app>db', 'app>cache', 'api>app', 'api>auth', 'auth>db', 'batch>db', 'db>disk', 'cache>disk', 'zeta>disk']);
    const sorted = { ...g, nodes: [...g.nodes].sort((a, b) => (a.key < b.key ? -1 : 1)) };
    const reversed = { ...g, nodes: [...sorted.nodes].reverse() };
    const alerts = [alert('web', 3), alert('api', 3), alert('app', 2), alert('batch', 4), alert('zeta', 5, 'WARNING')];
    const view = (ranked: ReturnType<typeof rankCandidates>) => ranked.map((c) => [c.key, c.score, c.evidence.exampleChain]);
    expect(view(rankCandidates(sorted, alerts))).toEqual(view(rankCandidates(reversed, alerts)));
    expect(view(rankCandidates(sorted, alerts))).toEqual(view(rankCandidates(g, alerts)));
  });
});

describe('rankCandidates, severity against the predicted state', () => {
  /** CIs with kinds and group sizes as given, HARD edges unless marked `a~b` (SOFT). */
  function typed(edges: string[], groups: Record<string, number> = {}): RcaSubgraph {
    const pairs = edges.map((e) => (e.includes('~') ? [...e.split('~'), 'SOFT'] : [...e.split('>'), 'HARD']) as [string, string, 'HARD' | 'SOFT']);
    const keys = new Set(pairs.flatMap(([from, to]) => [from, to]));
    return {
      nodes: [...keys].map((key) => ({
        key,
        kind: key in groups ? 'REDUNDANCY_GROUP' : 'SERVICE',
        dependentCount: pairs.filter(([, to]) => to === key).length,
        minHealthy: groups[key] ?? null,
      })),
      edges: pairs.map(([from, to, strength]) => ({ from, to, strength })),
    };
  }

  it('does not blame one member of a redundant tier for CRITICAL alerts above the tier', () => {
    // A 2-of-3 web tier over three zones: one zone down leaves the tier, the storefront and the
    // business services DEGRADED. CRITICAL alerts up there mean the storefront itself is down,
    // though its own alert is missing and a zone raised an unrelated MAJOR alert first.
    const g = typed(['checkout>storefront', 'catalogue>storefront', 'storefront>tier', 'tier>zone-a', 'tier>zone-b', 'tier>zone-c'], { tier: 2 });
    const alerts = [alert('zone-a', 0, 'MAJOR'), alert('checkout', 2), alert('catalogue', 2)];
    const [top] = rankCandidates(g, alerts);
    expect(top.key).toBe('storefront');
    // The same storm with WARNINGs up there is what a zone failing looks like.
    const [degraded] = rankCandidates(g, [alert('zone-a', 0, 'MAJOR'), alert('checkout', 2, 'WARNING'), alert('catalogue', 2, 'WARNING')]);
    expect(degraded.key).toBe('zone-a');
  });

  it('tells a SOFT provider from a HARD one by the severity of what they both explain', () => {
    const g = typed(['app~cache', 'app>db']);
    expect(rankCandidates(g, [alert('app', 1, 'CRITICAL')]).map((c) => c.key)).toEqual(['app', 'db', 'cache']);
    expect(rankCandidates(g, [alert('app', 1, 'WARNING')])[0].key).toBe('cache');
  });

  it('counts a group DOWN once too few members are left up', () => {
    // A 1-of-2 pool whose members both run on one host: the host takes the pool and the service down;
    // one member alone leaves them DEGRADED.
    const pool = typed(['svc>pool', 'pool>vm1', 'pool>vm2', 'vm1>host', 'vm2>host'], { pool: 1 });
    expect(rankCandidates(pool, [alert('vm1', 0, 'MAJOR'), alert('vm2', 0, 'MAJOR'), alert('svc', 2, 'CRITICAL')])[0].key).toBe('host');
    const [degraded] = rankCandidates(pool, [alert('vm1', 0, 'MAJOR'), alert('svc', 2, 'WARNING')]);
    expect(degraded).toMatchObject({ key: 'vm1' });
    expect(degraded.score).toBeGreaterThan(0.9);
    // A CRITICAL service above one failed member is not what that member's failure predicts.
    const [doubtful] = rankCandidates(pool, [alert('vm1', 0, 'MAJOR'), alert('svc', 2, 'CRITICAL')]);
    expect(doubtful.score).toBeLessThan(0.5);
  });
});

describe('lazily built evidence', () => {
  it('is an own enumerable property: spreading a candidate (as the service does) carries it, and it can be replaced', () => {
    const g = graph(['a>db', 'b>db', 'c>db', 'db>host']);
    const alerts = [alert('db', 0), alert('a', 1), alert('b', 1)];
    const [top, ...rest] = rankCandidates(g, alerts);
    const copy = { ...top, extra: 1 };
    expect(Object.keys(copy)).toEqual(['key', 'kind', 'score', 'rank', 'evidence', 'extra']);
    expect(copy.evidence).toBe(top.evidence);
    expect(Object.keys(top.evidence)).toEqual([
      'unexplainedCount',
      'coverage',
      'precision',
      'alerting',
      'startedFirst',
      'firstAlertAt',
      'earliestExplainedAt',
      'recentlyChanged',
      'explainedAlertIds',
      'dependenciesAlerting',
      'exampleChain',
    ]);
    expect({ ...top.evidence }.explainedAlertIds).toEqual(top.evidence.explainedAlertIds);
    const other = rest[0];
    other.evidence = { ...other.evidence, exampleChain: ['x'] };
    expect(other.evidence.exampleChain).toEqual(['x']);
    top.evidence.exampleChain = ['y'];
    expect(top.evidence.exampleChain).toEqual(['y']);
    expect(JSON.parse(JSON.stringify(top)).evidence.exampleChain).toEqual(['y']);
  });
});

describe('correlate', () => {
  it('splits two independent faults and a far-away noise alert into three incidents', () => {
    const g = graph([
      ...['s1', 's2', 's3'].map((s) => `${s}>dbA`),
      ...['t1', 't2'].map((s) => `${s}>mq`),
      ...['s1', 's2', 's3', 't1', 't2', 'lonely'].map((s) => `${s}>dns`),
    ], { dns: 2000 });
    const alerts = [alert('dbA', 0), alert('s1', 1), alert('s2', 1), alert('s3', 2), alert('t1', 3), alert('t2', 3), alert('lonely', 4, 'WARNING')];
    const groups = correlate(g, alerts);
    const causes = groups.map((grp) => [grp.candidates[0].key, grp.alerts.map((a) => a.key).sort()]);
    expect(causes).toEqual([
      ['dbA', ['dbA', 's1', 's2', 's3']],
      ['mq', ['t1', 't2']],
      ['lonely', ['lonely']],
    ]);
  });

  it('makes alerts that no failure explains better than noise incidents of their own, one per alerting CI', () => {
    // Two databases under hundreds of quiet services each, on one storage array: a failure of any of
    // them predicts hundreds of alerts that did not fire, so the two warnings are noise, not one incident.
    const g = graph(['db1>san', 'db2>san'], { db1: 400, db2: 400, san: 30 });
    const alerts = [alert('db1', 0, 'WARNING'), alert('db1', 1, 'WARNING'), alert('db2', 2, 'WARNING')];
    const groups = correlate(g, alerts);
    expect(groups.map((grp) => grp.alerts.map((a) => a.key))).toEqual([['db1', 'db1'], ['db2']]);
    expect(groups.map((grp) => grp.candidates[0].key)).toEqual(['db1', 'db2']);
  });

  it('ranks a group on what its own alerts depend on, not on CIs that lead only to other incidents', () => {
    const g = graph(['a>db', 'b>db', 'c>mq', 'd>mq', 'mq>net', 'db>net'], { net: 10 });
    const alerts = [alert('a', 0), alert('b', 0), alert('db', 0), alert('c', 5), alert('d', 5), alert('mq', 5)];
    const groups = correlate(g, alerts);
    expect(groups.map((grp) => grp.alerts.map((a) => a.key).sort())).toEqual([['a', 'b', 'db'], ['c', 'd', 'mq']]);
    const dbGroup = groups[0].candidates.map((c) => c.key);
    expect(dbGroup[0]).toBe('db');
    expect(dbGroup).not.toContain('mq');
    expect(dbGroup.sort()).toEqual(['a', 'b', 'db', 'net']);
  });

  it('keeps the first `top` candidates of each group when asked', () => {
    const g = graph(['a>db', 'b>db', 'db>net']);
    const alerts = [alert('a', 0), alert('b', 0), alert('db', 0)];
    const [all] = correlate(g, alerts);
    const [kept] = correlate(g, alerts, new Set(), undefined, 2);
    expect(all.candidates.length).toBeGreaterThan(2);
    expect(kept.candidates.map((c) => [c.key, c.score, c.rank])).toEqual(all.candidates.slice(0, 2).map((c) => [c.key, c.score, c.rank]));
    expect(kept.candidates[0].key).toBe('db');
  });

  it('ranks a group`s first three the same with or without the infrastructure deep under many quiet CIs', () => {
    // Thirty services on ten hosts, three racks, one storage array and one data centre, each of which
    // carries thousands of CIs outside the subgraph; a database under ten of the services. Asked for
    // three, rankGroup leaves out what lies deep under quiet CIs; asked for all, it ranks the whole closure.
    const services = Array.from({ length: 30 }, (_, i) => `svc${i}`);
    const hosts = Array.from({ length: 10 }, (_, i) => `host${i}`);
    const edges = [
      ...services.map((s, i) => `${s}>${hosts[i % 10]}`),
      ...services.slice(0, 10).map((s) => `${s}>db`),
      'db>host7',
      ...hosts.map((h, i) => `${h}>rack${i % 3}`),
      ...['rack0', 'rack1', 'rack2'].map((r) => `${r}>san`),
      'san>dc',
      'svc3>svc4',
      'svc4>svc3',
    ];
    const g = graph(edges, { ...Object.fromEntries(hosts.map((h) => [h, 40])), rack0: 400, rack1: 400, rack2: 400, san: 3000, dc: 20000 });
    const plain = (c: RankedCandidate) => ({ key: c.key, score: c.score, rank: c.rank, evidence: { ...c.evidence } });
    const cases: RcaAlert[][] = [
      // The database: its alert, and most of what depends on it.
      [alert('db', 0), ...services.slice(0, 8).map((s, i) => alert(s, 1 + (i % 3)))],
      // A host: the services on it, one of them only a warning.
      [alert('svc2', 2), alert('svc12', 3), alert('svc22', 3, 'WARNING')],
      // A lone warning on a service; a cycle of two services.
      [alert('svc17', 5, 'WARNING')],
      [alert('svc3', 1), alert('svc4', 2)],
      // Alerts on the storage array itself and far above it.
      [alert('san', 0), alert('svc5', 4), alert('svc25', 4)],
    ];
    for (const alerts of cases) {
      for (const changed of [new Set<string>(), new Set(['host2', 'db'])]) {
        const whole = rankGroup(g, alerts, changed, undefined, Infinity);
        expect(whole.length).toBeGreaterThan(3);
        expect(rankGroup(g, alerts, changed, undefined, 3, 0).map(plain)).toEqual(whole.slice(0, 3).map(plain));
        expect(rankGroup(g, alerts, changed, undefined, 3).map(plain)).toEqual(whole.slice(0, 3).map(plain));
      }
    }
  });

  it('separates alerts far apart in time', () => {
    const g = graph(['a>db', 'b>db']);
    const groups = correlate(g, [alert('a', 0), alert('b', 45)]);
    expect(groups).toHaveLength(2);
  });
});
