import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { propertiesFromList, propertyList } from '../common/neo4j/property-list';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { HistoryStatements } from '../history/history.repository';
import { PlannedCiWrite } from './ci-changes';
import { bumpDependencyRev } from './dependency-rev';
import { CiFilter, CiRecord, DependencyRecord, DependencyWithEnds, SyncProvenanceProps } from './topology.types';
import { CIStatus } from './topology.vocabulary';

type Props = Record<string, unknown>;

/** Every stored property toCiRecord reads, in the order ciRecordList lists them. */
const CI_RECORD_FIELDS = ['key', 'kind', 'name', 'description', 'owner', 'environment', 'tags', 'attributesJson', 'criticality',
  'revenuePerHour', 'usersAffected', 'minHealthy', 'status', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy',
  'createdByPerson', 'personFields', 'claimsJson', 'overriddenJson', 'staleSince', 'identifiers', 'aliases'] as const;

/** A CI's record as a Cypher list (see propertyList: faster to decode than properties(n) where many come back). */
export const ciRecordList = (variable: string): string => propertyList(variable, CI_RECORD_FIELDS);

/** The CiRecord of a ciRecordList value. */
export function ciRecordFromList(values: unknown[]): CiRecord {
  return toCiRecord(propertiesFromList(CI_RECORD_FIELDS, values));
}

/** Stored CI properties -> CiRecord. Attributes are kept as a JSON string because Neo4j has no map properties. */
export function toCiRecord(p: Props): CiRecord {
  return {
    key: p.key as string,
    kind: p.kind as CiRecord['kind'],
    name: (p.name as string) ?? (p.key as string),
    description: (p.description as string) ?? null,
    owner: (p.owner as string) ?? null,
    environment: (p.environment as string) ?? null,
    tags: (p.tags as string[]) ?? [],
    attributes: p.attributesJson ? JSON.parse(p.attributesJson as string) : {},
    criticality: (p.criticality as CiRecord['criticality']) ?? null,
    revenuePerHour: (p.revenuePerHour as number) ?? null,
    usersAffected: (p.usersAffected as number) ?? null,
    minHealthy: (p.minHealthy as number) ?? null,
    status: (p.status as CIStatus) ?? CIStatus.ACTIVE,
    version: (p.version as number) ?? 1,
    createdAt: p.createdAt as string,
    updatedAt: p.updatedAt as string,
    createdBy: (p.createdBy as string) ?? null,
    updatedBy: (p.updatedBy as string) ?? null,
    createdByPerson: Boolean(p.createdByPerson),
    personFields: (p.personFields as string[] | undefined) ?? null,
    sync: syncProvenanceProps(p),
  };
}

/** The provenance discovery syncs keep on a node or relationship (absent on what no sync touched). */
export function syncProvenanceProps(p: Props): SyncProvenanceProps {
  return {
    claimsJson: (p.claimsJson as string) ?? null,
    overriddenJson: (p.overriddenJson as string) ?? null,
    staleSince: (p.staleSince as string) ?? null,
    identifiers: (p.identifiers as string[]) ?? [],
    aliases: (p.aliases as string[]) ?? [],
  };
}

export function toDependencyRecord(from: string, to: string, p: Props): DependencyRecord {
  return {
    from,
    to,
    type: p.type as DependencyRecord['type'],
    strength: p.strength as DependencyRecord['strength'],
    version: (p.version as number) ?? 1,
    createdAt: p.createdAt as string,
    updatedAt: p.updatedAt as string,
    createdBy: (p.createdBy as string) ?? null,
    updatedBy: (p.updatedBy as string) ?? null,
    createdByPerson: Boolean(p.createdByPerson),
    status: (p.status as CIStatus) ?? CIStatus.ACTIVE,
    sync: syncProvenanceProps(p),
  };
}

/** The stored properties for a planned write; null removes a property. */
export function storedProps(write: PlannedCiWrite): Props {
  const f = write.fields;
  return {
    kind: f.kind,
    name: f.name,
    description: f.description,
    owner: f.owner,
    environment: f.environment,
    tags: f.tags,
    attributesJson: Object.keys(f.attributes).length ? JSON.stringify(f.attributes) : null,
    criticality: f.criticality,
    revenuePerHour: f.revenuePerHour,
    usersAffected: f.usersAffected,
    minHealthy: f.minHealthy,
    searchText: `${write.key} ${f.name}`.toLowerCase(),
  };
}

/** The fields a write sets (for a person's write: the fields that person now owns; see discovery precedence). */
function changedFields(write: PlannedCiWrite): string[] {
  return write.changes.map((c) => c.field);
}

export interface WriteStamp {
  now: string;
  actor: string;
  /** True for writes by a person (the editing API), false for discovery. */
  person: boolean;
  /** Through what the change came: `api`, a discovery source, a topology file. */
  source: string;
}

/** Statements bound to one transaction, so a service can read, decide and write atomically. */
export class TopologyQueries {
  /** The change log, written in the same transaction as the changes it records. */
  readonly history: HistoryStatements;

  constructor(private readonly tx: ManagedTransaction) {
    this.history = new HistoryStatements(tx);
  }

  async findCis(keys: readonly string[]): Promise<Map<string, CiRecord>> {
    const result = await this.tx.run('UNWIND $keys AS k MATCH (n:CI {key: k}) RETURN properties(n) AS p', { keys });
    return new Map(result.records.map((r) => [r.get('p').key as string, toCiRecord(r.get('p'))]));
  }

  /** CIs named by another key (an alias a discovery sync recorded when it identified the CI by an identifier). */
  async findByAliases(keys: readonly string[]): Promise<Map<string, CiRecord>> {
    const result = await this.tx.run(
      `UNWIND $keys AS k MATCH (a:CIAlias {key: k}) MATCH (n:CI {key: a.ciKey}) RETURN k, properties(n) AS p`,
      { keys },
    );
    return new Map(result.records.map((r) => [r.get('k') as string, toCiRecord(r.get('p'))]));
  }

  async missingKeys(keys: readonly string[]): Promise<string[]> {
    const result = await this.tx.run(
      'UNWIND $keys AS k OPTIONAL MATCH (n:CI {key: k}) WITH k, n WHERE n IS NULL RETURN k',
      { keys: [...new Set(keys)] },
    );
    return result.records.map((r) => r.get('k') as string);
  }

  async createCis(writes: readonly PlannedCiWrite[], stamp: WriteStamp): Promise<void> {
    if (!writes.length) return;
    await this.tx.run(
      `UNWIND $rows AS row
       CREATE (n:CI {key: row.key})
       SET n += row.props, n.version = 1, n.status = $active, n.createdAt = $now, n.updatedAt = $now,
           n.createdBy = $actor, n.updatedBy = $actor, n.createdByPerson = $person,
           n.personFields = CASE WHEN $person THEN row.changed ELSE null END`,
      { rows: writes.map((w) => ({ key: w.key, props: storedProps(w), changed: changedFields(w) })), active: CIStatus.ACTIVE, ...stamp },
    );
  }

  /** Updates CIs still at the version that was read; returns the keys that moved on meanwhile. */
  async updateCis(writes: readonly { write: PlannedCiWrite; baseVersion: number }[], stamp: WriteStamp): Promise<string[]> {
    if (!writes.length) return [];
    const result = await this.tx.run(
      `UNWIND $rows AS row
       MATCH (n:CI {key: row.key})
       WHERE n.version = row.baseVersion
       SET n.personFields = CASE
             WHEN NOT $person OR (n.personFields IS NULL AND coalesce(n.createdByPerson, false)) THEN n.personFields
             ELSE [f IN coalesce(n.personFields, []) WHERE NOT f IN row.changed] + row.changed END,
           n += row.props, n.version = n.version + 1, n.updatedAt = $now, n.updatedBy = $actor
       RETURN n.key AS key`,
      {
        rows: writes.map(({ write, baseVersion }) => ({ key: write.key, baseVersion, props: storedProps(write), changed: changedFields(write) })),
        ...stamp,
      },
    );
    const done = new Set(result.records.map((r) => r.get('key') as string));
    return writes.map(({ write }) => write.key).filter((k) => !done.has(k));
  }

  /** For each key, up to `limit` CIs outside `keys` that depend on it. */
  async outsideDependents(keys: readonly string[], limit: number): Promise<Map<string, string[]>> {
    const result = await this.tx.run(
      `UNWIND $keys AS k
       MATCH (n:CI {key: k})<-[:DEPENDS_ON]-(d:CI)
       WHERE NOT d.key IN $keys
       WITH k, d.key AS dependent ORDER BY dependent
       RETURN k, collect(dependent)[..$limit] AS dependents`,
      { keys, limit: neo4j.int(limit) },
    );
    return new Map(result.records.map((r) => [r.get('k') as string, r.get('dependents') as string[]]));
  }

  /** Deletes CIs with all their dependencies; returns what went, for the caller and the change log. */
  async deleteCis(keys: readonly string[]): Promise<{ deleted: string[]; dependencies: DependencyRecord[] }> {
    const edges = await this.tx.run(
      `UNWIND $keys AS k
       MATCH (:CI {key: k})-[r:DEPENDS_ON]-()
       WITH DISTINCT r
       RETURN startNode(r).key AS from, endNode(r).key AS to, properties(r) AS p`,
      { keys },
    );
    const result = await this.tx.run(
      // The dependencies going into each CI go with it: their consumers' dependency revisions move.
      `UNWIND $keys AS k MATCH (n:CI {key: k})
       CALL (n) { MATCH (n)<-[:DEPENDS_ON]-(c) SET ${bumpDependencyRev('c')} }
       WITH n, n.key AS key DETACH DELETE n RETURN key`,
      { keys },
    );
    return {
      deleted: result.records.map((r) => r.get('key') as string),
      dependencies: edges.records.map((r) => toDependencyRecord(r.get('from'), r.get('to'), r.get('p'))),
    };
  }

  async findDependencies(pairs: readonly { from: string; to: string }[]): Promise<Map<string, DependencyRecord>> {
    const result = await this.tx.run(
      `UNWIND $pairs AS pair
       MATCH (a:CI {key: pair.from}) MATCH (b:CI {key: pair.to}) MATCH (a)-[r:DEPENDS_ON]->(b)
       RETURN pair.from AS from, pair.to AS to, properties(r) AS p`,
      { pairs },
    );
    return new Map(
      result.records.map((r) => [`${r.get('from')}->${r.get('to')}`, toDependencyRecord(r.get('from'), r.get('to'), r.get('p'))]),
    );
  }

  async createDependencies(rows: readonly { from: string; to: string; type: string; strength: string }[], stamp: WriteStamp): Promise<void> {
    if (!rows.length) return;
    await this.tx.run(
      `UNWIND $rows AS row
       MATCH (a:CI {key: row.from}), (b:CI {key: row.to})
       MERGE (a)-[r:DEPENDS_ON]->(b)
       ON CREATE SET r.type = row.type, r.strength = row.strength, r.version = 1, r.createdAt = $now, r.updatedAt = $now,
                     r.createdBy = $actor, r.updatedBy = $actor, r.createdByPerson = $person`,
      { rows, ...stamp },
    );
  }

  async updateDependencies(
    rows: readonly { from: string; to: string; type: string; strength: string; baseVersion: number }[],
    stamp: WriteStamp,
  ): Promise<string[]> {
    if (!rows.length) return [];
    const result = await this.tx.run(
      `UNWIND $rows AS row
       MATCH (a:CI {key: row.from}) MATCH (b:CI {key: row.to}) MATCH (a)-[r:DEPENDS_ON]->(b)
       WHERE r.version = row.baseVersion
       SET r.type = row.type, r.strength = row.strength, r.version = r.version + 1, r.updatedAt = $now, r.updatedBy = $actor, ${bumpDependencyRev('a')},
           r.personFields = CASE
             WHEN NOT $person OR (r.personFields IS NULL AND coalesce(r.createdByPerson, false)) THEN r.personFields
             ELSE ['strength', 'type'] END
       RETURN row.from + '->' + row.to AS pair`,
      { rows, ...stamp },
    );
    const done = new Set(result.records.map((r) => r.get('pair') as string));
    return rows.map((r) => `${r.from}->${r.to}`).filter((p) => !done.has(p));
  }

  async deleteDependencies(pairs: readonly { from: string; to: string }[]): Promise<DependencyRecord[]> {
    const result = await this.tx.run(
      `UNWIND $pairs AS pair
       MATCH (a:CI {key: pair.from}) MATCH (b:CI {key: pair.to}) MATCH (a)-[r:DEPENDS_ON]->(b)
       WITH pair, a, r, properties(r) AS p
       SET ${bumpDependencyRev('a')}
       DELETE r
       RETURN pair.from AS from, pair.to AS to, p`,
      { pairs },
    );
    return result.records.map((r) => toDependencyRecord(r.get('from'), r.get('to'), r.get('p')));
  }

  /**
   * Dependencies of the given CIs in one direction, with both ends, ordered by the other end's key;
   * with a page, per CI only those whose other end's key sorts after `after`, at most `first`.
   */
  async neighbours(keys: readonly string[], direction: 'providers' | 'consumers', page: { first: number | null; after: string | null } | null = null): Promise<DependencyWithEnds[]> {
    // The index hint keeps the planner on a seek per key; without it, ORDER BY tempts it into a scan.
    const [self, other] = direction === 'providers' ? ['c', 'p'] : ['p', 'c'];
    const edges = page
      ? `CALL (${self}) {
           MATCH (c:CI)-[r:DEPENDS_ON]->(p:CI)
           WHERE $after IS NULL OR ${other}.key > $after
           RETURN ${other}, r ORDER BY ${other}.key ${page.first !== null ? 'LIMIT $first' : ''}
         }`
      : 'MATCH (c:CI)-[r:DEPENDS_ON]->(p:CI)';
    const result = await this.tx.run(
      `UNWIND $keys AS k
       MATCH (${self}:CI {key: k}) USING INDEX ${self}:CI(key)
       ${edges}
       RETURN properties(c) AS consumer, properties(p) AS provider, properties(r) AS edge
       ORDER BY k, ${other}.key`,
      { keys, after: page?.after ?? null, first: neo4j.int(page?.first ?? 0) },
    );
    return result.records.map((r) => {
      const consumer = toCiRecord(r.get('consumer'));
      const provider = toCiRecord(r.get('provider'));
      return { ...toDependencyRecord(consumer.key, provider.key, r.get('edge')), consumer, provider };
    });
  }

  /** Key -> how many dependencies ('providers') or dependents ('consumers') the CI has (from its degree, not its edges). */
  async neighbourCounts(keys: readonly string[], direction: 'providers' | 'consumers'): Promise<Map<string, number>> {
    const pattern = direction === 'providers' ? '(n)-[:DEPENDS_ON]->()' : '(n)<-[:DEPENDS_ON]-()';
    const result = await this.tx.run(`UNWIND $keys AS k MATCH (n:CI {key: k}) RETURN k, COUNT { ${pattern} } AS count`, { keys });
    return new Map(result.records.map((r) => [r.get('k') as string, r.get('count') as number]));
  }

  async listCis(filter: CiFilter, after: string | null, limit: number): Promise<{ items: CiRecord[]; total: number }> {
    const { where, params } = filterClause(filter);
    const pageWhere = [...where, ...(after !== null ? ['n.key > $after'] : [])];
    const page = await this.tx.run(
      `MATCH (n:CI) ${pageWhere.length ? 'WHERE ' + pageWhere.join(' AND ') : ''}
       RETURN properties(n) AS p ORDER BY n.key LIMIT $limit`,
      { ...params, after, limit: neo4j.int(limit) },
    );
    const count = await this.tx.run(
      `MATCH (n:CI) ${where.length ? 'WHERE ' + where.join(' AND ') : ''} RETURN count(n) AS total`,
      params,
    );
    return { items: page.records.map((r) => toCiRecord(r.get('p'))), total: count.records[0].get('total') as number };
  }

  async countCis(): Promise<number> {
    const result = await this.tx.run('MATCH (n:CI) RETURN count(n) AS total');
    return result.records[0].get('total') as number;
  }
}

/**
 * WHERE fragments for a CI filter. Only fixed fragments are concatenated;
 * every user value goes in as a parameter.
 */
export function filterClause(filter: CiFilter): { where: string[]; params: Props } {
  const where: string[] = [];
  const params: Props = {};
  if (filter.kinds?.length) {
    where.push('n.kind IN $kinds');
    params.kinds = filter.kinds;
  }
  if (filter.search) {
    where.push('n.searchText CONTAINS $search');
    params.search = filter.search.toLowerCase();
  }
  if (filter.owner) {
    where.push('n.owner = $owner');
    params.owner = filter.owner;
  }
  if (filter.environment) {
    where.push('n.environment = $environment');
    params.environment = filter.environment;
  }
  if (filter.tags?.length) {
    where.push('all(t IN $tags WHERE t IN n.tags)');
    params.tags = filter.tags;
  }
  if (filter.statuses?.length) {
    where.push('n.status IN $statuses');
    params.statuses = filter.statuses;
  }
  return { where, params };
}

@Injectable()
export class TopologyRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  read<T>(name: string, work: (q: TopologyQueries) => Promise<T>): Promise<T> {
    return this.neo4j.read(name, (tx) => work(new TopologyQueries(tx)));
  }

  /** See Neo4jService.readEach: each statement its own auto-commit transaction. */
  readEach<T>(name: string, work: (q: TopologyQueries) => Promise<T>): Promise<T> {
    return this.neo4j.readEach(name, (tx) => work(new TopologyQueries(tx)));
  }

  write<T>(name: string, work: (q: TopologyQueries) => Promise<T>): Promise<T> {
    return this.neo4j.write(name, (tx) => work(new TopologyQueries(tx)));
  }
}
