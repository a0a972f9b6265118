import { DEFAULT_IMPACT_WEIGHTS, businessScore, combinedScore, parseImpactWeights, priorityFor } from './business-impact';

describe('business impact score', () => {
  const payments = { criticality: 'TIER_1', revenuePerHour: 180_000, usersAffected: 250_000 };
  const execSupport = { criticality: 'TIER_4', revenuePerHour: 300, usersAffected: 15 };

  it('follows the documented formula', () => {
    // 1 x (50 + 30 x log10(180001)/6 + 20 x log10(250001)/6) = 50 + 26.28 + 18.0
    expect(businessScore(payments, 'DOWN')).toBeCloseTo(94.3, 1);
    expect(businessScore(payments, 'DEGRADED')).toBeCloseTo(37.7, 1);
    expect(businessScore(execSupport, 'DOWN')).toBeCloseTo(21.4, 1);
    expect(businessScore({ criticality: null, revenuePerHour: null, usersAffected: null }, 'DOWN')).toBe(10);
  });

  it('ranks payments down above executive support down, P1 against P4', () => {
    expect(priorityFor(businessScore(payments, 'DOWN'))).toBe('P1');
    expect(priorityFor(businessScore(execSupport, 'DOWN'))).toBe('P4');
  });

  it('caps revenue and users at their decades and the combined score at 100', () => {
    expect(businessScore({ criticality: 'TIER_1', revenuePerHour: 1e12, usersAffected: 1e12 }, 'DOWN')).toBe(100);
    expect(combinedScore([90, 80, 70])).toBe(100);
    expect(combinedScore([40, 20, 10])).toBe(43);
    expect(combinedScore([])).toBe(0);
  });

  it('maps scores to priorities at the thresholds', () => {
    expect([70, 69.9, 45, 25, 10, 9.9].map((s) => priorityFor(s))).toEqual(['P1', 'P2', 'P2', 'P3', 'P4', 'P5']);
  });

  it('takes partial weight overrides and names a bad one', () => {
    const w = parseImpactWeights('{"tierPoints":{"TIER_4":40},"thresholds":[80,60,40,20]}');
    expect(w.tierPoints).toEqual({ ...DEFAULT_IMPACT_WEIGHTS.tierPoints, TIER_4: 40 });
    expect(priorityFor(75, w)).toBe('P2');
    expect(() => parseImpactWeights('{"revenuePoints":-1}')).toThrow('SVCMAP_IMPACT_WEIGHTS.revenuePoints: must be a number >= 0');
    expect(() => parseImpactWeights('{"thresholds":[1,2,3,4]}')).toThrow(/descending/);
    expect(() => parseImpactWeights('nope')).toThrow(/must be JSON/);
  });
});
