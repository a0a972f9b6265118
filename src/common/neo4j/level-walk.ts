import neo4j, { ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import { depthBound } from './depth-bound';

/** Ids per statement of a walk: bounds one message and one result. */
const IDS_PER_STATEMENT = 10_000;

/** The internal ids of the CIs with these keys, for walkByLevels, and the keys no CI has. */
export async function startOfWalk(tx: ManagedTransaction, keys: readonly string[]): Promise<{ ids: number[]; missing: string[] }> {
  const result = await tx.run('UNWIND $keys AS k OPTIONAL MATCH (n:CI {key: k}) RETURN k, id(n) AS id', { keys });
  const ids: number[] = [];
  const missing: string[] = [];
  for (const r of result.records) {
    if (r.get('id') === null) missing.push(r.get('k') as string);
    else ids.push(r.get('id') as number);
  }
  return { ids, missing };
}

/** CIs per returned record: a row of lists per few hundred CIs, not a record per CI (a constant of the statement text, like a depth bound). */
const CIS_PER_RECORD = 500;

/**
 * The rows of `row` (a Cypher list expression over the CI `n`) for the CIs
 * in `cis` (an expression for a list of CI nodes), a record of
 * CIS_PER_RECORD rows at a time, in list order. A record per CI costs
 * Neo4j and the driver more per CI than most columns do: on 37,000 CIs, a
 * third of the time of a wide blast radius.
 */
export function rowsOfCis(cis: string, row: string): string {
  return `WITH ${cis} AS cis
    UNWIND range(0, size(cis) - 1, ${CIS_PER_RECORD}) AS at
    CALL {
      WITH cis, at
      UNWIND cis[at..at + ${CIS_PER_RECORD}] AS n
      RETURN collect(${row}) AS rows
    }
    RETURN rows`;
}

/** The rows of a result of rowsOfCis, flattened. */
export function rowsOf(records: readonly Neo4jRecord[]): unknown[][] {
  const out: unknown[][] = [];
  for (const record of records) for (const row of record.get('rows') as unknown[][]) out.push(row);
  return out;
}

/**
 * A breadth-first walk from many start CIs at once, one statement per level.
 *
 * A variable-length pattern prunes per start node: from a thousand alerting
 * CIs, or the causes of a hundred incidents, it walks the shared providers
 * (or the shared dependents) once per start. Here each CI is read once.
 *
 * `row` is a Cypher list expression over the CI `n`: what the caller needs
 * of each CI, with at position `nextAt` the list of ids one step further in
 * the walk's direction. CIs at `depth` steps are read but not expanded.
 * `parameters` go to every statement. `idOf` reads an id out of a `next`
 * entry when the statement encodes more in it. Returns one row per CI
 * reached, start CIs first, nearest first.
 */
export async function walkByLevels(
  tx: ManagedTransaction,
  start: readonly number[],
  depth: number,
  row: string,
  nextAt: number,
  parameters: Record<string, unknown> = {},
  idOf: (entry: number) => number = (entry) => entry,
): Promise<unknown[][]> {
  const levels = depthBound(depth);
  const statement = `UNWIND $ids AS i MATCH (n:CI) WHERE id(n) = i WITH collect(n) AS read ${rowsOfCis('read', row)}`;
  const seen = new Set<number>(start);
  let frontier = [...seen];
  const out: unknown[][] = [];
  for (let level = 0; frontier.length; level++) {
    const next: number[] = [];
    for (let i = 0; i < frontier.length; i += IDS_PER_STATEMENT) {
      const ids = frontier.slice(i, i + IDS_PER_STATEMENT).map((id) => neo4j.int(id));
      const result = await tx.run(statement, { ...parameters, ids });
      for (const r of rowsOf(result.records)) {
        out.push(r);
        if (level === levels) continue;
        for (const entry of r[nextAt] as number[]) {
          const id = idOf(entry);
          if (!seen.has(id)) {
            seen.add(id);
            next.push(id);
          }
        }
      }
    }
    frontier = level === levels ? [] : next;
  }
  return out;
}

/**
 * A dependency as the internal id of the CI at its other end (`node`), as a Cypher expression over
 * the relationship `rel`: -1 - id when the dependency is SOFT, so its strength travels as a sign
 * instead of a string per edge. edgeEnd reads the id back.
 */
export const signedEnd = (rel: string, node: string): string => `CASE ${rel}.strength WHEN 'SOFT' THEN -1 - id(${node}) ELSE id(${node}) END`;

/** The internal id in a signedEnd value; the dependency is SOFT when the value is negative. */
export const edgeEnd = (encoded: number): number => (encoded < 0 ? -1 - encoded : encoded);

/**
 * Row by internal id, for rows whose first column is the id (-1 for an id of no row): a table
 * when the largest id is small next to the row count (a wide walk, where lookups per edge add
 * up), a map otherwise (a small walk in a large store).
 */
export function rowsById(rows: readonly unknown[][]): (id: number) => number {
  let maxId = 0;
  for (const row of rows) maxId = Math.max(maxId, row[0] as number);
  if (maxId < 8 * rows.length + 65_536) {
    const table = new Int32Array(maxId + 1).fill(-1);
    rows.forEach((row, i) => (table[row[0] as number] = i));
    return (id) => (id <= maxId ? table[id] : -1);
  }
  const map = new Map<number, number>();
  rows.forEach((row, i) => map.set(row[0] as number, i));
  return (id) => map.get(id) ?? -1;
}
