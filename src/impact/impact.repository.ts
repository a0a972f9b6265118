import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { depthBound } from '../common/neo4j/depth-bound';
import { walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { CiRecord, DependencyFields } from '../topology/topology.types';
import { toCiRecord } from '../topology/topology.repository';
import { ImpactSubgraph } from './impact-engine';

/** The impacted subgraph plus what the answer needs about each CI in it. */
export interface FetchedImpactGraph extends ImpactSubgraph {
  kindOf: Map<string, string>;
  missing: string[];
}

export interface MapEdge extends DependencyFields {
  from: string;
  to: string;
}

export interface FetchedMap {
  nodes: CiRecord[];
  edges: MapEdge[];
  truncated: boolean;
}

/**
 * Every traversal of the impact features. Each one walks with a
 * variable-length pattern whose end nodes are made DISTINCT, which Neo4j
 * plans as a pruning breadth-first expansion (each CI visited once) rather
 * than enumerating paths; see docs/impact.md for the checked plans.
 */
@Injectable()
export class ImpactRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * The failed CIs and every CI within `maxDepth` hops that depends on one of
   * them, each with its dependency count and its dependencies on CIs of the
   * set. Internal ids keep the transfer small; keys come once per CI.
   *
   * One failure: one statement, Neo4j's pruning breadth-first expansion.
   * Several (a what-if, or every incident of a storm): one walk from all of
   * them together, a level per statement (walkByLevels), since the pruning
   * expansion works per start node and would walk shared dependents again
   * for each.
   */
  async impactedSubgraph(keys: readonly string[], maxDepth: number): Promise<FetchedImpactGraph> {
    const bound = depthBound(maxDepth);
    return this.neo4j.read('impact.blastRadius', async (tx) => {
      if (keys.length > 1) {
        const start = await tx.run('UNWIND $keys AS k OPTIONAL MATCH (f:CI {key: k}) RETURN k, id(f) AS id', { keys });
        const records = await walkByLevels(
          tx,
          start.records.filter((r) => r.get('id') !== null).map((r) => r.get('id') as number),
          bound,
          `UNWIND $ids AS i
           MATCH (n:CI) WHERE id(n) = i
           RETURN [i, n.key, n.kind, n.minHealthy, COUNT { (n)-[:DEPENDS_ON]->() },
                   [(n)-[r:DEPENDS_ON]->(p) | CASE r.strength WHEN 'SOFT' THEN -1 - id(p) ELSE id(p) END]] AS row,
                  [(n)<-[:DEPENDS_ON]-(c:CI) | id(c)] AS next`,
        );
        const missing = start.records.filter((r) => r.get('id') === null).map((r) => r.get('k') as string);
        return toImpactGraph(records.map((r) => r.get('row') as ImpactRow), missing);
      }
      const result = await tx.run(
        `UNWIND $keys AS k
         OPTIONAL MATCH (f:CI {key: k})
         WITH collect(f) AS failed, [k IN collect(CASE WHEN f IS NULL THEN k END) WHERE k IS NOT NULL] AS missing
         CALL {
           WITH failed
           UNWIND failed AS f
           MATCH (f)<-[:DEPENDS_ON*1..${bound}]-(x:CI)
           RETURN collect(DISTINCT x) AS reached
         }
         UNWIND failed + reached AS n
         WITH DISTINCT n, missing
         RETURN missing,
                collect([id(n), n.key, n.kind, n.minHealthy, COUNT { (n)-[:DEPENDS_ON]->() },
                         [(n)-[r:DEPENDS_ON]->(p) | CASE r.strength WHEN 'SOFT' THEN -1 - id(p) ELSE id(p) END]]) AS rows`,
        { keys },
      );
      if (!result.records.length) return { nodes: [], edges: [], kindOf: new Map(), missing: [...keys] };
      const record = result.records[0];
      return toImpactGraph(record.get('rows') as ImpactRow[], record.get('missing') as string[]);
    });
  }

  /**
   * The CIs `key` depends on, transitively within `maxDepth` hops (at most
   * `maxNodes` of them, nearest first), and the dependencies among them.
   */
  async dependencySubgraph(key: string, maxDepth: number, maxNodes: number): Promise<FetchedMap | null> {
    return this.neo4j.read('impact.dependencySubgraph', async (tx) => {
      const result = await tx.run(
        `MATCH (root:CI {key: $key})
         CALL {
           WITH root
           MATCH (root)-[:DEPENDS_ON*1..${depthBound(maxDepth)}]->(x:CI)
           RETURN collect(DISTINCT x) AS reached
         }
         WITH [root] + reached AS everything
         WITH everything[..$maxNodes] AS nodes, size(everything) > $maxNodes AS truncated
         UNWIND nodes AS n
         WITH n, truncated, nodes
         RETURN truncated, properties(n) AS p,
                [(n)-[r:DEPENDS_ON]->(m) | [m.key, r.type, r.strength]] AS out`,
        { key, maxNodes: neo4j.int(maxNodes) },
      );
      if (!result.records.length) return null;
      const nodes = result.records.map((r) => toCiRecord(r.get('p')));
      // Filtered here: a membership test in Cypher would cost one list scan per edge.
      const inMap = new Set(nodes.map((n) => n.key));
      const edges: MapEdge[] = [];
      result.records.forEach((record, i) => {
        for (const [to, type, strength] of record.get('out') as [string, MapEdge['type'], MapEdge['strength']][]) {
          if (inMap.has(to)) edges.push({ from: nodes[i].key, to, type, strength });
        }
      });
      return { nodes, edges, truncated: result.records[0].get('truncated') as boolean };
    });
  }
}

/** id, key, kind, minHealthy, dependency count, provider ids (a SOFT dependency on p encoded as -1 - id(p)). */
type ImpactRow = [number, string, string, number | null, number, number[]];

function toImpactGraph(rows: readonly ImpactRow[], missing: string[]): FetchedImpactGraph {
  const keyOfId = new Map<number, string>();
  for (const row of rows) keyOfId.set(row[0], row[1]);
  const graph: FetchedImpactGraph = { nodes: [], edges: [], kindOf: new Map(), missing };
  for (const [, key, kind, minHealthy, dependencyCount, providers] of rows) {
    graph.nodes.push({ key, minHealthy: kind === 'REDUNDANCY_GROUP' ? (minHealthy ?? 1) : null, dependencyCount });
    graph.kindOf.set(key, kind);
    for (const encoded of providers) {
      const soft = encoded < 0;
      const to = keyOfId.get(soft ? -1 - encoded : encoded);
      if (to !== undefined) graph.edges.push({ from: key, to, strength: soft ? 'SOFT' : 'HARD' });
    }
  }
  return graph;
}
