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

/**
 * Reads weight overrides from SVCMAP_IMPACT_WEIGHTS (a JSON object with any of
 * the fields above); anything malformed stops start-up with the field named.
 */
export function parseImpactWeights(json: string | undefined): ImpactWeights {
  if (!json) return DEFAULT_IMPACT_WEIGHTS;
  let given: Record<string, unknown>;
  try {
    given = JSON.parse(json);
  } catch (error) {
    throw new Error(`SVCMAP_IMPACT_WEIGHTS: must be JSON (${(error as Error).message})`);
  }
  const merged = {
    ...DEFAULT_IMPACT_WEIGHTS,
    ...given,
    stateFactor: { ...DEFAULT_IMPACT_WEIGHTS.stateFactor, ...(given.stateFactor as object) },
    tierPoints: { ...DEFAULT_IMPACT_WEIGHTS.tierPoints, ...(given.tierPoints as object) },
  } as ImpactWeights;
  const numbers: [string, unknown][] = [
    ...Object.entries(merged.stateFactor).map(([k, v]) => [`stateFactor.${k}`, v] as [string, unknown]),
    ...Object.entries(merged.tierPoints).map(([k, v]) => [`tierPoints.${k}`, v] as [string, unknown]),
    ['revenuePoints', merged.revenuePoints],
    ['revenueDecades', merged.revenueDecades],
    ['userPoints', merged.userPoints],
    ['userDecades', merged.userDecades],
    ['spillover', merged.spillover],
  ];
  for (const [name, value] of numbers) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`SVCMAP_IMPACT_WEIGHTS.${name}: must be a number >= 0`);
  }
  if (merged.revenueDecades === 0 || merged.userDecades === 0) throw new Error('SVCMAP_IMPACT_WEIGHTS: revenueDecades and userDecades must be > 0');
  const t = merged.thresholds;
  if (!Array.isArray(t) || t.length !== 4 || t.some((x) => typeof x !== 'number') || !(t[0] >= t[1] && t[1] >= t[2] && t[2] >= t[3])) {
    throw new Error('SVCMAP_IMPACT_WEIGHTS.thresholds: must be four descending numbers (lowest score for P1, P2, P3, P4)');
  }
  return merged;
}
