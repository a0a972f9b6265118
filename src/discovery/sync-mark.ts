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
