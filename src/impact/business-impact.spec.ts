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
    expect(() => parseImpactWeights('{"revenuePoints":-1}')).toThrow('SVCMAP_IMPACT_WEIGHTS.revenuePoints: must be >= 0, got -1');
    expect(() => parseImpactWeights('nope')).toThrow(/must be JSON/);
  });

  it('uses the defaults when nothing is set', () => {
    expect(parseImpactWeights(undefined)).toEqual(DEFAULT_IMPACT_WEIGHTS);
    expect(parseImpactWeights('')).toEqual(DEFAULT_IMPACT_WEIGHTS);
    expect(parseImpactWeights('{}')).toEqual(DEFAULT_IMPACT_WEIGHTS);
  });

  describe('refuses a malformed SVCMAP_IMPACT_WEIGHTS, naming the field', () => {
    const refused = (json: string) => {
      try {
        parseImpactWeights(json);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`accepted ${json}`);
    };

    it('a misspelt top-level field, with the fields it could have meant', () => {
      expect(refused('{"treshholds":[80,60,40,20]}')).toBe(
        'SVCMAP_IMPACT_WEIGHTS.treshholds: unknown field (known: stateFactor, tierPoints, revenuePoints, revenueDecades, userPoints, userDecades, spillover, thresholds)',
      );
      expect(refused('{"statefactor":{"DOWN":1}}')).toMatch(/^SVCMAP_IMPACT_WEIGHTS\.statefactor: unknown field/);
      // A field named like an Object.prototype member is as unknown as any other.
      expect(refused('{"constructor":1}')).toMatch(/^SVCMAP_IMPACT_WEIGHTS\.constructor: unknown field/);
    });

    it('a misspelt entry of a table, with its path', () => {
      expect(refused('{"tierPoints":{"TIER1":99}}')).toBe('SVCMAP_IMPACT_WEIGHTS.tierPoints.TIER1: unknown field (known: TIER_1, TIER_2, TIER_3, TIER_4, NONE)');
      expect(refused('{"stateFactor":{"DOWN":1,"HEALTHY":0}}')).toBe('SVCMAP_IMPACT_WEIGHTS.stateFactor.HEALTHY: unknown field (known: DOWN, DEGRADED)');
      expect(refused('{"tierPoints":{"toString":1}}')).toMatch(/^SVCMAP_IMPACT_WEIGHTS\.tierPoints\.toString: unknown field/);
    });

    it('a table given as something other than an object', () => {
      expect(refused('{"stateFactor":5}')).toBe('SVCMAP_IMPACT_WEIGHTS.stateFactor: must be an object, got 5');
      expect(refused('{"tierPoints":null}')).toBe('SVCMAP_IMPACT_WEIGHTS.tierPoints: must be an object, got null');
      expect(refused('{"tierPoints":[50,35]}')).toBe('SVCMAP_IMPACT_WEIGHTS.tierPoints: must be an object, got a list');
    });

    it('null, a list or a scalar instead of an object', () => {
      expect(refused('null')).toBe('SVCMAP_IMPACT_WEIGHTS: must be a JSON object of weight overrides, got null');
      expect(refused('[70,45,25,10]')).toBe('SVCMAP_IMPACT_WEIGHTS: must be a JSON object of weight overrides, got a list');
      expect(refused('42')).toBe('SVCMAP_IMPACT_WEIGHTS: must be a JSON object of weight overrides, got 42');
      expect(refused('"weights"')).toBe('SVCMAP_IMPACT_WEIGHTS: must be a JSON object of weight overrides, got the string "weights"');
    });

    it('a weight that is negative, not a number or not finite', () => {
      expect(refused('{"tierPoints":{"TIER_1":-5}}')).toBe('SVCMAP_IMPACT_WEIGHTS.tierPoints.TIER_1: must be >= 0, got -5');
      expect(refused('{"stateFactor":{"DEGRADED":"0.4"}}')).toBe('SVCMAP_IMPACT_WEIGHTS.stateFactor.DEGRADED: must be a number, got the string "0.4"');
      expect(refused('{"spillover":null}')).toBe('SVCMAP_IMPACT_WEIGHTS.spillover: must be a number, got null');
      expect(refused('{"userPoints":{"x":1}}')).toBe('SVCMAP_IMPACT_WEIGHTS.userPoints: must be a number, got an object');
      // JSON has no Infinity, but a number too large for a double parses to it.
      expect(refused('{"revenuePoints":1e400}')).toBe('SVCMAP_IMPACT_WEIGHTS.revenuePoints: must be a finite number');
      expect(refused('{"userDecades":0}')).toBe('SVCMAP_IMPACT_WEIGHTS.userDecades: must be > 0 (it divides)');
      expect(refused('{"revenueDecades":0}')).toBe('SVCMAP_IMPACT_WEIGHTS.revenueDecades: must be > 0 (it divides)');
    });

    it('thresholds that are not four numbers >= 0 from P1 down', () => {
      expect(refused('{"thresholds":[-80,60,40,20]}')).toBe('SVCMAP_IMPACT_WEIGHTS.thresholds[0]: must be >= 0, got -80');
      expect(refused('{"thresholds":[80,60,40,-1]}')).toBe('SVCMAP_IMPACT_WEIGHTS.thresholds[3]: must be >= 0, got -1');
      expect(refused('{"thresholds":[80,60,"40",20]}')).toBe('SVCMAP_IMPACT_WEIGHTS.thresholds[2]: must be a number, got the string "40"');
      expect(refused('{"thresholds":[80,60,40]}')).toBe('SVCMAP_IMPACT_WEIGHTS.thresholds: must be a list of four numbers (lowest score for P1, P2, P3, P4), got 3 items');
      expect(refused('{"thresholds":null}')).toBe('SVCMAP_IMPACT_WEIGHTS.thresholds: must be a list of four numbers (lowest score for P1, P2, P3, P4), got null');
      expect(refused('{"thresholds":[1,2,3,4]}')).toBe(
        'SVCMAP_IMPACT_WEIGHTS.thresholds: must be descending, each at most the one before (lowest score for P1, P2, P3, P4): 2 for P2 is above 1 for P1',
      );
      expect(refused('{"thresholds":[80,60,70,20]}')).toMatch(/70 for P3 is above 60 for P2$/);
    });

    it('every bad field at once', () => {
      expect(refused('{"treshholds":[1],"tierPoints":{"TIER1":99},"spillover":-1}').split('; ')).toEqual([
        expect.stringMatching(/^SVCMAP_IMPACT_WEIGHTS\.treshholds: unknown field/),
        expect.stringMatching(/^SVCMAP_IMPACT_WEIGHTS\.tierPoints\.TIER1: unknown field/),
        'SVCMAP_IMPACT_WEIGHTS.spillover: must be >= 0, got -1',
      ]);
    });
  });

  it('accepts thresholds that hold still between priorities, and zero weights', () => {
    // Equal thresholds leave a priority unused (here P2); zero takes a part out of the score.
    const w = parseImpactWeights('{"thresholds":[60,60,30,0],"stateFactor":{"DEGRADED":0},"userPoints":0}');
    expect(w.thresholds).toEqual([60, 60, 30, 0]);
    expect([60, 59, 30, 0].map((s) => priorityFor(s, w))).toEqual(['P1', 'P3', 'P3', 'P4']);
    expect(businessScore(payments, 'DEGRADED', w)).toBe(0);
    expect(businessScore(payments, 'DOWN', w)).toBeCloseTo(76.3, 1);
  });

  it('leaves the defaults untouched by an override', () => {
    parseImpactWeights('{"tierPoints":{"TIER_1":1},"stateFactor":{"DOWN":0.5}}');
    expect(DEFAULT_IMPACT_WEIGHTS.tierPoints.TIER_1).toBe(50);
    expect(DEFAULT_IMPACT_WEIGHTS.stateFactor.DOWN).toBe(1);
  });
});
