import { registerEnumType } from '@nestjs/graphql';

/** What clients see of a sync's life. */
export enum SyncStatus {
  OPEN = 'OPEN',
  COMMITTED = 'COMMITTED',
  ABORTED = 'ABORTED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(SyncStatus, {
  name: 'SyncStatus',
  description: 'Where a discovery sync is in its life.',
  valuesMap: {
    OPEN: { description: 'Taking batches (or being committed); its reports are pending.' },
    COMMITTED: { description: 'Committed: what its source reported before and not in it lost that claim.' },
    ABORTED: { description: 'Aborted by a client: its pending reports were discarded, nothing lost a claim.' },
    EXPIRED: { description: 'No batch or commit within the timeout: treated as aborted.' },
  },
});

/**
 * As stored. COMMITTING is a commit in progress (shown as OPEN): it takes
 * no batches, never expires, and is finished by a retried commit or by the
 * periodic sweep if the service stopped half-way.
 */
export type StoredSyncStatus = SyncStatus | 'COMMITTING';

/** Counts one sync keeps for CIs and for dependencies. */
export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  markedStale: number;
  revived: number;
}

export const COUNT_NAMES: readonly (keyof SyncCounts)[] = ['created', 'updated', 'unchanged', 'markedStale', 'revived'];

export function emptyCounts(): SyncCounts {
  return { created: 0, updated: 0, unchanged: 0, markedStale: 0, revived: 0 };
}

/** A `:Sync` node. */
export interface SyncRecord {
  id: string;
  scopeKey: string;
  source: string;
  scope: string | null;
  /** Numbers the syncs of one (source, scope): claims remember the seq that last reported them. */
  seq: number;
  status: StoredSyncStatus;
  startedAt: string;
  expiresAt: string;
  startedBy: string;
  batches: number;
  items: number;
  cis: SyncCounts;
  dependencies: SyncCounts;
  /** Distinct CIs and dependencies this sync reported, counted by its commit. */
  reportedCis: number;
  reportedDependencies: number;
  /** Ledger buckets its commit has compared so far (a commit interrupted half-way goes on from there). */
  bucketsDone: number[];
  committedAt: string | null;
  finishedAt: string | null;
  /** Last time a batch or a commit step held the sync; tells an interrupted commit from a running one. */
  lockedAt: string | null;
  /** Aborted or expired, and its pending reports not yet undone. */
  cleanupPending: boolean;
}

/** A `:SyncScope` node: one per (source, scope). */
export interface ScopeRecord {
  key: string;
  source: string;
  scope: string | null;
  nextSeq: number;
  lastCommittedSeq: number | null;
  lastCommittedSyncId: string | null;
  lastCommittedAt: string | null;
  openSyncId: string | null;
  openSeq: number | null;
  openExpiresAt: string | null;
  openCommitting: boolean;
}

/** The report of a committed sync. */
export interface SyncReportRecord {
  syncId: string;
  source: string;
  scope: string | null;
  cis: SyncCounts;
  dependencies: SyncCounts;
  durationMs: number;
  committedAt: string;
}

export function reportOf(sync: SyncRecord): SyncReportRecord | null {
  if (sync.status !== SyncStatus.COMMITTED || !sync.committedAt) return null;
  return {
    syncId: sync.id,
    source: sync.source,
    scope: sync.scope,
    cis: sync.cis,
    dependencies: sync.dependencies,
    durationMs: Math.max(0, Date.parse(sync.committedAt) - Date.parse(sync.startedAt)),
    committedAt: sync.committedAt,
  };
}

/** Per-batch outcome, for the caller. */
export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}
