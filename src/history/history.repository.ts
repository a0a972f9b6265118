import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { randomUUID } from 'node:crypto';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { ChangeFilter, ChangeRecord, NewChange } from './history.types';

export interface ChangeStamp {
  now: string;
  actor: string;
  source: string;
}

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
 * Writes changes inside the caller's transaction, so a change and its record
 * commit together or not at all.
 */
export class HistoryStatements {
  constructor(private readonly tx: ManagedTransaction) {}

  async record(changes: readonly NewChange[], stamp: ChangeStamp): Promise<void> {
    if (!changes.length) return;
    await this.tx.run(
      `UNWIND $rows AS row
       CREATE (c:Change {id: row.id, at: $now, actor: $actor, source: $source, operation: row.operation,
                         entity: row.entity, key: row.key, to: row.to, fieldsJson: row.fieldsJson})`,
      {
        rows: changes.map((c) => ({
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

@Injectable()
export class HistoryRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /** Whether anything changed within [since, until): one step of the range index on the change time. */
  async anyChangeBetween(since: string, until: string): Promise<boolean> {
    return this.neo4j.readEach('history.any', async (tx) => {
      const result = await tx.run('MATCH (c:Change) WHERE c.at >= $since AND c.at < $until RETURN c.at LIMIT 1', { since, until });
      return result.records.length > 0;
    });
  }

  /** The most recent changes (up to `perKey`) to each of these CIs within [since, until). */
  async recentChanges(keys: readonly string[], since: string, until: string, perKey: number): Promise<Map<string, ChangeRecord[]>> {
    if (!keys.length) return new Map();
    return this.neo4j.read('history.recent', async (tx) => {
      const result = await tx.run(
        `UNWIND $keys AS k
         MATCH (c:Change {key: k}) WHERE c.at >= $since AND c.at < $until
         WITH k, c ORDER BY c.at DESC
         WITH k, collect(properties(c))[..$perKey] AS changes
         RETURN k, changes`,
        { keys, since, until, perKey: neo4j.int(perKey) },
      );
      return new Map(result.records.map((r) => [r.get('k') as string, (r.get('changes') as Record<string, unknown>[]).map(toRecord)]));
    });
  }

  /** Newest first, after the (at, id) position `after` when given. */
  async list(filter: ChangeFilter, after: { at: string; id: string } | null, limit: number): Promise<{ items: ChangeRecord[]; total: number }> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.keys?.length) {
      where.push('c.key IN $keys');
      params.keys = filter.keys;
    }
    if (filter.since) {
      where.push('c.at >= $since');
      params.since = filter.since.toISOString();
    }
    if (filter.until) {
      where.push('c.at < $until');
      params.until = filter.until.toISOString();
    }
    if (filter.actor) {
      where.push('c.actor = $actor');
      params.actor = filter.actor;
    }
    if (filter.source) {
      where.push('c.source = $source');
      params.source = filter.source;
    }
    // Ordering on `at` lets the index on it deliver rows in order; a present range predicate makes it usable.
    if (!filter.since) where.push("c.at >= ''");
    const page = [...where, ...(after ? ['(c.at < $afterAt OR (c.at = $afterAt AND c.id < $afterId))'] : [])];
    return this.neo4j.read('history.list', async (tx) => {
      const rows = await tx.run(
        `MATCH (c:Change) WHERE ${page.join(' AND ')}
         RETURN properties(c) AS p ORDER BY c.at DESC, c.id DESC LIMIT $limit`,
        { ...params, afterAt: after?.at, afterId: after?.id, limit: neo4j.int(limit) },
      );
      const count = await tx.run(`MATCH (c:Change) WHERE ${where.join(' AND ')} RETURN count(c) AS total`, params);
      return { items: rows.records.map((r) => toRecord(r.get('p'))), total: count.records[0].get('total') as number };
    });
  }
}
