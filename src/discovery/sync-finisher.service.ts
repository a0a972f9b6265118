import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { ChangeEntity, ChangeOperation, NewChange } from '../history/history.types';
import { MetricsService } from '../observability/metrics.service';
import { CIStatus } from '../topology/topology.vocabulary';
import { ClaimMap, ScopeState, hasLiveClaim, sameTally, stringifyClaims, undoClaim, withoutClaim } from './claims';
import { DISCOVERY_CONFIG, DiscoveryConfig } from './discovery.config';
import { StoredCi, StoredDependency } from './sync-plan';
import { GuardedWrite, LedgerRecord, LedgerSummary, SyncQueries, SyncRepository, WriteRaceError } from './sync.repository';
import { ScopeRecord, SyncRecord, SyncStatus } from './sync.types';

/** The actor and source of the retirement sweep's changes in history. */
export const SWEEP_ACTOR = 'system';
export const SWEEP_SOURCE = 'discovery';

/** A commit that has not moved for this long was interrupted (service stopped); the sweep finishes it. */
const STUCK_COMMIT_MS = 2 * 60_000;
const RETIRE_CHUNK = 2_000;
const RACE_ATTEMPTS = 5;
/** Ledger buckets a commit compares per transaction (of 64; see claims.ts): fewer round trips, bounded memory. */
const BUCKETS_PER_TRANSACTION = 4;

/** OPEN and not past its expiry, or being committed (which never expires). */
export function isOpenAt(sync: SyncRecord, now: Date): boolean {
  if (sync.status === 'COMMITTING') return true;
  return sync.status === SyncStatus.OPEN && Date.parse(sync.expiresAt) > now.getTime();
}

/** `aws` of `aws:123456789012`: a bounded label for metrics. */
export function sourceKind(source: string): string {
  const kind = source.split(':')[0].toLowerCase();
  return /^[a-z][a-z0-9-]{0,31}$/.test(kind) ? kind : 'other';
}

export function scopeStateOf(scope: ScopeRecord, now: Date): ScopeState {
  return {
    key: scope.key,
    lastCommittedSeq: scope.lastCommittedSeq,
    lastCommittedAt: scope.lastCommittedAt,
    openSeq: scope.openSyncId ? scope.openSeq : null,
    openLive: Boolean(scope.openSyncId && (scope.openCommitting || (scope.openExpiresAt && Date.parse(scope.openExpiresAt) > now.getTime()))),
  };
}

const statusChange = (entity: ChangeEntity, key: string, to: string | null, from: CIStatus, next: CIStatus): NewChange => ({
  operation: ChangeOperation.UPDATE,
  entity,
  key,
  to,
  fields: [{ field: 'status', from, to: next }],
});

const closedScopeProps = { openSyncId: null, openSeq: null, openExpiresAt: null, openCommitting: false };

interface Stamp {
  now: string;
  actor: string;
  source: string;
}

/**
 * Ends syncs: commit (take claims away from what the sync did not report,
 * mark what nobody reports STALE, revive what came back), abort and expiry
 * (undo the sync's pending claims), and the retirement sweep. Long work is
 * split into transactions of one ledger each, every one idempotent, so an
 * interrupted commit or clean-up is finished by a retry or the periodic sweep.
 */
@Injectable()
export class SyncFinisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Discovery');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly repository: SyncRepository,
    private readonly clock: Clock,
    @Inject(DISCOVERY_CONFIG) private readonly discovery: DiscoveryConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.discovery.sweepIntervalMs) return;
    this.timer = setInterval(() => void this.sweep().catch((error) => this.logger.warn(`Sync sweep failed: ${(error as Error).message}`)), this.discovery.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  async findOrThrow(id: string): Promise<SyncRecord> {
    const sync = await this.repository.read('discovery.sync', (q) => q.findSync(id));
    if (!sync) throw DomainError.notFound(`No sync has id '${id}'`, { field: 'syncId' });
    return sync;
  }

  /** Throws the CONFLICT for a sync that takes no more batches; an OPEN one past its expiry is marked EXPIRED first. */
  async refuseClosed(sync: SyncRecord): Promise<never> {
    if (sync.status === SyncStatus.OPEN) {
      await this.expire(sync.id);
      throw DomainError.conflict(`The sync ${sync.id} expired at ${sync.expiresAt} (no batch or commit for ${this.discovery.syncTimeoutMs} ms); begin a new one`, {
        syncId: sync.id,
        status: SyncStatus.EXPIRED,
      });
    }
    const status = sync.status === 'COMMITTING' ? 'being committed' : sync.status.toLowerCase();
    throw DomainError.conflict(`The sync ${sync.id} is ${status}; it takes no more batches`, {
      syncId: sync.id,
      status: sync.status === 'COMMITTING' ? SyncStatus.OPEN : sync.status,
    });
  }

  // ---- commit -----------------------------------------------------------------------------------

  async commit(syncId: string, actor: Actor): Promise<SyncRecord> {
    const now = this.clock.now();
    const begun = await this.repository.write('discovery.commitSync', async (q) => {
      const sync = await q.lockSync(syncId, now.toISOString());
      if (!sync) throw DomainError.notFound(`No sync has id '${syncId}'`, { field: 'syncId' });
      if (sync.status === SyncStatus.COMMITTED || sync.status === 'COMMITTING') return sync;
      if (sync.status !== SyncStatus.OPEN) {
        throw DomainError.conflict(`The sync ${sync.id} is ${sync.status.toLowerCase()}; it cannot be committed`, { syncId, status: sync.status });
      }
      if (!isOpenAt(sync, now)) return sync;
      await q.updateScope(sync.scopeKey, { openCommitting: true });
      return q.updateSync(syncId, {}, { status: 'COMMITTING', commitActor: actor.name, commitStartedAt: now.toISOString() });
    });
    if (begun.status === SyncStatus.COMMITTED) return begun;
    if (begun.status === SyncStatus.OPEN) return this.refuseClosed(begun);
    return this.finishCommit(begun, actor.name);
  }

  /** Phases of a commit after it is marked COMMITTING; each may be repeated safely. */
  private async finishCommit(sync: SyncRecord, actorName: string): Promise<SyncRecord> {
    const stamp = (): Stamp => ({ now: this.clock.now().toISOString(), actor: actorName, source: sync.source });
    const buckets = await this.repository.read('discovery.ledgers', (q) => q.ledgerBuckets(sync.scopeKey, sync.seq));
    for (let i = 0; i < buckets.length; i += BUCKETS_PER_TRANSACTION) {
      const group = buckets.slice(i, i + BUCKETS_PER_TRANSACTION);
      await this.withRetries('discovery.commitSync.compare', (q) => this.compareBuckets(q, sync, group, stamp()));
    }
    for (const revivalId of await this.repository.read('discovery.revivals', (q) => q.revivalIdsOf(sync.id))) {
      await this.withRetries('discovery.commitSync.revive', (q) => this.revive(q, sync, revivalId, stamp()));
    }
    const committed = await this.repository.write('discovery.commitSync.finish', async (q) => {
      const now = this.clock.now().toISOString();
      const locked = (await q.lockSync(sync.id, now))!;
      if (locked.status === SyncStatus.COMMITTED) return locked;
      await q.updateScope(sync.scopeKey, { ...closedScopeProps, lastCommittedSeq: sync.seq, lastCommittedSyncId: sync.id, lastCommittedAt: now });
      const unchanged = (reported: number, counts: { created: number; updated: number }) => Math.max(0, reported - counts.created - counts.updated);
      return q.updateSync(
        sync.id,
        { cisUnchanged: unchanged(locked.reportedCis, locked.cis), dependenciesUnchanged: unchanged(locked.reportedDependencies, locked.dependencies) },
        { status: SyncStatus.COMMITTED, committedAt: now, finishedAt: now },
      );
    });
    this.countRun(committed, 'success');
    await this.retireStale().catch((error) => this.logger.warn(`Retirement after commit failed: ${(error as Error).message}`));
    return committed;
  }

  /**
   * A few ledger buckets: what earlier syncs of the scope reported in them
   * (the last committed one, and undone ones) but this sync did not loses
   * the scope's claim, and becomes STALE when nobody else reports it and no
   * person created it. Counts what this sync reported, then drops the older
   * ledgers. Each bucket is done once (`bucketsDone`), so a retry skips it.
   */
  private async compareBuckets(q: SyncQueries, sync: SyncRecord, group: readonly number[], stamp: Stamp): Promise<void> {
    const locked = (await q.lockSync(sync.id, stamp.now))!;
    const buckets = group.filter((b) => !locked.bucketsDone.includes(b));
    if (!buckets.length) return;
    const summaries = await q.ledgerSummaries(sync.scopeKey, buckets, sync.seq);
    const previousIds = summaries.filter((l) => l.seq < sync.seq).map((l) => l.id);
    // Buckets whose keys may differ from the previous view (or whose count is unknown) are compared key by key.
    const differing = buckets.filter((bucket) => !sameKeys(summaries.filter((l) => l.bucket === bucket), sync.seq));
    const ledgers = await q.findLedgers(summaries.filter((l) => differing.includes(l.bucket)).map((l) => l.id));
    const current = ledgers.filter((l) => l.seq === sync.seq);
    const previous = ledgers.filter((l) => l.seq < sync.seq);
    const pairsOf = (l: LedgerRecord) => l.dependencyFrom.map((from, i) => `${from}\n${l.dependencyTo[i]}`);
    const reportedCis = new Set(current.flatMap((l) => l.ciKeys));
    const reportedDependencies = new Set(current.flatMap(pairsOf));
    // Where nothing differs, every key this sync reported counts once (a key sent twice counts twice there).
    const unchangedBuckets = summaries.filter((l) => l.seq === sync.seq && !differing.includes(l.bucket));
    const sum = (field: 'ciCount' | 'dependencyCount') => unchangedBuckets.reduce((total, l) => total + (l[field] ?? 0), 0);
    const lostCis = [...new Set(previous.flatMap((l) => l.ciKeys))].filter((k) => !reportedCis.has(k));
    const lostDependencies = [...new Set(previous.flatMap(pairsOf))]
      .filter((pair) => !reportedDependencies.has(pair))
      .map((pair) => {
        const [from, to] = pair.split('\n');
        return { from, to };
      });
    let stale = { cis: 0, dependencies: 0 };
    if (lostCis.length || lostDependencies.length) {
      const states = await this.scopeStates(q);
      const decide = (claims: ClaimMap) => (claims[sync.scopeKey] ? withoutClaim(claims, sync.scopeKey) : null);
      stale = {
        cis: await this.applyToCis(q, lostCis, decide, states, stamp),
        dependencies: await this.applyToDependencies(q, lostDependencies, decide, states, stamp),
      };
      if (stale.cis + stale.dependencies) this.metrics?.syncItems.inc({ source_kind: sourceKind(sync.source), outcome: 'stale' }, stale.cis + stale.dependencies);
    }
    await q.deleteLedgers(previousIds);
    await q.updateSync(
      sync.id,
      {
        reportedCis: reportedCis.size + sum('ciCount'),
        reportedDependencies: reportedDependencies.size + sum('dependencyCount'),
        cisMarkedStale: stale.cis,
        dependenciesMarkedStale: stale.dependencies,
      },
      { bucketsDone: [...locked.bucketsDone, ...buckets] },
    );
  }

  /** STALE or RETIRED items the committing sync reported become ACTIVE again. */
  private async revive(q: SyncQueries, sync: SyncRecord, revivalId: string, stamp: Stamp): Promise<void> {
    const revival = await q.findRevival(revivalId);
    if (!revival) return;
    await q.lockSync(sync.id, stamp.now);
    const reported = (claims: ClaimMap) => claims[sync.scopeKey] !== undefined;
    const cis = [...(await q.readCis(revival.cis)).values()].filter((c) => c.record.status !== CIStatus.ACTIVE && reported(c.claims));
    const dependencies = [...(await q.readDependenciesByKeys(revival.dependencyFrom.map((from, i) => ({ from, to: revival.dependencyTo[i] })))).values()].filter(
      (d) => (d.record.status ?? CIStatus.ACTIVE) !== CIStatus.ACTIVE && reported(d.claims),
    );
    const revived = { status: CIStatus.ACTIVE, staleSince: null, retiredAt: null, updatedAt: stamp.now, updatedBy: stamp.actor };
    await q.writeCis(cis.map((c) => guardedStatusWrite(c, revived)));
    await q.writeDependencies(dependencies.map((d) => guardedStatusWrite(d, { ...revived, status: null })));
    await q.history.record(
      [
        ...cis.map((c) => statusChange(ChangeEntity.CI, c.record.key, null, c.record.status, CIStatus.ACTIVE)),
        ...dependencies.map((d) => statusChange(ChangeEntity.DEPENDENCY, d.record.from, d.record.to, d.record.status ?? CIStatus.ACTIVE, CIStatus.ACTIVE)),
      ],
      stamp,
    );
    await q.deleteRevivals([revival.id]);
    await q.updateSync(sync.id, { cisRevived: cis.length, dependenciesRevived: dependencies.length });
  }

  // ---- abort and expiry -------------------------------------------------------------------------

  async abort(syncId: string, actor: Actor): Promise<SyncRecord> {
    const now = this.clock.now();
    const ended = await this.repository.write('discovery.abortSync', async (q) => {
      const sync = await q.lockSync(syncId, now.toISOString());
      if (!sync) throw DomainError.notFound(`No sync has id '${syncId}'`, { field: 'syncId' });
      if (sync.status === SyncStatus.ABORTED || sync.status === SyncStatus.EXPIRED) return sync;
      if (sync.status !== SyncStatus.OPEN) {
        const what = sync.status === 'COMMITTING' ? 'being committed' : 'committed';
        throw DomainError.conflict(`The sync ${sync.id} is ${what}; it cannot be aborted`, { syncId, status: sync.status === 'COMMITTING' ? SyncStatus.OPEN : sync.status });
      }
      const status = isOpenAt(sync, now) ? SyncStatus.ABORTED : SyncStatus.EXPIRED;
      await q.updateScope(sync.scopeKey, closedScopeProps);
      return q.updateSync(syncId, {}, { status, finishedAt: now.toISOString(), cleanupPending: true, endedBy: actor.name });
    });
    if (ended.cleanupPending) {
      this.countRun(ended, 'failed');
      await this.cleanup(ended.id, actor.name);
    }
    return this.findOrThrow(syncId);
  }

  /** Marks an OPEN sync past its expiry EXPIRED and undoes it; does nothing to any other. */
  async expire(syncId: string): Promise<void> {
    const now = this.clock.now();
    const expired = await this.repository.write('discovery.expireSync', async (q) => {
      const sync = await q.lockSync(syncId, now.toISOString());
      if (!sync || sync.status !== SyncStatus.OPEN || isOpenAt(sync, now)) return null;
      const [scope] = await q.scopes([sync.scopeKey]);
      if (scope.openSyncId === sync.id) await q.updateScope(sync.scopeKey, closedScopeProps);
      return q.updateSync(syncId, {}, { status: SyncStatus.EXPIRED, finishedAt: now.toISOString(), cleanupPending: true });
    });
    if (!expired) return;
    this.logger.log(`Sync ${syncId} of ${expired.source} expired; its pending reports are discarded`);
    this.countRun(expired, 'failed');
    await this.cleanup(syncId, SWEEP_ACTOR);
  }

  /**
   * Undoes the pending claims of an aborted or expired sync, ledger by
   * ledger. Nothing a committed sync reported loses its claim; an item left
   * with no claim at all (one this sync created) and no person behind it is
   * STALE, since nobody's committed view holds it.
   */
  async cleanup(syncId: string, actorName: string): Promise<void> {
    const sync = await this.findOrThrow(syncId);
    if (!sync.cleanupPending) return;
    const stamp = (): Stamp => ({ now: this.clock.now().toISOString(), actor: actorName, source: sync.source });
    const ledgers = await this.repository.read('discovery.ledgers', (q) => q.ledgerIdsOf(sync.id));
    for (const ledgerId of ledgers) {
      await this.withRetries('discovery.cleanupSync', async (q) => {
        const ledger = await q.findLedger(ledgerId);
        if (!ledger) return;
        const states = await this.scopeStates(q);
        const decide = (claims: ClaimMap) => undoClaim(claims, sync.scopeKey, sync.seq);
        const s = stamp();
        await this.applyToCis(q, ledger.ciKeys, decide, states, s);
        await this.applyToDependencies(q, ledger.dependencyFrom.map((from, i) => ({ from, to: ledger.dependencyTo[i] })), decide, states, s);
        await q.deleteLedgers([ledger.id]);
      });
    }
    await this.repository.write('discovery.cleanupSync.finish', async (q) => {
      await q.deleteRevivals(await q.revivalIdsOf(sync.id));
      await q.updateSync(sync.id, {}, { cleanupPending: false });
    });
  }

  // ---- shared item updates ----------------------------------------------------------------------

  /**
   * Applies a claim change (`decide` returns the new claims, or null for no
   * change) to the CIs of a ledger, marking STALE what then has no live claim.
   */
  private async applyToCis(
    q: SyncQueries,
    keys: readonly string[],
    decide: (claims: ClaimMap) => ClaimMap | null,
    states: ReadonlyMap<string, ScopeState>,
    stamp: Stamp,
  ): Promise<number> {
    const writes: GuardedWrite[] = [];
    const changes: NewChange[] = [];
    for (const ci of (await q.readCis(keys)).values()) {
      const claims = decide(ci.claims);
      if (!claims) continue;
      const stale = ci.record.status === CIStatus.ACTIVE && !ci.record.createdByPerson && !hasLiveClaim(claims, states);
      writes.push({
        elementId: ci.elementId,
        version: ci.record.version,
        claimRev: ci.claimRev,
        bump: stale ? 1 : 0,
        props: { claimsJson: stringifyClaims(claims), ...(stale ? { status: CIStatus.STALE, staleSince: stamp.now, updatedAt: stamp.now, updatedBy: stamp.actor } : {}) },
      });
      if (stale) changes.push(statusChange(ChangeEntity.CI, ci.record.key, null, CIStatus.ACTIVE, CIStatus.STALE));
    }
    await q.writeCis(writes);
    await q.history.record(changes, stamp);
    return changes.length;
  }

  private async applyToDependencies(
    q: SyncQueries,
    pairs: readonly { from: string; to: string }[],
    decide: (claims: ClaimMap) => ClaimMap | null,
    states: ReadonlyMap<string, ScopeState>,
    stamp: Stamp,
  ): Promise<number> {
    if (!pairs.length) return 0;
    const stored = await q.readDependenciesByKeys(pairs);
    const writes: GuardedWrite[] = [];
    const changes: NewChange[] = [];
    for (const dependency of stored.values()) {
      const claims = decide(dependency.claims);
      if (!claims) continue;
      const active = (dependency.record.status ?? CIStatus.ACTIVE) === CIStatus.ACTIVE;
      const stale = active && !dependency.record.createdByPerson && !hasLiveClaim(claims, states);
      writes.push({
        elementId: dependency.elementId,
        version: dependency.record.version,
        claimRev: dependency.claimRev,
        bump: stale ? 1 : 0,
        props: { claimsJson: stringifyClaims(claims), ...(stale ? { status: CIStatus.STALE, staleSince: stamp.now, updatedAt: stamp.now, updatedBy: stamp.actor } : {}) },
      });
      if (stale) changes.push(statusChange(ChangeEntity.DEPENDENCY, dependency.record.from, dependency.record.to, CIStatus.ACTIVE, CIStatus.STALE));
    }
    await q.writeDependencies(writes);
    await q.history.record(changes, stamp);
    return changes.length;
  }

  private async scopeStates(q: SyncQueries): Promise<Map<string, ScopeState>> {
    const now = this.clock.now();
    return new Map((await q.scopes(null)).map((s) => [s.key, scopeStateOf(s, now)]));
  }

  // ---- retirement and the periodic sweep --------------------------------------------------------

  /** Retires what has been STALE for longer than the grace period; returns how many CIs and dependencies. */
  async retireStale(): Promise<{ cis: number; dependencies: number }> {
    const total = { cis: 0, dependencies: 0 };
    for (;;) {
      const done = await this.withRetries('discovery.retire', async (q) => {
        const now = this.clock.now();
        const stamp = { now: now.toISOString(), actor: SWEEP_ACTOR, source: SWEEP_SOURCE };
        const cutoff = new Date(now.getTime() - this.discovery.staleGraceMs).toISOString();
        const cis = await q.staleCis(cutoff, RETIRE_CHUNK);
        const dependencies = await q.staleDependencies(cutoff, RETIRE_CHUNK);
        const retired = { status: CIStatus.RETIRED, retiredAt: stamp.now, updatedAt: stamp.now, updatedBy: SWEEP_ACTOR };
        await q.writeCis(cis.map((c) => guardedStatusWrite(c, retired)));
        await q.writeDependencies(dependencies.map((d) => guardedStatusWrite(d, retired)));
        await q.history.record(
          [
            ...cis.map((c) => statusChange(ChangeEntity.CI, c.record.key, null, CIStatus.STALE, CIStatus.RETIRED)),
            ...dependencies.map((d) => statusChange(ChangeEntity.DEPENDENCY, d.record.from, d.record.to, CIStatus.STALE, CIStatus.RETIRED)),
          ],
          stamp,
        );
        return { cis: cis.length, dependencies: dependencies.length };
      });
      total.cis += done.cis;
      total.dependencies += done.dependencies;
      if (done.cis < RETIRE_CHUNK && done.dependencies < RETIRE_CHUNK) return total;
    }
  }

  /**
   * What the periodic timer runs (and tests call): expire syncs past their
   * timeout, finish commits and clean-ups a stopped service left half-done,
   * retire what has been stale past the grace period. One at a time.
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.clock.now();
    const open = await this.repository.read('discovery.sweep', (q) => q.syncsByStatus([SyncStatus.OPEN, 'COMMITTING'], 1_000));
    for (const sync of open) {
      if (sync.status === SyncStatus.OPEN && !isOpenAt(sync, now)) await this.expire(sync.id);
      if (sync.status === 'COMMITTING') {
        const stuck = await this.repository.read('discovery.sweep', async (q) => {
          const fresh = await q.findSync(sync.id);
          return fresh?.status === 'COMMITTING' && (!fresh.lockedAt || Date.parse(fresh.lockedAt) < now.getTime() - STUCK_COMMIT_MS);
        });
        if (stuck) {
          this.logger.log(`Finishing the interrupted commit of sync ${sync.id}`);
          await this.finishCommit(sync, SWEEP_ACTOR);
        }
      }
    }
    for (const sync of await this.repository.read('discovery.sweep', (q) => q.syncsNeedingCleanup(100))) {
      await this.cleanup(sync.id, SWEEP_ACTOR);
    }
    await this.retireStale();
  }

  private async withRetries<T>(name: string, work: (q: SyncQueries) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.repository.write(name, work);
      } catch (error) {
        if (!(error instanceof WriteRaceError) || attempt >= RACE_ATTEMPTS) throw error;
      }
    }
  }

  private countRun(sync: SyncRecord, outcome: 'success' | 'failed'): void {
    const kind = sourceKind(sync.source);
    this.metrics?.syncRuns.inc({ source_kind: kind, outcome });
    const end = sync.committedAt ?? sync.finishedAt;
    if (end) this.metrics?.syncDuration.observe({ source_kind: kind, outcome }, Math.max(0, Date.parse(end) - Date.parse(sync.startedAt)) / 1000);
  }
}

/** True when a bucket's ledgers show this sync reported exactly the keys the previous view held (sameTally). */
function sameKeys(ledgers: readonly LedgerSummary[], seq: number): boolean {
  return sameTally(
    ledgers.filter((l) => l.seq === seq),
    ledgers.filter((l) => l.seq < seq),
  );
}

function guardedStatusWrite(item: StoredCi | StoredDependency, props: Record<string, unknown>): GuardedWrite {
  return { elementId: item.elementId, version: item.record.version, claimRev: item.claimRev, bump: 1, props };
}
