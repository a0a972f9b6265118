import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { PlannedAlert } from './alert-plan';
import { AlertFilter, AlertRecord, AlertState, EXPIRING_SOURCE, KeyCandidate, ReadRule, expiredAtOrBefore } from './alerts.types';
import { CIKind } from '../topology/topology.vocabulary';
import { AlertSource, AlertStatus, Severity } from './alerts.vocabulary';
import { CandidateMatches } from './label-mapping';

type Props = Record<string, unknown>;

/** Another delivery created or changed the same alerts first; the whole call is planned again. */
export class AlertWriteRace extends Error {
  constructor(readonly ids: string[]) {
    super(`Alerts written concurrently: ${ids.slice(0, 5).join(', ')}`);
  }
}

function toRecord(p: Props): AlertRecord {
  return {
    id: p.id as string,
    fingerprint: p.fingerprint as string,
    source: p.source as AlertSource,
    key: (p.key as string) ?? null,
    candidates: JSON.parse((p.candidatesJson as string) ?? '[]') as KeyCandidate[],
    labels: JSON.parse((p.labelsJson as string) ?? '{}'),
    annotations: JSON.parse((p.annotationsJson as string) ?? '{}'),
    summary: (p.summary as string) ?? null,
    severity: p.severity as Severity,
    status: p.status as AlertStatus,
    startsAt: p.startsAt as string,
    endsAt: (p.endsAt as string) ?? null,
    generatorURL: (p.generatorURL as string) ?? null,
    receivedAt: p.receivedAt as string,
    updatedAt: p.updatedAt as string,
    // Alerts stored before lastNotifiedAt existed were last notified when last changed, as far as anyone knows.
    lastNotifiedAt: ((p.lastNotifiedAt ?? p.updatedAt) as string),
    version: (p.version as number) ?? 1,
  };
}

/** Stored properties of an alert state. Neo4j has no map properties, so labels, annotations and candidates are JSON text. */
function storedProps(state: AlertState): Props {
  return {
    fingerprint: state.fingerprint,
    source: state.source,
    key: state.key,
    candidatesJson: JSON.stringify(state.candidates),
    labelsJson: JSON.stringify(state.labels),
    annotationsJson: JSON.stringify(state.annotations),
    summary: state.summary,
    severity: state.severity,
    status: state.status,
    startsAt: state.startsAt,
    endsAt: state.endsAt,
    generatorURL: state.generatorURL,
  };
}

/**
 * effectiveStatus (alerts.types.ts) in Cypher, over `a`: ACTIVE as stored,
 * and its endsAt still ahead, or, with no known end, not an Alertmanager
 * alert that no notification named since $expiredAtOrBefore. Never null, so
 * its negation is exactly "reads as RESOLVED".
 */
const READS_ACTIVE =
  "a.status = 'ACTIVE' AND CASE WHEN a.endsAt IS NULL " +
  'THEN (a.source <> $expiringSource OR coalesce(a.lastNotifiedAt, a.updatedAt) > $expiredAtOrBefore) ' +
  'ELSE a.endsAt > $now END';

/** The parameters READS_ACTIVE needs. */
export function readRuleParams(rule: ReadRule): Props {
  return { now: rule.now.toISOString(), expiredAtOrBefore: expiredAtOrBefore(rule), expiringSource: EXPIRING_SOURCE };
}

/**
 * WHERE fragments for an alert filter: fixed text only, every value a
 * parameter. Status is the effective one (READS_ACTIVE): an ACTIVE alert
 * whose endsAt has passed, or that expired, is RESOLVED.
 */
export function alertFilterClause(filter: AlertFilter, rule: ReadRule): { where: string[]; params: Props } {
  const where: string[] = [];
  const params: Props = readRuleParams(rule);
  const statuses = new Set(filter.statuses ?? []);
  if (statuses.size === 1 && statuses.has(AlertStatus.ACTIVE)) where.push(`(${READS_ACTIVE})`);
  if (statuses.size === 1 && statuses.has(AlertStatus.RESOLVED)) where.push(`NOT (${READS_ACTIVE})`);
  if (filter.severities?.length) {
    where.push('a.severity IN $severities');
    params.severities = filter.severities;
  }
  if (filter.keys?.length) {
    where.push('a.key IN $keys');
    params.keys = filter.keys;
  }
  if (filter.sources?.length) {
    where.push('a.source IN $sources');
    params.sources = filter.sources;
  }
  if (filter.matched === true) where.push('a.key IS NOT NULL');
  if (filter.matched === false) where.push('a.key IS NULL');
  if (filter.ciMissing === true) where.push('a.key IS NOT NULL AND NOT EXISTS { MATCH (:CI {key: a.key}) }');
  if (filter.ciMissing === false) where.push('(a.key IS NULL OR EXISTS { MATCH (:CI {key: a.key}) })');
  if (filter.since) {
    where.push('a.startsAt >= $since');
    params.since = filter.since.toISOString();
  }
  if (filter.until) {
    where.push('a.startsAt < $until');
    params.until = filter.until.toISOString();
  }
  // A range predicate on startsAt lets its index deliver rows already in order.
  if (!filter.since) where.push("a.startsAt >= ''");
  return { where, params };
}

/** Every call takes its locks in id order, so two calls with overlapping alerts queue instead of deadlocking. */
function inIdOrder(plans: readonly PlannedAlert[]): PlannedAlert[] {
  return [...plans].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Statements bound to one transaction, so a call can match, read, decide and write atomically. */
export class AlertQueries {
  constructor(private readonly tx: ManagedTransaction) {}

  /**
   * Which candidates name a CI, in one query: keys of CIs; other keys that
   * discovery recorded as aliases of a CI (`:CIAlias {key, ciKey}`); and
   * identifiers a CI carries, which discovery indexes per kind as
   * `:CIIdentifier {id: "<KIND> <value>", ciKey}`. Every lookup is a seek on
   * a unique property, so the cost follows the alerts, not the size of the graph.
   */
  async matchCandidates(keys: readonly string[], identifiers: readonly string[]): Promise<CandidateMatches> {
    const uniqueKeys = [...new Set(keys)];
    const identifierRows = [...new Set(identifiers)].flatMap((value) => Object.values(CIKind).map((kind) => ({ id: `${kind} ${value}`, value })));
    const result = await this.tx.run(
      `CALL {
         UNWIND $keys AS candidate
         MATCH (n:CI {key: candidate})
         RETURN 'KEY' AS via, candidate, n.key AS key
         UNION ALL
         UNWIND $keys AS candidate
         MATCH (a:CIAlias {key: candidate})
         MATCH (n:CI {key: a.ciKey})
         RETURN 'ALIAS' AS via, candidate, n.key AS key
         UNION ALL
         UNWIND $identifiers AS row
         MATCH (x:CIIdentifier {id: row.id})
         MATCH (n:CI {key: x.ciKey})
         RETURN 'IDENTIFIER' AS via, row.value AS candidate, n.key AS key
       }
       RETURN via, candidate, min(key) AS key`,
      { keys: uniqueKeys, identifiers: identifierRows },
    );
    const found = { keys: new Set<string>(), aliases: new Map<string, string>(), identifiers: new Map<string, string>() };
    for (const record of result.records) {
      const [via, candidate, key] = [record.get('via'), record.get('candidate') as string, record.get('key') as string];
      if (via === 'KEY') found.keys.add(candidate);
      else if (via === 'ALIAS') found.aliases.set(candidate, key);
      else found.identifiers.set(candidate, key);
    }
    return found;
  }

  /**
   * The stored alerts with these ids, write-locked first (in id order, so
   * two calls cannot deadlock each other), so no other call changes them
   * between this read and this transaction's writes.
   */
  async findForUpdate(ids: readonly string[]): Promise<Map<string, AlertRecord>> {
    const result = await this.tx.run(
      `UNWIND $ids AS id
       MATCH (a:Alert {id: id})
       SET a._lock = true REMOVE a._lock
       RETURN properties(a) AS p`,
      { ids: [...new Set(ids)].sort() },
    );
    return new Map(result.records.map((r) => [r.get('p').id as string, toRecord(r.get('p'))]));
  }

  /** Creates new alerts; throws AlertWriteRace when another call created one of them first. */
  async create(plans: readonly PlannedAlert[], now: string): Promise<void> {
    if (!plans.length) return;
    const result = await this.tx.run(
      `UNWIND $rows AS row
       MERGE (a:Alert {id: row.id})
       ON CREATE SET a += row.props, a.receivedAt = $now, a.updatedAt = $now, a.lastNotifiedAt = $now, a.version = 0
       WITH a, row, a.version = 0 AS created
       FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | SET a.version = 1)
       RETURN row.id AS id, created`,
      { rows: inIdOrder(plans).map((p) => ({ id: p.id, props: storedProps(p.state) })), now },
    );
    const raced = result.records.filter((r) => !r.get('created')).map((r) => r.get('id') as string);
    if (raced.length) throw new AlertWriteRace(raced);
  }

  /** Replaces the state of alerts locked by findForUpdate. */
  async update(plans: readonly PlannedAlert[], now: string): Promise<void> {
    if (!plans.length) return;
    const result = await this.tx.run(
      `UNWIND $rows AS row
       MATCH (a:Alert {id: row.id})
       WHERE a.version = row.baseVersion
       SET a += row.props, a.version = a.version + 1, a.updatedAt = $now, a.lastNotifiedAt = $now
       RETURN a.id AS id`,
      { rows: inIdOrder(plans).map((p) => ({ id: p.id, baseVersion: p.action === 'update' ? p.baseVersion : -1, props: storedProps(p.state) })), now },
    );
    const done = new Set(result.records.map((r) => r.get('id') as string));
    const raced = plans.map((p) => p.id).filter((id) => !done.has(id));
    if (raced.length) throw new AlertWriteRace(raced);
  }

  /**
   * Moves the last-notified time of alerts locked by findForUpdate that a
   * notification repeated unchanged; their state, version and updatedAt stay
   * as they are. Never moves it back (a delivery that waited on the lock).
   */
  async touch(plans: readonly PlannedAlert[], now: string): Promise<void> {
    if (!plans.length) return;
    await this.tx.run(
      `UNWIND $ids AS id
       MATCH (a:Alert {id: id})
       WHERE coalesce(a.lastNotifiedAt, a.updatedAt) < $now
       SET a.lastNotifiedAt = $now`,
      { ids: inIdOrder(plans).map((p) => p.id), now },
    );
  }

  /** Newest first (by startsAt, then id), after the position `after` when given. */
  async list(filter: AlertFilter, after: { startsAt: string; id: string } | null, limit: number, rule: ReadRule): Promise<{ items: AlertRecord[]; total: number }> {
    const { where, params } = alertFilterClause(filter, rule);
    const page = [...where, ...(after ? ['(a.startsAt < $afterAt OR (a.startsAt = $afterAt AND a.id < $afterId))'] : [])];
    const rows = await this.tx.run(
      `MATCH (a:Alert) WHERE ${page.join(' AND ')}
       RETURN properties(a) AS p ORDER BY a.startsAt DESC, a.id DESC LIMIT $limit`,
      { ...params, afterAt: after?.startsAt ?? null, afterId: after?.id ?? null, limit: neo4j.int(limit) },
    );
    const count = await this.tx.run(`MATCH (a:Alert) WHERE ${where.join(' AND ')} RETURN count(a) AS total`, params);
    return { items: rows.records.map((r) => toRecord(r.get('p'))), total: count.records[0].get('total') as number };
  }

  /** Alerts that read as active and name a CI, newest first, at most `limit`; and how many there are in all. */
  async activeMatched(rule: ReadRule, limit: number): Promise<{ items: AlertRecord[]; total: number }> {
    const where = `(${READS_ACTIVE}) AND a.key IS NOT NULL AND a.startsAt >= ''`;
    const params = readRuleParams(rule);
    const rows = await this.tx.run(
      `MATCH (a:Alert) WHERE ${where}
       RETURN properties(a) AS p ORDER BY a.startsAt DESC, a.id DESC LIMIT $limit`,
      { ...params, limit: neo4j.int(limit) },
    );
    const count = await this.tx.run(`MATCH (a:Alert) WHERE ${where} RETURN count(a) AS total`, params);
    return { items: rows.records.map((r) => toRecord(r.get('p'))), total: count.records[0].get('total') as number };
  }
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  read<T>(name: string, work: (q: AlertQueries) => Promise<T>): Promise<T> {
    return this.neo4j.read(name, (tx) => work(new AlertQueries(tx)));
  }

  write<T>(name: string, work: (q: AlertQueries) => Promise<T>): Promise<T> {
    return this.neo4j.write(name, (tx) => work(new AlertQueries(tx)));
  }
}
