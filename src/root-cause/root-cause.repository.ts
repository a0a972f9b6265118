import { Injectable } from '@nestjs/common';
import { depthBound } from '../common/neo4j/depth-bound';
import { startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { RcaSubgraph } from './root-cause-engine';

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
  async alertSubgraph(keys: readonly string[], depth: number): Promise<RcaSubgraph & { missing: string[] }> {
    depthBound(depth, 100);
    return this.neo4j.read('rootCause.subgraph', async (tx) => {
      const { ids, missing } = await startOfWalk(tx, keys);
      const records = await walkByLevels(
        tx,
        ids,
        depth,
        `UNWIND $ids AS i
         MATCH (n:CI) WHERE id(n) = i
         RETURN i, n.key AS key, n.kind AS kind, COUNT { (n)<-[:DEPENDS_ON]-() } AS dependents,
                [(n)-[:DEPENDS_ON]->(p:CI) | id(p)] AS next`,
      );
      const keyOfId = new Map(records.map((r) => [r.get('i') as number, r.get('key') as string]));
      const subgraph: RcaSubgraph & { missing: string[] } = { nodes: [], edges: [], missing };
      for (const r of records) {
        const key = r.get('key') as string;
        subgraph.nodes.push({ key, kind: r.get('kind') as string, dependentCount: r.get('dependents') as number });
        for (const provider of r.get('next') as number[]) {
          const to = keyOfId.get(provider);
          if (to !== undefined) subgraph.edges.push({ from: key, to });
        }
      }
      return subgraph;
    });
  }
}
