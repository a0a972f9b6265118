/**
 * Property test: `propagateImpact` against a deliberately naive reference.
 *
 * The reference evaluates every rule of PRODUCT.md "Impact semantics" over the
 * FULL random graph, all CIs at once, again and again until nothing changes
 * (states only get worse, so this reaches the least fixed point). The engine
 * only sees what the service hands it: the failed CIs plus everything that
 * transitively depends on them, the edges between those, and each CI's total
 * dependency count in the full graph. Both must agree on every impacted CI,
 * its state and distance; the engine's chains, misconfigured groups and group
 * reasons are checked against the reference too.
 *
 * Every graph has its own seed. On failure the smallest failing graph is
 * printed with its seed; replay it alone with
 *   IMPACT_SEED=<seed> npx jest src/impact/impact-engine.property
 * Other knobs: IMPACT_BASE_SEED (where the run starts), IMPACT_RUNS (graphs).
 */
import { ImpactEdge, ImpactResult, ImpactSubgraph, Strength, clearSpread, plainImpactGraph, propagateImpact, reachIndex, reachableSubgraph, spread, spreadArrays } from './impact-engine';

// ---------------------------------------------------------------------------
// Seeded PRNG: a Weyl sequence (golden-ratio increment) pushed through a
// 32-bit avalanche mix. Small, fast, and good enough to spread test cases.
// ---------------------------------------------------------------------------

function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = mix32(seed ^ 0x5bd1e995);
  }

  /** Uniform in [0, 2^32). */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.nextU32() / 0x1_0000_0000) * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.nextU32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count);
  }
}

// ---------------------------------------------------------------------------
// Full graphs and the subgraph the service would hand to the engine.
// ---------------------------------------------------------------------------

interface FullNode {
  key: string;
  /** Redundancy groups only; null otherwise. */
  minHealthy: number | null;
}

interface FullGraph {
  nodes: FullNode[];
  /** `from` needs `to`. For a group, its edges are exactly its members. */
  edges: ImpactEdge[];
}

const HARD: Strength = 'HARD';
const SOFT: Strength = 'SOFT';

/** The subgraph the service's Cypher produces: failures plus their transitive consumers, edges among them, full dependency counts. */
function subgraphFor(full: FullGraph, failed: readonly string[], rng?: Prng): ImpactSubgraph {
  const inside = new Set<string>(failed);
  const queue = [...inside];
  while (queue.length > 0) {
    const provider = queue.shift()!;
    for (const edge of full.edges) {
      if (edge.to === provider && !inside.has(edge.from)) {
        inside.add(edge.from);
        queue.push(edge.from);
      }
    }
  }
  const nodes = full.nodes
    .filter((n) => inside.has(n.key))
    .map((n) => ({ key: n.key, minHealthy: n.minHealthy, dependencyCount: full.edges.filter((e) => e.from === n.key).length }));
  const edges = full.edges.filter((e) => inside.has(e.from) && inside.has(e.to)).map((e) => ({ ...e }));
  // The database returns rows in no particular order; the answer must not depend on it.
  return rng ? { nodes: rng.shuffle(nodes), edges: rng.shuffle(edges) } : { nodes, edges };
}

// ---------------------------------------------------------------------------
// The reference: obviously right, not fast.
// ---------------------------------------------------------------------------

const HEALTHY = 0;
const DEGRADED = 1;
const DOWN = 2;
type Level = typeof HEALTHY | typeof DEGRADED | typeof DOWN;
const NAME: Record<Level, string> = { [HEALTHY]: 'HEALTHY', [DEGRADED]: 'DEGRADED', [DOWN]: 'DOWN' };

interface Reference {
  level: Map<string, Level>;
  /** Hops from the nearest failure against the arrows; only for CIs a failure reaches. */
  distance: Map<string, number>;
}

function referenceImpact(full: FullGraph, failed: readonly string[]): Reference {
  const level = new Map<string, Level>(full.nodes.map((n) => [n.key, HEALTHY]));
  for (const key of failed) level.set(key, DOWN);
  const dependenciesOf = (key: string) => full.edges.filter((e) => e.from === key);

  for (let changed = true; changed; ) {
    changed = false;
    for (const node of full.nodes) {
      const deps = dependenciesOf(node.key);
      let wanted: Level = HEALTHY;
      if (node.minHealthy !== null) {
        // A redundancy group: only its members count, their edge strength does not.
        const membersDown = deps.filter((e) => level.get(e.to) === DOWN).length;
        const membersHit = deps.filter((e) => level.get(e.to) !== HEALTHY).length;
        if (membersHit > 0) {
          const misconfigured = deps.length < node.minHealthy;
          if (misconfigured) wanted = DOWN;
          else if (deps.length - membersDown < node.minHealthy) wanted = DOWN;
          else wanted = DEGRADED;
        }
      } else if (deps.some((e) => e.strength === HARD && level.get(e.to) === DOWN)) {
        wanted = DOWN;
      } else if (deps.some((e) => (e.strength === SOFT && level.get(e.to) === DOWN) || level.get(e.to) === DEGRADED)) {
        wanted = DEGRADED;
      }
      if (wanted > level.get(node.key)!) {
        level.set(node.key, wanted);
        changed = true;
      }
    }
  }

  const distance = new Map<string, number>();
  let frontier = [...new Set(failed)];
  for (const key of frontier) distance.set(key, 0);
  for (let hops = 1; frontier.length > 0; hops++) {
    const next: string[] = [];
    for (const provider of frontier) {
      for (const edge of full.edges) {
        if (edge.to === provider && !distance.has(edge.from)) {
          distance.set(edge.from, hops);
          next.push(edge.from);
        }
      }
    }
    frontier = next;
  }
  return { level, distance };
}

// ---------------------------------------------------------------------------
// Comparison: returns every disagreement in words (empty when all is well).
// ---------------------------------------------------------------------------

const COUNTS = /(\d+) of (\d+) members down/;

function compare(full: FullGraph, failed: readonly string[], subgraph: ImpactSubgraph, result: ImpactResult): string[] {
  const problems: string[] = [];
  const ref = referenceImpact(full, failed);
  const failedSet = new Set(failed);
  const nodeOf = new Map(full.nodes.map((n) => [n.key, n]));
  const deps = (key: string) => full.edges.filter((e) => e.from === key);
  const subEdge = new Map(subgraph.edges.map((e) => [`${e.from}->${e.to}`, e]));
  const levelOf = (key: string) => ref.level.get(key) ?? HEALTHY;
  const isMisconfigured = (key: string) => {
    const node = nodeOf.get(key)!;
    return node.minHealthy !== null && deps(key).length < node.minHealthy;
  };

  // Every CI a failure reaches is impacted (reference sanity, so a bug here is ours).
  for (const [key] of ref.distance) {
    if (levelOf(key) === HEALTHY) problems.push(`reference: ${key} is reachable from a failure but healthy`);
  }

  // Impacted set, states, distances.
  const expectedKeys = [...ref.level].filter(([, l]) => l !== HEALTHY).map(([k]) => k).sort();
  const actualKeys = result.impacted.map((i) => i.key).sort();
  if (expectedKeys.join(',') !== actualKeys.join(',')) problems.push(`impacted: expected [${expectedKeys}] got [${actualKeys}]`);
  for (const item of result.impacted) {
    const want = NAME[levelOf(item.key)];
    if (item.state !== want) problems.push(`state of ${item.key}: expected ${want} got ${item.state}`);
    const wantDistance = ref.distance.get(item.key);
    if (item.distance !== wantDistance) problems.push(`distance of ${item.key}: expected ${wantDistance} got ${item.distance}`);
    if (result.byKey.get(item.key) !== item) problems.push(`byKey(${item.key}) is not the listed entry`);
  }
  if (result.byKey.size !== result.impacted.length) problems.push(`byKey has ${result.byKey.size} entries for ${result.impacted.length} impacted`);

  // Order: failed first, then by distance, then key.
  for (let i = 1; i < result.impacted.length; i++) {
    const a = result.impacted[i - 1];
    const b = result.impacted[i];
    if (a.distance > b.distance || (a.distance === b.distance && a.key > b.key)) problems.push(`order: ${a.key} listed before ${b.key}`);
  }

  // Chains. A DOWN CI's chain explains DOWN at every link: a non-group CI through
  // a HARD edge to a DOWN provider, a group through a DOWN member. A misconfigured
  // group is DOWN as soon as any impact reaches it, so from there on any path will do.
  const linkProblem = (consumer: string, provider: string): string | null => {
    const edge = subEdge.get(`${consumer}->${provider}`);
    if (!edge) return `${consumer} -> ${provider} is no edge`;
    if (levelOf(consumer) !== DOWN) return `link ${consumer} is ${NAME[levelOf(consumer)]}, not DOWN`;
    if (levelOf(provider) !== DOWN) return `${consumer} is DOWN but its link ${provider} is ${NAME[levelOf(provider)]}`;
    if (nodeOf.get(consumer)!.minHealthy === null && edge.strength !== HARD) return `${consumer} is DOWN but its link to ${provider} is SOFT`;
    return null;
  };
  const whyNotExplaining = (chain: string[]): string | null => {
    for (let i = 0; i + 1 < chain.length; i++) {
      if (failedSet.has(chain[i]) || isMisconfigured(chain[i])) return null;
      const problem = linkProblem(chain[i], chain[i + 1]);
      if (problem) return problem;
    }
    return null;
  };
  /** Whether any chain without repeats explains `key` being DOWN (exhaustive search; the graphs are small). */
  const explainingChainExists = (key: string): boolean => {
    const reachesFailureAvoiding = (from: string, avoid: Set<string>): boolean => {
      const seen = new Set([from]);
      const queue = [from];
      while (queue.length > 0) {
        const current = queue.shift()!;
        if (failedSet.has(current)) return true;
        for (const edge of subgraph.edges) {
          if (edge.from === current && !seen.has(edge.to) && !avoid.has(edge.to)) {
            seen.add(edge.to);
            queue.push(edge.to);
          }
        }
      }
      return false;
    };
    const search = (current: string, onPath: Set<string>): boolean => {
      if (failedSet.has(current)) return true;
      if (isMisconfigured(current)) return reachesFailureAvoiding(current, onPath);
      for (const edge of subgraph.edges) {
        if (edge.from !== current || onPath.has(edge.to) || linkProblem(current, edge.to)) continue;
        onPath.add(edge.to);
        const found = search(edge.to, onPath);
        onPath.delete(edge.to);
        if (found) return true;
      }
      return false;
    };
    return search(key, new Set([key]));
  };
  for (const item of result.impacted) {
    const chain = result.chainOf(item.key);
    const shown = `chain of ${item.key} [${chain.join(' > ')}]`;
    if (chain[0] !== item.key) problems.push(`${shown} does not start with it`);
    if (!failedSet.has(chain[chain.length - 1])) problems.push(`${shown} does not end at a failure`);
    if (new Set(chain).size !== chain.length) problems.push(`${shown} repeats a CI`);
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!subEdge.has(`${chain[i]}->${chain[i + 1]}`)) problems.push(`${shown}: ${chain[i]} -> ${chain[i + 1]} is not an edge of the subgraph`);
    }
    if (levelOf(item.key) !== DOWN) continue;
    const unexplained = whyNotExplaining(chain);
    // A CI can be DOWN only through a misconfigured group that its own earlier
    // (DEGRADED) impact reached; then no chain without a repeat explains it, and
    // any path to a failure is the best there is.
    if (unexplained && explainingChainExists(item.key)) problems.push(`${shown}: ${unexplained}`);
  }
  for (const node of full.nodes) {
    if (levelOf(node.key) === HEALTHY && result.chainOf(node.key).length !== 0) problems.push(`chain of healthy ${node.key} is not empty`);
  }

  // Misconfigured groups: exactly the impacted ones with fewer members than minHealthy.
  const wantMisconfigured = full.nodes.filter((n) => levelOf(n.key) !== HEALTHY && isMisconfigured(n.key)).map((n) => n.key).sort();
  const gotMisconfigured = [...result.misconfiguredGroups].sort();
  if (wantMisconfigured.join(',') !== gotMisconfigured.join(',')) {
    problems.push(`misconfiguredGroups: expected [${wantMisconfigured}] got [${gotMisconfigured}]`);
  }

  // Group reasons and health: the numbers must be the members' real standing.
  for (const item of result.impacted) {
    const node = nodeOf.get(item.key)!;
    if (node.minHealthy === null) {
      if (item.group !== null) problems.push(`${item.key} is no group but has group health`);
      continue;
    }
    const members = deps(item.key);
    const down = members.filter((e) => levelOf(e.to) === DOWN).length;
    const degraded = members.filter((e) => levelOf(e.to) === DEGRADED).length;
    const want = { members: members.length, down, degraded, minHealthy: node.minHealthy, misconfigured: members.length < node.minHealthy };
    if (JSON.stringify(item.group) !== JSON.stringify(want)) problems.push(`group health of ${item.key}: expected ${JSON.stringify(want)} got ${JSON.stringify(item.group)}`);
    if (failedSet.has(item.key)) continue; // a failed group's reason is that it failed
    if (want.misconfigured) {
      // The engine's documented wording for this case names the misconfiguration instead of the counts.
      const said = item.reason.match(/misconfigured: (\d+) members but needs (\d+) up/) ?? item.reason.match(COUNTS);
      if (!said) problems.push(`reason of misconfigured ${item.key} "${item.reason}" says nothing about its members`);
      continue;
    }
    const said = item.reason.match(COUNTS);
    if (!said) problems.push(`reason of group ${item.key} "${item.reason}" does not say how many members are down`);
    else if (Number(said[1]) !== down || Number(said[2]) !== members.length) {
      problems.push(`reason of group ${item.key} "${item.reason}": expected ${down} of ${members.length} members down`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Random graphs.
// ---------------------------------------------------------------------------

interface Case {
  seed: number;
  full: FullGraph;
  failed: string[];
}

function randomCase(seed: number): Case {
  const rng = new Prng(seed);
  const n = rng.chance(0.8) ? rng.int(2, 10) : rng.int(11, 24);
  const groupShare = rng.pick([0, 0.2, 0.35, 0.5]);
  const isGroup = Array.from({ length: n }, () => rng.chance(groupShare));
  const keys = isGroup.map((g, i) => (g ? `g${i}` : `c${i}`));
  const nodes: FullNode[] = [];
  const edges: ImpactEdge[] = [];
  for (let i = 0; i < n; i++) {
    const others = keys.filter((_, j) => j !== i);
    if (isGroup[i]) {
      // Members may be groups too (nesting), and may depend back on the group (cycles).
      const size = rng.chance(0.03) ? 0 : rng.chance(0.35) ? Math.min(3, others.length) : rng.int(1, Math.min(4, others.length));
      const minHealthy = rng.chance(0.12)
        ? size + rng.int(1, 2) // misconfigured: can never be healthy enough
        : size === 3 && rng.chance(0.5)
          ? 2
          : rng.int(1, Math.max(1, size));
      nodes.push({ key: keys[i], minHealthy });
      for (const member of rng.sample(others, size)) edges.push({ from: keys[i], to: member, strength: rng.chance(0.8) ? HARD : SOFT });
    } else {
      nodes.push({ key: keys[i], minHealthy: null });
      const degree = rng.int(0, Math.min(3, others.length));
      for (const provider of rng.sample(others, degree)) edges.push({ from: keys[i], to: provider, strength: rng.chance(0.6) ? HARD : SOFT });
    }
  }

  // 1-3 failures; often several members of one group, so "1 of 3 down" and "2 of 3 down" both occur.
  const count = Math.min(n, rng.int(1, 3));
  const failed = new Set<string>();
  const groups = nodes.filter((node) => edges.filter((e) => e.from === node.key).length >= 2);
  if (groups.length > 0 && rng.chance(0.4)) {
    const group = rng.pick(groups).key;
    const members = edges.filter((e) => e.from === group).map((e) => e.to);
    for (const member of rng.sample(members, Math.min(count, members.length))) failed.add(member);
  }
  while (failed.size < count) failed.add(rng.pick(keys));
  return { seed, full: { nodes: rng.shuffle(nodes), edges: rng.shuffle(edges) }, failed: rng.shuffle([...failed]) };
}

function runCase(c: Case): string[] {
  const subgraph = subgraphFor(c.full, c.failed, new Prng(c.seed ^ 0xa5a5a5a5));
  let result: ImpactResult;
  try {
    result = propagateImpact(subgraph, c.failed);
  } catch (error) {
    return [`propagateImpact threw: ${(error as Error).stack ?? String(error)}`];
  }
  return compare(c.full, c.failed, subgraph, result);
}

/** A problem without its keys, numbers and quotes: what kind of disagreement it is. */
function kindOf(problem: string): string {
  return problem
    .replace(/\[[^\]]*\]/g, '[..]')
    .replace(/"[^"]*"/g, '".."')
    .replace(/\{[^}]*\}/g, '{..}')
    .replace(/\b[cg]\d+\b/g, 'K')
    .replace(/\d+/g, 'N');
}

function describeCase(c: Case, problems: string[]): string {
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
  const groups = [...c.full.nodes].sort(byKey).filter((n) => n.minHealthy !== null);
  const edgeText = (e: ImpactEdge) => `${e.from}${e.strength === HARD ? '>' : '~'}${e.to}`;
  const edges = [...c.full.edges].sort((a, b) => edgeText(a).localeCompare(edgeText(b)));
  return [
    `seed ${c.seed} (replay: IMPACT_SEED=${c.seed} npx jest src/impact/impact-engine.property)`,
    `CIs: ${[...c.full.nodes].sort(byKey).map((n) => n.key).join(' ')}`,
    `groups (minHealthy/members): ${groups.map((g) => `${g.key} ${g.minHealthy}/${c.full.edges.filter((e) => e.from === g.key).length}`).join(', ') || 'none'}`,
    `edges (> HARD, ~ SOFT): ${edges.map(edgeText).join(' ')}`,
    `failed: ${c.failed.join(' ')}`,
    ...problems.map((p) => `  - ${p}`),
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Hand-written cases: the rules, spelled out.
// ---------------------------------------------------------------------------

/** `a>b` a HARD-needs b, `a~b` a SOFT-needs b; groups as key -> minHealthy. Members are a group's edges. */
function fullGraph(edges: string[], groups: Record<string, number> = {}): FullGraph {
  const parsed: ImpactEdge[] = edges.map((text) => {
    const [from, to] = text.split(/[>~]/);
    return { from, to, strength: text.includes('~') ? SOFT : HARD };
  });
  const keys = new Set([...parsed.flatMap((e) => [e.from, e.to]), ...Object.keys(groups)]);
  return { nodes: [...keys].map((key) => ({ key, minHealthy: groups[key] ?? null })), edges: parsed };
}

function impactOf(full: FullGraph, failed: string[]) {
  const subgraph = subgraphFor(full, failed);
  const result = propagateImpact(subgraph, failed);
  return {
    result,
    subgraph,
    states: Object.fromEntries(result.impacted.map((i) => [i.key, i.state])),
    /** The same check the property runs, so the rules below hold for the reference too. */
    problems: compare(full, failed, subgraph, result),
  };
}

describe('propagateImpact: the rules, by example', () => {
  it('a cycle with no failure in it stays healthy (absent from the answer)', () => {
    const g = fullGraph(['a>b', 'b>a', 'app>db']);
    const r = impactOf(g, ['db']);
    expect(r.states).toEqual({ db: 'DOWN', app: 'DOWN' });
    expect(r.subgraph.nodes.map((n) => n.key).sort()).toEqual(['app', 'db']);
    expect(r.result.chainOf('a')).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('a cycle reached by a failure terminates, and HARD on DEGRADED is DEGRADED', () => {
    const hard = impactOf(fullGraph(['a>b', 'b>c', 'c>a', 'a>db']), ['db']);
    expect(hard.states).toEqual({ db: 'DOWN', a: 'DOWN', c: 'DOWN', b: 'DOWN' });
    expect(hard.result.byKey.get('b')!.distance).toBe(3);
    expect(hard.problems).toEqual([]);

    const soft = impactOf(fullGraph(['a>b', 'b>c', 'c>a', 'a~db']), ['db']);
    expect(soft.states).toEqual({ db: 'DOWN', a: 'DEGRADED', c: 'DEGRADED', b: 'DEGRADED' });
    expect(soft.result.chainOf('b')).toEqual(['b', 'c', 'a', 'db']);
    expect(soft.problems).toEqual([]);
  });

  it('SOFT on DOWN is DEGRADED; HARD on DOWN is DOWN; HARD on DEGRADED is DEGRADED', () => {
    const r = impactOf(fullGraph(['report~db', 'svc>db', 'app>svc', 'bf>report']), ['db']);
    expect(r.states).toEqual({ db: 'DOWN', svc: 'DOWN', app: 'DOWN', report: 'DEGRADED', bf: 'DEGRADED' });
    expect(r.problems).toEqual([]);
  });

  it('a 2-of-3 group is DEGRADED with 1 member down, DOWN with 2, and says so', () => {
    const g = fullGraph(['rg>a', 'rg>b', 'rg>c', 'svc>rg'], { rg: 2 });
    const one = impactOf(g, ['a']);
    expect(one.states).toEqual({ a: 'DOWN', rg: 'DEGRADED', svc: 'DEGRADED' });
    expect(one.result.byKey.get('rg')!.reason).toMatch(/^1 of 3 members down/);
    expect(one.problems).toEqual([]);

    const two = impactOf(g, ['a', 'b']);
    expect(two.states).toEqual({ a: 'DOWN', b: 'DOWN', rg: 'DOWN', svc: 'DOWN' });
    expect(two.result.byKey.get('rg')!.reason).toMatch(/^2 of 3 members down/);
    expect(two.problems).toEqual([]);
  });

  it('a group with every member down counts every one of them', () => {
    const r = impactOf(fullGraph(['rg>a', 'rg>b', 'rg>c', 'svc>rg'], { rg: 2 }), ['a', 'b', 'c']);
    expect(r.states).toMatchObject({ rg: 'DOWN', svc: 'DOWN' });
    expect(r.result.byKey.get('rg')!.reason).toMatch(/^3 of 3 members down/);
    expect(r.problems).toEqual([]);
  });

  it('nested groups: a tier needs 2 of 3 zones, each zone 1 of 2 hosts', () => {
    const g = fullGraph(
      ['svc>tier', 'tier>za', 'tier>zb', 'tier>zc', 'za>h1', 'za>h2', 'zb>h3', 'zb>h4', 'zc>h5', 'zc>h6'],
      { tier: 2, za: 1, zb: 1, zc: 1 },
    );
    const oneHost = impactOf(g, ['h1']);
    expect(oneHost.states).toEqual({ h1: 'DOWN', za: 'DEGRADED', tier: 'DEGRADED', svc: 'DEGRADED' });
    const oneZone = impactOf(g, ['h1', 'h2']);
    expect(oneZone.states).toEqual({ h1: 'DOWN', h2: 'DOWN', za: 'DOWN', tier: 'DEGRADED', svc: 'DEGRADED' });
    const spread = impactOf(g, ['h1', 'h3', 'h5']);
    expect(spread.states).toMatchObject({ za: 'DEGRADED', zb: 'DEGRADED', zc: 'DEGRADED', tier: 'DEGRADED', svc: 'DEGRADED' });
    const twoZones = impactOf(g, ['h1', 'h2', 'h3']);
    expect(twoZones.states).toMatchObject({ za: 'DOWN', zb: 'DEGRADED', tier: 'DEGRADED' });
    for (const r of [oneHost, oneZone, spread, twoZones]) expect(r.problems).toEqual([]);
  });

  it('a group member that is only DEGRADED still counts as up', () => {
    const r = impactOf(fullGraph(['rg>a', 'rg>b', 'a~x', 'b>y'], { rg: 2 }), ['x']);
    expect(r.states).toEqual({ x: 'DOWN', a: 'DEGRADED', rg: 'DEGRADED' });
    expect(r.problems).toEqual([]);
  });

  it('a misconfigured group (fewer members than minHealthy) is DOWN once reached, and so are its HARD consumers', () => {
    // Reached through a DOWN member.
    const viaDown = impactOf(fullGraph(['rg>a', 'svc>rg'], { rg: 2 }), ['a']);
    expect(viaDown.states).toEqual({ a: 'DOWN', rg: 'DOWN', svc: 'DOWN' });
    expect(viaDown.result.misconfiguredGroups).toEqual(['rg']);
    expect(viaDown.problems).toEqual([]);
    // Reached only through a DEGRADED member: still DOWN, and DOWN flows on.
    const viaDegraded = impactOf(fullGraph(['rg>a', 'a~x', 'svc>rg'], { rg: 2 }), ['x']);
    expect(viaDegraded.states).toEqual({ x: 'DOWN', a: 'DEGRADED', rg: 'DOWN', svc: 'DOWN' });
    expect(viaDegraded.problems).toEqual([]);
    // Feeding back: x is DEGRADED by f, which takes down rg, which x HARD-needs, so x is DOWN.
    // No chain without a repeat explains that; any path to the failure will do.
    const feedback = impactOf(fullGraph(['x~f', 'x>rg', 'rg>x'], { rg: 2 }), ['f']);
    expect(feedback.states).toEqual({ f: 'DOWN', x: 'DOWN', rg: 'DOWN' });
    expect(feedback.result.chainOf('x')).toEqual(['x', 'f']);
    expect(feedback.problems).toEqual([]);
    // Not reached: healthy, and not reported.
    const untouched = impactOf(fullGraph(['rg>a', 'svc>rg', 'app>db'], { rg: 2 }), ['db']);
    expect(untouched.result.misconfiguredGroups).toEqual([]);
    expect(untouched.problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The property.
// ---------------------------------------------------------------------------

/** Whether a subgraph holds a directed cycle (depth-first search, three colours). */
function hasCycle(subgraph: ImpactSubgraph): boolean {
  const colour = new Map<string, 'grey' | 'black'>();
  const visit = (key: string): boolean => {
    colour.set(key, 'grey');
    for (const edge of subgraph.edges) {
      if (edge.from !== key) continue;
      const seen = colour.get(edge.to);
      if (seen === 'grey' || (seen === undefined && visit(edge.to))) return true;
    }
    colour.set(key, 'black');
    return false;
  };
  return subgraph.nodes.some((n) => !colour.has(n.key) && visit(n.key));
}

const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
};

describe('propagateImpact: property against the naive reference', () => {
  it('agrees on random graphs with groups, nesting, misconfiguration, HARD/SOFT edges, cycles and 1-3 failures', () => {
    const replay = envInt('IMPACT_SEED');
    const baseSeed = envInt('IMPACT_BASE_SEED') ?? 20261126;
    const runs = replay === undefined ? (envInt('IMPACT_RUNS') ?? 4000) : 1;
    const seeds = replay === undefined ? Array.from({ length: runs }, (_, i) => mix32(baseSeed + i)) : [replay >>> 0];

    const failing: { c: Case; problems: string[] }[] = [];
    let groupsReached = 0;
    let groupsWithTwoMembersDown = 0;
    let misconfiguredReached = 0;
    let cyclesReached = 0;
    for (const seed of seeds) {
      const c = randomCase(seed);
      const problems = runCase(c);
      if (problems.length > 0) failing.push({ c, problems });
      // Coverage bookkeeping, so a generator change cannot silently stop exercising a rule.
      const ref = referenceImpact(c.full, c.failed);
      for (const node of c.full.nodes) {
        if (node.minHealthy === null || (ref.level.get(node.key) ?? HEALTHY) === HEALTHY) continue;
        groupsReached++;
        const members = c.full.edges.filter((e) => e.from === node.key);
        if (members.filter((e) => ref.level.get(e.to) === DOWN).length >= 2) groupsWithTwoMembersDown++;
        if (members.length < node.minHealthy) misconfiguredReached++;
      }
      if (hasCycle(subgraphFor(c.full, c.failed))) cyclesReached++;
    }

    if (failing.length > 0) {
      const size = (f: { c: Case }) => f.c.full.nodes.length * 100 + f.c.full.edges.length;
      failing.sort((a, b) => size(a) - size(b));
      // One smallest example per kind of disagreement, so one bug does not hide another.
      const kinds = new Map<string, { count: number; example: { c: Case; problems: string[] } }>();
      for (const f of failing) {
        for (const kind of new Set(f.problems.map(kindOf))) {
          const known = kinds.get(kind);
          if (known) known.count++;
          else kinds.set(kind, { count: 1, example: f });
        }
      }
      const shown = [...kinds].map(([kind, { count, example }]) => `== ${kind} (${count} graphs); smallest:\n${describeCase(example.c, example.problems)}`);
      throw new Error(
        `${failing.length} of ${seeds.length} random graphs disagree with the reference (base seed ${baseSeed}):\n\n${shown.join('\n\n')}`,
      );
    }
    if (replay === undefined) {
      expect(seeds.length).toBeGreaterThanOrEqual(3000);
      expect(groupsReached).toBeGreaterThan(runs / 4);
      expect(groupsWithTwoMembersDown).toBeGreaterThan(runs / 50);
      expect(misconfiguredReached).toBeGreaterThan(runs / 100);
      expect(cyclesReached).toBeGreaterThan(runs / 20);
    }
  });
});

describe('reachableSubgraph: one fetch for several failures', () => {
  it('cuts out of a union subgraph exactly what a fetch for one failure returns, with the same answer', () => {
    const runs = envInt('IMPACT_RUNS') ?? 1500;
    let checked = 0;
    for (let i = 0; i < runs; i++) {
      const c = randomCase(mix32(7_000_000 + i));
      const rng = new Prng(mix32(9_000_000 + i));
      const others = rng.sample(c.full.nodes.map((n) => n.key), rng.int(1, 3));
      const union = subgraphFor(c.full, [...new Set([...c.failed, ...others])], rng);
      const indexed = reachableSubgraph(union, c.failed, Number.MAX_SAFE_INTEGER);
      const cut = plainImpactGraph(indexed);
      const own = subgraphFor(c.full, c.failed);
      expect(cut.nodes.map((n) => n.key).sort()).toEqual(own.nodes.map((n) => n.key).sort());
      expect(cut.edges.map((e) => `${e.from}>${e.to}:${e.strength}`).sort()).toEqual(own.edges.map((e) => `${e.from}>${e.to}:${e.strength}`).sort());
      const result = propagateImpact(indexed, c.failed);
      expect(compare(c.full, c.failed, cut, result)).toEqual([]);
      // Ids lead back to the part's keys, and through origin to the union's.
      const unionKeys = reachIndex(union).graph.keys;
      expect([...result.impactedIds].map((id) => indexed.keys[id])).toEqual(result.impacted.map((i) => i.key));
      expect([...result.impactedIds].map((id) => unionKeys[indexed.origin![id]])).toEqual(result.impacted.map((i) => i.key));
      checked++;
    }
    expect(checked).toBe(runs);
  });

  it('spreads over the whole union to a depth with the states and distances of the part cut out to it, and leaves its arrays as it found them', () => {
    const runs = envInt('IMPACT_RUNS') ?? 1500;
    let limited = 0;
    for (let i = 0; i < runs; i++) {
      const c = randomCase(mix32(11_000_000 + i));
      const rng = new Prng(mix32(13_000_000 + i));
      const others = rng.sample(c.full.nodes.map((n) => n.key), rng.int(1, 3));
      const index = reachIndex(subgraphFor(c.full, [...new Set([...c.failed, ...others])], rng));
      const arrays = spreadArrays(index.graph.keys.length);
      // Twice on the same arrays: the second spread sees them as the first left them.
      for (const depth of [rng.int(1, 4), Number.MAX_SAFE_INTEGER]) {
        const part = propagateImpact(reachableSubgraph(index.graph, c.failed, depth, index), c.failed);
        const count = spread(index.graph, [...new Set(c.failed.map((key) => index.idOf(key)))], depth, arrays);
        const spreadStates = [...arrays.reached.subarray(0, count)].map((id) => `${index.graph.keys[id]} ${arrays.down[id] ? 'DOWN' : 'DEGRADED'} ${arrays.distance[id]}`);
        expect(spreadStates.sort()).toEqual(part.impacted.map((ci) => `${ci.key} ${ci.state} ${ci.distance}`).sort());
        if (part.count < index.graph.keys.length) limited++;
        clearSpread(arrays, count);
        expect(arrays.distance.every((d) => d === -1) && arrays.down.every((d) => d === 0) && arrays.downMembers.every((d) => d === 0)).toBe(true);
      }
    }
    expect(limited).toBeGreaterThan(runs / 4);
  });

  it('stops at maxDepth hops from the failures', () => {
    const full = fullGraph(['b>a', 'c>b', 'd>c', 'x>z']);
    const union = subgraphFor(full, ['a', 'z']);
    const cut = plainImpactGraph(reachableSubgraph(union, ['a'], 2));
    expect(cut.nodes.map((n) => n.key).sort()).toEqual(['a', 'b', 'c']);
    expect(cut.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['b>a', 'c>b']);
  });
});
