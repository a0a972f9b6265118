import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { validateList } from '../common/validation/validate-input';
import { keyProblem } from '../common/validation/text-rules';
import { validateKeys } from '../common/validation/validate-keys';
import { BusinessCi } from '../topology/topology.types';
import { BUSINESS_KINDS, CIKind } from '../topology/topology.vocabulary';
import { ImpactWeights, Priority, businessScore, combinedScore, parseImpactWeights, priorityFor } from './business-impact';
import { IncidentInput } from './dto/incident.input';
import { ImpactResult, ImpactState, ReachIndex, SpreadArrays, allocateImpactGraph, clearSpread, propagateImpact, reachIndex, reachableSubgraph, spread, spreadArrays } from './impact-engine';
import { FetchedImpactGraph, FetchedMap, ImpactRepository } from './impact.repository';

export interface ScoredBusinessImpact {
  ci: BusinessCi;
  state: ImpactState;
  score: number;
  priority: Priority;
  distance: number;
  chain: string[];
  reason: string;
}

/**
 * A scored business impact whose explaining chain is found when read: a storm prices a hundred
 * incidents, some with thousands of business CIs impacted, and an answer shows few chains.
 */
class ScoredImpact implements ScoredBusinessImpact {
  private chainFound?: string[];

  constructor(
    readonly ci: BusinessCi,
    readonly state: ImpactState,
    readonly score: number,
    readonly priority: Priority,
    readonly distance: number,
    /** The propagation that explains it (built when first asked, for a priced failure). */
    private readonly explaining: () => ImpactResult,
  ) {}

  get reason(): string {
    const result = this.explaining();
    return result.entryAt(result.placeOf(this.ci.key)).reason;
  }

  get chain(): string[] {
    return (this.chainFound ??= this.explaining().chainOf(this.ci.key));
  }
}

/** What pricing a failure gives: its business impacts scored, and how many CIs of each kind it takes down or degrades. */
export interface PricedFailure {
  failedKeys: string[];
  businessImpacts: ScoredBusinessImpact[];
  score: number;
  priority: Priority;
  totals: { impacted: number; down: number; degraded: number; byKind: { kind: string; down: number; degraded: number }[] };
}

export interface BlastRadiusAnswer extends PricedFailure {
  maxDepth: number;
  depthLimited: boolean;
  result: ImpactResult;
  /** The kind of each entry of `result.impacted`, by its place there. */
  kindAt: (i: number) => string;
}

/**
 * The impacted CIs of a propagation, in whatever order: the id in the fetched graph of each of the
 * first `count` places, and 1 where DOWN and the distance, by place (or by id when `byId`).
 */
interface Tally {
  count: number;
  ids: Int32Array;
  down: Uint8Array;
  distance: Int32Array;
  byId: boolean;
}

export interface PrioritizedIncidentAnswer {
  id: string;
  title: string | null;
  rank: number;
  priority: Priority;
  score: number;
  technicalPriority: Priority | null;
  startedAt: Date | null;
  businessImpacts: ScoredBusinessImpact[];
  impactedCount: number;
  unknownKeys: string[];
  explanation: string;
}

const PRIORITY_ORDER: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4, P5: 5 };
const MAX_INCIDENTS = 500;
/** How long pricing many failures runs before it lets the event loop serve others. */
const YIELD_AFTER_MS = 50;

/**
 * A fetch for blast radii started ahead of the question (prefetchBlastRadii): a storm's pricing is
 * fetched while its incidents are still being ranked. Covers failures among `keys` at `maxDepth`.
 */
export interface PrefetchedImpact {
  keys: ReadonlySet<string>;
  maxDepth: number;
  graph: Promise<FetchedImpactGraph>;
}

/**
 * Blast radius, dependency maps and incident prioritization. Neo4j hands
 * over the impacted subgraph; the impact engine and the scoring formulas,
 * plain functions, decide states and scores.
 */
@Injectable()
export class ImpactService {
  private readonly weights: ImpactWeights;

  constructor(
    private readonly repository: ImpactRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.weights = parseImpactWeights(config.impact.weightsJson);
  }

  async blastRadius(keysInput: unknown, maxDepthInput?: number | null): Promise<BlastRadiusAnswer> {
    const keys = [...new Set(validateKeys(keysInput, 'keys', this.config.limits.maxBatchSize))];
    const problems: FieldProblem[] = [];
    if (!keys.length) problems.push({ path: 'keys', message: 'must name at least one CI key' });
    const maxDepth = this.checkDepth(maxDepthInput, problems);
    if (problems.length) throw DomainError.badInput(problems);
    const answer = await this.compute(keys, maxDepth);
    if (answer.unknown.length) {
      throw DomainError.notFound(`No CI has the key${answer.unknown.length > 1 ? 's' : ''} ${answer.unknown.join(', ')}`, {
        field: 'keys',
        missingKeys: answer.unknown,
      });
    }
    return answer.answer;
  }

  async upstream(key: unknown, maxDepthInput?: number | null): Promise<FetchedMap> {
    const problems: FieldProblem[] = [];
    checkKey(key, problems);
    const maxDepth = this.checkDepth(maxDepthInput, problems);
    if (problems.length) throw DomainError.badInput(problems);
    return this.map(key as string, maxDepth);
  }

  async serviceMap(key: unknown): Promise<FetchedMap> {
    const problems: FieldProblem[] = [];
    checkKey(key, problems);
    if (problems.length) throw DomainError.badInput(problems);
    return this.map(key as string, this.config.impact.maxDepth);
  }

  async prioritizeIncidents(input: unknown): Promise<PrioritizedIncidentAnswer[]> {
    const incidents = validateList(IncidentInput, input, 'incidents', MAX_INCIDENTS);
    // One walk for all incidents (each one's part cut out of it), not a fetch per incident.
    const keysOf = incidents.map((incident) => [...new Set(incident.keys)]);
    const { answers: blasts, missing } = await this.blastRadiiWithMissing(keysOf);
    const answers = incidents.map((incident, i) => ({ incident, answer: blasts[i], unknown: keysOf[i].filter((k) => missing.has(k)) }));
    const scored = answers.map(({ incident, answer, unknown }) => ({
      id: incident.id,
      title: incident.title ?? null,
      rank: 0,
      priority: answer.priority,
      score: answer.score,
      technicalPriority: (incident.technicalPriority as Priority | undefined) ?? null,
      startedAt: incident.startedAt ? new Date(incident.startedAt) : null,
      businessImpacts: answer.businessImpacts,
      impactedCount: answer.totals.impacted,
      unknownKeys: unknown,
      explanation: explain(answer, unknown, incident.technicalPriority as Priority | undefined),
    }));
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        (PRIORITY_ORDER[a.technicalPriority ?? 'P5'] ?? 6) - (PRIORITY_ORDER[b.technicalPriority ?? 'P5'] ?? 6) ||
        (a.startedAt?.getTime() ?? Infinity) - (b.startedAt?.getTime() ?? Infinity) ||
        a.id.localeCompare(b.id),
    );
    scored.forEach((s, i) => (s.rank = i + 1));
    return scored;
  }

  private checkDepth(value: number | null | undefined, problems: FieldProblem[]): number {
    const depth = value ?? this.config.impact.defaultMaxDepth;
    if (!Number.isInteger(depth) || depth < 1 || depth > this.config.impact.maxDepth) {
      problems.push({ path: 'maxDepth', message: `must be from 1 to ${this.config.impact.maxDepth}` });
    }
    return depth;
  }

  private async map(key: string, maxDepth: number): Promise<FetchedMap> {
    const map = await this.repository.dependencySubgraph(key, maxDepth, this.config.impact.maxMapNodes);
    if (!map) throw DomainError.notFound(`No CI has the key ${key}`, { field: 'key', missingKeys: [key] });
    return map;
  }

  private async compute(keys: string[], maxDepth: number): Promise<{ answer: BlastRadiusAnswer; unknown: string[] }> {
    const graph = await this.repository.impactedSubgraph(keys, maxDepth);
    const failedKeys = keys.filter((k) => !graph.missing.includes(k));
    const result = propagateImpact(graph, failedKeys);
    return { unknown: graph.missing, answer: this.answer(failedKeys, maxDepth, result, graph) };
  }

  /**
   * The blast radius of each of several independent failures (each a list of
   * existing keys), from one fetch of everything any of them reaches: a storm
   * of incidents costs one walk, not one per incident. Failures whose keys a
   * `prefetched` fetch covers are answered from it; only the rest are fetched.
   */
  async blastRadii(failures: readonly string[][], maxDepth = this.config.impact.defaultMaxDepth, prefetched?: PrefetchedImpact): Promise<PricedFailure[]> {
    const covered = (keys: readonly string[]) => prefetched !== undefined && prefetched.maxDepth === maxDepth && keys.length > 0 && keys.every((k) => prefetched.keys.has(k));
    const early = failures.filter(covered);
    const late = failures.filter((keys) => !covered(keys));
    const answers = new Map<readonly string[], PricedFailure>();
    if (early.length) {
      const graph = await prefetched!.graph;
      (await this.answersFrom(graph, early, maxDepth)).forEach((answer, i) => answers.set(early[i], answer));
    }
    if (late.length) {
      (await this.blastRadiiWithMissing(late, maxDepth)).answers.forEach((answer, i) => answers.set(late[i], answer));
    }
    return failures.map((keys) => answers.get(keys)!);
  }

  /**
   * Starts the fetch that blastRadii needs for failures among `keys`, to be passed to it later:
   * the walk runs in Neo4j while the caller does other work (a storm's incidents are ranked on the
   * root-cause worker meanwhile). A failed fetch surfaces when blastRadii awaits it.
   */
  prefetchBlastRadii(keys: readonly string[], maxDepth = this.config.impact.defaultMaxDepth): PrefetchedImpact {
    const unique = [...new Set(keys)];
    const graph = unique.length ? this.repository.impactedSubgraph(unique, maxDepth) : Promise.resolve({ ...allocateImpactGraph(0, 0), kinds: [], records: new Map(), missing: [] });
    graph.catch(() => undefined);
    return { keys: new Set(unique), maxDepth, graph };
  }

  private async blastRadiiWithMissing(failures: readonly string[][], maxDepth = this.config.impact.defaultMaxDepth): Promise<{ answers: PricedFailure[]; missing: Set<string> }> {
    const all = [...new Set(failures.flat())];
    if (!all.length) {
      const none = { keys: [], kinds: [], records: new Map<string, BusinessCi>() };
      return { answers: failures.map(() => this.answer([], maxDepth, propagateImpact({ nodes: [], edges: [] }, []), none)), missing: new Set() };
    }
    const graph = await this.repository.impactedSubgraph(all, maxDepth);
    return { answers: await this.answersFrom(graph, failures, maxDepth), missing: new Set(graph.missing) };
  }

  /**
   * Each failure priced from one fetched graph that holds what all of them reach: spread over that
   * graph as is (to `maxDepth`, in working arrays its index keeps), tallied and scored, with
   * nothing cut out, copied or sorted; the same states and distances as a propagation over the
   * failure's own part. That propagation is made only when a reason or a chain is read. A storm
   * prices a hundred incidents, 600,000 impacted CIs in all, and cutting out, sorting and building
   * a part for each was most of that.
   */
  private async answersFrom(graph: FetchedImpactGraph, failures: readonly string[][], maxDepth: number): Promise<PricedFailure[]> {
    const missing = new Set(graph.missing);
    const index = reachIndex(graph);
    const arrays = spreadArrays(graph.keys.length);
    const answers: PricedFailure[] = [];
    let running = performance.now();
    // Incidents naming the same failed CIs (two groups of a storm under one cause) share an answer.
    const computed = new Map<string, PricedFailure>();
    for (const keys of failures) {
      // A storm's hundred incidents can take the engine seconds in all: other requests get in between.
      if (performance.now() - running > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        running = performance.now();
      }
      const failedKeys = keys.filter((k) => !missing.has(k));
      const id = failedKeys.join('\n');
      let answer = computed.get(id);
      if (!answer) {
        answer = this.price(failedKeys, maxDepth, graph, index, arrays);
        computed.set(id, answer);
      }
      answers.push(answer);
    }
    return answers;
  }

  private price(failedKeys: string[], maxDepth: number, graph: FetchedImpactGraph, index: ReachIndex, arrays: SpreadArrays): PricedFailure {
    const failed = [...new Set(failedKeys.map((key) => index.idOf(key)).filter((id) => id >= 0))];
    const count = spread(graph, failed, maxDepth, arrays);
    let result: ImpactResult | undefined;
    const explaining = () => (result ??= propagateImpact(reachableSubgraph(graph, failedKeys, maxDepth, index), failedKeys));
    // The spread's arrays are read by id in place, then put back.
    const { depthLimited, ...priced } = this.score(failedKeys, maxDepth, { count, ids: arrays.reached, down: arrays.down, distance: arrays.distance, byId: true }, graph, explaining);
    clearSpread(arrays, count);
    return priced;
  }

  /** Scores and totals of one propagation over the fetched graph itself. */
  private answer(failedKeys: string[], maxDepth: number, result: ImpactResult, fetched: AnswerSource): BlastRadiusAnswer {
    const ids = result.impactedIds;
    const scored = this.score(failedKeys, maxDepth, { count: result.count, ids, down: result.downAt, distance: result.distanceAt, byId: false }, fetched, () => result);
    return { ...scored, maxDepth, result, kindAt: (i: number) => fetched.kinds[ids[i]] };
  }

  /**
   * Business impacts, score, priority and totals of a tally, and whether it reached the depth
   * limit: one pass over its places, no entry built per impacted CI.
   */
  private score(failedKeys: string[], maxDepth: number, tally: Tally, fetched: AnswerSource, explaining: () => ImpactResult): PricedFailure & { depthLimited: boolean } {
    const { count, ids, down, distance, byId } = tally;
    const kinds = kindCodesOf(fetched);
    const downOf = new Int32Array(kinds.names.length);
    const degradedOf = new Int32Array(kinds.names.length);
    const business = businessOf(fetched, kinds);
    const businessImpacts: ScoredImpact[] = [];
    const keyRanks: number[] = [];
    let depthLimited = false;
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      const at = byId ? id : i;
      const code = kinds.code[id] ?? kinds.unknown;
      if (down[at]) downOf[code]++;
      else degradedOf[code]++;
      if (distance[at] >= maxDepth) depthLimited = true;
      const ci = kinds.business[code] ? business.records[id] : undefined;
      if (!ci) continue;
      const state = down[at] ? 'DOWN' : 'DEGRADED';
      const score = businessScore(ci, state, this.weights);
      businessImpacts.push(new ScoredImpact(ci, state, score, priorityFor(score, this.weights), distance[at], explaining));
      keyRanks.push(business.ranks[id]);
    }
    const sorted = byScoreThenKey(businessImpacts, keyRanks, business.count);
    const score = combinedScore(sorted.map((b) => b.score), this.weights);
    return {
      failedKeys,
      depthLimited,
      businessImpacts: sorted,
      score,
      priority: priorityFor(score, this.weights),
      totals: totalsOf(count, downOf, degradedOf, kinds.names),
    };
  }
}

/** The one key of upstream and serviceMap, named `key` in the problem (not as an item of a list). */
function checkKey(key: unknown, problems: FieldProblem[]): void {
  const problem = keyProblem(key);
  if (problem) problems.push({ path: 'key', message: problem });
}

/** What answer() reads of a fetched impact graph. */
type AnswerSource = Pick<FetchedImpactGraph, 'keys' | 'kinds' | 'records'>;

/** Counts by kind, from the counts DOWN and DEGRADED per kind code (codes into `names`). */
function totalsOf(count: number, downOf: Int32Array, degradedOf: Int32Array, names: readonly (string | undefined)[]): PricedFailure['totals'] {
  const down = downOf.reduce((sum, n) => sum + n, 0);
  const byKind = new Map<string, { kind: string; down: number; degraded: number }>();
  names.forEach((name, code) => {
    if (!downOf[code] && !degradedOf[code]) return;
    const kind = name ?? CIKind.OTHER;
    const entry = byKind.get(kind) ?? { kind, down: 0, degraded: 0 };
    entry.down += downOf[code];
    entry.degraded += degradedOf[code];
    byKind.set(kind, entry);
  });
  const kinds = [...byKind.values()].sort((a, b) => b.down + b.degraded - (a.down + a.degraded) || a.kind.localeCompare(b.kind));
  return { impacted: count, down, degraded: count - down, byKind: kinds };
}

/** A fetched graph's kinds as small codes, with the names they stand for and which are business kinds. */
interface KindCodes {
  code: Int32Array;
  names: (string | undefined)[];
  business: Uint8Array;
  /** The code of a CI whose kind the graph does not hold. */
  unknown: number;
}

const kindCodes = new WeakMap<AnswerSource, KindCodes>();

/** String.prototype.localeCompare's order (the same collator, by definition), made once. */
const localeOrder = new Intl.Collator();

/** A fetched graph's business CIs by id: their records, and their places in localeCompare's order of keys. */
interface BusinessCis {
  records: (BusinessCi | undefined)[];
  /** -1 for other CIs; keys the collator holds equal share a place. */
  ranks: Int32Array;
  count: number;
}

const businessCis = new WeakMap<AnswerSource, BusinessCis>();

/**
 * The business CIs of a fetched graph, once per graph: a storm's incidents list tens of thousands
 * of business impacts in all, and finding each record by key, then sorting them with localeCompare,
 * was a sixth of pricing.
 */
function businessOf(fetched: AnswerSource, kinds: KindCodes): BusinessCis {
  let found = businessCis.get(fetched);
  if (!found) {
    const n = fetched.keys.length;
    const records: (BusinessCi | undefined)[] = new Array(n).fill(undefined);
    const ranks = new Int32Array(n).fill(-1);
    const ids: number[] = [];
    for (let id = 0; id < n; id++) {
      if (!kinds.business[kinds.code[id] ?? kinds.unknown]) continue;
      records[id] = fetched.records.get(fetched.keys[id]);
      ids.push(id);
    }
    ids.sort((a, b) => localeOrder.compare(fetched.keys[a], fetched.keys[b]));
    // Keys the collator holds equal share a place, so they keep the order they were found in, as before.
    ids.forEach((id, at) => (ranks[id] = at > 0 && localeOrder.compare(fetched.keys[ids[at - 1]], fetched.keys[id]) === 0 ? ranks[ids[at - 1]] : at));
    found = { records, ranks, count: ids.length };
    businessCis.set(fetched, found);
  }
  return found;
}

/**
 * Business impacts highest score first, equal scores by key (`keyRanks`, places below `count`),
 * and in the order given where both are equal: as one sort of numbers, no comparison called back
 * per pair (a wide blast radius lists thousands of business impacts). Scores are tenths
 * (businessScore rounds them so), which makes them small integers here.
 */
function byScoreThenKey(impacts: readonly ScoredImpact[], keyRanks: readonly number[], count: number): ScoredImpact[] {
  const m = impacts.length;
  const tenths = new Int32Array(m);
  let highest = 0;
  let whole = true;
  for (let k = 0; k < m; k++) {
    tenths[k] = Math.round(impacts[k].score * 10);
    whole &&= tenths[k] / 10 === impacts[k].score && tenths[k] >= 0;
    highest = Math.max(highest, tenths[k]);
  }
  if (!whole || (highest + 1) * (count + 1) * m >= Number.MAX_SAFE_INTEGER) {
    return impacts.map((_, k) => k).sort((x, y) => impacts[y].score - impacts[x].score || keyRanks[x] - keyRanks[y] || x - y).map((k) => impacts[k]);
  }
  const packed = new Float64Array(m);
  for (let k = 0; k < m; k++) packed[k] = ((highest - tenths[k]) * (count + 1) + keyRanks[k]) * m + k;
  packed.sort();
  return Array.from(packed, (value) => impacts[value % m]);
}

/**
 * The kinds of a fetched graph as codes, once per graph: a storm prices a hundred incidents on one
 * graph, 600,000 places in all, and looking each kind up by name took a tenth of that.
 */
function kindCodesOf(fetched: AnswerSource): KindCodes {
  let codes = kindCodes.get(fetched);
  if (!codes) {
    const byName = new Map<string | undefined, number>();
    // A plain loop: Int32Array.from with a callback goes through the iterator protocol per CI.
    const code = new Int32Array(fetched.kinds.length);
    let last: string | undefined;
    let lastCode = -1;
    for (let id = 0; id < code.length; id++) {
      const kind: string | undefined = fetched.kinds[id];
      // Neighbours in key order are often of one kind: one Map lookup per run of them.
      if (lastCode < 0 || kind !== last) {
        let at = byName.get(kind);
        if (at === undefined) byName.set(kind, (at = byName.size));
        last = kind;
        lastCode = at;
      }
      code[id] = lastCode;
    }
    if (!byName.has(undefined)) byName.set(undefined, byName.size);
    const names = [...byName.keys()];
    codes = { code, names, business: Uint8Array.from(names, (name) => (name !== undefined && BUSINESS_KINDS.has(name as CIKind) ? 1 : 0)), unknown: byName.get(undefined)! };
    kindCodes.set(fetched, codes);
  }
  return codes;
}

/** One sentence: what failed, which business it takes with it, the score and priority. */
export function explain(answer: PricedFailure, unknown: string[], technical?: Priority): string {
  const failed = answer.failedKeys.length ? answer.failedKeys.join(', ') : 'no known CI';
  const unknownPart = unknown.length ? ` (unknown to the map: ${unknown.join(', ')})` : '';
  const technicalPart = technical ? `, reported ${technical}` : '';
  if (!answer.businessImpacts.length) {
    const others = Math.max(0, answer.totals.impacted - answer.failedKeys.length);
    return `${failed}${unknownPart} failing impacts ${others} other CI${others === 1 ? '' : 's'} but no business function or service; score ${answer.score} -> ${answer.priority}${technicalPart}.`;
  }
  const shown = answer.businessImpacts.slice(0, 3).map((b) => `${b.ci.name} (${b.ci.criticality ?? 'no tier'}) ${b.state}`);
  const more = answer.businessImpacts.length > 3 ? ` and ${answer.businessImpacts.length - 3} more` : '';
  return `${failed}${unknownPart} failing takes ${shown.join(', ')}${more}; business impact ${answer.score} -> ${answer.priority}${technicalPart}.`;
}
