import { ChangeEntity, ChangeOperation, NewChange } from '../history/history.types';
import { dependencyChange } from '../topology/change-log';
import { PlannedCiWrite, canonicalAttributes, normalizeTags, planCiWrite } from '../topology/ci-changes';
import { CIInput } from '../topology/dto/ci.input';
import { CI_FIELD_NAMES, CiPatch, CiRecord, DependencyRecord, FieldChange } from '../topology/topology.types';
import { CIStatus, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { ClaimMap, reportClaim, stringifyClaims } from './claims';
import { FieldOwnership, SourcePolicy, mergeReported } from './precedence';

/**
 * Planning one batch of a sync, as plain functions over what is stored:
 * which items are created, updated, only re-claimed or untouched, with the
 * precedence rules applied. The service reads, calls these, and writes.
 */

export interface StoredCi {
  elementId: string;
  record: CiRecord;
  claims: ClaimMap;
  claimRev: number;
  ownership: FieldOwnership;
  identifiers: string[];
  aliases: string[];
}

export interface StoredDependency {
  elementId: string;
  record: DependencyRecord;
  claims: ClaimMap;
  claimRev: number;
  ownership: FieldOwnership;
}

/** What a batch needs to know about its sync. */
export interface SyncContext {
  scopeKey: string;
  source: string;
  seq: number;
  lastCommittedSeq: number | null;
  now: string;
  policy: SourcePolicy;
  rankOf: (source: string) => number;
}

/**
 * - create: a new item;
 * - update: a field (or its identifiers or aliases) changes: new version, history;
 * - provenance: only claims or precedence bookkeeping change: no version, no history;
 * - none: nothing to write (the source reported it before, as it is: the common case of a re-sync).
 */
export type PlanOperation = 'create' | 'update' | 'provenance' | 'none';

/** Properties kept next to the fields; null removes a property. */
export interface ProvenanceProps {
  claimsJson: string | null;
  setByJson: string | null;
  personFields: string[] | null;
  overriddenJson: string | null;
}

export interface CiPlan {
  index: number;
  /** The CI's key (the reported key, or the CI it was identified as). */
  key: string;
  operation: PlanOperation;
  write: PlannedCiWrite;
  /** Field changes beyond the CI fields: identifiers, aliases. */
  extraChanges: FieldChange[];
  provenance: ProvenanceProps;
  identifiers: string[];
  aliases: string[];
  /** Identifiers to register for lookup. */
  newIdentifiers: string[];
  /** The reported key, when it becomes a new alias of this CI. */
  newAlias: string | null;
  base: { elementId: string; version: number; claimRev: number } | null;
  /** The scope did not claim the item before. */
  newClaim: boolean;
  /** Stored as STALE or RETIRED: becomes ACTIVE when this sync commits. */
  revive: boolean;
}

function provenanceProps(claims: ClaimMap, ownership: FieldOwnership): ProvenanceProps {
  return {
    claimsJson: stringifyClaims(claims),
    setByJson: Object.keys(ownership.setBy).length ? JSON.stringify(ownership.setBy) : null,
    personFields: ownership.personFields,
    overriddenJson: ownership.overridden.length ? JSON.stringify(ownership.overridden) : null,
  };
}

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** The fields an input reports, normalized as they are stored, so comparisons see no false differences. */
export function reportedCiFields(item: CIInput, key: string): Record<string, unknown> {
  const reported: Record<string, unknown> = {};
  for (const field of CI_FIELD_NAMES) {
    const value = (item as unknown as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (field === 'tags') reported[field] = normalizeTags(value as string[] | null);
    else if (field === 'attributes') reported[field] = canonicalAttributes(value as Record<string, never> | null);
    else if (field === 'name') reported[field] = value ?? key;
    else reported[field] = value;
  }
  return reported;
}

/**
 * Plans one reported CI against what is stored under `key` (undefined: a new
 * CI). `alias` is the reported key when it differs from `key` and should be
 * recorded as an alias of it.
 */
export function planSyncCi(index: number, item: CIInput, key: string, stored: StoredCi | undefined, alias: string | null, ctx: SyncContext): CiPlan {
  const reported = reportedCiFields(item, key);
  const current = stored ? (stored.record as unknown as Record<string, unknown>) : null;
  const merge = mergeReported(
    {
      current,
      reported,
      ownership: stored?.ownership ?? { setBy: {}, personFields: null, overridden: [] },
      createdByPerson: stored?.record.createdByPerson ?? false,
      source: ctx.source,
      now: ctx.now,
    },
    ctx.policy,
    ctx.rankOf,
  );
  // Nothing won: nothing to diff (the common case of a re-sync).
  const write: PlannedCiWrite =
    stored && !Object.keys(merge.winning).length
      ? { key, isNew: false, fields: stored.record, changes: [] }
      : planCiWrite(stored?.record, { ...merge.winning, key, kind: merge.winning.kind ?? stored?.record.kind ?? item.kind } as CiPatch);
  const claim = reportClaim(stored?.claims ?? {}, ctx.scopeKey, ctx.seq, ctx.now, ctx.lastCommittedSeq);

  const identifiers = sortedUnique([...(stored?.identifiers ?? []), ...(item.identifiers ?? [])]);
  const newIdentifiers = identifiers.filter((i) => !(stored?.identifiers ?? []).includes(i));
  const aliases = alias && !(stored?.aliases ?? []).includes(alias) ? sortedUnique([...(stored?.aliases ?? []), alias]) : (stored?.aliases ?? []);
  const extraChanges: FieldChange[] = [];
  if (newIdentifiers.length) extraChanges.push({ field: 'identifiers', from: stored ? stored.identifiers : null, to: identifiers });
  if (stored && aliases !== stored.aliases) extraChanges.push({ field: 'aliases', from: stored.aliases, to: aliases });

  const provenance = provenanceProps(claim.claims, merge.ownership);
  let operation: PlanOperation;
  if (!stored) operation = 'create';
  else if (write.changes.length || extraChanges.length) operation = 'update';
  else if (claim.changed || merge.ownershipChanged) operation = 'provenance';
  else operation = 'none';
  return {
    index,
    key,
    operation,
    write,
    extraChanges,
    provenance,
    identifiers,
    aliases,
    newIdentifiers,
    newAlias: alias && aliases !== (stored?.aliases ?? []) ? alias : null,
    base: stored ? { elementId: stored.elementId, version: stored.record.version, claimRev: stored.claimRev } : null,
    newClaim: claim.isNew,
    revive: Boolean(stored && stored.record.status !== CIStatus.ACTIVE),
  };
}

/**
 * An item whose sync mark held (sync-mark.ts): its report plans to `none`, so
 * it was neither read nor planned. It counts as unchanged and goes in the ledger.
 */
export interface UnchangedItem {
  index: number;
  operation: 'none';
  revive: false;
}

export const unchangedCi = (index: number, key: string): UnchangedItem & { key: string } => ({ index, key, operation: 'none', revive: false });

export const unchangedDependency = (index: number, from: string, to: string): UnchangedItem & { from: string; to: string } => ({ index, from, to, operation: 'none', revive: false });

/** True for a plan made in full (not skipped by its mark). */
export const isPlanned = <T extends object>(plan: T): plan is Exclude<T, UnchangedItem> => 'base' in plan;

/** What the change log records for planned CI writes of a sync. */
export function ciPlanChanges(plans: readonly CiPlan[]): NewChange[] {
  return plans
    .filter((p) => p.operation === 'create' || p.operation === 'update')
    .map((p) => ({
      operation: p.operation === 'create' ? ChangeOperation.CREATE : ChangeOperation.UPDATE,
      entity: ChangeEntity.CI,
      key: p.key,
      to: null,
      fields: [...p.write.changes, ...p.extraChanges],
    }));
}

export interface ReportedDependency {
  from: string;
  to: string;
  type?: DependencyType | null;
  strength?: DependencyStrength | null;
}

export interface DependencyPlan {
  index: number;
  from: string;
  to: string;
  operation: PlanOperation;
  type: DependencyType;
  strength: DependencyStrength;
  change: NewChange | null;
  provenance: ProvenanceProps;
  base: { elementId: string; version: number; claimRev: number } | null;
  newClaim: boolean;
  revive: boolean;
}

/** Plans one reported dependency (endpoints already resolved to CI keys) against what is stored. */
export function planSyncDependency(index: number, item: ReportedDependency, stored: StoredDependency | undefined, ctx: SyncContext): DependencyPlan {
  const reported: Record<string, unknown> = {};
  if (item.type !== undefined && item.type !== null) reported.type = item.type;
  if (item.strength !== undefined && item.strength !== null) reported.strength = item.strength;
  if (!stored) {
    reported.type ??= DependencyType.USES;
    reported.strength ??= DependencyStrength.HARD;
  }
  const current = stored ? { type: stored.record.type, strength: stored.record.strength } : null;
  const merge = mergeReported(
    {
      current,
      reported,
      ownership: stored?.ownership ?? { setBy: {}, personFields: null, overridden: [] },
      createdByPerson: stored?.record.createdByPerson ?? false,
      source: ctx.source,
      now: ctx.now,
    },
    ctx.policy,
    ctx.rankOf,
  );
  const after = {
    type: (merge.winning.type ?? stored?.record.type) as DependencyType,
    strength: (merge.winning.strength ?? stored?.record.strength) as DependencyStrength,
  };
  const claim = reportClaim(stored?.claims ?? {}, ctx.scopeKey, ctx.seq, ctx.now, ctx.lastCommittedSeq);
  const changed = stored && (after.type !== stored.record.type || after.strength !== stored.record.strength);
  let operation: PlanOperation;
  if (!stored) operation = 'create';
  else if (changed) operation = 'update';
  else if (claim.changed || merge.ownershipChanged) operation = 'provenance';
  else operation = 'none';
  const pair = { from: item.from, to: item.to };
  return {
    index,
    ...pair,
    operation,
    ...after,
    change:
      operation === 'create'
        ? dependencyChange(ChangeOperation.CREATE, pair, null, after)
        : operation === 'update'
          ? dependencyChange(ChangeOperation.UPDATE, pair, stored!.record, after)
          : null,
    provenance: provenanceProps(claim.claims, merge.ownership),
    base: stored ? { elementId: stored.elementId, version: stored.record.version, claimRev: stored.claimRev } : null,
    newClaim: claim.isNew,
    revive: Boolean(stored && (stored.record.status ?? CIStatus.ACTIVE) !== CIStatus.ACTIVE),
  };
}
