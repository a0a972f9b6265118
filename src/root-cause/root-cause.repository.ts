import { Injectable } from '@nestjs/common';
import { depthBound } from '../common/neo4j/depth-bound';
import { rowsById, startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { PackedSubgraph } from './root-cause-engine';

@Injectable()
export class RootCauseRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * The alerting CIs and everything they depend on within `depth` hops,
   * with each CI's number of direct dependents in the whole graph and its
   * dependencies inside the set: one breadth-first walk from all alerting
   * CIs together (walkByLevels), each CI read once however many alerting
   * CIs reach it.
   */
  async alertSubgraph(keys: readonly string[], depth: number): Promise<PackedSubgraph & { missing: string[] }> {
    depthBound(depth, 100);
    return this.neo4j.read('rootCause.subgraph', async (tx) => {
      const { ids, missing } = await startOfWalk(tx, keys);
      const rows = (await walkByLevels(
        tx,
        ids,
        depth,
        `[id(n), n.key, n.kind, COUNT { (n)<-[:DEPENDS_ON]-() }, [(n)-[:DEPENDS_ON]->(p:CI) | id(p)]]`,
        4,
      )) as [number, string, string, number, number[]][];
      // Straight into arrays, edges by row: the engine and the worker take this form as it is.
      const rowOf = rowsById(rows);
      let listed = 0;
      for (const row of rows) listed += row[4].length;
      const from = new Int32Array(listed);
      const to = new Int32Array(listed);
      let edges = 0;
      rows.forEach((row, i) => {
        for (const provider of row[4]) {
          const j = rowOf(provider);
          if (j < 0) continue;
          from[edges] = i;
          to[edges++] = j;
        }
      });
      return {
        keys: rows.map((r) => r[1]),
        kinds: rows.map((r) => r[2]),
        dependentCount: Int32Array.from(rows, (r) => r[3]),
        from: from.subarray(0, edges),
        to: to.subarray(0, edges),
        missing,
      };
    });
  }
}
