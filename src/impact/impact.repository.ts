import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { depthBound } from '../common/neo4j/depth-bound';
import { startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { CiRecord, DependencyFields } from '../topology/topology.types';
import { toCiRecord } from '../topology/topology.repository';
import { BUSINESS_KINDS, CIKind } from '../topology/topology.vocabulary';
import { ImpactSubgraph } from './impact-engine';

/** The impacted subgraph plus what the answer needs about each CI in it. */
export interface FetchedImpactGraph extends ImpactSubgraph {
  kindOf: Map<string, string>;
  /** The stored record of every business CI of the set (for scoring). */
  records: Map<string, CiRecord>;
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
   * them, each with its dependencies (their number is a group's member
   * count; those on CIs of the set become edges), plus the stored record of
   * every business CI among them for scoring. Internal ids and parallel
   * lists keep the transfer small: a key comes once per CI.
   *
   * One failure: one statement, Neo4j's pruning breadth-first expansion.
   * Several (a what-if, or every incident of a storm): one walk from all of
   * them together, a level per statement (walkByLevels), since the pruning
   * expansion works per start node and would walk shared dependents again
   * for each.
   */
  async impactedSubgraph(keys: readonly string[], maxDepth: number): Promise<FetchedImpactGraph> {
    const bound = depthBound(maxDepth);
    const business = [...BUSINESS_KINDS];
    return this.neo4j.read('impact.blastRadius', async (tx) => {
      if (keys.length > 1) {
        const start = await startOfWalk(tx, keys);
        const records = await walkByLevels(
          tx,
          start.ids,
          bound,
          `UNWIND $ids AS i
           MATCH (n:CI) WHERE id(n) = i
           RETURN i, n.key AS key, n.kind AS kind, n.minHealthy AS minHealthy,
                  [(n)-[r:DEPENDS_ON]->(p) | CASE r.strength WHEN 'SOFT' THEN -1 - id(p) ELSE id(p) END] AS providers,
                  CASE WHEN n.kind IN $business THEN properties(n) END AS record,
                  [(n)<-[:DEPENDS_ON]-(c:CI) | id(c)] AS next`,
          { business },
        );
        const column = (name: string) => records.map((r) => r.get(name));
        return toImpactGraph(
          { ids: column('i'), keys: column('key'), kinds: column('kind'), minHealthy: column('minHealthy'), providers: column('providers') },
          records.flatMap((r) => (r.get('record') ? [r.get('record')] : [])),
          start.missing,
        );
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
         // A match per CI and an aggregation, not a pattern comprehension: about half the time on large sets.
         OPTIONAL MATCH (n)-[r:DEPENDS_ON]->(p)
         WITH n, missing, collect(CASE r.strength WHEN 'SOFT' THEN -1 - id(p) ELSE id(p) END) AS providers
         RETURN missing, collect(id(n)) AS ids, collect(n.key) AS keys, collect(n.kind) AS kinds,
                collect(coalesce(n.minHealthy, -1)) AS minHealthy, collect(providers) AS providers,
                collect(CASE WHEN n.kind IN $business THEN properties(n) END) AS records`,
        { keys, business },
      );
      if (!result.records.length) return { nodes: [], edges: [], kindOf: new Map(), records: new Map(), missing: [...keys] };
      const record = result.records[0];
      const column = (name: string) => record.get(name) as unknown[];
      return toImpactGraph(
        { ids: column('ids'), keys: column('keys'), kinds: column('kinds'), minHealthy: column('minHealthy'), providers: column('providers') },
        column('records') as Record<string, unknown>[],
        record.get('missing') as string[],
      );
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

/** Parallel lists, one entry per CI; a SOFT dependency on p is encoded as -1 - id(p); minHealthy -1 or null when unset. */
interface ImpactColumns {
  ids: unknown[];
  keys: unknown[];
  kinds: unknown[];
  minHealthy: unknown[];
  providers: unknown[];
}

function toImpactGraph(columns: ImpactColumns, businessRecords: Record<string, unknown>[], missing: string[]): FetchedImpactGraph {
  const keyOfId = new Map<number, string>();
  columns.ids.forEach((id, i) => keyOfId.set(id as number, columns.keys[i] as string));
  const graph: FetchedImpactGraph = { nodes: [], edges: [], kindOf: new Map(), records: new Map(), missing };
  columns.keys.forEach((value, i) => {
    const key = value as string;
    const kind = columns.kinds[i] as string;
    const providers = columns.providers[i] as number[];
    const minHealthy = columns.minHealthy[i] as number | null;
    // Every dependency is listed, inside the set or not: its number is a group's member count.
    graph.nodes.push({ key, minHealthy: kind === CIKind.REDUNDANCY_GROUP ? (minHealthy === null || minHealthy < 0 ? 1 : minHealthy) : null, dependencyCount: providers.length });
    graph.kindOf.set(key, kind);
    for (const encoded of providers) {
      const soft = encoded < 0;
      const to = keyOfId.get(soft ? -1 - encoded : encoded);
      if (to !== undefined) graph.edges.push({ from: key, to, strength: soft ? 'SOFT' : 'HARD' });
    }
  });
  for (const props of businessRecords) {
    const ci = toCiRecord(props);
    graph.records.set(ci.key, ci);
  }
  return graph;
}
