import { CIInput } from '../topology/dto/ci.input';
import { CiRecord, DependencyRecord } from '../topology/topology.types';
import { CIKind, CIStatus, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { DEFAULT_PRECEDENCE, policyFor } from './precedence';
import { StoredCi, StoredDependency, SyncContext, ciPlanChanges, planSyncCi, planSyncDependency } from './sync-plan';

const NOW = '2026-02-01T00:00:00.000Z';
const EARLIER = '2026-01-01T00:00:00.000Z';
const ctx: SyncContext = {
  scopeKey: 'aws:1',
  source: 'aws:1',
  seq: 2,
  lastCommittedSeq: 1,
  now: NOW,
  policy: policyFor(DEFAULT_PRECEDENCE, 'aws:1'),
  rankOf: () => 0,
};

function storedCi(overrides: Partial<CiRecord> = {}, rest: Partial<StoredCi> = {}): StoredCi {
  const record: CiRecord = {
    key: 'vm:web-01',
    kind: CIKind.VM,
    name: 'web-01',
    description: null,
    owner: 'team-web',
    environment: 'prod',
    tags: ['a', 'b'],
    attributes: { cpu: 2 },
    criticality: null,
    revenuePerHour: null,
    usersAffected: null,
    minHealthy: null,
    status: CIStatus.ACTIVE,
    version: 3,
    createdAt: EARLIER,
    updatedAt: EARLIER,
    createdBy: 'aws-job',
    updatedBy: 'aws-job',
    createdByPerson: false,
    ...overrides,
  };
  return {
    elementId: 'e1',
    record,
    claims: { 'aws:1': [1, EARLIER] },
    claimRev: 4,
    ownership: { setBy: { name: 'aws:1', owner: 'aws:1' }, personFields: [], overridden: [] },
    identifiers: [],
    aliases: [],
    ...rest,
  };
}

const report = (extra: Partial<CIInput> = {}): CIInput =>
  ({ key: 'vm:web-01', kind: CIKind.VM, name: 'web-01', owner: 'team-web', environment: 'prod', tags: ['b', 'a'], attributes: { cpu: 2 }, ...extra }) as CIInput;

describe('planning a sync batch', () => {
  it('re-reporting a CI as stored writes nothing: no version, no history, not even the claim', () => {
    const plan = planSyncCi(0, report(), 'vm:web-01', storedCi(), null, ctx);
    expect(plan).toMatchObject({ operation: 'none', newClaim: false, revive: false });
    expect(ciPlanChanges([plan])).toEqual([]);
  });

  it('a CI another source created gets this source\'s claim without a new version', () => {
    const plan = planSyncCi(0, report(), 'vm:web-01', storedCi({}, { claims: { k8s: [4, EARLIER] } }), null, ctx);
    expect(plan).toMatchObject({ operation: 'provenance', newClaim: true });
    expect(plan.provenance.claimsJson).toBe(JSON.stringify({ 'aws:1': [2, NOW], k8s: [4, EARLIER] }));
  });

  it('a changed field is an update recorded in history; a STALE CI is marked for revival', () => {
    const plan = planSyncCi(0, report({ environment: 'staging' }), 'vm:web-01', storedCi({ status: CIStatus.STALE }), null, ctx);
    expect(plan).toMatchObject({ operation: 'update', revive: true });
    expect(ciPlanChanges([plan])).toEqual([
      { operation: 'UPDATE', entity: 'CI', key: 'vm:web-01', to: null, fields: [{ field: 'environment', from: 'prod', to: 'staging' }] },
    ]);
  });

  it('a new CI is created with its identifiers; an identified one gets the reported key as alias', () => {
    const created = planSyncCi(0, report({ key: 'vm:new', identifiers: ['hostname:new', 'hostname:new'] }), 'vm:new', undefined, null, ctx);
    expect(created).toMatchObject({ operation: 'create', newClaim: true, identifiers: ['hostname:new'], newIdentifiers: ['hostname:new'] });
    const identified = planSyncCi(0, report({ key: 'agent:web-01', identifiers: ['hostname:web-01'] }), 'vm:web-01', storedCi(), 'agent:web-01', ctx);
    expect(identified).toMatchObject({ operation: 'update', key: 'vm:web-01', aliases: ['agent:web-01'], newAlias: 'agent:web-01' });
    expect(identified.extraChanges).toEqual([
      { field: 'identifiers', from: [], to: ['hostname:web-01'] },
      { field: 'aliases', from: [], to: ['agent:web-01'] },
    ]);
  });

  it('a dependency reported as stored writes nothing; a new one defaults to USES and HARD', () => {
    const record: DependencyRecord = { from: 'a', to: 'b', type: DependencyType.CALLS, strength: DependencyStrength.SOFT, version: 1, createdAt: EARLIER, updatedAt: EARLIER };
    const stored: StoredDependency = { elementId: 'r1', record, claims: { 'aws:1': [1, EARLIER] }, claimRev: 1, ownership: { setBy: {}, personFields: [], overridden: [] } };
    expect(planSyncDependency(0, { from: 'a', to: 'b', type: DependencyType.CALLS }, stored, ctx)).toMatchObject({ operation: 'none', strength: 'SOFT', change: null });
    const changed = planSyncDependency(0, { from: 'a', to: 'b', strength: DependencyStrength.HARD }, stored, ctx);
    expect(changed).toMatchObject({ operation: 'update', change: { fields: [{ field: 'strength', from: 'SOFT', to: 'HARD' }] } });
    expect(planSyncDependency(0, { from: 'a', to: 'c' }, undefined, ctx)).toMatchObject({ operation: 'create', type: 'USES', strength: 'HARD', newClaim: true });
  });
});
