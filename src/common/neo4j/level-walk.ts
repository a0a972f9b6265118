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

/**
 * A breadth-first walk from many start CIs at once, one statement per level.
 *
 * A variable-length pattern prunes per start node: from a thousand alerting
 * CIs, or the causes of a hundred incidents, it walks the shared providers
 * (or the shared dependents) once per start. Here each CI is read once.
 *
 * `statement` reads the CIs whose internal ids are in `$ids` and returns,
 * per CI, a column `i` (its id), a column `next` (the ids one step further
 * in the walk's direction) and whatever else the caller needs. CIs at
 * `depth` steps are read but not expanded. `parameters` go to every statement. `idOf` reads
 * an id out of a `next` entry when the statement encodes more in it. Returns one record per CI
 * reached, start CIs first, nearest first.
 */
export async function walkByLevels(
  tx: ManagedTransaction,
  start: readonly number[],
  depth: number,
  statement: string,
  parameters: Record<string, unknown> = {},
  idOf: (entry: number) => number = (entry) => entry,
): Promise<Neo4jRecord[]> {
  const levels = depthBound(depth);
  const seen = new Set<number>(start);
  let frontier = [...seen];
  const out: Neo4jRecord[] = [];
  for (let level = 0; frontier.length; level++) {
    const next: number[] = [];
    for (let i = 0; i < frontier.length; i += IDS_PER_STATEMENT) {
      const ids = frontier.slice(i, i + IDS_PER_STATEMENT).map((id) => neo4j.int(id));
      const result = await tx.run(statement, { ...parameters, ids });
      for (const record of result.records) {
        out.push(record);
        if (level === levels) continue;
        for (const entry of record.get('next') as number[]) {
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
