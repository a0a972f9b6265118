import * as crypto from 'node:crypto';

/**
 * Claims: which (source, scope) reports a CI or dependency.
 *
 * Each item keeps its claims as one JSON map, `scope key -> [seq, at]`:
 * `seq` numbers the sync of that scope that added the claim and `at` says
 * when. A claim added by a sync that has since committed is committed; one
 * added by the sync still open is pending; one left by an aborted or expired
 * sync counts for nothing (and is removed when that sync is cleaned up).
 *
 * A claim is written only when it appears, is confirmed by a sync after an
 * aborted one, or goes: re-reporting what a source already reported writes
 * nothing to the item. Which items a sync reported is kept in its ledgers,
 * so the commit finds what the source stopped reporting by comparing the
 * previous sync's ledgers with this one's (see sync-finisher.service.ts).
 */

/** `[seq, at]`: the sync that added the claim, and when. */
export type StoredClaim = [number, string];
export type ClaimMap = Record<string, StoredClaim>;

/** What readers of claims need to know about each (source, scope). */
export interface ScopeState {
  key: string;
  /** Seq of the last committed sync; null before the first commit. */
  lastCommittedSeq: number | null;
  /** When that sync committed: the last time the source confirmed everything it claims. */
  lastCommittedAt: string | null;
  /** Seq of the sync now open (or committing); null when none. */
  openSeq: number | null;
  /** False once the open sync has expired: its reports no longer count as pending. */
  openLive: boolean;
}

/**
 * One key per (source, scope). Source names and scopes have no whitespace,
 * so a space separates them without ambiguity; no scope is the source alone.
 */
export function scopeKeyOf(source: string, scope: string | null | undefined): string {
  return scope ? `${source} ${scope}` : source;
}

export function splitScopeKey(key: string): { source: string; scope: string | null } {
  const space = key.indexOf(' ');
  return space < 0 ? { source: key, scope: null } : { source: key.slice(0, space), scope: key.slice(space + 1) };
}

export function parseClaims(json: string | null | undefined): ClaimMap {
  return json ? (JSON.parse(json) as ClaimMap) : {};
}

/** Sorted by scope key, so equal maps are equal strings; an empty map is stored as no property. */
export function stringifyClaims(claims: ClaimMap): string | null {
  const keys = Object.keys(claims);
  if (!keys.length) return null;
  if (keys.length === 1) return JSON.stringify(claims);
  keys.sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, claims[k]])));
}

function committed(seq: number, lastCommittedSeq: number | null): boolean {
  return lastCommittedSeq !== null && seq <= lastCommittedSeq;
}

export interface ReportOutcome {
  claims: ClaimMap;
  /** The claims must be written (a new claim, or one an undone sync left that this sync confirms). */
  changed: boolean;
  /** The scope did not claim the item before. */
  isNew: boolean;
}

/** The claims after the sync `seq` of `scopeKey` reports the item at `now`. */
export function reportClaim(claims: ClaimMap, scopeKey: string, seq: number, now: string, lastCommittedSeq: number | null): ReportOutcome {
  const existing = claims[scopeKey];
  if (existing && (existing[0] === seq || committed(existing[0], lastCommittedSeq))) return { claims, changed: false, isNew: false };
  return { claims: { ...claims, [scopeKey]: [seq, now] }, changed: true, isNew: !existing };
}

export function withoutClaim(claims: ClaimMap, scopeKey: string): ClaimMap {
  const { [scopeKey]: _gone, ...rest } = claims;
  return rest;
}

/** Removes the claim an aborted or expired sync `seq` added; null when it added none (or a later sync confirmed it). */
export function undoClaim(claims: ClaimMap, scopeKey: string, seq: number): ClaimMap | null {
  return claims[scopeKey]?.[0] === seq ? withoutClaim(claims, scopeKey) : null;
}

function isPendingLive(claim: StoredClaim, state: ScopeState | undefined): boolean {
  return Boolean(state && state.openLive && state.openSeq !== null && claim[0] === state.openSeq);
}

/**
 * Whether anyone still reports the item: a committed claim, or a claim of a
 * sync that is still open (it may yet commit). A claim of a scope we know
 * nothing about counts, so that missing state never makes something stale.
 */
export function hasLiveClaim(claims: ClaimMap, states: ReadonlyMap<string, ScopeState>): boolean {
  return Object.entries(claims).some(([key, claim]) => {
    const state = states.get(key);
    return !state || committed(claim[0], state.lastCommittedSeq) || isPendingLive(claim, state);
  });
}

export interface VisibleClaim {
  source: string;
  scope: string | null;
  lastSeenAt: string;
  /** Reported only by a sync still open: it counts once that sync commits. */
  pending: boolean;
}

/**
 * The claims as readers see them: committed ones, last seen when their scope
 * last committed (every committed claim was confirmed by that commit), and
 * claims of still-open syncs, marked pending.
 */
export function visibleClaims(claims: ClaimMap, states: ReadonlyMap<string, ScopeState>): VisibleClaim[] {
  const out: VisibleClaim[] = [];
  for (const key of Object.keys(claims).sort()) {
    const claim = claims[key];
    const state = states.get(key);
    if (state && committed(claim[0], state.lastCommittedSeq)) {
      out.push({ ...splitScopeKey(key), lastSeenAt: state.lastCommittedAt ?? claim[1], pending: false });
    } else if (isPendingLive(claim, state)) {
      out.push({ ...splitScopeKey(key), lastSeenAt: claim[1], pending: true });
    }
  }
  return out;
}

/** crypto.hash (Node 20.12 and later): the same digest as a Hash object at half the cost, counted once per reported item. */
const oneShotSha1 = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

/**
 * A 64-bit digest of one reported key, as two 32-bit halves. Summed over a
 * ledger (with a count: tallyKey, sameTally), two ledgers' digests tell whether
 * they hold the same keys without reading them: what a commit checks first,
 * bucket by bucket.
 */
export function keyDigest(key: string, to?: string): [number, number] {
  const hash = sha1(to === undefined ? key : `${key}\n${to}`);
  return [hash.readInt32BE(0), hash.readInt32BE(4)];
}

/** SHA-1 of a text, one-shot where Node has it. */
export function sha1(text: string): Buffer {
  return oneShotSha1 ? oneShotSha1('sha1', text, 'buffer') : crypto.createHash('sha1').update(text).digest();
}

/** Ledgers split what a sync reported into this many buckets by key, so a commit compares one bucket at a time. */
export const LEDGER_BUCKETS = 64;

/** The ledger bucket of a CI key, or of a dependency's `from` and `to`. */
export function bucketOf(key: string, to?: string): number {
  let h = 2166136261;
  const text = to === undefined ? key : `${key}\n${to}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % LEDGER_BUCKETS;
}

/**
 * How a ledger's digest folds its keys' digests. Version 2 sums them (each
 * half modulo 2^32); the ledgers before it XOR-ed them, under which a key a
 * sync pushed twice (a retried batch) cancelled itself out, so two syncs that
 * each repeated a different key looked alike. A bucket with a ledger of
 * another version is compared key by key.
 */
export const LEDGER_DIGEST_VERSION = 2;

/** A count and digest of a multiset of reported keys, as ledgers keep them. */
export interface KeyTally {
  count: number;
  digestHigh: number;
  digestLow: number;
}

/** A tally as a stored ledger has it: fields of ledgers from before LEDGER_DIGEST_VERSION may be missing. */
export interface StoredTally {
  count?: number | null;
  digestHigh?: number | null;
  digestLow?: number | null;
  digestVersion?: number | null;
}

/** Adds one key's digest (keyDigest) to a tally, in place. */
export function tallyKey(tally: KeyTally, [high, low]: [number, number]): void {
  tally.count++;
  tally.digestHigh = (tally.digestHigh + high) | 0;
  tally.digestLow = (tally.digestLow + low) | 0;
}

/**
 * True when two lists of ledgers (of one bucket: this sync's and the previous
 * view's) certainly hold the same keys, each as often: same count, same summed
 * digest, every ledger of LEDGER_DIGEST_VERSION. False means "compare key by
 * key", not "different": the same keys pushed a different number of times
 * also come out false.
 */
export function sameTally(current: readonly StoredTally[], previous: readonly StoredTally[]): boolean {
  const fold = (list: typeof current): KeyTally | null => {
    const total: KeyTally = { count: 0, digestHigh: 0, digestLow: 0 };
    for (const ledger of list) {
      if (ledger.digestVersion !== LEDGER_DIGEST_VERSION || ledger.count == null || ledger.digestHigh == null || ledger.digestLow == null) return null;
      total.count += ledger.count;
      total.digestHigh = (total.digestHigh + ledger.digestHigh) | 0;
      total.digestLow = (total.digestLow + ledger.digestLow) | 0;
    }
    return total;
  };
  const a = fold(current);
  const b = fold(previous);
  return a !== null && b !== null && a.count === b.count && a.digestHigh === b.digestHigh && a.digestLow === b.digestLow;
}
