import 'reflect-metadata';
import { DomainError } from '../common/errors/domain-error';
import { problemsOf } from '../common/validation/validate-input';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { Rng } from '../synthetic/random';
import { isPlainlyValidCi, isPlainlyValidDependency, validateSyncBatch } from './batch-validation';

/** Values near the edges of every CIInput and DependencyInput rule. */
const CANDIDATES: Record<string, unknown[]> = {
  key: ['svc:a', '', 'has space', 'x'.repeat(256), 'x'.repeat(257), 'tab\there', 42, null, undefined, 'ünïcode:ok', 'zero\u200bwidth'],
  kind: ['SERVICE', 'BUSINESS_SERVICE', 'REDUNDANCY_GROUP', 'BUSINESS_FUNCTION', 'service', 'NOPE', null, undefined],
  name: [undefined, null, 'Name', 'x'.repeat(256), 'x'.repeat(257), 'bell\u0007', 'line\nbreak', 3],
  description: [undefined, null, 'text', 'x'.repeat(4001)],
  owner: [undefined, null, 'team-a', 'x'.repeat(129), 'ctl\u0001'],
  environment: [undefined, null, 'prod', 'x'.repeat(128), 'x'.repeat(129)],
  tags: [undefined, null, [], ['a', 'b'], ['x'.repeat(129)], Array.from({ length: 51 }, (_, i) => `t${i}`), [1], 'notalist', [null]],
  attributes: [undefined, null, {}, { a: 1, b: 'x', c: true, d: [1, 'a'] }, { a: { nested: 1 } }, { a: Number.NaN }, [], 'str', { '': 1 }],
  criticality: [undefined, null, 'TIER_1', 'TIER_9'],
  revenuePerHour: [undefined, null, 0, 1000.5, -1, 1e13, Number.POSITIVE_INFINITY, '5'],
  usersAffected: [undefined, null, 0, 10, 1.5, -2, '3'],
  minHealthy: [undefined, null, 1, 2, 0, 10_001, 1.5],
  expectedVersion: [undefined, undefined, undefined, 0, 3],
  identifiers: [undefined, null, [], ['arn:aws:x'], ['has space'], Array.from({ length: 21 }, (_, i) => `i${i}`), 'arn', [5]],
};
const DEPENDENCY_CANDIDATES: Record<string, unknown[]> = {
  from: ['svc:a', '', 'a b', null, 7],
  to: ['svc:b', 'svc:a', '', undefined],
  type: [undefined, null, 'CALLS', 'RUNS_ON', 'calls', 'NOPE', 3],
  strength: [undefined, null, 'HARD', 'SOFT', 'MEDIUM'],
};

function randomItem(rng: Rng, candidates: Record<string, unknown[]>, validBias: number): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [field, values] of Object.entries(candidates)) {
    // Mostly the first (valid) values, so valid items are common and the rare bad field is isolated.
    const value = rng.next() < validBias ? values[Math.min(values.length - 1, Math.floor(rng.next() * 3))] : values[Math.floor(rng.next() * values.length)];
    if (value !== undefined) item[field] = value;
  }
  return item;
}

describe('sync batch validation', () => {
  it('never passes a CI that class-validator refuses (10,000 random inputs)', () => {
    const rng = new Rng(7);
    let plain = 0;
    for (let i = 0; i < 10_000; i++) {
      const item = randomItem(rng, CANDIDATES, 0.8);
      if (!isPlainlyValidCi(item)) continue;
      plain++;
      expect([item, problemsOf(CIInput, item, 'cis[0]')]).toEqual([item, []]);
    }
    expect(plain).toBeGreaterThan(200);
  });

  it('never passes a dependency that class-validator refuses', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 5_000; i++) {
      const item = randomItem(rng, DEPENDENCY_CANDIDATES, 0.5);
      if (isPlainlyValidDependency(item)) expect([item, problemsOf(DependencyInput, item, 'dependencies[0]')]).toEqual([item, []]);
    }
  });

  it('names every bad item by list, index and field, with class-validator messages', () => {
    const error = (() => {
      try {
        validateSyncBatch(
          [{ key: 'svc:ok', kind: 'SERVICE' }, { key: 'bad key', kind: 'SERVICE' }, { key: 'svc:v', kind: 'SERVICE', expectedVersion: 2 }],
          [{ from: 'a', to: 'a' }],
          10,
        );
      } catch (e) {
        return e as DomainError;
      }
    })()!;
    expect(error.details.problems).toEqual([
      { path: 'cis[1].key', message: expect.stringContaining('whitespace') },
      { path: 'cis[2].expectedVersion', message: expect.stringContaining('not taken by syncs') },
      { path: 'dependencies[0].to', message: expect.stringContaining('cannot depend on itself') },
    ]);
  });

  it('counts CIs and dependencies together against the batch limit, and refuses repeats', () => {
    expect(() => validateSyncBatch([{ key: 'a', kind: 'SERVICE' }], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }], 2)).toThrow(/at most 2 items/);
    expect(() => validateSyncBatch([{ key: 'a', kind: 'SERVICE' }, { key: 'a', kind: 'HOST' }], [], 10)).toThrow(/cis\[1\]\.key/);
    expect(validateSyncBatch(null, undefined, 10)).toEqual({ cis: [], dependencies: [] });
  });
});
