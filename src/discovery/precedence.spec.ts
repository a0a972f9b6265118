import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PRECEDENCE, FieldOwnership, MergeInput, mergeReported, parsePrecedence, policyFor } from './precedence';

const NOW = '2026-01-01T00:00:00.000Z';
const none: FieldOwnership = { setBy: {}, personFields: null, overridden: [] };

function merge(input: Partial<MergeInput> & Pick<MergeInput, 'reported'>, config = DEFAULT_PRECEDENCE) {
  const full: MergeInput = { current: null, ownership: none, createdByPerson: false, source: 'aws', now: NOW, ...input };
  return mergeReported(full, policyFor(config, full.source), (s) => policyFor(config, s).rank);
}

describe('attribute precedence', () => {
  it('takes everything a source reports for a new item', () => {
    const out = merge({ reported: { name: 'web', owner: 'team-a' } });
    expect(out.winning).toEqual({ name: 'web', owner: 'team-a' });
    expect(out.ownership).toEqual({ setBy: { name: 'aws', owner: 'aws' }, personFields: [], overridden: [] });
  });

  it("keeps a person's business attributes and gives technical ones to the source, keeping each losing value", () => {
    const out = merge({
      current: { name: 'Web (by hand)', owner: 'team-a', environment: null },
      reported: { name: 'web', owner: 'team-b', environment: 'prod' },
      ownership: { setBy: {}, personFields: ['name', 'owner'], overridden: [] },
      createdByPerson: true,
    });
    expect(out.winning).toEqual({ name: 'web', environment: 'prod' });
    expect(out.ownership.overridden).toEqual([
      { field: 'name', source: 'person', value: 'Web (by hand)', at: NOW },
      { field: 'owner', source: 'aws', value: 'team-b', at: NOW },
    ]);
    expect(out.ownership.personFields).toEqual(['owner']);
    expect(out.ownership.setBy).toEqual({ environment: 'aws', name: 'aws' });
  });

  it('treats the filled fields of a person-created item written before fields were tracked as set by the person', () => {
    const out = merge({ current: { owner: 'team-a', name: 'x', description: null }, reported: { owner: 'team-b', name: 'y' }, createdByPerson: true });
    expect(out.winning).toEqual({ name: 'y' });
    expect(out.ownership.personFields).toEqual(['owner']);
  });

  it('lets the most recent source win between equal ranks, and a higher rank win over recency', () => {
    const current = { name: 'from-backstage' };
    const ownership: FieldOwnership = { setBy: { name: 'backstage' }, personFields: [], overridden: [] };
    expect(merge({ current, ownership, reported: { name: 'from-aws' } }).winning).toEqual({ name: 'from-aws' });
    const ranked = parsePrecedence(JSON.stringify({ sources: [{ match: 'backstage', rank: 10 }] }));
    const out = merge({ current, ownership, reported: { name: 'from-aws' } }, ranked);
    expect(out.winning).toEqual({});
    expect(out.ownership.overridden).toEqual([{ field: 'name', source: 'aws', value: 'from-aws', at: NOW }]);
  });

  it('drops a losing value once its source agrees, keeps the time it first lost, and reports no change for an identical report', () => {
    const ownership: FieldOwnership = { setBy: {}, personFields: ['owner'], overridden: [{ field: 'owner', source: 'aws', value: 'team-b', at: 'earlier' }] };
    const same = merge({ current: { owner: 'team-a' }, reported: { owner: 'team-b' }, ownership, createdByPerson: true });
    expect(same.ownershipChanged).toBe(false);
    expect(same.ownership.overridden[0].at).toBe('earlier');
    const agrees = merge({ current: { owner: 'team-a' }, reported: { owner: 'team-a' }, ownership, createdByPerson: true });
    expect(agrees.ownership.overridden).toEqual([]);
    expect(agrees.ownershipChanged).toBe(true);
  });

  it('does not keep a source\'s own previous value as overridden: that is an update', () => {
    const out = merge({ current: { name: 'old' }, reported: { name: 'new' }, ownership: { setBy: { name: 'aws' }, personFields: [], overridden: [] } });
    expect(out.winning).toEqual({ name: 'new' });
    expect(out.ownership.overridden).toEqual([]);
  });

  it('reads rules from SVCMAP_SOURCE_PRECEDENCE and names bad entries', () => {
    const config = parsePrecedence('{"default":{"personWins":["owner"]},"sources":[{"match":"topology-file:*","personWins":[]},{"match":"backstage","rank":5}]}');
    expect(policyFor(config, 'topology-file:net')).toEqual({ rank: 0, personWins: new Set() });
    expect(policyFor(config, 'backstage')).toEqual({ rank: 5, personWins: new Set(['owner']) });
    expect(policyFor(config, 'aws:1')).toEqual({ rank: 0, personWins: new Set(['owner']) });
    expect(policyFor(DEFAULT_PRECEDENCE, 'x').personWins).toEqual(new Set(['owner', 'criticality', 'revenuePerHour', 'usersAffected']));
    const error = (() => {
      try {
        parsePrecedence('{"sources":[{"match":"a","personWins":["colour"]},{"rank":1}]}');
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect((error!.details.problems as { path: string }[]).map((p) => p.path)).toEqual([
      'SVCMAP_SOURCE_PRECEDENCE.sources[0].personWins',
      'SVCMAP_SOURCE_PRECEDENCE.sources[1]',
    ]);
    expect(() => parsePrecedence('{')).toThrow(DomainError);
  });

  describe('topology files (by default)', () => {
    const FILE = 'topology-file:shop';
    const fromFile: FieldOwnership = { setBy: { owner: FILE }, personFields: [], overridden: [] };

    it('outrank discovery: a discovery source loses to the owner a file wrote, and its value is kept; re-running both changes nothing', () => {
      expect(policyFor(DEFAULT_PRECEDENCE, FILE)).toEqual({ rank: 10, personWins: new Set(['owner', 'criticality', 'revenuePerHour', 'usersAffected']) });
      expect(policyFor(DEFAULT_PRECEDENCE, 'k8s:prod').rank).toBe(0);
      const lost = merge({ source: 'k8s:prod', current: { owner: 'team-a' }, reported: { owner: 'team-b' }, ownership: fromFile });
      expect(lost.winning).toEqual({});
      expect(lost.ownership.overridden).toEqual([{ field: 'owner', source: 'k8s:prod', value: 'team-b', at: NOW }]);
      const again = merge({ source: 'k8s:prod', current: { owner: 'team-a' }, reported: { owner: 'team-b' }, ownership: lost.ownership });
      expect(again).toMatchObject({ winning: {}, ownershipChanged: false });
      const file = merge({ source: FILE, current: { owner: 'team-a' }, reported: { owner: 'team-a' }, ownership: lost.ownership });
      expect(file).toMatchObject({ winning: {}, ownershipChanged: false });
    });

    it('take over what discovery set, keeping the discovery value as overridden', () => {
      const out = merge({ source: FILE, current: { owner: 'team-b' }, reported: { owner: 'team-a' }, ownership: { setBy: { owner: 'k8s:prod' }, personFields: [], overridden: [] } });
      expect(out.winning).toEqual({ owner: 'team-a' });
      expect(out.ownership.overridden).toEqual([{ field: 'owner', source: 'k8s:prod', value: 'team-b', at: NOW }]);
    });

    it("still lose a person's business attributes", () => {
      const out = merge({ source: FILE, current: { owner: 'by-hand' }, reported: { owner: 'team-a' }, ownership: { setBy: {}, personFields: ['owner'], overridden: [] }, createdByPerson: true });
      expect(out.winning).toEqual({});
    });

    it('keep their rule under a configuration that does not name them, and take a configured one that does', () => {
      const other = parsePrecedence('{"default":{"personWins":["owner"]},"sources":[{"match":"backstage","rank":5}]}');
      expect(policyFor(other, FILE)).toEqual({ rank: 10, personWins: new Set(['owner']) });
      expect(policyFor(other, 'backstage').rank).toBe(5);
      const named = parsePrecedence('{"sources":[{"match":"topology-file:*","rank":0}]}');
      expect(policyFor(named, FILE).rank).toBe(0);
      const catchAll = parsePrecedence('{"sources":[{"match":"*","rank":3}]}');
      expect(policyFor(catchAll, FILE).rank).toBe(3);
    });
  });
});
