import { createHash } from 'node:crypto';
import { KeyTally, LEDGER_BUCKETS, LEDGER_DIGEST_VERSION, sameTally, tallyKey, ScopeState, StoredClaim, bucketOf, hasLiveClaim, keyDigest, reportClaim, scopeKeyOf, splitScopeKey, stringifyClaims, undoClaim, visibleClaims, withoutClaim } from './claims';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-01-02T00:00:00.000Z';
const T3 = '2026-01-03T00:00:00.000Z';
const COMMITTED_AT = '2026-01-05T00:00:00.000Z';
const state = (key: string, lastCommittedSeq: number | null, openSeq: number | null = null, openLive = openSeq !== null): ScopeState => ({
  key,
  lastCommittedSeq,
  lastCommittedAt: lastCommittedSeq === null ? null : COMMITTED_AT,
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

  it('writes a claim when it appears or confirms an undone sync, not when a source re-reports what it claims', () => {
    const first = reportClaim({}, 'aws', 1, T1, null);
    expect(first).toEqual({ claims: { aws: [1, T1] }, changed: true, isNew: true });
    // Again in the same sync, and in the next sync once sync 1 committed: nothing to write.
    expect(reportClaim(first.claims, 'aws', 1, T2, null).changed).toBe(false);
    expect(reportClaim(first.claims, 'aws', 2, T2, 1).changed).toBe(false);
    // Left by sync 2, which was aborted (not committed): sync 3 confirms it.
    expect(reportClaim({ aws: [2, T2] }, 'aws', 3, T3, 1)).toEqual({ claims: { aws: [3, T3] }, changed: true, isNew: false });
  });

  it('undoes only the claims the aborted sync added', () => {
    const claims = { aws: [2, T2] as StoredClaim, k8s: [7, T1] as StoredClaim };
    expect(undoClaim(claims, 'aws', 2)).toEqual({ k8s: [7, T1] });
    expect(undoClaim(claims, 'aws', 3)).toBeNull();
    expect(undoClaim(claims, 'gcp', 2)).toBeNull();
    expect(withoutClaim(claims, 'aws')).toEqual({ k8s: [7, T1] });
  });

  it('puts every key of a CI or dependency in one stable bucket', () => {
    expect(bucketOf('svc:a')).toBe(bucketOf('svc:a'));
    expect(bucketOf('a', 'b')).toBe(bucketOf('a', 'b'));
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => bucketOf(`svc:${i}`)));
    expect(seen.size).toBe(LEDGER_BUCKETS);
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
    expect(hasLiveClaim({ gone: [2, T1] }, states)).toBe(true);
    expect(hasLiveClaim({ k8s: [6, T1] }, states)).toBe(false);
    expect(hasLiveClaim({}, states)).toBe(false);
    // A scope we know nothing about never makes something stale.
    expect(hasLiveClaim({ unknown: [1, T1] }, states)).toBe(true);
  });

  it('shows committed claims as last seen at their scope\'s last commit, and open-sync reports as pending', () => {
    const states = new Map([
      ['aws', state('aws', 1, 2)],
      ['k8s:prod ns-a', state('k8s:prod ns-a', null, 1)],
      ['gone', state('gone', 2, 3, false)],
    ]);
    expect(visibleClaims({ aws: [1, T1], 'k8s:prod ns-a': [1, T3], gone: [3, T3] }, states)).toEqual([
      { source: 'aws', scope: null, lastSeenAt: COMMITTED_AT, pending: false },
      { source: 'k8s:prod', scope: 'ns-a', lastSeenAt: T3, pending: true },
    ]);
  });

  it('stores claims sorted, and none as no property', () => {
    expect(stringifyClaims({ b: [1, T1], a: [2, T2] })).toBe(`{"a":[2,"${T2}"],"b":[1,"${T1}"]}`);
    expect(stringifyClaims({})).toBeNull();
  });

  it('digests a key as the first 64 bits of its SHA-1, as every stored ledger was digested', () => {
    const sha1 = (text: string) => createHash('sha1').update(text).digest();
    const first = sha1('svc:payments/api');
    expect(keyDigest('svc:payments/api')).toEqual([first.readInt32BE(0), first.readInt32BE(4)]);
    const pair = sha1('svc:payments/api\ndb:payments');
    expect(keyDigest('svc:payments/api', 'db:payments')).toEqual([pair.readInt32BE(0), pair.readInt32BE(4)]);
    expect(keyDigest('a', 'b')).not.toEqual(keyDigest('b', 'a'));
  });
});

describe('ledger tallies', () => {
  const tally = (...keys: string[]) => {
    const t: KeyTally & { digestVersion: number } = { count: 0, digestHigh: 0, digestLow: 0, digestVersion: LEDGER_DIGEST_VERSION };
    for (const key of keys) tallyKey(t, keyDigest(key));
    return t;
  };

  it('tells the same keys, in any order and split over any ledgers', () => {
    expect(sameTally([tally('a', 'b', 'c')], [tally('c', 'a', 'b')])).toBe(true);
    expect(sameTally([tally('a'), tally('b', 'c')], [tally('c', 'b', 'a')])).toBe(true);
    expect(sameTally([], [])).toBe(true);
  });

  it('does not let a key pushed twice cancel itself out (a retried batch)', () => {
    // Under the XOR of the earlier ledgers, {a, a} and {b, b} both folded to a count of 2 and a digest of 0.
    expect(sameTally([tally('new', 'new')], [tally('old', 'old')])).toBe(false);
    expect(sameTally([tally('new'), tally('new')], [tally('old'), tally('old')])).toBe(false);
    expect(sameTally([tally('a', 'a')], [tally('a')])).toBe(false);
  });

  it('tells a dropped, an added or a replaced key', () => {
    expect(sameTally([tally('a', 'b')], [tally('a', 'b', 'c')])).toBe(false);
    expect(sameTally([tally('a', 'b', 'c')], [tally('a', 'b')])).toBe(false);
    expect(sameTally([tally('a', 'd')], [tally('a', 'b')])).toBe(false);
  });

  it('leaves a bucket with a ledger of the earlier digest to the key-by-key comparison', () => {
    const earlier = { ...tally('a'), digestVersion: null };
    expect(sameTally([tally('a')], [earlier])).toBe(false);
    expect(sameTally([tally('a')], [{ count: null, digestHigh: 0, digestLow: 0 }])).toBe(false);
  });
});
