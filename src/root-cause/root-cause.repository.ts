import { Injectable } from '@nestjs/common';
import { depthBound } from '../common/neo4j/depth-bound';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { RcaSubgraph } from './root-cause-engine';

@Injectable()
export class RootCauseRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * The alerting CIs and everything they depend on within `depth` hops (a
   * pruning breadth-first walk, each CI once), with each CI's number of
   * direct dependents in the whole graph and its dependencies inside the set.
   */
  async alertSubgraph(keys: readonly string[], depth: number): Promise<RcaSubgraph & { missing: string[] }> {
    return this.neo4j.read('rootCause.subgraph', async (tx) => {
      const result = await tx.run(
        `UNWIND $keys AS k
         OPTIONAL MATCH (a:CI {key: k})
         WITH collect(a) AS alerting, [k IN collect(CASE WHEN a IS NULL THEN k END) WHERE k IS NOT NULL] AS missing
         CALL {
           WITH alerting
           UNWIND alerting AS a
           MATCH (a)-[:DEPENDS_ON*1..${depthBound(depth, 100)}]->(p:CI)
           RETURN collect(DISTINCT p) AS providers
         }
         UNWIND alerting + providers AS n
         WITH DISTINCT n, missing
         RETURN missing, collect([id(n), n.key, n.kind, COUNT { (n)<-[:DEPENDS_ON]-() }, [(n)-[:DEPENDS_ON]->(p) | id(p)]]) AS rows`,
        { keys },
      );
      const record = result.records[0];
      const rows = (record?.get('rows') ?? []) as [number, string, string, number, number[]][];
      const keyOfId = new Map(rows.map((r) => [r[0], r[1]]));
      const subgraph: RcaSubgraph & { missing: string[] } = { nodes: [], edges: [], missing: (record?.get('missing') as string[]) ?? [...keys] };
      for (const [, key, kind, dependentCount, providers] of rows) {
        subgraph.nodes.push({ key, kind, dependentCount });
        for (const id of providers) {
          const to = keyOfId.get(id);
          if (to !== undefined) subgraph.edges.push({ from: key, to });
        }
      }
      return subgraph;
    });
  }
}
