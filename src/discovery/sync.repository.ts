import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction, Neo4jError } from 'neo4j-driver';
import { propertiesFromList, propertyList } from '../common/neo4j/property-list';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { HistoryStatements } from '../history/history.repository';
import { toCiRecord, toDependencyRecord } from '../topology/topology.repository';
import { CIStatus } from '../topology/topology.vocabulary';
import { parseClaims } from './claims';
import { DEPENDENCY_REV_PROPERTY as DEPENDENCY_REV, bumpDependencyRev } from '../topology/dependency-rev';
import { GROUP_MARK_PROPERTY, GROUP_MARK_SEQ_PROPERTY, MARK_PROPERTY, MARK_SEQ_PROPERTY, groupMarkHolds, markHolds } from './sync-mark';
import { FieldOwnership } from './precedence';
import { StoredCi, StoredDependency } from './sync-plan';
import { COUNT_NAMES, ScopeRecord, SyncCounts, SyncRecord } from './sync.types';

type Props = Record<string, unknown>;

// What planning and claim updates read of a CI or dependency: everything but timestamps, authors and the
// search text, which a sync never compares (a re-sync reads every item, so every property read counts).
const CI_FIELDS = ['key', 'kind', 'name', 'description', 'owner', 'environment', 'tags', 'attributesJson', 'criticality', 'revenuePerHour',
  'usersAffected', 'minHealthy', 'status', 'version', 'createdByPerson', 'personFields', 'claimsJson', 'claimRev', 'setByJson',
  'overriddenJson', 'identifiers', 'aliases', 'staleSince'] as const;
const DEPENDENCY_FIELDS = ['type', 'strength', 'version', 'createdByPerson', 'personFields', 'claimsJson', 'claimRev', 'setByJson',
  'overriddenJson', 'status', 'staleSince'] as const;

// Read as lists in the fields' order, not as maps (see propertyList): a re-sync decodes one per item.
const CI_READ = propertyList('n', CI_FIELDS);
const DEPENDENCY_READ = propertyList('r', DEPENDENCY_FIELDS);

/**
 * Thrown when an item changed between this transaction's read and its write
 * (another source's batch, a person's edit, the retirement sweep). The
 * service retries the unit of work; a batch is idempotent, so that is safe.
 */
export class WriteRaceError extends Error {
  constructor(what: string) {
    super(`${what} changed while this sync wrote it`);
  }
}

function ownershipOf(p: Props): FieldOwnership {
  return {
    setBy: p.setByJson ? JSON.parse(p.setByJson as string) : {},
    personFields: (p.personFields as string[] | undefined) ?? null,
    overridden: p.overriddenJson ? JSON.parse(p.overriddenJson as string) : [],
  };
}

function toStoredCi(elementId: string, values: unknown[]): StoredCi {
  const p = propertiesFromList(CI_FIELDS, values);
  return {
    elementId,
    record: toCiRecord(p),
    claims: parseClaims(p.claimsJson as string | undefined),
    claimRev: (p.claimRev as number) ?? 0,
    ownership: ownershipOf(p),
    identifiers: (p.identifiers as string[]) ?? [],
    aliases: (p.aliases as string[]) ?? [],
  };
}

function toStoredDependency(elementId: string, from: string, to: string, values: unknown[]): StoredDependency {
  const p = propertiesFromList(DEPENDENCY_FIELDS, values);
  return {
    elementId,
    record: toDependencyRecord(from, to, p),
    claims: parseClaims(p.claimsJson as string | undefined),
    claimRev: (p.claimRev as number) ?? 0,
    ownership: ownershipOf(p),
  };
}

const counts = (p: Props, prefix: string): SyncCounts =>
  Object.fromEntries(COUNT_NAMES.map((n) => [n, (p[`${prefix}${n[0].toUpperCase()}${n.slice(1)}`] as number) ?? 0])) as unknown as SyncCounts;

export function toSyncRecord(p: Props): SyncRecord {
  return {
    id: p.id as string,
    scopeKey: p.scopeKey as string,
    source: p.source as string,
    scope: (p.scope as string) ?? null,
    seq: p.seq as number,
    status: p.status as SyncRecord['status'],
    startedAt: p.startedAt as string,
    expiresAt: p.expiresAt as string,
    startedBy: p.startedBy as string,
    batches: (p.batches as number) ?? 0,
    items: (p.items as number) ?? 0,
    cis: counts(p, 'cis'),
    dependencies: counts(p, 'dependencies'),
    reportedCis: (p.reportedCis as number) ?? 0,
    reportedDependencies: (p.reportedDependencies as number) ?? 0,
    committedAt: (p.committedAt as string) ?? null,
    finishedAt: (p.finishedAt as string) ?? null,
    lockedAt: (p.lockedAt as string) ?? null,
    bucketsDone: ((p.bucketsDone as number[]) ?? []).map(Number),
    cleanupPending: Boolean(p.cleanupPending),
  };
}

function toScopeRecord(p: Props): ScopeRecord {
  return {
    key: p.key as string,
    source: p.source as string,
    scope: (p.scope as string) ?? null,
    nextSeq: (p.nextSeq as number) ?? 1,
    lastCommittedSeq: (p.lastCommittedSeq as number) ?? null,
    lastCommittedSyncId: (p.lastCommittedSyncId as string) ?? null,
    lastCommittedAt: (p.lastCommittedAt as string) ?? null,
    openSyncId: (p.openSyncId as string) ?? null,
    openSeq: (p.openSeq as number) ?? null,
    openExpiresAt: (p.openExpiresAt as string) ?? null,
    openCommitting: Boolean(p.openCommitting),
  };
}

/** Increments of a sync's counters, by stored property name (see COUNTER_PROPERTIES). */
export type SyncIncrements = Partial<Record<(typeof COUNTER_PROPERTIES)[number], number>>;

export const COUNTER_PROPERTIES = [
  'batches',
  'items',
  'reportedCis',
  'reportedDependencies',
  'cisCreated',
  'cisUpdated',
  'cisUnchanged',
  'cisMarkedStale',
  'cisRevived',
  'dependenciesCreated',
  'dependenciesUpdated',
  'dependenciesUnchanged',
  'dependenciesMarkedStale',
  'dependenciesRevived',
] as const;

// Fixed names only, so the statements are constants.
const INCREMENTS = `${COUNTER_PROPERTIES.map((p) => `s.${p} = coalesce(s.${p}, 0) + coalesce($inc.${p}, 0)`).join(', ')}, s += $props`;
const INCREMENT_SYNC = `MATCH (s:Sync {id: $id}) SET ${INCREMENTS} RETURN properties(s) AS p`;
const LOCK_AND_INCREMENT_SYNC = `MATCH (s:Sync {id: $id})
  SET s.lockedAt = $now
  WITH s, properties(s) AS before
  SET ${INCREMENTS}
  WITH s, before
  OPTIONAL MATCH (c:SyncScope {key: s.scopeKey})
  SET c += $scopeProps
  RETURN before, properties(s) AS p`;

/** Distinct values in first-seen order, each named by its position (sent once, referred to by index). */
function interned<T>(): { values: T[]; at: (value: T) => number } {
  const values: T[] = [];
  const position = new Map<T, number>();
  return {
    values,
    at: (value) => {
      let p = position.get(value);
      if (p === undefined) {
        p = values.length;
        position.set(value, p);
        values.push(value);
      }
      return p;
    },
  };
}

const incrementParams = (inc: SyncIncrements) => Object.fromEntries(Object.entries(inc).map(([k, v]) => [k, neo4j.int(v ?? 0)]));

/**
 * A ledger: the keys one batch of a sync reported that fall in one bucket
 * (see claims.ts bucketOf), so a commit can compare the previous sync's
 * view with this one's one bucket at a time.
 */
export interface LedgerRecord {
  id: string;
  seq: number;
  ciKeys: string[];
  dependencyFrom: string[];
  dependencyTo: string[];
}

export interface NewLedger extends LedgerRecord {
  syncId: string;
  scopeKey: string;
  bucket: number;
  at: string;
  /** How many keys (CIs, dependencies, both), and the sum of their digests (claims.ts keyDigest, tallyKey). */
  ciCount: number;
  dependencyCount: number;
  count: number;
  digestHigh: number;
  digestLow: number;
  /** How the digest was folded (LEDGER_DIGEST_VERSION). */
  digestVersion: number;
}

/** What a commit reads first of each ledger: enough to tell two syncs reported the same keys. */
export interface LedgerSummary {
  id: string;
  seq: number;
  bucket: number;
  /** Null on ledgers written before digests were kept: such a bucket is compared key by key. */
  count: number | null;
  ciCount: number | null;
  dependencyCount: number | null;
  digestHigh: number;
  digestLow: number;
  /** Null on ledgers whose digest XOR-ed the keys' (before LEDGER_DIGEST_VERSION 2). */
  digestVersion: number | null;
}

/**
 * A ledger's keys are stored as text, a line per key (`from to` for a
 * dependency; keys hold no whitespace): one string instead of a list of
 * thousands to pack, send and store on every batch of every re-sync.
 * Ledgers written before keep their keys as lists.
 */
const LINE = '\n';
const lines = (text: unknown): string[] => (typeof text === 'string' && text.length ? text.split(LINE) : []);

export function toLedger(p: Props): LedgerRecord {
  if (p.ciKeys !== undefined || p.dependencyFrom !== undefined) {
    return {
      id: p.id as string,
      seq: p.seq as number,
      ciKeys: (p.ciKeys as string[]) ?? [],
      dependencyFrom: (p.dependencyFrom as string[]) ?? [],
      dependencyTo: (p.dependencyTo as string[]) ?? [],
    };
  }
  const dependencyFrom: string[] = [];
  const dependencyTo: string[] = [];
  for (const line of lines(p.dependencyLines)) {
    const space = line.indexOf(' ');
    dependencyFrom.push(line.slice(0, space));
    dependencyTo.push(line.slice(space + 1));
  }
  return { id: p.id as string, seq: p.seq as number, ciKeys: lines(p.ciKeyLines), dependencyFrom, dependencyTo };
}

/** STALE or RETIRED items one batch reported: they become ACTIVE when the sync commits. */
export interface RevivalRecord {
  id: string;
  cis: string[];
  dependencyFrom: string[];
  dependencyTo: string[];
}

/** What a sync reads of an item whose mark holds: nothing. */
export const UNCHANGED = 'unchanged' as const;

export type FoundDependency = { created: true } | { created: false; stored: StoredDependency | typeof UNCHANGED };

/** The sync's seq and its scope's last committed one: a mark holds only for a claim that counts. */
export interface MarkSeqs {
  seq: number;
  committedSeq: number | null;
}

const markSeqParams = (seqs: MarkSeqs) => ({ seq: neo4j.int(seqs.seq), committedSeq: seqs.committedSeq === null ? null : neo4j.int(seqs.committedSeq) });

/** What a new dependency is created with, and the digest of the report it is created from. */
export interface DependencyVariant {
  props: Props;
  digest: string;
}

/** A mark to leave on an item, if it is still at the version and claim revision that were read. */
export interface MarkWrite {
  elementId: string;
  version: number;
  claimRev: number;
  mark: string;
  seq: number;
}

/** A guarded write of one item: applied only if version and claim revision are still what was read. */
export interface GuardedWrite {
  elementId: string;
  version: number;
  claimRev: number;
  /** Added to the version (0 for bookkeeping that is not a change). */
  bump: number;
  /** Properties to set; null removes one. */
  props: Props;
}

async function guarded(tx: ManagedTransaction, statement: string, rows: readonly GuardedWrite[], what: string): Promise<void> {
  if (!rows.length) return;
  const result = await tx.run(statement, {
    rows: rows.map((r) => ({ id: r.elementId, version: r.version, claimRev: r.claimRev, bump: r.bump, props: r.props })),
  });
  const written = result.records[0].get('written') as number;
  if (written !== rows.length) throw new WriteRaceError(`${rows.length - written} of ${rows.length} ${what}`);
}

/**
 * Every statement of the sync feature, bound to one transaction. Writes go
 * by element id, read in the same transaction, so each row is a direct seek.
 */
export class SyncQueries {
  readonly history: HistoryStatements;

  constructor(private readonly tx: ManagedTransaction) {
    this.history = new HistoryStatements(tx);
  }

  // ---- syncs and scopes -------------------------------------------------------------------------

  /** The scope, created on first use; locked until the transaction ends, so its syncs start one at a time. */
  async lockScope(key: string, source: string, scope: string | null, now: string): Promise<ScopeRecord> {
    const result = await this.tx.run(
      `MERGE (c:SyncScope {key: $key})
       ON CREATE SET c.source = $source, c.scope = $scope, c.nextSeq = 1
       SET c.lockedAt = $now
       RETURN properties(c) AS p`,
      { key, source, scope, now },
    );
    return toScopeRecord(result.records[0].get('p'));
  }

  async updateScope(key: string, props: Props): Promise<void> {
    await this.tx.run('MATCH (c:SyncScope {key: $key}) SET c += $props', { key, props });
  }

  async scopes(keys: readonly string[] | null, source: string | null = null): Promise<ScopeRecord[]> {
    const result = await this.tx.run(
      keys
        ? 'UNWIND $keys AS k MATCH (c:SyncScope {key: k}) RETURN properties(c) AS p'
        : 'MATCH (c:SyncScope) WHERE $source IS NULL OR c.source = $source RETURN properties(c) AS p ORDER BY c.key',
      { keys, source },
    );
    return result.records.map((r) => toScopeRecord(r.get('p')));
  }

  async createSync(props: Props): Promise<SyncRecord> {
    const result = await this.tx.run('CREATE (s:Sync) SET s = $props RETURN properties(s) AS p', { props });
    return toSyncRecord(result.records[0].get('p'));
  }

  async findSync(id: string): Promise<SyncRecord | null> {
    const result = await this.tx.run('MATCH (s:Sync {id: $id}) RETURN properties(s) AS p', { id });
    return result.records.length ? toSyncRecord(result.records[0].get('p')) : null;
  }

  async findSyncs(ids: readonly string[]): Promise<Map<string, SyncRecord>> {
    const result = await this.tx.run('UNWIND $ids AS id MATCH (s:Sync {id: id}) RETURN properties(s) AS p', { ids });
    return new Map(result.records.map((r) => [r.get('p').id as string, toSyncRecord(r.get('p'))]));
  }

  /** The sync, write-locked until the transaction ends: batches and commits of one sync run one at a time. */
  async lockSync(id: string, now: string): Promise<SyncRecord | null> {
    const result = await this.tx.run('MATCH (s:Sync {id: $id}) SET s.lockedAt = $now RETURN properties(s) AS p', { id, now });
    return result.records.length ? toSyncRecord(result.records[0].get('p')) : null;
  }

  /**
   * The sync together with its scope, read (not locked) in one statement:
   * what a batch needs first.
   */
  async findSyncWithScope(id: string): Promise<{ sync: SyncRecord; scope: ScopeRecord } | null> {
    const result = await this.tx.run(
      'MATCH (s:Sync {id: $id}) MATCH (c:SyncScope {key: s.scopeKey}) RETURN properties(s) AS s, properties(c) AS c',
      { id },
    );
    if (!result.records.length) return null;
    return { sync: toSyncRecord(result.records[0].get('s')), scope: toScopeRecord(result.records[0].get('c')) };
  }

  /**
   * lockSync, updateSync and updateScope (with `scopeProps`) in one statement,
   * answering the sync as it was when locked and as it is after: a batch
   * checks the first and rolls back if the sync closed meanwhile.
   */
  async lockAndUpdateSync(id: string, now: string, inc: SyncIncrements, props: Props, scopeProps: Props): Promise<{ before: SyncRecord; after: SyncRecord } | null> {
    const result = await this.tx.run(LOCK_AND_INCREMENT_SYNC, { id, now, inc: incrementParams(inc), props, scopeProps });
    if (!result.records.length) return null;
    return { before: toSyncRecord(result.records[0].get('before')), after: toSyncRecord(result.records[0].get('p')) };
  }

  /** Adds `inc` to counters and sets `props`; returns the sync as it is then. */
  async updateSync(id: string, inc: SyncIncrements, props: Props = {}): Promise<SyncRecord> {
    const result = await this.tx.run(INCREMENT_SYNC, { id, inc: incrementParams(inc), props });
    return toSyncRecord(result.records[0].get('p'));
  }

  /** Syncs in one of the statuses, oldest first; `before` limits to those whose `field` is earlier. */
  async syncsByStatus(statuses: readonly string[], limit: number): Promise<SyncRecord[]> {
    const result = await this.tx.run(
      `UNWIND $statuses AS status MATCH (s:Sync {status: status})
       RETURN properties(s) AS p ORDER BY s.startedAt LIMIT $limit`,
      { statuses, limit: neo4j.int(limit) },
    );
    return result.records.map((r) => toSyncRecord(r.get('p')));
  }

  async syncsNeedingCleanup(limit: number): Promise<SyncRecord[]> {
    const result = await this.tx.run(
      `UNWIND ['ABORTED', 'EXPIRED'] AS status MATCH (s:Sync {status: status}) WHERE s.cleanupPending
       RETURN properties(s) AS p ORDER BY s.startedAt LIMIT $limit`,
      { limit: neo4j.int(limit) },
    );
    return result.records.map((r) => toSyncRecord(r.get('p')));
  }

  // ---- ledgers and revivals -------------------------------------------------------------------

  async createLedgers(ledgers: readonly NewLedger[]): Promise<void> {
    if (!ledgers.length) return;
    await this.tx.run('UNWIND $ledgers AS ledger CREATE (l:SyncLedger) SET l = ledger', {
      ledgers: ledgers.map(({ ciKeys, dependencyFrom, dependencyTo, ...l }) => ({
        ...l,
        ciKeyLines: ciKeys.length ? ciKeys.join(LINE) : null,
        dependencyLines: dependencyFrom.length ? dependencyFrom.map((from, i) => `${from} ${dependencyTo[i]}`).join(LINE) : null,
        seq: neo4j.int(l.seq),
        bucket: neo4j.int(l.bucket),
        count: neo4j.int(l.count),
        ciCount: neo4j.int(l.ciCount),
        dependencyCount: neo4j.int(l.dependencyCount),
        digestVersion: neo4j.int(l.digestVersion),
      })),
    });
  }

  /** One bucket of the scope's ledgers up to the sync `seq`: this sync's, the previous committed one's, undone ones'. */
  async ledgerSummaries(scopeKey: string, buckets: readonly number[], seq: number): Promise<LedgerSummary[]> {
    const result = await this.tx.run(
      `UNWIND $buckets AS bucket
       MATCH (l:SyncLedger) WHERE l.scopeKey = $scopeKey AND l.bucket = bucket AND l.seq <= $seq
       RETURN l.id AS id, l.seq AS seq, l.bucket AS bucket, l.count AS count, l.ciCount AS ciCount, l.dependencyCount AS dependencyCount,
              l.digestHigh AS digestHigh, l.digestLow AS digestLow, l.digestVersion AS digestVersion`,
      { scopeKey, buckets: buckets.map((b) => neo4j.int(b)), seq: neo4j.int(seq) },
    );
    return result.records.map((r) => r.toObject() as LedgerSummary);
  }

  async findLedgers(ids: readonly string[]): Promise<LedgerRecord[]> {
    if (!ids.length) return [];
    const result = await this.tx.run('UNWIND $ids AS id MATCH (l:SyncLedger {id: id}) RETURN properties(l) AS p', { ids });
    return result.records.map((r) => toLedger(r.get('p')));
  }

  /** The buckets that hold any ledger of the scope up to the sync `seq`. */
  async ledgerBuckets(scopeKey: string, seq: number): Promise<number[]> {
    const result = await this.tx.run(
      'MATCH (l:SyncLedger) WHERE l.scopeKey = $scopeKey AND l.bucket >= 0 AND l.seq <= $seq RETURN DISTINCT l.bucket AS bucket ORDER BY bucket',
      { scopeKey, seq: neo4j.int(seq) },
    );
    return result.records.map((r) => r.get('bucket') as number);
  }

  async ledgerIdsOf(syncId: string): Promise<string[]> {
    const result = await this.tx.run('MATCH (l:SyncLedger {syncId: $syncId}) RETURN l.id AS id ORDER BY l.id', { syncId });
    return result.records.map((r) => r.get('id') as string);
  }

  async findLedger(id: string): Promise<LedgerRecord | null> {
    const result = await this.tx.run('MATCH (l:SyncLedger {id: $id}) RETURN properties(l) AS p', { id });
    return result.records.length ? toLedger(result.records[0].get('p')) : null;
  }

  async deleteLedgers(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx.run('UNWIND $ids AS id MATCH (l:SyncLedger {id: id}) DELETE l', { ids });
  }

  async createRevival(revival: RevivalRecord & { syncId: string }): Promise<void> {
    await this.tx.run('CREATE (r:SyncRevival) SET r = $revival', { revival });
  }

  async revivalIdsOf(syncId: string): Promise<string[]> {
    const result = await this.tx.run('MATCH (r:SyncRevival {syncId: $syncId}) RETURN r.id AS id ORDER BY r.id', { syncId });
    return result.records.map((r) => r.get('id') as string);
  }

  async findRevival(id: string): Promise<RevivalRecord | null> {
    const result = await this.tx.run('MATCH (r:SyncRevival {id: $id}) RETURN properties(r) AS p', { id });
    if (!result.records.length) return null;
    const p = result.records[0].get('p');
    return { id: p.id, cis: p.cis ?? [], dependencyFrom: p.dependencyFrom ?? [], dependencyTo: p.dependencyTo ?? [] };
  }

  async deleteRevivals(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx.run('UNWIND $ids AS id MATCH (r:SyncRevival {id: id}) DELETE r', { ids });
  }

  // ---- CIs --------------------------------------------------------------------------------------

  async readCis(keys: readonly string[]): Promise<Map<string, StoredCi>> {
    if (!keys.length) return new Map();
    const result = await this.tx.run(`UNWIND $keys AS k MATCH (n:CI {key: k}) RETURN elementId(n) AS id, ${CI_READ} AS p`, { keys });
    return new Map(result.records.map((r) => {
      const ci = toStoredCi(r.get('id'), r.get('p'));
      return [ci.record.key, ci];
    }));
  }

  /**
   * The CIs a sync batch names, by key: each as stored, or UNCHANGED where
   * its mark holds for the digest the batch reports it with (see sync-mark.ts),
   * so neither its properties are read nor its report planned again.
   */
  async readCisForSync(rows: readonly { key: string; digest: string }[], seqs: MarkSeqs): Promise<Map<string, StoredCi | typeof UNCHANGED>> {
    if (!rows.length) return new Map();
    // Parallel lists in, two lists out (see readOrCreateDependencies).
    const result = await this.tx.run(
      `UNWIND range(0, size($keys) - 1) AS i
       MATCH (n:CI {key: $keys[i]})
       WITH i, n, ${markHolds('n', '$digests[i]')} AS same
       RETURN collect(CASE WHEN same THEN i END) AS same, collect(CASE WHEN NOT same THEN [elementId(n), ${CI_READ}] END) AS rest`,
      { keys: rows.map((r) => r.key), digests: rows.map((r) => r.digest), ...markSeqParams(seqs) },
    );
    const [record] = result.records;
    const out = new Map<string, StoredCi | typeof UNCHANGED>();
    for (const at of record.get('same') as number[]) out.set(rows[at].key, UNCHANGED);
    for (const [id, p] of record.get('rest') as [string, unknown[]][]) {
      const ci = toStoredCi(id, p);
      out.set(ci.record.key, ci);
    }
    return out;
  }

  /** Leaves marks on items a batch found unchanged; an item written meanwhile is left as it is (its mark would not hold). */
  async markItems(entity: 'ci' | 'dependency', rows: readonly MarkWrite[]): Promise<void> {
    if (!rows.length) return;
    const item = entity === 'ci' ? '(n)' : '()-[n]->()';
    await this.tx.run(
      `UNWIND $rows AS row
       MATCH ${item} WHERE elementId(n) = row.id AND n.version = row.version AND coalesce(n.claimRev, 0) = row.claimRev
       SET n.${MARK_PROPERTY} = row.mark, n.${MARK_SEQ_PROPERTY} = row.seq`,
      { rows: rows.map((r) => ({ id: r.elementId, version: r.version, claimRev: r.claimRev, mark: r.mark, seq: neo4j.int(r.seq) })) },
    );
  }

  /** Alias -> the key of the CI it names (only aliases whose CI still exists). */
  async resolveAliases(keys: readonly string[]): Promise<Map<string, string>> {
    if (!keys.length || !(await this.anyOf('CIAlias'))) return new Map();
    const result = await this.tx.run(
      'UNWIND $keys AS k MATCH (a:CIAlias {key: k}) MATCH (n:CI {key: a.ciKey}) RETURN k, n.key AS key',
      { keys },
    );
    return new Map(result.records.map((r) => [r.get('k') as string, r.get('key') as string]));
  }

  /** `kind value` identifier ids -> the key of the CI that carries it (only existing CIs). */
  async resolveIdentifiers(ids: readonly string[]): Promise<Map<string, string>> {
    if (!ids.length || !(await this.anyOf('CIIdentifier'))) return new Map();
    const result = await this.tx.run(
      'UNWIND $ids AS i MATCH (x:CIIdentifier {id: i}) MATCH (n:CI {key: x.ciKey}) RETURN i, n.key AS key',
      { ids },
    );
    return new Map(result.records.map((r) => [r.get('i') as string, r.get('key') as string]));
  }

  /**
   * Whether any node has the label, from the count store: a first sync of
   * thousands of new keys then skips looking each one up as an alias.
   */
  private async anyOf(label: 'CIAlias' | 'CIIdentifier'): Promise<boolean> {
    const result = await this.tx.run(label === 'CIAlias' ? 'MATCH (a:CIAlias) RETURN count(a) > 0 AS any' : 'MATCH (x:CIIdentifier) RETURN count(x) > 0 AS any');
    return result.records[0].get('any') as boolean;
  }

  async createCis(rows: readonly Props[]): Promise<void> {
    if (!rows.length) return;
    // One map per node keeps the plan free of an Eager (SET n += after CREATE adds one).
    await this.tx.run('UNWIND $rows AS row CREATE (n:CI) SET n = row', { rows });
  }

  async writeCis(rows: readonly GuardedWrite[]): Promise<void> {
    await guarded(
      this.tx,
      `UNWIND $rows AS row
       MATCH (n) WHERE elementId(n) = row.id AND n.version = row.version AND coalesce(n.claimRev, 0) = row.claimRev
       SET n += row.props, n.claimRev = row.claimRev + 1, n.version = row.version + row.bump
       RETURN count(n) AS written`,
      rows,
      'CIs',
    );
  }

  /** Aliases and identifiers never move to another CI: the first to claim one keeps it. */
  async registerNames(aliases: readonly { key: string; ciKey: string }[], identifiers: readonly { id: string; ciKey: string }[], now: string): Promise<void> {
    if (aliases.length) {
      await this.tx.run(
        `UNWIND $rows AS row MERGE (a:CIAlias {key: row.key})
         ON CREATE SET a.ciKey = row.ciKey, a.createdAt = $now
         WITH a, row WHERE a.ciKey <> row.ciKey AND NOT EXISTS { MATCH (:CI {key: a.ciKey}) }
         SET a.ciKey = row.ciKey`,
        { rows: aliases, now },
      );
    }
    if (identifiers.length) {
      await this.tx.run(
        `UNWIND $rows AS row MERGE (x:CIIdentifier {id: row.id})
         ON CREATE SET x.ciKey = row.ciKey, x.createdAt = $now
         WITH x, row WHERE x.ciKey <> row.ciKey AND NOT EXISTS { MATCH (:CI {key: x.ciKey}) }
         SET x.ciKey = row.ciKey`,
        { rows: identifiers, now },
      );
    }
  }

  /** Key -> element id of the CIs that exist. */
  async ciIds(keys: readonly string[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const result = await this.tx.run('UNWIND $keys AS k MATCH (n:CI {key: k}) RETURN k, elementId(n) AS id', { keys });
    return new Map(result.records.map((r) => [r.get('k') as string, r.get('id') as string]));
  }

  // ---- dependencies -----------------------------------------------------------------------------

  /**
   * For each row whose two CIs exist (by key): the dependency between them
   * as stored, UNCHANGED where its mark holds for the variant's digest, or,
   * when there is none, a new one created with the variant's `props`. Rows
   * whose ends are not both found are left out of the answer. Rows that are
   * alike should share one variant object: each distinct one is sent once.
   * Rows with a `group` are whole consumer groups (`groups` holds each one's
   * digest and size): a consumer all of whose rows are found, and created or
   * vouched for by their own marks, gets its group mark (see sync-mark.ts).
   */
  async readOrCreateDependencies(
    rows: readonly { index: number; from: string; to: string; variant: DependencyVariant; group?: number }[],
    seqs: MarkSeqs,
    groups: { digests: readonly string[]; sizes: readonly number[] } = { digests: [], sizes: [] },
  ): Promise<Map<number, FoundDependency>> {
    const out = new Map<number, FoundDependency>();
    if (!rows.length) return out;
    // Sent as parallel lists, not a map per row, and answered as two lists, not a record per row:
    // a re-sync pushes every dependency, and per-row maps and records were most of its cost.
    const variants = interned<DependencyVariant>();
    // Each key once: a discovery job reports a CI's dependencies together, so a batch names far
    // fewer CIs than it has ends (a quarter of the `from` ends in the bench's inventory).
    const keys = interned<string>();
    const result = await this.tx.run(
      `CALL () {
         UNWIND range(0, size($keys) - 1) AS k
         OPTIONAL MATCH (n:CI {key: $keys[k]})
         WITH k, n ORDER BY k
         // A consumer's dependency revision is read before any of its dependencies (see below).
         RETURN collect([n, coalesce(n.${DEPENDENCY_REV}, 0)]) AS nodes
       }
       UNWIND range(0, size($from) - 1) AS i
       WITH i, nodes[toInteger($from[i])] AS from, nodes[toInteger($to[i])][0] AS b
       WITH i, from[0] AS a, from[1] AS rev, b
       WHERE a IS NOT NULL AND b IS NOT NULL
       // With both ends bound the planner expands from the end with fewer relationships (Expand(Into));
       // on its own it may seek one end and walk all of it, e.g. every dependent of the shared DNS.
       CALL (a, b) { OPTIONAL MATCH (a)-[r:DEPENDS_ON]->(b) RETURN r }
       // Everything read before anything is created: the planner then needs no second Eager.
       WITH i, a, rev, b, r IS NULL AS created, r IS NOT NULL AND ${markHolds('r', '$digests[toInteger($v[i])]')} AS same,
            CASE WHEN r IS NULL THEN null ELSE [elementId(r), ${DEPENDENCY_READ}] END AS stored
       FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | CREATE (a)-[n:DEPENDS_ON]->(b) SET n = $props[toInteger($v[i])])
       // A consumer all of whose rows were found (a whole group) and are as reported (created now, or
       // vouched for by their marks) gets its group mark, at the revision read before its rows were:
       // a write committed since then has moved the revision past it, so the mark would not hold.
       WITH a, rev, toInteger($group[i]) AS g, collect(CASE WHEN same THEN i END) AS sameRows,
            collect(CASE WHEN NOT same THEN [i, created, stored] END) AS restRows, count(*) AS rows, count(CASE WHEN created OR same THEN 1 END) AS asReported
       FOREACH (_ IN CASE WHEN g IS NOT NULL AND rows = toInteger($groupSizes[g]) AND asReported = rows THEN [1] ELSE [] END |
         SET a.${GROUP_MARK_PROPERTY} = $groupDigests[g] + '.' + rev, a.${GROUP_MARK_SEQ_PROPERTY} = $seq)
       RETURN collect(sameRows) AS same, collect(restRows) AS rest`,
      {
        // Positions go as plain numbers (floats on the wire, toInteger in the query): the driver
        // packs a number as it is, but passes each Integer object through all its type checks.
        from: rows.map((r) => keys.at(r.from)),
        to: rows.map((r) => keys.at(r.to)),
        keys: keys.values,
        v: rows.map((r) => variants.at(r.variant)),
        props: variants.values.map((v) => v.props),
        digests: variants.values.map((v) => v.digest),
        group: rows.map((r) => r.group ?? null),
        groupDigests: groups.digests,
        groupSizes: groups.sizes,
        ...markSeqParams(seqs),
      },
    );
    const [record] = result.records;
    for (const at of (record.get('same') as number[][]).flat()) out.set(rows[at].index, { created: false, stored: UNCHANGED });
    for (const [at, created, stored] of (record.get('rest') as [number, boolean, [string, unknown[]] | null][][]).flat()) {
      const row = rows[at];
      out.set(row.index, created ? { created: true } : { created: false, stored: toStoredDependency(stored![0], row.from, row.to, stored![1]) });
    }
    return out;
  }

  /**
   * For each consumer (a CI by key, with the group digest of the rows a batch
   * reports out of it), whether its group mark holds (see sync-mark.ts): the
   * positions of those whose mark holds.
   */
  async heldDependencyGroups(rows: readonly { from: string; digest: string }[], seqs: MarkSeqs): Promise<number[]> {
    if (!rows.length) return [];
    const result = await this.tx.run(
      `UNWIND range(0, size($keys) - 1) AS i
       MATCH (a:CI {key: $keys[i]})
       WITH i, a WHERE ${groupMarkHolds('a', '$digests[i]')}
       RETURN collect(i) AS held`,
      { keys: rows.map((r) => r.from), digests: rows.map((r) => r.digest), ...markSeqParams(seqs) },
    );
    return result.records[0].get('held') as number[];
  }

  async writeDependencies(rows: readonly GuardedWrite[]): Promise<void> {
    await guarded(
      this.tx,
      `UNWIND $rows AS row
       MATCH (a)-[r]->() WHERE elementId(r) = row.id AND r.version = row.version AND coalesce(r.claimRev, 0) = row.claimRev
       SET r += row.props, r.claimRev = row.claimRev + 1, r.version = row.version + row.bump, ${bumpDependencyRev('a')}
       RETURN count(r) AS written`,
      rows,
      'dependencies',
    );
  }

  /** Dependencies by their two keys (those that still exist). */
  async readDependenciesByKeys(pairs: readonly { from: string; to: string }[]): Promise<Map<string, StoredDependency>> {
    if (!pairs.length) return new Map();
    const result = await this.tx.run(
      `UNWIND $pairs AS pair
       MATCH (a:CI {key: pair.from})
       MATCH (b:CI {key: pair.to})
       CALL (a, b) { MATCH (a)-[r:DEPENDS_ON]->(b) RETURN r }
       RETURN pair.from AS from, pair.to AS to, elementId(r) AS id, ${DEPENDENCY_READ} AS p`,
      { pairs },
    );
    return new Map(
      result.records.map((r) => [`${r.get('from')}->${r.get('to')}`, toStoredDependency(r.get('id'), r.get('from'), r.get('to'), r.get('p'))]),
    );
  }

  // ---- retirement -------------------------------------------------------------------------------

  /** Up to `limit` CIs stale since `cutoff` or earlier. */
  async staleCis(cutoff: string, limit: number): Promise<StoredCi[]> {
    const result = await this.tx.run(
      `MATCH (n:CI {status: $stale}) WHERE n.staleSince <= $cutoff
       RETURN elementId(n) AS id, ${CI_READ} AS p LIMIT $limit`,
      { stale: CIStatus.STALE, cutoff, limit: neo4j.int(limit) },
    );
    return result.records.map((r) => toStoredCi(r.get('id'), r.get('p')));
  }

  async staleDependencies(cutoff: string, limit: number): Promise<StoredDependency[]> {
    const result = await this.tx.run(
      `MATCH (a:CI)-[r:DEPENDS_ON {status: $stale}]->(b:CI) WHERE r.staleSince <= $cutoff
       RETURN a.key AS from, b.key AS to, elementId(r) AS id, ${DEPENDENCY_READ} AS p LIMIT $limit`,
      { stale: CIStatus.STALE, cutoff, limit: neo4j.int(limit) },
    );
    return result.records.map((r) => toStoredDependency(r.get('id'), r.get('from'), r.get('to'), r.get('p')));
  }
}

/** True for the error Neo4j raises when two writers create the same key at once. */
export function isUniquenessRace(error: unknown): boolean {
  return error instanceof Neo4jError && /ConstraintValidationFailed/.test(error.code);
}

@Injectable()
export class SyncRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  read<T>(name: string, work: (q: SyncQueries) => Promise<T>): Promise<T> {
    return this.neo4j.read(name, (tx) => work(new SyncQueries(tx)));
  }

  write<T>(name: string, work: (q: SyncQueries) => Promise<T>): Promise<T> {
    return this.neo4j.write(name, (tx) => work(new SyncQueries(tx)));
  }
}
