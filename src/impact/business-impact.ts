import { ImpactState } from './impact-engine';

/**
 * The business impact score and the priority derived from it: documented
 * formulas (docs/impact.md) with weights an operator can change, never a
 * black box.
 *
 *   score(CI) = stateFactor[state] x ( tierPoints[criticality]
 *                                      + revenuePoints x min(1, log10(1 + revenuePerHour) / revenueDecades)
 *                                      + userPoints    x min(1, log10(1 + usersAffected)  / userDecades) )
 *
 * With the default weights the score runs from 0 to 100. An incident's score
 * is its worst business score plus `spillover` x the sum of the others,
 * capped at 100, and maps to P1..P5 by the thresholds.
 */
export interface ImpactWeights {
  stateFactor: Record<ImpactState, number>;
  tierPoints: Record<'TIER_1' | 'TIER_2' | 'TIER_3' | 'TIER_4' | 'NONE', number>;
  revenuePoints: number;
  revenueDecades: number;
  userPoints: number;
  userDecades: number;
  spillover: number;
  /** Lowest score for P1, P2, P3, P4; anything lower is P5. */
  thresholds: [number, number, number, number];
}

export const DEFAULT_IMPACT_WEIGHTS: ImpactWeights = {
  stateFactor: { DOWN: 1, DEGRADED: 0.4 },
  tierPoints: { TIER_1: 50, TIER_2: 35, TIER_3: 20, TIER_4: 5, NONE: 10 },
  revenuePoints: 30,
  revenueDecades: 6,
  userPoints: 20,
  userDecades: 6,
  spillover: 0.1,
  thresholds: [70, 45, 25, 10],
};

export type Priority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

export interface BusinessFacts {
  criticality: string | null;
  revenuePerHour: number | null;
  usersAffected: number | null;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function businessScore(facts: BusinessFacts, state: ImpactState, w: ImpactWeights = DEFAULT_IMPACT_WEIGHTS): number {
  const tier = w.tierPoints[(facts.criticality ?? 'NONE') as keyof ImpactWeights['tierPoints']] ?? w.tierPoints.NONE;
  const revenue = w.revenuePoints * Math.min(1, Math.log10(1 + Math.max(0, facts.revenuePerHour ?? 0)) / w.revenueDecades);
  const users = w.userPoints * Math.min(1, Math.log10(1 + Math.max(0, facts.usersAffected ?? 0)) / w.userDecades);
  return round(w.stateFactor[state] * (tier + revenue + users));
}

/** Worst score plus a share of the rest: two hurt functions weigh more than one, but never outrank a worse single one by much. */
export function combinedScore(scores: readonly number[], w: ImpactWeights = DEFAULT_IMPACT_WEIGHTS): number {
  if (!scores.length) return 0;
  const sorted = [...scores].sort((a, b) => b - a);
  const rest = sorted.slice(1).reduce((sum, s) => sum + s, 0);
  return round(Math.min(100, sorted[0] + w.spillover * rest));
}

export function priorityFor(score: number, w: ImpactWeights = DEFAULT_IMPACT_WEIGHTS): Priority {
  const [p1, p2, p3, p4] = w.thresholds;
  if (score >= p1) return 'P1';
  if (score >= p2) return 'P2';
  if (score >= p3) return 'P3';
  if (score >= p4) return 'P4';
  return 'P5';
}

const SETTING = 'SVCMAP_IMPACT_WEIGHTS';
const NUMBER_FIELDS = ['revenuePoints', 'revenueDecades', 'userPoints', 'userDecades', 'spillover'] as const;
const TABLE_FIELDS = ['stateFactor', 'tierPoints'] as const;
const ALL_FIELDS: readonly string[] = [...TABLE_FIELDS, ...NUMBER_FIELDS, 'thresholds'];

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A value as an error message shows it: its type, or itself when short. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)}`;
  return String(value);
}
const weightProblem = (value: unknown): string | null =>
  typeof value !== 'number' ? `must be a number, got ${shown(value)}` : !Number.isFinite(value) ? 'must be a finite number' : value < 0 ? `must be >= 0, got ${value}` : null;

/**
 * Reads weight overrides from SVCMAP_IMPACT_WEIGHTS: a JSON object with any of
 * the fields above, the two tables with any of their entries. Anything else
 * (an unknown or misspelt field at any level, a value that is not a finite
 * number >= 0, thresholds out of order) stops start-up with every bad field
 * named by its path; nothing of a rejected value is used.
 */
export function parseImpactWeights(json: string | undefined): ImpactWeights {
  if (!json) return DEFAULT_IMPACT_WEIGHTS;
  let given: unknown;
  try {
    given = JSON.parse(json);
  } catch (error) {
    throw new Error(`${SETTING}: must be JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(given)) throw new Error(`${SETTING}: must be a JSON object of weight overrides, got ${shown(given)}`);

  const problems: string[] = [];
  const problem = (path: string, message: string) => problems.push(`${SETTING}.${path}: ${message}`);
  const unknownFields = (object: Record<string, unknown>, known: readonly string[], at: string) => {
    for (const field of Object.keys(object)) {
      if (!known.includes(field)) problem(`${at}${field}`, `unknown field (known: ${known.join(', ')})`);
    }
  };
  unknownFields(given, ALL_FIELDS, '');

  const weights: ImpactWeights = {
    ...DEFAULT_IMPACT_WEIGHTS,
    stateFactor: { ...DEFAULT_IMPACT_WEIGHTS.stateFactor },
    tierPoints: { ...DEFAULT_IMPACT_WEIGHTS.tierPoints },
  };
  for (const table of TABLE_FIELDS) {
    if (!Object.hasOwn(given, table)) continue;
    const entries = given[table];
    if (!isPlainObject(entries)) {
      problem(table, `must be an object, got ${shown(entries)}`);
      continue;
    }
    const target = weights[table] as Record<string, number>;
    unknownFields(entries, Object.keys(target), `${table}.`);
    for (const [entry, value] of Object.entries(entries)) {
      if (!Object.hasOwn(target, entry)) continue;
      const bad = weightProblem(value);
      if (bad) problem(`${table}.${entry}`, bad);
      else target[entry] = value as number;
    }
  }
  for (const field of NUMBER_FIELDS) {
    if (!Object.hasOwn(given, field)) continue;
    const value = given[field];
    const bad = weightProblem(value) ?? ((field === 'revenueDecades' || field === 'userDecades') && value === 0 ? 'must be > 0 (it divides)' : null);
    if (bad) problem(field, bad);
    else weights[field] = value as number;
  }
  if (Object.hasOwn(given, 'thresholds')) {
    const t = given.thresholds;
    if (!Array.isArray(t) || t.length !== 4) {
      problem('thresholds', `must be a list of four numbers (lowest score for P1, P2, P3, P4), got ${Array.isArray(t) ? `${t.length} items` : shown(t)}`);
    } else {
      const bad = t.map((x, i) => [i, weightProblem(x)] as const).filter(([, m]) => m);
      bad.forEach(([i, message]) => problem(`thresholds[${i}]`, message!));
      if (!bad.length) {
        const order = t.findIndex((x, i) => i > 0 && x > t[i - 1]);
        if (order > 0) problem('thresholds', `must be descending, each at most the one before (lowest score for P1, P2, P3, P4): ${t[order]} for P${order + 1} is above ${t[order - 1]} for P${order}`);
        else weights.thresholds = [t[0], t[1], t[2], t[3]];
      }
    }
  }
  if (problems.length) throw new Error(problems.join('; '));
  return weights;
}
