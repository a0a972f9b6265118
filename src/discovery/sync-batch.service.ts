import { Inject, Injectable, Optional } from '@nestjs/common';
import { Neo4jError } from 'neo4j-driver';
import { randomUUID } from 'node:crypto';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { storedProps } from '../topology/topology.repository';
import { CIInput } from '../topology/dto/ci.input';
import { DependencyInput } from '../topology/dto/dependency.input';
import { CIStatus } from '../topology/topology.vocabulary';
import { MetricsService } from '../observability/metrics.service';
import { validateSyncBatch } from './batch-validation';
import { DISCOVERY_CONFIG, DiscoveryConfig } from './discovery.config';
import { policyFor } from './precedence';
import { assertMaySync } from './sync-access';
import { SyncFinisher, isOpenAt, sourceKind } from './sync-finisher.service';
import { CiPlan, DependencyPlan, SyncContext, UnchangedItem, ciPlanChanges, isPlanned, planSyncCi, planSyncDependency, unchangedCi, unchangedDependency } from './sync-plan';
import { ciReportDigest, dependencyGroupDigest, dependencyReportDigest, markSalt, markValue } from './sync-mark';
import { GuardedWrite, MarkSeqs, MarkWrite, NewLedger, SyncQueries, SyncRepository, UNCHANGED, WriteRaceError, isUniquenessRace } from './sync.repository';
import { LEDGER_DIGEST_VERSION, bucketOf, keyDigest, tallyKey } from './claims';
import { BatchCounts, SyncRecord } from './sync.types';

export interface BatchOutcome {
  sync: SyncRecord;
  cis: BatchCounts;
  dependencies: BatchCounts;
}

/** Thrown inside a batch's transaction to roll it back when its sync closed while it was written. */
class ClosedMeanwhile extends Error {}

/** How many syncs' sources a service keeps in memory (the oldest is forgotten first). */
const KNOWN_SOURCES = 10_000;

/** How often a batch is retried when another writer changed the same items meanwhile. */
const RACE_ATTEMPTS = 5;

const identifierId = (kind: string, value: string) => `${kind} ${value}`;
const pairId = (p: { from: string; to: string }) => `${p.from}->${p.to}`;

/** A CI or dependency of a batch: planned in full, or skipped as its sync mark held (sync-mark.ts). */
type CiItem = CiPlan | (UnchangedItem & { key: string });
type DependencyItem = DependencyPlan | (UnchangedItem & { from: string; to: string });

/** What a batch needs to leave and check sync marks: the digests' salt, and the seqs a claim must fall within. */
interface MarkContext extends MarkSeqs {
  salt: string;
}

/**
 * One batch of a sync, in one transaction (batches of one sync may run
 * concurrently; the sync is locked only at the end): validate the whole batch, find
 * the CIs it names (by key, alias or identifier), plan with precedence,
 * write creates, updates and claims, record history, and note what the sync
 * reported in a ledger for the commit.
 */
@Injectable()
export class SyncBatchService {
  constructor(
    private readonly repository: SyncRepository,
    private readonly finisher: SyncFinisher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DISCOVERY_CONFIG) private readonly discovery: DiscoveryConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * Sync id -> its source, which never changes: a sync's later batches are
   * checked for access without a read of their own. Whether the sync still
   * takes batches is checked in the batch's transaction.
   */
  private readonly sources = new Map<string, string>();

  private async sourceOf(syncId: string): Promise<{ source: string; sync: SyncRecord | null }> {
    const known = this.sources.get(syncId);
    if (known !== undefined) return { source: known, sync: null };
    const sync = await this.finisher.findOrThrow(syncId);
    if (this.sources.size >= KNOWN_SOURCES) this.sources.delete(this.sources.keys().next().value!);
    this.sources.set(syncId, sync.source);
    return { source: sync.source, sync };
  }

  async push(syncId: string, cisInput: unknown, dependenciesInput: unknown, actor: Actor): Promise<BatchOutcome> {
    const { source, sync: read } = await this.sourceOf(syncId);
    assertMaySync(actor, source);
    let batch: { cis: CIInput[]; dependencies: DependencyInput[] };
    try {
      batch = validateSyncBatch(cisInput, dependenciesInput, this.config.limits.maxBatchSize);
    } catch (error) {
      const rejected = (Array.isArray(cisInput) ? cisInput.length : 0) + (Array.isArray(dependenciesInput) ? dependenciesInput.length : 0);
      this.metrics?.syncItems.inc({ source_kind: sourceKind(source), outcome: 'rejected' }, rejected);
      throw error;
    }
    if (read && !isOpenAt(read, this.clock.now())) await this.finisher.refuseClosed(read);
    const policy = policyFor(this.discovery.precedence, source);
    const ranks = new Map<string, number>();
    const rankOf = (source: string) => {
      if (!ranks.has(source)) ranks.set(source, policyFor(this.discovery.precedence, source).rank);
      return ranks.get(source)!;
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.repository.write('discovery.pushSyncBatch', (q) =>
          this.pushIn(q, syncId, batch.cis, batch.dependencies, actor, (ctx) => ({ ...ctx, policy, rankOf })),
        );
        if (outcome === 'closed') return this.finisher.refuseClosed(await this.finisher.findOrThrow(syncId));
        const kind = sourceKind(source);
        for (const outcomeName of ['created', 'updated', 'unchanged'] as const) {
          const n = outcome.cis[outcomeName] + outcome.dependencies[outcomeName];
          if (n) this.metrics?.syncItems.inc({ source_kind: kind, outcome: outcomeName }, n);
        }
        return outcome;
      } catch (error) {
        if (error instanceof ClosedMeanwhile) return this.finisher.refuseClosed(await this.finisher.findOrThrow(syncId));
        // A deadlock with another batch (two batches of one sync lock shared providers in their own
        // order) outlives the driver's retries when a batch takes longer than their time limit.
        const race = error instanceof WriteRaceError || isUniquenessRace(error) || Neo4jError.isRetryable(error);
        if (!race) throw error;
        if (attempt >= RACE_ATTEMPTS) {
          throw DomainError.conflict(`Other writers kept changing the items of this batch (${(error as Error).message}); push it again`);
        }
        // Apart by a random pause, so two batches that collided do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * attempt));
      }
    }
  }

  private async pushIn(
    q: SyncQueries,
    syncId: string,
    cis: CIInput[],
    dependencies: DependencyInput[],
    actor: Actor,
    withPolicy: (ctx: Omit<SyncContext, 'policy' | 'rankOf'>) => SyncContext,
  ): Promise<BatchOutcome | 'closed'> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    // Read, not locked: batches of one sync may write side by side. The sync is locked
    // at the end, where its counters are added to, and checked again there.
    const found = await q.findSyncWithScope(syncId);
    if (!found || !isOpenAt(found.sync, now) || found.sync.status !== 'OPEN') return 'closed';
    const { sync, scope } = found;
    const ctx = withPolicy({ scopeKey: sync.scopeKey, source: sync.source, seq: sync.seq, lastCommittedSeq: scope.lastCommittedSeq, now: nowIso });
    const stamp = { now: nowIso, actor: actor.name, source: sync.source };
    const marks: MarkContext = { salt: markSalt(sync.scopeKey, this.discovery.precedence), seq: sync.seq, committedSeq: scope.lastCommittedSeq };

    const { plans: ciPlans, keyOf, digests, toMark } = await this.planCis(q, cis, ctx, marks);
    await this.writeCis(q, ciPlans, digests, marks.seq, stamp);
    await q.markItems('ci', toMark);
    const dependencyPlans = await this.syncDependencies(q, dependencies, keyOf, ctx, marks, stamp);
    await q.history.record(
      [...ciPlanChanges(ciPlans.filter(isPlanned)), ...dependencyPlans.flatMap((p) => (isPlanned(p) && p.change ? [p.change] : []))],
      stamp,
    );

    await q.createLedgers(ledgersOf(ciPlans, dependencyPlans, { syncId, scopeKey: sync.scopeKey, seq: sync.seq, at: nowIso }));
    const revivedCis = ciPlans.filter((p) => p.revive);
    const revivedDependencies = dependencyPlans.filter((p) => p.revive);
    if (revivedCis.length || revivedDependencies.length) {
      await q.createRevival({
        id: randomUUID(),
        syncId,
        cis: revivedCis.map((p) => p.key),
        dependencyFrom: revivedDependencies.map((p) => p.from),
        dependencyTo: revivedDependencies.map((p) => p.to),
      });
    }
    const ciCounts = countsOf(ciPlans);
    const dependencyCounts = countsOf(dependencyPlans);
    const expiresAt = new Date(now.getTime() + this.discovery.syncTimeoutMs).toISOString();
    // Unchanged items are counted by the commit, once each however often they were pushed.
    const locked = await q.lockAndUpdateSync(
      syncId,
      nowIso,
      {
        batches: 1,
        items: cis.length + dependencies.length,
        cisCreated: ciCounts.created,
        cisUpdated: ciCounts.updated,
        dependenciesCreated: dependencyCounts.created,
        dependenciesUpdated: dependencyCounts.updated,
      },
      { expiresAt },
      { openExpiresAt: expiresAt },
    );
    // A commit, abort or expiry that came first wins: this batch's writes, these counts included, are rolled back.
    if (!locked || !isOpenAt(locked.before, now) || locked.before.status !== 'OPEN') throw new ClosedMeanwhile();
    return { sync: locked.after, cis: ciCounts, dependencies: dependencyCounts };
  }

  /**
   * Finds the CI each input names: its key, else an alias, else (for a new
   * key) an identifier carried by a CI of the same kind, which then gets the
   * key as an alias. Two inputs naming one CI are refused. A CI found by its
   * key whose sync mark holds for the report is not read; one found by its key
   * that plans to `none` gets the mark (`toMark`).
   */
  private async planCis(
    q: SyncQueries,
    cis: CIInput[],
    ctx: SyncContext,
    marks: MarkContext,
  ): Promise<{ plans: CiItem[]; keyOf: Map<string, string>; digests: string[]; toMark: MarkWrite[] }> {
    if (!cis.length) return { plans: [], keyOf: new Map(), digests: [], toMark: [] };
    const keys = cis.map((c) => c.key);
    const digests = cis.map((c) => ciReportDigest(marks.salt, c));
    const stored = await q.readCisForSync(keys.map((key, index) => ({ key, digest: digests[index] })), marks);
    const unknown = keys.filter((k) => !stored.has(k));
    const aliases = await q.resolveAliases(unknown);
    const identifierIds = cis
      .filter((c) => !stored.has(c.key) && !aliases.has(c.key))
      .flatMap((c) => (c.identifiers ?? []).map((i) => identifierId(c.kind, i)));
    const identified = await q.resolveIdentifiers([...new Set(identifierIds)]);

    const problems: FieldProblem[] = [];
    const targets: { key: string; alias: string | null }[] = [];
    const claimedBy = new Map<string, number>();
    const newIdentifiers = new Map<string, number>();
    cis.forEach((item, index) => {
      let target: { key: string; alias: string | null } = { key: item.key, alias: null };
      if (!stored.has(item.key)) {
        if (aliases.has(item.key)) target = { key: aliases.get(item.key)!, alias: null };
        else {
          const match = (item.identifiers ?? []).map((i) => identified.get(identifierId(item.kind, i))).find((k) => k !== undefined);
          if (match) target = { key: match, alias: item.key };
          else {
            for (const identifier of item.identifiers ?? []) {
              const other = newIdentifiers.get(identifierId(item.kind, identifier));
              if (other !== undefined) {
                problems.push({
                  path: `cis[${index}].identifiers`,
                  message: `identifier '${identifier}' also names cis[${other}] (${cis[other].key}), a new ${item.kind} of this batch: report one CI once`,
                });
              }
              newIdentifiers.set(identifierId(item.kind, identifier), index);
            }
          }
        }
      }
      const earlier = claimedBy.get(target.key);
      if (earlier !== undefined) {
        problems.push({ path: `cis[${index}].key`, message: `names the same CI as cis[${earlier}] ('${target.key}'): report it once per batch` });
      }
      claimedBy.set(target.key, index);
      targets.push(target);
    });
    if (problems.length) throw DomainError.badInput(problems);

    const reportedKeys = new Set(keys);
    const extra = [...new Set(targets.map((t) => t.key).filter((k) => !stored.has(k) && !reportedKeys.has(k)))];
    for (const [key, ci] of await q.readCis(extra)) stored.set(key, ci);
    const toMark: MarkWrite[] = [];
    const plans = cis.map((item, index): CiItem => {
      const target = targets[index];
      const ci = stored.get(target.key);
      if (ci === UNCHANGED) return unchangedCi(index, target.key);
      const plan = planSyncCi(index, item, target.key, ci, target.alias, ctx);
      // The digest is of the report under its own key: a CI reached through an alias or identifier is not marked.
      if (plan.operation === 'none' && !plan.revive && ci && target.key === item.key) toMark.push(markOf(ci, digests[index], ctx.scopeKey));
      return plan;
    });
    return { plans, keyOf: new Map(cis.map((c, i) => [c.key, targets[i].key])), digests, toMark };
  }

  private async writeCis(q: SyncQueries, items: CiItem[], digests: string[], seq: number, stamp: { now: string; actor: string; source: string }): Promise<void> {
    const plans = items.filter(isPlanned);
    const creates = plans.filter((p) => p.operation === 'create');
    await q.createCis(
      creates.map((p) => ({
        ...withoutNulls(storedProps(p.write)),
        ...withoutNulls({ ...p.provenance, personFields: null }),
        key: p.key,
        identifiers: p.identifiers.length ? p.identifiers : null,
        status: CIStatus.ACTIVE,
        version: 1,
        createdAt: stamp.now,
        updatedAt: stamp.now,
        createdBy: stamp.actor,
        updatedBy: stamp.actor,
        // Created as reported (under its own key: a CI is created only when nothing else answers to it).
        syncMark: markValue(digests[p.index], 1, 0),
        syncMarkSeq: seq,
        // Left out as they read the same when absent: claimRev 0, createdByPerson false, personFields none.
      })),
    );
    const writes: GuardedWrite[] = plans
      .filter((p) => p.operation === 'update' || p.operation === 'provenance')
      .map((p) => ({
        elementId: p.base!.elementId,
        version: p.base!.version,
        claimRev: p.base!.claimRev,
        bump: p.operation === 'update' ? 1 : 0,
        props: {
          ...(p.operation === 'update'
            ? { ...storedProps(p.write), identifiers: p.identifiers.length ? p.identifiers : null, aliases: p.aliases.length ? p.aliases : null, updatedAt: stamp.now, updatedBy: stamp.actor }
            : {}),
          ...p.provenance,
        },
      }));
    await q.writeCis(writes);
    await q.registerNames(
      plans.flatMap((p) => (p.newAlias ? [{ key: p.newAlias, ciKey: p.key }] : [])),
      plans.flatMap((p) => p.newIdentifiers.map((i) => ({ id: identifierId(p.write.fields.kind, i), ciKey: p.key }))),
      stamp.now,
    );
  }

  /**
   * One pass per dependency: find its two ends by key, read the dependency
   * between them, and create it when there is none (planned as new up
   * front). Ends not found by key are looked up as aliases and the rest is
   * passed again; ends still missing are refused by name (the transaction,
   * creations included, rolls back). Existing dependencies whose sync mark
   * holds are not read; the others are planned against what is stored and
   * written, or marked when they plan to `none`.
   */
  private async syncDependencies(
    q: SyncQueries,
    dependencies: DependencyInput[],
    keyOf: Map<string, string>,
    ctx: SyncContext,
    marks: MarkContext,
    stamp: { now: string; actor: string },
  ): Promise<DependencyItem[]> {
    if (!dependencies.length) return [];
    const named = dependencies.map((d) => ({ ...d, from: keyOf.get(d.from) ?? d.from, to: keyOf.get(d.to) ?? d.to }));
    assertDistinctPairs(named);
    const plans: (DependencyItem | undefined)[] = new Array(named.length);
    // First by consumer: a group whose mark holds is unchanged as a whole (see sync-mark.ts). Before
    // the scope's first commit no mark can hold but this sync's own, so none is looked for.
    const groups = [...consumerGroups(named)].map(([from, indexes]) => ({ from, indexes, digest: dependencyGroupDigest(marks.salt, indexes.map((i) => named[i])) }));
    const held = new Set(marks.committedSeq === null ? [] : await q.heldDependencyGroups(groups, marks));
    const open = groups.filter((_, g) => !held.has(g));
    for (const g of held) for (const index of groups[g].indexes) plans[index] = unchangedDependency(index, named[index].from, named[index].to);
    const groupOf = new Map(open.flatMap((group, g) => group.indexes.map((index) => [index, g])));
    const newFor = createPropsOf(ctx, marks, stamp);
    const toMark: MarkWrite[] = [];
    // The first pass leaves group marks (its rows are whole groups); the pass through aliases does not.
    const pass = async (indexes: number[], items: DependencyInput[], grouped: boolean) => {
      const found = await q.readOrCreateDependencies(
        indexes.map((index) => ({ index, from: items[index].from, to: items[index].to, variant: newFor(items[index]), group: grouped ? groupOf.get(index) : undefined })),
        marks,
        grouped ? { digests: open.map((g) => g.digest), sizes: open.map((g) => g.indexes.length) } : undefined,
      );
      for (const index of indexes) {
        const row = found.get(index);
        if (!row) continue;
        const { from, to } = items[index];
        const stored = row.created ? undefined : row.stored;
        if (stored === UNCHANGED) {
          plans[index] = unchangedDependency(index, from, to);
          continue;
        }
        const plan = planSyncDependency(index, items[index], stored, ctx);
        // A dependency's digest is of its type and strength only, so it holds however its ends were named.
        if (plan.operation === 'none' && !plan.revive && stored) toMark.push(markOf(stored, newFor(items[index]).digest, ctx.scopeKey));
        plans[index] = plan;
      }
    };
    await pass(open.flatMap((g) => g.indexes), named, true);
    let unmatched = named.flatMap((_, index) => (plans[index] ? [] : [index]));
    if (unmatched.length) {
      const unknown = [...new Set(unmatched.flatMap((index) => [named[index].from, named[index].to]))];
      const direct = await q.ciIds(unknown);
      const aliases = await q.resolveAliases(unknown.filter((k) => !direct.has(k)));
      const missing = unknown.filter((k) => !direct.has(k) && !aliases.has(k));
      if (missing.length) {
        const gone = new Set(missing);
        const problems: FieldProblem[] = [];
        dependencies.forEach((d, index) => {
          if (gone.has(named[index].from)) problems.push({ path: `dependencies[${index}].from`, message: `no CI has key '${d.from}'` });
          if (gone.has(named[index].to)) problems.push({ path: `dependencies[${index}].to`, message: `no CI has key '${d.to}'` });
        });
        throw DomainError.notFound(`Dependencies name CIs that do not exist: ${missing.join(', ')}`, { missingKeys: missing, field: problems[0].path, problems });
      }
      const resolved = named.map((d) => ({ ...d, from: aliases.get(d.from) ?? d.from, to: aliases.get(d.to) ?? d.to }));
      assertDistinctPairs(resolved);
      await pass(unmatched, resolved, false);
      unmatched = unmatched.filter((index) => !plans[index]);
      // Only if a CI was deleted between the two passes.
      if (unmatched.length) throw new WriteRaceError(`the ends of ${unmatched.length} dependencies`);
    }
    const done = plans as DependencyItem[];
    await q.markItems('dependency', toMark);
    await q.writeDependencies(
      done
        .filter(isPlanned)
        .filter((p) => p.operation === 'update' || p.operation === 'provenance')
        .map((p) => ({
          elementId: p.base!.elementId,
          version: p.base!.version,
          claimRev: p.base!.claimRev,
          bump: p.operation === 'update' ? 1 : 0,
          props: {
            ...(p.operation === 'update' ? { type: p.type, strength: p.strength, updatedAt: stamp.now, updatedBy: stamp.actor } : {}),
            ...p.provenance,
          },
        })),
    );
    return done;
  }
}

/**
 * What a new dependency is created with, and the digest of its report,
 * planned once per reported type and strength (a new dependency's plan
 * depends on nothing else but the sync), so rows that are alike share one object.
 */
function createPropsOf(
  ctx: SyncContext,
  marks: MarkContext,
  stamp: { now: string; actor: string },
): (item: DependencyInput) => { props: Record<string, unknown>; digest: string } {
  const made = new Map<string, { props: Record<string, unknown>; digest: string }>();
  return (item) => {
    const id = `${item.type ?? ''} ${item.strength ?? ''}`;
    let variant = made.get(id);
    if (!variant) {
      const digest = dependencyReportDigest(marks.salt, item);
      const plan = planSyncDependency(-1, { from: '', to: '', type: item.type, strength: item.strength }, undefined, ctx);
      const { claimsJson, setByJson, overriddenJson } = plan.provenance;
      const props = {
        ...withoutNulls({ claimsJson, setByJson, overriddenJson }),
        type: plan.type,
        strength: plan.strength,
        version: 1,
        createdAt: stamp.now,
        updatedAt: stamp.now,
        createdBy: stamp.actor,
        updatedBy: stamp.actor,
        syncMark: markValue(digest, 1, 0),
        syncMarkSeq: marks.seq,
      };
      variant = { props, digest };
      made.set(id, variant);
    }
    return variant;
  };
}

/** The rows of a batch by the CI they go out of, in first-seen order. */
function consumerGroups(dependencies: readonly { from: string }[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  dependencies.forEach((d, index) => {
    const group = groups.get(d.from);
    if (group) group.push(index);
    else groups.set(d.from, [index]);
  });
  return groups;
}

/** The mark for an item read in full whose report planned to `none`: its claim by the scope is the one that counts. */
function markOf(item: { elementId: string; record: { version: number }; claimRev: number; claims: Record<string, [number, string]> }, digest: string, scopeKey: string): MarkWrite {
  const { version } = item.record;
  return { elementId: item.elementId, version, claimRev: item.claimRev, mark: markValue(digest, version, item.claimRev), seq: item.claims[scopeKey][0] };
}

/** After aliases are resolved, two inputs may name one dependency, or a dependency may name one CI twice. */
function assertDistinctPairs(dependencies: readonly { from: string; to: string }[]): void {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  dependencies.forEach((d, index) => {
    if (d.from === d.to) problems.push({ path: `dependencies[${index}].to`, message: `names the same CI as 'from' ('${d.from}', through an alias)` });
    const earlier = seen.get(pairId(d));
    if (earlier !== undefined) problems.push({ path: `dependencies[${index}]`, message: `names the same dependency as dependencies[${earlier}] (${pairId(d)}, through an alias)` });
    seen.set(pairId(d), index);
  });
  if (problems.length) throw DomainError.badInput(problems);
}

/** The batch's reported keys, split into ledger buckets. */
function ledgersOf(cis: readonly CiItem[], dependencies: readonly DependencyItem[], base: { syncId: string; scopeKey: string; seq: number; at: string }): NewLedger[] {
  const buckets = new Map<number, NewLedger>();
  const bucket = (b: number) => {
    let ledger = buckets.get(b);
    if (!ledger) {
      ledger = {
        ...base,
        id: randomUUID(),
        bucket: b,
        ciKeys: [],
        dependencyFrom: [],
        dependencyTo: [],
        ciCount: 0,
        dependencyCount: 0,
        count: 0,
        digestHigh: 0,
        digestLow: 0,
        digestVersion: LEDGER_DIGEST_VERSION,
      };
      buckets.set(b, ledger);
    }
    return ledger;
  };
  for (const ci of cis) {
    const ledger = bucket(bucketOf(ci.key));
    ledger.ciKeys.push(ci.key);
    ledger.ciCount++;
    tallyKey(ledger, keyDigest(ci.key));
  }
  for (const d of dependencies) {
    const ledger = bucket(bucketOf(d.from, d.to));
    ledger.dependencyFrom.push(d.from);
    ledger.dependencyTo.push(d.to);
    ledger.dependencyCount++;
    tallyKey(ledger, keyDigest(d.from, d.to));
  }
  return [...buckets.values()];
}

function countsOf(plans: readonly { operation: string }[]): BatchCounts {
  const created = plans.filter((p) => p.operation === 'create').length;
  const updated = plans.filter((p) => p.operation === 'update').length;
  return { created, updated, unchanged: plans.length - created - updated };
}

function withoutNulls(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null && v !== undefined));
}

