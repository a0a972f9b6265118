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
      const rows = await walkByLevels(
        tx,
        ids,
        depth,
        `[id(n), n.key, n.kind, COUNT { (n)<-[:DEPENDS_ON]-() }, [(n)-[:DEPENDS_ON]->(p:CI) | id(p)]]`,
        4,
      );
      const keyOfId = new Map(rows.map((r) => [r[0] as number, r[1] as string]));
      const subgraph: RcaSubgraph & { missing: string[] } = { nodes: [], edges: [], missing };
      for (const [, key, kind, dependents, providers] of rows as [number, string, string, number, number[]][]) {
        subgraph.nodes.push({ key, kind, dependentCount: dependents });
        for (const provider of providers) {
          const to = keyOfId.get(provider);
          if (to !== undefined) subgraph.edges.push({ from: key, to });
        }
      }
      return subgraph;
    });
  }
}
