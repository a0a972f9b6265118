import { FieldNode, OperationDefinitionNode, parse } from 'graphql';
import { CIKind } from '../../topology/topology.vocabulary';
import { selectsOnlyScoredCi, toBusinessImpact, wholeCisFor } from './business-impact.mapper';

/** The root field's nodes of a query, as its resolver's info has them. */
function rootField(query: string): { fieldNodes: FieldNode[] } {
  const operation = parse(query).definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode] };
}

const PATH = ['businessImpacts', 'ci'];

describe('selectsOnlyScoredCi: whether business impacts need whole CI records', () => {
  it('is true when a query asks only for what scoring read, or for no CI at all', () => {
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { score businessImpacts { score ci { key name criticality __typename } } } }'), PATH)).toBe(true);
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { score businessImpacts { score } } }'), PATH)).toBe(true);
  });

  it('is false for any other CI field, an alias of one, or a fragment on the way or inside', () => {
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ci { key owner } } } }'), PATH)).toBe(false);
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ci { name: identifiers } } } }'), PATH)).toBe(false);
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ci { ...F } } } } fragment F on CI { key }'), PATH)).toBe(false);
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { ...B } } fragment B on BlastRadius { businessImpacts { ci { key } } }'), PATH)).toBe(false);
    expect(selectsOnlyScoredCi(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ... on BusinessImpact { ci { key } } } } }'), PATH)).toBe(false);
  });

  it('follows a longer path, and every use of a field on it', () => {
    const path = ['incidents', 'businessImpacts', 'ci'];
    expect(selectsOnlyScoredCi(rootField('mutation { correlateAlerts(alerts: []) { incidents { businessImpacts { ci { key } } } } }'), path)).toBe(true);
    expect(selectsOnlyScoredCi(rootField('mutation { correlateAlerts(alerts: []) { incidents { a: businessImpacts { ci { key } } b: businessImpacts { ci { tags } } } } }'), path)).toBe(false);
  });
});

describe('toBusinessImpact and wholeCisFor', () => {
  const scored = { key: 'bf:pay', kind: CIKind.BUSINESS_FUNCTION, name: 'Payments', criticality: null, revenuePerHour: 10, usersAffected: null };
  const impact = { ci: scored, state: 'DOWN' as const, score: 80, priority: 'P1' as const, distance: 2, chain: ['bf:pay', 'db:x'], reason: 'r' };

  it('shows what scoring read without a record read when that is all the query asks', async () => {
    const read = jest.fn();
    const whole = await wholeCisFor(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ci { key name } } } }'), PATH, [impact], { findCis: read });
    expect(read).not.toHaveBeenCalled();
    expect(toBusinessImpact(impact, whole).ci).toMatchObject(scored);
  });

  it('reads the whole records once, for every key, when the query asks for more', async () => {
    const record = { ...scored, owner: 'team-pay', tags: ['x'], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
    const read = jest.fn(async (keys: readonly string[]) => new Map(keys.map((k) => [k, { ...record, key: k } as never])));
    const whole = await wholeCisFor(rootField('{ blastRadius(keys: ["a"]) { businessImpacts { ci { owner } } } }'), PATH, [impact, impact], { findCis: read });
    expect(read).toHaveBeenCalledWith(['bf:pay']);
    expect(toBusinessImpact(impact, whole).ci).toMatchObject({ key: 'bf:pay', owner: 'team-pay', tags: ['x'] });
    // Deleted since the answer was computed: a clear error on that field.
    expect(() => toBusinessImpact({ ...impact, ci: { ...scored, key: 'bf:gone' } }, whole).ci).toThrow("CI 'bf:gone' was deleted after this answer was computed");
  });
});
