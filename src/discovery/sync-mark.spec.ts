import { CIInput } from '../topology/dto/ci.input';
import { CIKind, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { DEFAULT_PRECEDENCE, PrecedenceConfig, parsePrecedence, policyFor } from './precedence';
import { ciReportDigest, dependencyGroupDigest, dependencyReportDigest, markSalt, markValue } from './sync-mark';
import { StoredCi, SyncContext, planSyncCi, planSyncDependency } from './sync-plan';
import { storedProps, toCiRecord } from '../topology/topology.repository';

const salt = markSalt('aws:1', DEFAULT_PRECEDENCE);
const ci = (extra: Partial<CIInput> = {}): CIInput =>
  ({ key: 'vm:web-01', kind: CIKind.VM, name: 'web-01', owner: 'team-web', tags: ['b', 'a'], attributes: { cpu: 2, os: 'linux' }, ...extra }) as CIInput;

describe('sync marks: the digest of a report', () => {
  it('is the same for reports that plan the same: tag order, attribute key order, identifier order and repeats', () => {
    expect(ciReportDigest(salt, ci())).toBe(ciReportDigest(salt, ci({ tags: ['a', 'b'], attributes: { os: 'linux', cpu: 2 } })));
    expect(ciReportDigest(salt, ci({ identifiers: ['x', 'y'] }))).toBe(ciReportDigest(salt, ci({ identifiers: ['y', 'x', 'y'] })));
  });

  it('differs when any reported field, identifier, or the absence of a field differs', () => {
    const base = ciReportDigest(salt, ci());
    const variants: Partial<CIInput>[] = [
      { name: 'web-02' },
      { owner: null },
      { owner: undefined },
      { description: 'x' },
      { environment: 'prod' },
      { tags: ['a'] },
      { attributes: { cpu: 4, os: 'linux' } },
      { identifiers: ['arn:1'] },
      { kind: CIKind.CONTAINER },
    ];
    const digests = variants.map((v) => ciReportDigest(salt, ci(v)));
    for (const digest of digests) expect(digest).not.toBe(base);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('differs per scope and per precedence rules, so a mark holds only where it was left', () => {
    const rules: PrecedenceConfig = parsePrecedence('{"sources":[{"match":"aws:*","rank":5}]}');
    const digests = [
      ciReportDigest(salt, ci()),
      ciReportDigest(markSalt('aws:2', DEFAULT_PRECEDENCE), ci()),
      ciReportDigest(markSalt('aws:1 eu-west-1', DEFAULT_PRECEDENCE), ci()),
      ciReportDigest(markSalt('aws:1', rules), ci()),
    ];
    expect(new Set(digests).size).toBe(4);
  });

  it('of a dependency depends on its reported type and strength only, an omitted one not being a default one', () => {
    const d = (type?: DependencyType, strength?: DependencyStrength) => dependencyReportDigest(salt, { type, strength });
    expect(d(DependencyType.CALLS, DependencyStrength.HARD)).toBe(d(DependencyType.CALLS, DependencyStrength.HARD));
    const all = [d(), d(DependencyType.USES), d(DependencyType.CALLS), d(undefined, DependencyStrength.HARD), d(DependencyType.CALLS, DependencyStrength.SOFT)];
    expect(new Set(all).size).toBe(all.length);
    expect(ciReportDigest(salt, ci())).not.toBe(d());
  });

  it('is stored with the version and claim revision it holds for', () => {
    expect(markValue('abc', 3, 7)).toBe('abc.3.7');
  });
});

describe('sync marks: a creation is marked as the report it was created from', () => {
  const ctx: SyncContext = {
    scopeKey: 'aws:1',
    source: 'aws:1',
    seq: 3,
    lastCommittedSeq: 2,
    now: '2026-02-01T00:00:00.000Z',
    policy: policyFor(DEFAULT_PRECEDENCE, 'aws:1'),
    rankOf: () => 0,
  };

  /** The CI as a later sync reads it back after planSyncCi created it (what the batch writes, through the stored form). */
  function createdFrom(item: CIInput): StoredCi {
    const plan = planSyncCi(0, item, item.key, undefined, null, ctx);
    expect(plan.operation).toBe('create');
    const props = { ...storedProps(plan.write), key: item.key, status: 'ACTIVE', version: 1 };
    const ownership = { setBy: JSON.parse(plan.provenance.setByJson ?? '{}'), personFields: null, overridden: [] };
    return {
      elementId: 'e1',
      record: toCiRecord(props),
      claims: JSON.parse(plan.provenance.claimsJson!),
      claimRev: 0,
      ownership,
      identifiers: plan.identifiers,
      aliases: [],
    };
  }

  const reports: [string, CIInput][] = [
    ['a VM with tags and attributes', ci()],
    ['a VM named by its key, with empty tags and attributes', ci({ name: undefined, tags: [], attributes: {} })],
    ['a VM with identifiers', ci({ description: 'front end', environment: 'prod', identifiers: ['i-123', 'arn:aws:ec2:i-123'] })],
    ['a business service', { key: 'bs:pay', kind: CIKind.BUSINESS_SERVICE, criticality: 'TIER_1', revenuePerHour: 1200.5, usersAffected: 30 } as unknown as CIInput],
    ['a redundancy group with repeated tags', { key: 'rg:web', kind: CIKind.REDUNDANCY_GROUP, minHealthy: 2, tags: ['z', 'z', 'a'] } as unknown as CIInput],
  ];

  it.each(reports)('re-reporting %s as created plans to nothing, in this sync and the next', (_what, item) => {
    const stored = createdFrom(item);
    expect(planSyncCi(0, item, item.key, stored, null, ctx).operation).toBe('none');
    expect(planSyncCi(0, item, item.key, stored, null, { ...ctx, seq: 4, lastCommittedSeq: 3 }).operation).toBe('none');
  });

  it('a dependency created with defaults plans to nothing when reported the same again', () => {
    const created = planSyncDependency(0, { from: 'a', to: 'b' }, undefined, ctx);
    const stored = {
      elementId: 'r1',
      record: { from: 'a', to: 'b', type: created.type, strength: created.strength, version: 1 } as never,
      claims: JSON.parse(created.provenance.claimsJson!),
      claimRev: 0,
      ownership: { setBy: JSON.parse(created.provenance.setByJson ?? '{}'), personFields: null, overridden: [] },
    };
    expect(planSyncDependency(0, { from: 'a', to: 'b' }, stored, { ...ctx, seq: 4, lastCommittedSeq: 3 }).operation).toBe('none');
  });
});

describe('group marks: the digest of the rows reported out of one consumer', () => {
  const rows = [
    { to: 'db:orders', type: DependencyType.STORES_DATA_IN, strength: DependencyStrength.HARD },
    { to: 'dns:internal' },
    { to: 'mq:events', type: DependencyType.PUBLISHES_TO, strength: DependencyStrength.SOFT },
  ];

  it('is the same whatever order the batch reports the rows in', () => {
    expect(dependencyGroupDigest(salt, rows)).toBe(dependencyGroupDigest(salt, [rows[2], rows[0], rows[1]]));
  });

  it('differs when a row is added, dropped, points elsewhere or changes type or strength, and per scope', () => {
    const base = dependencyGroupDigest(salt, rows);
    const variants = [
      [...rows, { to: 'cache:sessions' }],
      rows.slice(1),
      [{ ...rows[0], to: 'db:orders-replica' }, rows[1], rows[2]],
      [{ ...rows[0], type: DependencyType.CALLS }, rows[1], rows[2]],
      [rows[0], rows[1], { ...rows[2], strength: DependencyStrength.HARD }],
      [rows[0], { ...rows[1], strength: DependencyStrength.SOFT }, rows[2]],
    ].map((v) => dependencyGroupDigest(salt, v));
    variants.push(dependencyGroupDigest(markSalt('aws:2', DEFAULT_PRECEDENCE), rows));
    for (const digest of variants) expect(digest).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('reads an absent type or strength as a null one, as the row digest does', () => {
    expect(dependencyGroupDigest(salt, [{ to: 'dns:internal', type: null, strength: null }])).toBe(dependencyGroupDigest(salt, [{ to: 'dns:internal' }]));
  });
});
