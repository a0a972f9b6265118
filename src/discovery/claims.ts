/**
 * Claims: which (source, scope) reports a CI or dependency, and since which sync.
 *
 * Each item keeps its claims as one JSON map, `scope key -> [seq, at]` or
 * `[seq, at, baseSeq, baseAt]`: `seq` numbers the sync of that scope that last
 * reported the item and `at` is when; `base` remembers the last *committed*
 * report while a newer, not yet committed sync has reported it, so that an
 * aborted sync can be undone and readers still see the committed view.
 *
 * A commit does not touch every reported item (that would double the cost of
 * a sync): a claim whose seq is the scope's last committed seq simply is
 * committed. Only claims a commit takes away (seq older than the committing
 * sync) are rewritten.
 */

/** `[seq, at]` or `[seq, at, baseSeq, baseAt]`. */
export type StoredClaim = [number, string] | [number, string, number, string];
export type ClaimMap = Record<string, StoredClaim>;

/** What readers of claims need to know about each (source, scope). */
export interface ScopeState {
  key: string;
  /** Seq of the last committed sync; null before the first commit. */
  lastCommittedSeq: number | null;
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
  const keys = Object.keys(claims).sort();
  if (!keys.length) return null;
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, claims[k]])));
}

export interface BumpOutcome {
  claims: ClaimMap;
  /** The claim did not exist before: the scope claims one more item. */
  isNew: boolean;
  /** First report of the item in this sync (false when a batch is pushed again). */
  firstInSync: boolean;
}

/** The claims after the sync `seq` of `scopeKey` reports the item at `now`. */
export function bumpClaim(claims: ClaimMap, scopeKey: string, seq: number, now: string, lastCommittedSeq: number | null): BumpOutcome {
  const existing = claims[scopeKey];
  if (existing && existing[0] === seq) return { claims, isNew: false, firstInSync: false };
  let next: StoredClaim = [seq, now];
  if (existing) {
    const base: [number, string] | null =
      existing[0] === lastCommittedSeq ? [existing[0], existing[1]] : existing.length === 4 ? [existing[2], existing[3]] : null;
    if (base) next = [seq, now, base[0], base[1]];
  }
  return { claims: { ...claims, [scopeKey]: next }, isNew: !existing, firstInSync: true };
}

/** True when the scope claims the item but the committing sync `seq` did not report it. */
export function isLost(claims: ClaimMap, scopeKey: string, seq: number): boolean {
  const claim = claims[scopeKey];
  return claim !== undefined && claim[0] !== seq;
}

export function withoutClaim(claims: ClaimMap, scopeKey: string): ClaimMap {
  const { [scopeKey]: _gone, ...rest } = claims;
  return rest;
}

/**
 * Undoes the report of an aborted or expired sync `seq`: back to the
 * committed report it replaced, or no claim at all when there was none.
 */
export function revertClaim(claims: ClaimMap, scopeKey: string, seq: number): { claims: ClaimMap; changed: boolean; removed: boolean } {
  const claim = claims[scopeKey];
  if (!claim || claim[0] !== seq) return { claims, changed: false, removed: false };
  if (claim.length === 4) return { claims: { ...claims, [scopeKey]: [claim[2], claim[3]] }, changed: true, removed: false };
  return { claims: withoutClaim(claims, scopeKey), changed: true, removed: true };
}

/** When the scope's committed view last reported the item, or null when it does not. */
export function committedAt(claim: StoredClaim, state: ScopeState | undefined): string | null {
  if (!state || state.lastCommittedSeq === null) return null;
  if (claim[0] === state.lastCommittedSeq) return claim[1];
  if (claim.length === 4 && claim[2] === state.lastCommittedSeq) return claim[3];
  return null;
}

function isPendingLive(claim: StoredClaim, state: ScopeState | undefined): boolean {
  return Boolean(state && state.openLive && state.openSeq !== null && claim[0] === state.openSeq);
}

/**
 * Whether anyone still reports the item: a committed claim, or a report by
 * a sync that is still open (it may yet commit). A claim of a scope we know
 * nothing about counts, so that missing state never makes something stale.
 */
export function hasLiveClaim(claims: ClaimMap, states: ReadonlyMap<string, ScopeState>): boolean {
  return Object.entries(claims).some(([key, claim]) => {
    const state = states.get(key);
    return !state || committedAt(claim, state) !== null || isPendingLive(claim, state);
  });
}

export interface VisibleClaim {
  source: string;
  scope: string | null;
  lastSeenAt: string;
  /** Reported only by a sync still open: it counts once that sync commits. */
  pending: boolean;
}

/** The claims as readers see them: committed ones, and reports of still-open syncs marked pending. */
export function visibleClaims(claims: ClaimMap, states: ReadonlyMap<string, ScopeState>): VisibleClaim[] {
  const out: VisibleClaim[] = [];
  for (const key of Object.keys(claims).sort()) {
    const claim = claims[key];
    const state = states.get(key);
    const committed = committedAt(claim, state);
    if (committed !== null) out.push({ ...splitScopeKey(key), lastSeenAt: committed, pending: false });
    else if (isPendingLive(claim, state)) out.push({ ...splitScopeKey(key), lastSeenAt: claim[1], pending: true });
  }
  return out;
}
