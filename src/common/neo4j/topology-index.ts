import { Inject, Injectable, Logger } from '@nestjs/common';
import neo4j, { ManagedTransaction, Neo4jError, Record as Neo4jRecord } from 'neo4j-driver';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { edgeEnd, rowsById } from './level-walk';
import { Neo4jService } from './neo4j.service';

/** The walks the svcmap plugin for Neo4j offers (tools/neo4j-launcher, package svcmap.topology). */
export type IndexWalk = 'impacted' | 'upstream';

/**
 * CIs a walk reached, in key order (UTF-16 code units, as JavaScript sorts strings), and per CI in
 * `ints`: `header` numbers (the walk's columns), a count, then that many neighbours in the set as
 * row numbers, HARD before SOFT at one row, a SOFT one as -1 - row. `missing`: the keys asked for
 * that no CI has, in the order asked.
 */
export interface WalkedRows {
  keys: string[];
  kinds: string[];
  ints: Int32Array;
  missing: string[];
  /** impacted only, for the CIs of the kinds asked for: [row, name, criticality, revenuePerHour, usersAffected], null where unset. */
  facts: WalkedFacts[];
}

export type WalkedFacts = [number, string | null, string | null, number | null, number | null];

const PROCEDURE_NOT_FOUND = 'Neo.ClientError.Procedure.ProcedureNotFound';

/** Header numbers per CI: impacted: minHealthy, member count; upstream: dependent count, minHealthy, dependency count. */
export const WALK_HEADER: Record<IndexWalk, number> = { impacted: 2, upstream: 3 };

/**
 * The in-database topology index, when the Neo4j server has svcmap's plugin: a walk over tens of
 * thousands of CIs then reads arrays the plugin keeps in the database process instead of the
 * store (docs/performance.md). The plugin answers only from a snapshot of the graph as committed
 * now; while writes land it says it has none, and the repositories run their Cypher. Off with
 * SVCMAP_TOPOLOGY_INDEX=off; asked once per process whether the server has it.
 */
@Injectable()
export class TopologyIndexService {
  private readonly logger = new Logger(TopologyIndexService.name);
  private available: Promise<boolean> | null = null;

  constructor(
    private readonly neo4j: Neo4jService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether walks may be asked of the plugin: configured so, and the server has it. */
  hasIndex(): Promise<boolean> {
    if (this.config.neo4j.topologyIndex === 'off') return Promise.resolve(false);
    return (this.available ??= this.detect());
  }

  /**
   * The walk from the plugin in `tx`, or null: no plugin, or no snapshot of the graph as it is now.
   * An impacted walk brings the scoring facts of the CIs of the kinds `factsFor` names. Callers run
   * it as a statement of its own (an auto-commit read), so a server that lost the plugin fails
   * only this statement, and the caller's Cypher runs instead.
   */
  async walk(tx: ManagedTransaction, walk: IndexWalk, keys: readonly string[], maxDepth: number, factsFor: readonly string[] = []): Promise<WalkedRows | null> {
    if (!(await this.hasIndex())) return null;
    try {
      const result =
        walk === 'impacted'
          ? await tx.run('CALL svcmap.topology.impacted($keys, $maxDepth, $factsFor)', { keys, maxDepth: neo4j.int(maxDepth), factsFor })
          : await tx.run('CALL svcmap.topology.upstream($keys, $maxDepth)', { keys, maxDepth: neo4j.int(maxDepth) });
      return decodeWalk(result.records);
    } catch (error) {
      // Neo4j restarted without the plugin since it was found: Cypher from now on.
      if (!(error instanceof Neo4jError) || error.code !== PROCEDURE_NOT_FOUND) throw error;
      this.logger.warn('Neo4j no longer has the svcmap topology plugin: walks run as Cypher');
      this.available = Promise.resolve(false);
      return null;
    }
  }

  private async detect(): Promise<boolean> {
    try {
      const found = await this.neo4j.readEach('topology.index.detect', (tx) =>
        tx.run(`SHOW PROCEDURES YIELD name WHERE name IN ['svcmap.topology.impacted', 'svcmap.topology.upstream'] RETURN count(*) = 2 AS found`),
      );
      const has = found.records[0]?.get('found') === true;
      this.logger.log(has ? 'Neo4j has the svcmap topology plugin: wide walks read its index' : 'Neo4j has no svcmap topology plugin: walks run as Cypher');
      return has;
    } catch (error) {
      this.logger.warn(`Could not ask Neo4j for the svcmap topology plugin (${(error as Error).message}); walks run as Cypher`);
      return false;
    }
  }
}

const LITTLE_ENDIAN = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

/** The rows of a plugin walk (records of fresh, missing, keys, kinds, facts, ints, rows), or null when it had no current snapshot. */
export function decodeWalk(records: readonly Neo4jRecord[]): WalkedRows | null {
  if (!records.length || records[0].get('fresh') !== true) return null;
  const keys: string[] = [];
  const kinds: string[] = [];
  const facts: WalkedFacts[] = [];
  const chunks = records.map((record) => Buffer.from((record.get('ints') as string | null) ?? '', 'base64'));
  const ints = new Int32Array(chunks.reduce((sum, bytes) => sum + (bytes.byteLength >>> 2), 0));
  const bytes = new Uint8Array(ints.buffer);
  let at = 0;
  records.forEach((record, i) => {
    if ((record.get('rows') as number) === 0) return;
    for (const key of (record.get('keys') as string).split('\n')) keys.push(key);
    for (const kind of (record.get('kinds') as string).split('\n')) kinds.push(kind);
    const listed = record.get('facts') as string | null;
    if (listed) for (const entry of JSON.parse(listed) as WalkedFacts[]) facts.push(entry);
    bytes.set(chunks[i], at);
    at += chunks[i].byteLength;
  });
  // Little-endian on the wire, as on every platform Node runs svcmap on; swapped otherwise.
  if (!LITTLE_ENDIAN) {
    const wire = new DataView(ints.buffer);
    for (let k = 0; k < ints.length; k++) ints[k] = wire.getInt32(4 * k, true);
  }
  return { keys, kinds, ints, missing: (records[0].get('missing') as string[]) ?? [], facts };
}

/**
 * Rows a Cypher walk returned, put in the plugin's form so that both give the engines the same
 * input (and so the same answers): `rows[i]` is [internal id, key, kind, ...`header` numbers, the
 * neighbours as signedEnd ids]. Neighbours outside the rows (past the depth bound) are dropped.
 */
export function walkedRowsOf(rows: readonly unknown[][], header: number, missing: string[]): WalkedRows {
  const n = rows.length;
  const keyOf = (i: number) => rows[i][1] as string;
  // The default sort compares UTF-16 code units without a call back into JavaScript per comparison.
  const sorted = rows.map((_, i) => keyOf(i)).sort();
  const placeOfKey = new Map<string, number>();
  sorted.forEach((key, place) => placeOfKey.set(key, place));
  const order = new Int32Array(n);
  const placeOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const place = placeOfKey.get(keyOf(i))!;
    order[place] = i;
    placeOfRow[i] = place;
  }
  const rowOfId = rowsById(rows);
  const neighboursAt = 3 + header;
  let words = 0;
  for (const row of rows) words += header + 1 + (row[neighboursAt] as number[]).length;
  const ints = new Int32Array(words);
  const listed: number[] = [];
  let at = 0;
  for (let place = 0; place < n; place++) {
    const row = rows[order[place]];
    for (let h = 0; h < header; h++) ints[at++] = row[3 + h] as number;
    listed.length = 0;
    for (const encoded of row[neighboursAt] as number[]) {
      const other = rowOfId(edgeEnd(encoded));
      if (other >= 0) listed.push(2 * placeOfRow[other] + (encoded < 0 ? 1 : 0));
    }
    listed.sort((a, b) => a - b);
    ints[at++] = listed.length;
    for (const value of listed) ints[at++] = value & 1 ? -1 - (value >>> 1) : value >>> 1;
  }
  return { keys: sorted, kinds: Array.from(order, (i) => rows[i][2] as string), ints: ints.subarray(0, at), missing, facts: [] };
}
