import { DEPENDENCY_REV_PROPERTY } from '../topology/dependency-rev';
import { CIInput } from '../topology/dto/ci.input';
import { sha1 } from './claims';
import { PrecedenceConfig } from './precedence';
import { reportedCiFields } from './sync-plan';

/**
 * Sync marks: what lets a re-sync skip reading items that did not change.
 *
 * When a sync writes an item as its source reported it (a creation), or
 * finds that a report changes nothing and revives nothing (a plan of `none`
 * on an ACTIVE item), it leaves a mark on the item: a digest of that report
 * (with the scope and the precedence rules it was planned under), the
 * item's version and claim revision then,
 * and the seq of the scope's claim on it. Planning is a function of the
 * report, the stored item and those rules, and every write of an item
 * moves its version (a person's edit) or its claim revision (any sync, the
 * commit, the retirement sweep), so while the mark's version and revision
 * are still the item's, the same report plans to `none` again. A later
 * batch that reports the item the same way then reads only whether the mark
 * holds (compared in the query), not the item's properties, and skips
 * planning it. An item reported differently, edited since, STALE, claimed
 * only by an uncommitted sync, or marked for another scope is read and
 * planned in full, as before.
 */

/** A mark holds the report's digest, then `.version.claimRev` of the item when it was left. */
export const MARK_PROPERTY = 'syncMark';
/** The seq of the scope's claim on the item when the mark was left. */
export const MARK_SEQ_PROPERTY = 'syncMarkSeq';

/** One mark per (scope, precedence rules): a change of either plans items afresh. */
export function markSalt(scopeKey: string, precedence: PrecedenceConfig): string {
  return `${scopeKey}\n${JSON.stringify(precedence)}`;
}

function digest(text: string): string {
  return sha1(text).toString('base64url', 0, 12);
}

/** The digest of a reported CI as planning sees it: its fields normalized as stored, and its identifiers. */
export function ciReportDigest(salt: string, item: CIInput): string {
  const identifiers = [...new Set(item.identifiers ?? [])].sort();
  return digest(`${salt}\nci\n${JSON.stringify(reportedCiFields(item, item.key))}\n${JSON.stringify(identifiers)}`);
}

/** The digest of a reported dependency: only its type and strength count (its ends are the item itself). */
export function dependencyReportDigest(salt: string, item: { type?: string | null; strength?: string | null }): string {
  return digest(`${salt}\ndependency\n${item.type ?? ''}\n${item.strength ?? ''}`);
}

/** The stored mark: the digest with the version and claim revision it holds for. */
export function markValue(reportDigest: string, version: number, claimRev: number): string {
  return `${reportDigest}.${version}.${claimRev}`;
}

/**
 * The Cypher test that `item`'s mark holds for the report digest `digestExpr`:
 * the same report, nothing written since, and the scope's claim committed
 * (`$committedSeq`) or this sync's own (`$seq`), as reportClaim asks.
 * Never null: an item without a mark is simply not vouched for.
 *
 * The status is not read: marks are left only on ACTIVE items (a creation,
 * or a plan to `none` that revives nothing), and every status change is a
 * guarded write that moves the claim revision.
 */
export function markHolds(item: string, digestExpr: string): string {
  return `coalesce(${item}.${MARK_PROPERTY} = ${digestExpr} + '.' + toInteger(${item}.version) + '.' + toInteger(coalesce(${item}.claimRev, 0))
    AND (${item}.${MARK_SEQ_PROPERTY} <= $committedSeq OR ${item}.${MARK_SEQ_PROPERTY} = $seq), false)`;
}

/**
 * Group marks: what lets a re-sync skip the dependencies of a CI altogether.
 *
 * A discovery job reports a CI's dependencies together, so a batch names
 * each consumer once with all its rows. When every row of a consumer plans to
 * `none` or is created as reported, the consumer (the CI the dependencies go
 * out of) gets a group mark: a digest of those rows (each `to` with its type
 * and strength, in key order, under the same salt), the consumer's dependency
 * revision then, and the sync's seq. Every write of a dependency other than a
 * creation (a sync's guarded write, a person's edit or deletion, the
 * deletion of either end) moves the revision of the consumer it goes out of,
 * so while the mark's revision is still the consumer's, each of those rows
 * plans to `none` again: a later batch that reports the same rows reads one
 * property of the consumer instead of seeking the other ends and each
 * dependency. A creation moves nothing: it changes no dependency a mark
 * vouches for (it is created only where there was none).
 */
export const GROUP_MARK_PROPERTY = 'dependencySyncMark';
/** The seq of the sync that left the group mark. */
export const GROUP_MARK_SEQ_PROPERTY = 'dependencySyncMarkSeq';

/** The digest of the rows a batch reports out of one consumer, whatever their order in the batch. */
export function dependencyGroupDigest(salt: string, rows: readonly { to: string; type?: string | null; strength?: string | null }[]): string {
  const lines = rows.map((r) => `${r.to} ${r.type ?? ''} ${r.strength ?? ''}`).sort();
  return digest(`${salt}\ndependencies\n${lines.join('\n')}`);
}

/** The Cypher test that consumer `node`'s group mark holds for `digestExpr` (the seqs as in markHolds). */
export function groupMarkHolds(node: string, digestExpr: string): string {
  return `coalesce(${node}.${GROUP_MARK_PROPERTY} = ${digestExpr} + '.' + toInteger(coalesce(${node}.${DEPENDENCY_REV_PROPERTY}, 0))
    AND (${node}.${GROUP_MARK_SEQ_PROPERTY} <= $committedSeq OR ${node}.${GROUP_MARK_SEQ_PROPERTY} = $seq), false)`;
}

