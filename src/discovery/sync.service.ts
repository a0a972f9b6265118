import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { keyProblem } from '../common/validation/text-rules';
import { ScopeState, scopeKeyOf } from './claims';
import { DISCOVERY_CONFIG, DiscoveryConfig } from './discovery.config';
import { assertMaySync, assertSourceAndScope } from './sync-access';
import { BatchOutcome, SyncBatchService } from './sync-batch.service';
import { SyncFinisher, isOpenAt, scopeStateOf } from './sync-finisher.service';
import { SyncRepository } from './sync.repository';
import { ScopeRecord, SyncRecord, SyncStatus } from './sync.types';

export interface SourceSyncRecord {
  scope: ScopeRecord;
  lastSync: SyncRecord | null;
  openSync: SyncRecord | null;
}

/**
 * The discovery sync API: begin a sync of a (source, scope), push batches,
 * commit or abort; read syncs and how fresh each source's view is.
 * Semantics in docs/discovery.md.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly repository: SyncRepository,
    private readonly batches: SyncBatchService,
    private readonly finisher: SyncFinisher,
    private readonly clock: Clock,
    @Inject(DISCOVERY_CONFIG) private readonly discovery: DiscoveryConfig,
  ) {}

  async beginSync(source: string, scope: string | null, actor: Actor): Promise<SyncRecord> {
    assertSourceAndScope(source, scope);
    assertMaySync(actor, source);
    const scopeKey = scopeKeyOf(source, scope);
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const { sync, expired } = await this.repository.write('discovery.beginSync', async (q) => {
      const state = await q.lockScope(scopeKey, source, scope ?? null, nowIso);
      let expired: string | null = null;
      if (state.openSyncId) {
        const open = await q.findSync(state.openSyncId);
        if (open && isOpenAt(open, now)) {
          throw DomainError.conflict(
            `A sync of ${scope ? `${source} (scope ${scope})` : source} is open: ${open.id}, ` +
              (open.status === 'COMMITTING' ? 'being committed' : `until ${open.expiresAt} unless a batch extends it`) +
              '; commit or abort it first',
            { openSyncId: open.id, expiresAt: open.expiresAt, source, scope },
          );
        }
        if (open?.status === SyncStatus.OPEN) {
          await q.updateSync(open.id, {}, { status: SyncStatus.EXPIRED, finishedAt: nowIso, cleanupPending: true });
          expired = open.id;
        }
      }
      const expiresAt = new Date(now.getTime() + this.discovery.syncTimeoutMs).toISOString();
      const sync = await q.createSync({
        id: randomUUID(),
        scopeKey,
        source,
        scope: scope ?? null,
        seq: state.nextSeq,
        status: SyncStatus.OPEN,
        startedAt: nowIso,
        expiresAt,
        lockedAt: nowIso,
        startedBy: actor.name,
        batches: 0,
        items: 0,
        cleanupPending: false,
      });
      await q.updateScope(scopeKey, { nextSeq: state.nextSeq + 1, openSyncId: sync.id, openSeq: sync.seq, openExpiresAt: expiresAt, openCommitting: false });
      return { sync, expired };
    });
    if (expired) await this.finisher.cleanup(expired, actor.name);
    return sync;
  }

  pushBatch(syncId: string, cis: unknown, dependencies: unknown, actor: Actor): Promise<BatchOutcome> {
    return this.batches.push(syncId, cis, dependencies, actor);
  }

  async commitSync(syncId: string, actor: Actor): Promise<SyncRecord> {
    assertMaySync(actor, (await this.finisher.findOrThrow(syncId)).source);
    return this.finisher.commit(syncId, actor);
  }

  async abortSync(syncId: string, actor: Actor): Promise<SyncRecord> {
    assertMaySync(actor, (await this.finisher.findOrThrow(syncId)).source);
    return this.finisher.abort(syncId, actor);
  }

  async findSync(id: string): Promise<SyncRecord | null> {
    if (keyProblem(id)) throw DomainError.badInput([{ path: 'id', message: 'is not a sync id' }]);
    return this.repository.read('discovery.sync', (q) => q.findSync(id));
  }

  /** Per (source, scope): its last committed sync (with the report) and the one now open. */
  async sourceSyncs(source: string | null): Promise<SourceSyncRecord[]> {
    if (source !== null && keyProblem(source)) throw DomainError.badInput([{ path: 'source', message: keyProblem(source)! }]);
    return this.repository.read('discovery.sourceSyncs', async (q) => {
      const scopes = await q.scopes(null, source);
      const ids = scopes.flatMap((s) => [s.lastCommittedSyncId, s.openSyncId]).filter((id): id is string => id !== null);
      const syncs = await q.findSyncs(ids);
      return scopes.map((scope) => ({
        scope,
        lastSync: scope.lastCommittedSyncId ? syncs.get(scope.lastCommittedSyncId) ?? null : null,
        openSync: scope.openSyncId ? syncs.get(scope.openSyncId) ?? null : null,
      }));
    });
  }

  /** What readers of claims need about each (source, scope) named. */
  async scopeStates(keys: string[]): Promise<Map<string, ScopeState>> {
    const now = this.clock.now();
    const scopes = await this.repository.read('discovery.scopes', (q) => q.scopes(keys));
    return new Map(scopes.map((s) => [s.key, scopeStateOf(s, now)]));
  }

  /** Runs the periodic sweep now (expiry, interrupted commits, retirement). */
  sweep(): Promise<void> {
    return this.finisher.sweep();
  }
}
