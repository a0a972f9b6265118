import { planCiWrite } from './ci-changes';
import { CiRecord } from './topology.types';
import { CIKind, CIStatus, CriticalityTier } from './topology.vocabulary';

const stored = (overrides: Partial<CiRecord> = {}): CiRecord => ({
  key: 'bf:pay',
  kind: CIKind.BUSINESS_FUNCTION,
  name: 'Payments',
  description: null,
  owner: 'team-pay',
  environment: 'production',
  tags: ['a', 'b'],
  attributes: { x: 1 },
  criticality: CriticalityTier.TIER_1,
  revenuePerHour: 100,
  usersAffected: 10,
  minHealthy: null,
  status: CIStatus.ACTIVE,
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'someone',
  updatedBy: 'someone',
  createdByPerson: true,
  ...overrides,
});

describe('planCiWrite', () => {
  it('creates with the key as default name and lists only the fields that carry a value', () => {
    const plan = planCiWrite(undefined, { key: 'svc:x', kind: CIKind.SERVICE, owner: 'team' });
    expect(plan.isNew).toBe(true);
    expect(plan.fields.name).toBe('svc:x');
    expect(plan.changes.map((c) => c.field).sort()).toEqual(['kind', 'name', 'owner']);
  });

  it('sees no change when tags and attributes differ only in order or duplicates', () => {
    const plan = planCiWrite(stored(), { key: 'bf:pay', kind: CIKind.BUSINESS_FUNCTION, tags: ['b', 'a', 'a'], attributes: { x: 1 } });
    expect(plan.changes).toEqual([]);
  });

  it('keeps undefined fields, clears null ones, and records from and to', () => {
    const plan = planCiWrite(stored(), { key: 'bf:pay', kind: CIKind.BUSINESS_FUNCTION, owner: null, revenuePerHour: 250 });
    expect(plan.fields.environment).toBe('production');
    expect(plan.changes).toEqual([
      { field: 'owner', from: 'team-pay', to: null },
      { field: 'revenuePerHour', from: 100, to: 250 },
    ]);
  });

  it('drops business fields when the kind changes to one that cannot carry them', () => {
    const plan = planCiWrite(stored(), { key: 'bf:pay', kind: CIKind.APPLICATION });
    expect(plan.fields).toMatchObject({ kind: CIKind.APPLICATION, criticality: null, revenuePerHour: null, usersAffected: null });
    expect(plan.changes.map((c) => c.field)).toEqual(['kind', 'criticality', 'revenuePerHour', 'usersAffected']);
  });

  it('drops minHealthy when a group becomes something else', () => {
    const group = stored({ kind: CIKind.REDUNDANCY_GROUP, minHealthy: 2, criticality: null, revenuePerHour: null, usersAffected: null });
    expect(planCiWrite(group, { key: 'bf:pay', kind: CIKind.SERVICE }).fields.minHealthy).toBeNull();
  });
});
