import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { validateList } from '../common/validation/validate-input';
import { assertUnique, validateKeys } from '../common/validation/validate-keys';
import { ChangeOperation } from '../history/history.types';
import { ciDeletionChanges, ciWriteChanges, dependencyChange, dependencyDeletionChanges } from './change-log';
import { PlannedCiWrite, planCiWrite } from './ci-changes';
import { CIInput } from './dto/ci.input';
import { DependencyInput, DependencyRefInput } from './dto/dependency.input';
import { TopologyRepository, WriteStamp } from './topology.repository';
import { CiFilter, CiPatch, CiRecord, DependencyWithEnds } from './topology.types';
import { DependencyStrength, DependencyType } from './topology.vocabulary';

export interface CiPage {
  items: CiRecord[];
  total: number;
  hasNextPage: boolean;
}

export interface UpsertCisOutcome {
  cis: CiRecord[];
  created: number;
  updated: number;
  unchanged: number;
  plans: PlannedCiWrite[];
}

export interface UpsertDependenciesOutcome {
  dependencies: DependencyWithEnds[];
  created: number;
  updated: number;
  unchanged: number;
}

export interface DeleteOutcome {
  deleted: number;
  notFound: string[];
  detachedDependencies: number;
}

/** The source recorded for edits made through the GraphQL API. */
export const API_SOURCE = 'api';

const pairId = (p: { from: string; to: string }) => `${p.from}->${p.to}`;
/** How many dependents a CONFLICT on delete lists per key. */
const DEPENDENTS_SHOWN = 20;

/** A page of one CI's dependencies or dependents: after the other end's key `after`, at most `first`. */
export interface NeighbourPage {
  first?: number | null;
  after?: string | null;
}

@Injectable()
export class TopologyService {
  constructor(
    private readonly repository: TopologyRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async findCi(key: string): Promise<CiRecord | null> {
    validateKeys([key], 'key', 1);
    // The alias lookup only follows a miss; the two need no common snapshot.
    return this.repository.readEach('topology.ci', async (q) => {
      const found = await q.findCis([key]);
      // A discovery sync that identified a CI by an identifier keeps the source's own key as an alias.
      return found.get(key) ?? (await q.findByAliases([key])).get(key) ?? null;
    });
  }

  /** Several CIs by key; absent keys are simply not in the map. */
  async findCis(keys: readonly string[]): Promise<Map<string, CiRecord>> {
    return this.repository.read('topology.cis.byKey', (q) => q.findCis(keys));
  }

  async listCis(filter: CiFilter, first: number | undefined, after: string | undefined): Promise<CiPage> {
    const limit = first ?? 50;
    if (!Number.isInteger(limit) || limit < 0 || limit > this.config.limits.maxPageSize) {
      throw DomainError.badInput([{ path: 'first', message: `must be from 0 to ${this.config.limits.maxPageSize}` }]);
    }
    const afterKey = after === undefined || after === null ? null : decodeCursor(after);
    const { items, total } = await this.repository.read('topology.cis', (q) => q.listCis(filter, afterKey, limit + 1));
    return { items: items.slice(0, limit), total, hasNextPage: items.length > limit };
  }

  /**
   * Dependencies (direction 'providers') or dependents ('consumers') of several CIs, grouped by CI
   * key, each CI's ordered by the other end's key; with a page, each CI's list starts after the key
   * `after` and holds at most `first` (a hub's thousands of dependents come a page at a time).
   */
  async neighbours(keys: string[], direction: 'providers' | 'consumers', page: NeighbourPage = {}): Promise<Map<string, DependencyWithEnds[]>> {
    const first = page.first ?? null;
    if (first !== null && (!Number.isInteger(first) || first < 0 || first > this.config.limits.maxPageSize)) {
      throw DomainError.badInput([{ path: 'first', message: `must be from 0 to ${this.config.limits.maxPageSize}` }]);
    }
    const paged = first !== null || (page.after ?? null) !== null ? { first, after: page.after ?? null } : null;
    const edges = await this.repository.read(`topology.${direction}`, (q) => q.neighbours(keys, direction, paged));
    const grouped = new Map<string, DependencyWithEnds[]>();
    for (const edge of edges) {
      const owner = direction === 'providers' ? edge.from : edge.to;
      const list = grouped.get(owner);
      // Pushed, not copied: a hub's 20,000 dependents would otherwise copy the list 20,000 times.
      if (list) list.push(edge);
      else grouped.set(owner, [edge]);
    }
    return grouped;
  }

  /** How many dependencies (direction 'providers') or dependents ('consumers') each of several CIs has. */
  async neighbourCounts(keys: string[], direction: 'providers' | 'consumers'): Promise<Map<string, number>> {
    return this.repository.read(`topology.${direction}.count`, (q) => q.neighbourCounts(keys, direction));
  }

  async upsertCis(input: unknown, actor: Actor, source = API_SOURCE): Promise<UpsertCisOutcome> {
    const items = validateList(CIInput, input, 'input', this.config.limits.maxBatchSize);
    const withIdentifiers: FieldProblem[] = items.flatMap((item, index) =>
      item.identifiers?.length ? [{ path: `input[${index}].identifiers`, message: 'identifiers are taken by discovery syncs only (pushSyncBatch)' }] : [],
    );
    if (withIdentifiers.length) throw DomainError.badInput(withIdentifiers);
    const keys = items.map((i) => i.key);
    assertUnique(keys, (i) => `input[${i}].key`, 'key');
    const stamp = this.stamp(actor, source);
    return this.repository.write('topology.upsertCIs', async (q) => {
      const existing = await q.findCis(keys);
      this.assertExpectedVersions(items, existing);
      const plans = items.map((item) => planCiWrite(existing.get(item.key), toPatch(item)));
      const creates = plans.filter((p) => p.isNew);
      const updates = plans.filter((p) => !p.isNew && p.changes.length > 0);
      await q.createCis(creates, stamp);
      const raced = await q.updateCis(
        updates.map((write) => ({ write, baseVersion: existing.get(write.key)!.version })),
        stamp,
      );
      if (raced.length) {
        throw DomainError.conflict(`CIs changed while this call was running: ${raced.join(', ')}; read them again and retry`, { keys: raced });
      }
      await q.history.record(ciWriteChanges(plans), stamp);
      const stored = await q.findCis(keys);
      return {
        cis: keys.map((k) => stored.get(k)!),
        created: creates.length,
        updated: updates.length,
        unchanged: plans.length - creates.length - updates.length,
        plans,
      };
    });
  }

  async deleteCis(input: unknown, detach: boolean, actor: Actor, source = API_SOURCE): Promise<DeleteOutcome> {
    const keys = [...new Set(validateKeys(input, 'keys', this.config.limits.maxBatchSize))];
    const stamp = this.stamp(actor, source);
    return this.repository.write('topology.deleteCIs', async (q) => {
      const existing = await q.findCis(keys);
      const present = keys.filter((k) => existing.has(k));
      const notFound = keys.filter((k) => !existing.has(k));
      if (!detach) {
        const dependents = await q.outsideDependents(present, DEPENDENTS_SHOWN);
        if (dependents.size) {
          const listed = [...dependents].map(([k, ds]) => `${k} (needed by ${ds.join(', ')})`).join('; ');
          throw DomainError.conflict(
            `Cannot delete CIs that others depend on: ${listed}. Remove those dependencies first or pass detach: true`,
            { dependents: Object.fromEntries(dependents) },
          );
        }
      }
      const { deleted, dependencies } = await q.deleteCis(present);
      await q.history.record(
        [...dependencyDeletionChanges(dependencies), ...ciDeletionChanges(deleted.map((k) => existing.get(k)!))],
        stamp,
      );
      return { deleted: deleted.length, notFound, detachedDependencies: dependencies.length };
    });
  }

  async upsertDependencies(input: unknown, actor: Actor, source = API_SOURCE): Promise<UpsertDependenciesOutcome> {
    const items = validateList(DependencyInput, input, 'input', this.config.limits.maxBatchSize);
    const selfProblems: FieldProblem[] = items.flatMap((item, index) =>
      item.from === item.to ? [{ path: `input[${index}].to`, message: `must differ from 'from': '${item.from}' cannot depend on itself` }] : [],
    );
    if (selfProblems.length) throw DomainError.badInput(selfProblems);
    assertUnique(items.map(pairId), (i) => `input[${i}]`, 'dependency');
    const stamp = this.stamp(actor, source);
    return this.repository.write('topology.upsertDependencies', async (q) => {
      await this.assertEndpointsExist(q.missingKeys.bind(q), items);
      const existing = await q.findDependencies(items);
      const creates: (DependencyInput & { type: string; strength: string })[] = [];
      const updates: (DependencyInput & { type: string; strength: string; baseVersion: number })[] = [];
      for (const item of items) {
        const before = existing.get(pairId(item));
        const type = item.type ?? before?.type ?? DependencyType.USES;
        const strength = item.strength ?? before?.strength ?? DependencyStrength.HARD;
        if (!before) creates.push({ ...item, type, strength });
        else if (before.type !== type || before.strength !== strength) updates.push({ ...item, type, strength, baseVersion: before.version });
      }
      await q.createDependencies(creates, stamp);
      const raced = await q.updateDependencies(updates, stamp);
      if (raced.length) {
        throw DomainError.conflict(`Dependencies changed while this call was running: ${raced.join(', ')}; retry`, { dependencies: raced });
      }
      await q.history.record(
        [
          ...creates.map((c) => dependencyChange(ChangeOperation.CREATE, c, null, c)),
          ...updates.map((u) => dependencyChange(ChangeOperation.UPDATE, u, existing.get(pairId(u))!, u)),
        ],
        stamp,
      );
      const stored = await q.neighbours([...new Set(items.map((i) => i.from))], 'providers');
      const byPair = new Map(stored.map((d) => [pairId(d), d]));
      return {
        dependencies: items.map((i) => byPair.get(pairId(i))!),
        created: creates.length,
        updated: updates.length,
        unchanged: items.length - creates.length - updates.length,
      };
    });
  }

  async deleteDependencies(input: unknown, actor: Actor, source = API_SOURCE): Promise<DeleteOutcome> {
    const items = validateList(DependencyRefInput, input, 'input', this.config.limits.maxBatchSize);
    const unique = [...new Map(items.map((i) => [pairId(i), { from: i.from, to: i.to }])).values()];
    const stamp = this.stamp(actor, source);
    return this.repository.write('topology.deleteDependencies', async (q) => {
      const deleted = await q.deleteDependencies(unique);
      await q.history.record(dependencyDeletionChanges(deleted), stamp);
      const gone = new Set(deleted.map(pairId));
      return { deleted: gone.size, notFound: unique.map(pairId).filter((p) => !gone.has(p)), detachedDependencies: 0 };
    });
  }

  async countCis(): Promise<number> {
    return this.repository.read('topology.count', (q) => q.countCis());
  }

  private stamp(actor: Actor, source: string): WriteStamp {
    return { now: this.clock.now().toISOString(), actor: actor.name, person: actor.person, source };
  }

  private assertExpectedVersions(items: CIInput[], existing: Map<string, CiRecord>): void {
    const conflicts = items
      .filter((i) => i.expectedVersion !== undefined && i.expectedVersion !== null)
      .map((i) => ({ key: i.key, expected: i.expectedVersion!, actual: existing.get(i.key)?.version ?? 0 }))
      .filter((c) => c.expected !== c.actual);
    if (conflicts.length) {
      const words = conflicts.map((c) => `${c.key} is at version ${c.actual}, not ${c.expected}`).join('; ');
      throw DomainError.conflict(`Version conflict: ${words}. Read it again and retry`, { conflicts });
    }
  }

  private async assertEndpointsExist(missingKeys: (keys: string[]) => Promise<string[]>, items: DependencyRef[]): Promise<void> {
    const missing = new Set(await missingKeys(items.flatMap((i) => [i.from, i.to])));
    if (!missing.size) return;
    const problems: FieldProblem[] = [];
    items.forEach((item, index) => {
      if (missing.has(item.from)) problems.push({ path: `input[${index}].from`, message: `no CI has key '${item.from}'` });
      if (missing.has(item.to)) problems.push({ path: `input[${index}].to`, message: `no CI has key '${item.to}'` });
    });
    throw DomainError.notFound(`Dependencies name CIs that do not exist: ${[...missing].join(', ')}`, {
      missingKeys: [...missing],
      field: problems[0].path,
      problems,
    });
  }
}

type DependencyRef = { from: string; to: string };

function toPatch(item: CIInput): CiPatch {
  const { expectedVersion: _ignored, identifiers: _notAField, ...fields } = item;
  return fields as CiPatch;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) {
    throw DomainError.badInput([{ path: 'after', message: 'is not a cursor returned by this API' }]);
  }
  return key;
}

