import { ScopeState, bumpClaim, hasLiveClaim, isLost, revertClaim, scopeKeyOf, splitScopeKey, stringifyClaims, visibleClaims, withoutClaim } from './claims';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-02T00:00:00.000Z';
const T3 = '2026-01-03T00:00:00.000Z';
const state = (key: string, lastCommittedSeq: number | null, openSeq: number | null = null, openLive = openSeq !== null): ScopeState => ({
  key,
  lastCommittedSeq,
  openSeq,
  openLive,
});

describe('claims', () => {
  it('keys a (source, scope) unambiguously and splits it back', () => {
    expect(scopeKeyOf('aws:1', null)).toBe('aws:1');
    expect(scopeKeyOf('k8s:prod', 'ns-a')).toBe('k8s:prod ns-a');
    expect(splitScopeKey('k8s:prod ns-a')).toEqual({ source: 'k8s:prod', scope: 'ns-a' });
    expect(splitScopeKey('aws:1')).toEqual({ source: 'aws:1', scope: null });
  });

  it('a first report creates the claim; a repeat in the same sync changes nothing', () => {
    const first = bumpClaim({}, 'aws', 1, T1, null);
    expect(first).toEqual({ claims: { aws: [1, T1] }, isNew: true, firstInSync: true });
    const repeat = bumpClaim(first.claims, 'aws', 1, T2, null);
    expect(repeat).toEqual({ claims: first.claims, isNew: false, firstInSync: false });
  });

  it('remembers the committed report while a newer sync is pending, and undoes an aborted one', () => {
    const committed = { aws: [1, T1] as [number, string] };
    const pending = bumpClaim(committed, 'aws', 2, T2, 1).claims;
    expect(pending.aws).toEqual([2, T2, 1, T1]);
    // A third sync after sync 2 was aborted still knows the committed report of sync 1.
    expect(bumpClaim(pending, 'aws', 3, T3, 1).claims.aws).toEqual([3, T3, 1, T1]);
    expect(revertClaim(pending, 'aws', 2)).toEqual({ claims: committed, changed: true, removed: false });
    expect(revertClaim({ aws: [2, T2] }, 'aws', 2)).toEqual({ claims: {}, changed: true, removed: true });
    expect(revertClaim(pending, 'aws', 5).changed).toBe(false);
  });

  it('finds what the committing sync did not report, and only that', () => {
    const claims = { aws: [1, T1] as [number, string], k8s: [7, T1] as [number, string] };
    expect(isLost(claims, 'aws', 2)).toBe(true);
    expect(isLost(claims, 'aws', 1)).toBe(false);
    expect(isLost(claims, 'gcp', 2)).toBe(false);
    expect(withoutClaim(claims, 'aws')).toEqual({ k8s: [7, T1] });
  });

  it('counts committed claims and reports of open syncs as live, not those of expired or undone syncs', () => {
    const states = new Map([
      ['aws', state('aws', 1)],
      ['k8s', state('k8s', 4, 5)],
      ['gone', state('gone', 2, 3, false)],
    ]);
    expect(hasLiveClaim({ aws: [1, T1] }, states)).toBe(true);
    expect(hasLiveClaim({ k8s: [5, T2] }, states)).toBe(true);
    expect(hasLiveClaim({ gone: [3, T2] }, states)).toBe(false);
    expect(hasLiveClaim({ gone: [3, T2, 2, T1] }, states)).toBe(true);
    expect(hasLiveClaim({ aws: [0, T1] }, states)).toBe(false);
    expect(hasLiveClaim({}, states)).toBe(false);
    // A scope we know nothing about never makes something stale.
    expect(hasLiveClaim({ unknown: [1, T1] }, states)).toBe(true);
  });

  it('shows committed claims with their time and open-sync reports as pending', () => {
    const states = new Map([
      ['aws', state('aws', 1, 2)],
      ['k8s:prod ns-a', state('k8s:prod ns-a', null, 1)],
      ['gone', state('gone', 2, 3, false)],
    ]);
    expect(visibleClaims({ aws: [2, T2, 1, T1], 'k8s:prod ns-a': [1, T3], gone: [3, T3] }, states)).toEqual([
      { source: 'aws', scope: null, lastSeenAt: T1, pending: false },
      { source: 'k8s:prod', scope: 'ns-a', lastSeenAt: T3, pending: true },
    ]);
  });

  it('stores claims sorted, and none as no property', () => {
    expect(stringifyClaims({ b: [1, T1], a: [2, T2] })).toBe(`{"a":[2,"${T2}"],"b":[1,"${T1}"]}`);
    expect(stringifyClaims({})).toBeNull();
  });
});
