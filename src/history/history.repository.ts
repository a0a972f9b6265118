import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { randomUUID } from 'node:crypto';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { ChangeEntity, ChangeFilter, ChangeOperation, ChangeRecord, NewChange } from './history.types';

export interface ChangeStamp {
  now: string;
  actor: string;
  source: string;
}

/*
 * Two shapes of stored change:
 * - a `Change` node per change, found by key through an index;
 * - for a write that creates at least BULK_CREATIONS items of one entity (a discovery
 *   job's batch, a large import), a `ChangeSet` node holding those creations as parallel
 *   lists (`keys`, `tos`, `fields`, one JSON string per item). A node per creation cost a
 *   first sync more than the items themselves did (docs/performance.md, "Discovery
 *   sync"). Lists are not indexed: a lookup by key reads the key list of every set it
 *   considers, so only bulk creations go there and everyday writes stay found by index.
 * An entry of a set reads like any other change; its id is the set's id, a colon and its
 * position, padded, so ids order entries as the newest-first listing needs.
 */
export const BULK_CREATIONS = 500;
const ENTRY_ID = "s.id + ':' + right('0000000' + toString(i), 7)";

function toRecord(p: Record<string, unknown>): ChangeRecord {
  return {
    id: p.id as string,
    at: p.at as string,
    actor: p.actor as string,
    source: p.source as string,
    operation: p.operation as ChangeRecord['operation'],
    entity: p.entity as ChangeRecord['entity'],
    key: p.key as string,
    to: (p.to as string) ?? null,
    fields: JSON.parse((p.fieldsJson as string) ?? '[]'),
  };
}

/**
 * The positions of a set's entries whose key is wanted: `ks` is the set's key list, read
 * once, and `$wanted` the keys as a map (see wantedKeys), so each entry is one lookup.
 */
const WANTED_POSITIONS = '[i IN range(0, size(ks) - 1) WHERE $wanted[ks[i]] IS NOT NULL]';

function wantedKeys(keys: readonly string[]): Record<string, true> {
  return Object.fromEntries(keys.map((k) => [k, true]));
}

/** A set entry as a stored change's properties: `s`, its lists `ks`, `ts`, `fs` and the position `i` bound. */
const ENTRY_PROPERTIES = `{id: ${ENTRY_ID}, at: s.at, actor: s.actor, source: s.source, operation: s.operation, entity: s.entity, key: ks[i], to: ts[i], fieldsJson: fs[i]}`;

/**
 * How one write's changes are stored: creations of an entity go into a set
 * when the write has BULK_CREATIONS or more of them; everything else, in its
 * order, is a node of its own.
 */
export function splitForStorage(changes: readonly NewChange[]): { sets: { entity: ChangeEntity; items: NewChange[] }[]; single: NewChange[] } {
  const created = new Map<ChangeEntity, NewChange[]>();
  for (const c of changes) {
    if (c.operation !== ChangeOperation.CREATE) continue;
    const items = created.get(c.entity);
    if (items) items.push(c);
    else created.set(c.entity, [c]);
  }
  const bulk = new Set([...created].filter(([, items]) => items.length >= BULK_CREATIONS).map(([entity]) => entity));
  return {
    sets: [...bulk].map((entity) => ({ entity, items: created.get(entity)! })),
    single: changes.filter((c) => !(c.operation === ChangeOperation.CREATE && bulk.has(c.entity))),
  };
}

/**
 * Writes changes inside the caller's transaction, so a change and its record
 * commit together or not at all.
 */
export class HistoryStatements {
  constructor(private readonly tx: ManagedTransaction) {}

  async record(changes: readonly NewChange[], stamp: ChangeStamp): Promise<void> {
    if (!changes.length) return;
    const { sets: bulk, single: other } = splitForStorage(changes);
    const sets = bulk.map((set) => ({
      id: randomUUID(),
      entity: set.entity,
      count: neo4j.int(set.items.length),
      keys: set.items.map((c) => c.key),
      // Dependencies only: a CI set has no providers.
      tos: set.entity === ChangeEntity.DEPENDENCY ? set.items.map((c) => c.to ?? '') : null,
      fields: set.items.map((c) => JSON.stringify(c.fields)),
    }));
    if (sets.length) {
      await this.tx.run(
        `UNWIND $sets AS set
         CREATE (s:ChangeSet {id: set.id, at: $now, actor: $actor, source: $source, operation: $create, entity: set.entity,
                              count: set.count, keys: set.keys, tos: set.tos, fields: set.fields})`,
        { sets, create: ChangeOperation.CREATE, ...stamp },
      );
    }
    if (!other.length) return;
    await this.tx.run(
      `UNWIND $rows AS row
       CREATE (c:Change {id: row.id, at: $now, actor: $actor, source: $source, operation: row.operation,
                         entity: row.entity, key: row.key, to: row.to, fieldsJson: row.fieldsJson})`,
      {
        rows: other.map((c) => ({
          id: randomUUID(),
          operation: c.operation,
          entity: c.entity,
          key: c.key,
          to: c.to,
          fieldsJson: JSON.stringify(c.fields),
        })),
        ...stamp,
      },
    );
  }
}

/** WHERE fragments on a change node `x` (a Change or a ChangeSet) for the filter's time, actor and source. */
function whereOf(x: string, filter: ChangeFilter, params: Record<string, unknown>): string[] {
  const where: string[] = [];
  if (filter.since) {
    where.push(`${x}.at >= $since`);
    params.since = filter.since.toISOString();
  }
  if (filter.until) {
    where.push(`${x}.at < $until`);
    params.until = filter.until.toISOString();
  }
  if (filter.actor) {
    where.push(`${x}.actor = $actor`);
    params.actor = filter.actor;
  }
  if (filter.source) {
    where.push(`${x}.source = $source`);
    params.source = filter.source;
  }
  // Ordering on `at` lets the index on it deliver rows in order; a present range predicate makes it usable.
  if (!filter.since) where.push(`${x}.at >= ''`);
  return where;
}

@Injectable()
export class HistoryRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Whether anything changed within [since, until): one step of the range index on the change time, per shape. */
  async anyChangeBetween(since: string, until: string): Promise<boolean> {
    return this.neo4j.readEach('history.any', async (tx) => {
      const result = await tx.run(
        `RETURN EXISTS { MATCH (c:Change) WHERE c.at >= $since AND c.at < $until }
             OR EXISTS { MATCH (s:ChangeSet) WHERE s.at >= $since AND s.at < $until } AS any`,
        { since, until },
      );
      return result.records[0].get('any') as boolean;
    });
  }

  /** The most recent changes (up to `perKey`) to each of these CIs within [since, until). */
  async recentChanges(keys: readonly string[], since: string, until: string, perKey: number): Promise<Map<string, ChangeRecord[]>> {
    if (!keys.length) return new Map();
    return this.neo4j.read('history.recent', async (tx) => {
      const result = await tx.run(
        // Each set in the window is read once, whatever the number of keys.
        `CALL () {
           UNWIND $keys AS k
           MATCH (c:Change {key: k}) WHERE c.at >= $since AND c.at < $until
           RETURN k, c.at AS at, c.id AS id, properties(c) AS p
           UNION ALL
           MATCH (s:ChangeSet) WHERE s.at >= $since AND s.at < $until
           WITH s, s.keys AS ks
           WITH s, ks, ${WANTED_POSITIONS} AS hits WHERE size(hits) > 0
           WITH s, ks, hits, s.tos AS ts, s.fields AS fs
           UNWIND hits AS i
           RETURN ks[i] AS k, s.at AS at, ${ENTRY_ID} AS id, ${ENTRY_PROPERTIES} AS p
         }
         WITH k, at, id, p ORDER BY at DESC, id DESC
         WITH k, collect(p)[..$perKey] AS changes
         RETURN k, changes`,
        { keys, wanted: wantedKeys(keys), since, until, perKey: neo4j.int(perKey) },
      );
      return new Map(result.records.map((r) => [r.get('k') as string, (r.get('changes') as Record<string, unknown>[]).map(toRecord)]));
    });
  }

  /** Newest first, after the (at, id) position `after` when given. */
  async list(filter: ChangeFilter, after: { at: string; id: string } | null, limit: number): Promise<{ items: ChangeRecord[]; total: number }> {
    const keys = filter.keys?.length ? filter.keys : null;
    const params: Record<string, unknown> = { keys, wanted: wantedKeys(keys ?? []) };
    const changeWhere = whereOf('c', filter, params);
    // Sets are filtered by key entry by entry (WANTED_POSITIONS), reading each key list once.
    const setWhere = whereOf('s', filter, params);
    if (keys) changeWhere.push('c.key IN $keys');
    const changePage = [...changeWhere, ...(after ? ['(c.at < $afterAt OR (c.at = $afterAt AND c.id < $afterId))'] : [])];
    const setPage = [...setWhere, ...(after ? ['s.at <= $afterAt'] : [])];
    return this.neo4j.read('history.list', async (tx) => {
      // One page of positions: Change nodes, and entries of sets taken newest set first, last entry first.
      const rows = await tx.run(
        `CALL () {
           MATCH (c:Change) WHERE ${changePage.join(' AND ')}
           WITH c ORDER BY c.at DESC, c.id DESC LIMIT $limit
           RETURN c.at AS at, c.id AS id, properties(c) AS p, null AS set, null AS i
           UNION ALL
           MATCH (s:ChangeSet) WHERE ${setPage.join(' AND ')}
           WITH s ORDER BY s.at DESC, s.id DESC
           WITH s, CASE WHEN $keys IS NULL THEN null ELSE s.keys END AS ks
           // Iterating a list is cheaper than indexing into it: sets without a wanted key are passed over first.
           WITH s, ks WHERE ks IS NULL OR any(k IN ks WHERE $wanted[k] IS NOT NULL)
           UNWIND CASE WHEN ks IS NULL THEN range(s.count - 1, 0, -1) ELSE reverse(${WANTED_POSITIONS}) END AS i
           WITH s, i${after ? ` WHERE s.at < $afterAt OR ${ENTRY_ID} < $afterId` : ''}
           WITH s, i ORDER BY s.at DESC, s.id DESC, i DESC LIMIT $limit
           RETURN s.at AS at, ${ENTRY_ID} AS id, null AS p, s.id AS set, i
         }
         RETURN at, id, p, set, i ORDER BY at DESC, id DESC LIMIT $limit`,
        { ...params, afterAt: after?.at, afterId: after?.id, limit: neo4j.int(limit) },
      );
      const positionsBySet = new Map<string, number[]>();
      for (const r of rows.records) {
        const set = r.get('set') as string | null;
        if (set === null) continue;
        const positions = positionsBySet.get(set);
        if (positions) positions.push(Number(r.get('i')));
        else positionsBySet.set(set, [Number(r.get('i'))]);
      }
      // Each set's lists are read once, however many of its entries the page shows.
      const entries = new Map<string, Record<string, unknown>>();
      if (positionsBySet.size) {
        const found = await tx.run(
          `UNWIND $sets AS q
           MATCH (s:ChangeSet {id: q.id})
           WITH s, q, s.keys AS ks, s.tos AS ts, s.fields AS fs
           UNWIND q.positions AS i
           RETURN ${ENTRY_PROPERTIES} AS p`,
          { sets: [...positionsBySet].map(([id, positions]) => ({ id, positions: positions.map((i) => neo4j.int(i)) })) },
        );
        for (const r of found.records) entries.set(r.get('p').id as string, r.get('p'));
      }
      const items = rows.records.map((r) => toRecord((r.get('p') as Record<string, unknown> | null) ?? entries.get(r.get('id') as string)!));
      const count = await tx.run(
        `CALL () { MATCH (c:Change) WHERE ${changeWhere.join(' AND ')} RETURN count(c) AS n
                   UNION ALL
                   MATCH (s:ChangeSet) WHERE ${setWhere.join(' AND ')}
                   WITH s, CASE WHEN $keys IS NULL THEN null ELSE s.keys END AS ks
                   RETURN sum(CASE WHEN ks IS NULL THEN s.count ELSE size([k IN ks WHERE $wanted[k] IS NOT NULL]) END) AS n }
         RETURN sum(n) AS total`,
        params,
      );
      return { items, total: count.records[0].get('total') as number };
    });
  }
}
