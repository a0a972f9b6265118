import { Injectable } from '@nestjs/common';
import { depthBound } from '../common/neo4j/depth-bound';
import { edgeEnd, rowsById, signedEnd, startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { NOT_A_GROUP } from '../impact/impact-engine';
import { CIKind } from '../topology/topology.vocabulary';
import { PackedSubgraph } from './root-cause-engine';

/** Each CI's dependencies, as its providers' internal ids signed by strength. */
const PROVIDERS = `[(n)-[r:DEPENDS_ON]->(p:CI) | ${signedEnd('r', 'p')}]`;

@Injectable()
export class RootCauseRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * The alerting CIs and everything they depend on within `depth` hops,
   * with each CI's number of direct dependents in the whole graph, its
   * dependencies inside the set with their strength, and a redundancy
   * group's minHealthy and member count (so the engine can tell which
   * alerting CIs a failure would take DOWN and which only DEGRADED): one breadth-first walk from all alerting
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
        `[id(n), n.key, n.kind, COUNT { (n)<-[:DEPENDS_ON]-() }, ${PROVIDERS}, CASE WHEN n.kind = $group THEN coalesce(n.minHealthy, 1) END]`,
        4,
        { group: CIKind.REDUNDANCY_GROUP },
        edgeEnd,
      )) as [number, string, string, number, number[], number | null][];
      // Straight into arrays, edges by row: the engine and the worker take this form as it is.
      const rowOf = rowsById(rows);
      let listed = 0;
      for (const row of rows) listed += row[4].length;
      const from = new Int32Array(listed);
      const to = new Int32Array(listed);
      const soft = new Uint8Array(listed);
      let edges = 0;
      rows.forEach((row, i) => {
        for (const encoded of row[4]) {
          const j = rowOf(edgeEnd(encoded));
          if (j < 0) continue;
          from[edges] = i;
          soft[edges] = encoded < 0 ? 1 : 0;
          to[edges++] = j;
        }
      });
      return {
        keys: rows.map((r) => r[1]),
        kinds: rows.map((r) => r[2]),
        dependentCount: Int32Array.from(rows, (r) => r[3]),
        minHealthy: Int32Array.from(rows, (r) => r[5] ?? NOT_A_GROUP),
        // Every dependency, inside the set or beyond the depth bound: a group's member count.
        dependencyCount: Int32Array.from(rows, (r) => r[4].length),
        from: from.subarray(0, edges),
        to: to.subarray(0, edges),
        soft: soft.subarray(0, edges),
        missing,
      };
    });
  }
}
