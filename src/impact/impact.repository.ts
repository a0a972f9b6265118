import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { depthBound } from '../common/neo4j/depth-bound';
import { edgeEnd, rowsOf, rowsOfCis, signedEnd, startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { TopologyIndexService, WALK_HEADER, WalkedRows, walkedRowsOf } from '../common/neo4j/topology-index';
import { BusinessCi, CiRecord, DependencyFields } from '../topology/topology.types';
import { ciRecordFromList, ciRecordList } from '../topology/topology.repository';
import { BUSINESS_KINDS, CIKind, CriticalityTier } from '../topology/topology.vocabulary';
import { IndexedImpactGraph, NOT_A_GROUP, allocateImpactGraph } from './impact-engine';

/** The impacted subgraph plus what the answer needs about each CI in it. */
export interface FetchedImpactGraph extends IndexedImpactGraph {
  /** Each CI's kind, by id. */
  kinds: string[];
  /** What scoring needs of every business CI of the set, by key. */
  records: Map<string, BusinessCi>;
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
  constructor(
    private readonly neo4j: Neo4jService,
    private readonly index: TopologyIndexService,
  ) {}

  /**
   * The failed CIs and every CI within `maxDepth` hops that depends on one of
   * them, each with its dependents (the dependencies among the CIs of the
   * set, whichever end is looked from, are the edges), a redundancy group's
   * member count, and what scoring needs of every business CI among them
   * (BusinessCi). From the plugin's index when Neo4j has one that is current,
   * else as Cypher; either way in key order (walkedRowsOf). Internal ids and parallel lists keep the transfer small: a key
   * comes once per CI, an edge once, as a number whose sign is its strength.
   *
   * One failure: one statement, Neo4j's pruning breadth-first expansion.
   * Several (a what-if, or every incident of a storm): one walk from all of
   * them together, a level per statement (walkByLevels), since the pruning
   * expansion works per start node and would walk shared dependents again
   * for each.
   */
  async impactedSubgraph(keys: readonly string[], maxDepth: number): Promise<FetchedImpactGraph> {
    return (await this.impactedFromIndex(keys, maxDepth)) ?? this.impactedFromCypher(keys, depthBound(maxDepth));
  }

  /** impactedSubgraph from the plugin's index; null when Neo4j has none, or none current. */
  async impactedFromIndex(keys: readonly string[], maxDepth: number): Promise<FetchedImpactGraph | null> {
    const bound = depthBound(maxDepth);
    if (!(await this.index.hasIndex())) return null;
    // One statement: the plugin's walk brings the business CIs' scoring facts along.
    return this.neo4j.readEach('impact.blastRadius.index', async (tx) => {
      const walked = await this.index.walk(tx, 'impacted', keys, bound, [...BUSINESS_KINDS]);
      return walked && impactGraphOf(walked, factsOf(walked));
    });
  }

  private async impactedFromCypher(keys: readonly string[], bound: number): Promise<FetchedImpactGraph> {
    const parameters = { business: [...BUSINESS_KINDS], group: CIKind.REDUNDANCY_GROUP };
    const row = `[id(n), n.key, n.kind, ${GROUP_SIZE}, ${BUSINESS_FACTS}, ${DEPENDENTS}]`;
    if (keys.length > 1) {
      return this.neo4j.read('impact.blastRadius', async (tx) => {
        const start = await startOfWalk(tx, keys);
        return fromCypherRows(await walkByLevels(tx, start.ids, bound, row, 5, parameters, edgeEnd), start.missing);
      });
    }
    // One statement: it needs no transaction around it (readEach). Rows of a few hundred CIs, not
    // one record of collected lists (a record that large spans many Bolt chunks, which the driver
    // reads back a byte at a time) nor a record per CI (rowsOfCis).
    return this.neo4j.readEach('impact.blastRadius', async (tx) => {
      const result = await tx.run(
        `UNWIND $keys AS k
         MATCH (f:CI {key: k})
         WITH collect(f) AS failed
         CALL {
           WITH failed
           UNWIND failed AS f
           MATCH (f)<-[:DEPENDS_ON*1..${bound}]-(x:CI)
           RETURN collect(DISTINCT x) AS reached
         }
         UNWIND failed + reached AS n
         WITH DISTINCT n
         ${rowsOfCis('collect(n)', row)}`,
        { keys, ...parameters },
      );
      const rows = rowsOf(result.records);
      // A scan, not a set of every key: the failed CI comes first, and hashing 37,000 keys costs ~10 ms.
      return fromCypherRows(rows, keys.filter((k) => !rows.some((r) => r[1] === k)));
    });
  }

  /**
   * The CIs `key` depends on, transitively within `maxDepth` hops (at most
   * `maxNodes` of them, nearest first), and the dependencies among them;
   * truncated when either limit left a dependency of theirs out.
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
         RETURN truncated, ${ciRecordList('n')} AS p,
                [(n)-[r:DEPENDS_ON]->(m) | [m.key, r.type, r.strength]] AS out`,
        { key, maxNodes: neo4j.int(maxNodes) },
      );
      if (!result.records.length) return null;
      return dependencyMapOf(
        result.records.map((r) => ciRecordFromList(r.get('p'))),
        result.records.map((r) => r.get('out') as OutgoingDependency[]),
        result.records[0].get('truncated') as boolean,
      );
    });
  }
}

/** One dependency of a map's CI as the statement reads it: [provider key, type, strength]. */
export type OutgoingDependency = [string, MapEdge['type'], MapEdge['strength']];

/**
 * A dependency map from its CIs (root first) and every dependency of each
 * (`out`, by place), kept when the provider is in the map. A dependency whose
 * provider is not in it means the map was cut, by the node limit
 * (`cutAtNodeLimit`) or by the depth limit: a CI at the last hop still
 * depends on something. Either way the map is truncated.
 */
export function dependencyMapOf(nodes: CiRecord[], out: readonly OutgoingDependency[][], cutAtNodeLimit: boolean): FetchedMap {
  // Filtered here: a membership test in Cypher would cost one list scan per edge.
  const inMap = new Set(nodes.map((n) => n.key));
  const edges: MapEdge[] = [];
  let truncated = cutAtNodeLimit;
  out.forEach((dependencies, i) => {
    for (const [to, type, strength] of dependencies) {
      if (inMap.has(to)) edges.push({ from: nodes[i].key, to, type, strength });
      else truncated = true;
    }
  });
  return { nodes, edges, truncated };
}

/**
 * Per CI of an impacted set: its dependents, a SOFT dependency of c encoded
 * as -1 - id(c) (reading the relationship only from this side: all
 * dependents of a CI in the set are in it, up to the depth bound); for a
 * redundancy group, [minHealthy, member count]; for a business CI, its scoring facts.
 */
const DEPENDENTS = `[(n)<-[r:DEPENDS_ON]-(c) | ${signedEnd('r', 'c')}]`;
const GROUP_SIZE = `CASE WHEN n.kind = $group THEN [coalesce(n.minHealthy, 1), COUNT { (n)-[:DEPENDS_ON]->() }] END`;
const BUSINESS_FACTS = `CASE WHEN n.kind IN $business THEN [n.name, n.criticality, n.revenuePerHour, n.usersAffected] END`;

/**
 * The rows of impactedSubgraph's statements ([id, key, kind, group, facts, dependents] per CI of
 * the set) in the engine's form, through the plugin's row form (walkedRowsOf), so that both paths
 * give the engine the same input.
 */
function fromCypherRows(rows: unknown[][], missing: string[]): FetchedImpactGraph {
  const records = new Map<string, BusinessCi>();
  const normalized = (rows as [number, string, string, [number, number] | null, unknown[] | null, number[]][]).map(([id, key, kind, group, facts, dependents]) => {
    if (facts) records.set(key, businessCi(key, kind, facts as BusinessFacts));
    return [id, key, kind, group ? group[0] : NOT_A_GROUP, group ? group[1] : 0, dependents];
  });
  return impactGraphOf(walkedRowsOf(normalized, WALK_HEADER.impacted, missing), records);
}

/** name, criticality, revenuePerHour, usersAffected as stored (null where unset). */
type BusinessFacts = [string | null, string | null, number | null, number | null];

/** A business CI as scoring sees it, from its stored facts; unnamed, it goes by its key (as toCiRecord does). */
function businessCi(key: string, kind: string, [name, criticality, revenuePerHour, usersAffected]: BusinessFacts): BusinessCi {
  return { key, kind: kind as CIKind, name: name ?? key, criticality: criticality as CriticalityTier | null, revenuePerHour, usersAffected };
}

/** The business CIs' facts a plugin walk brought, by key. */
function factsOf(walked: WalkedRows): Map<string, BusinessCi> {
  const records = new Map<string, BusinessCi>();
  for (const [row, ...facts] of walked.facts) records.set(walked.keys[row], businessCi(walked.keys[row], walked.kinds[row], facts));
  return records;
}

/**
 * A walk's rows in the engine's indexed form: a CI's id is its place in key order (so its key rank
 * too), its dependents in the set a slice; per CI the rows hold minHealthy, member count, then the
 * dependents.
 */
export function impactGraphOf(walked: WalkedRows, records: Map<string, BusinessCi>): FetchedImpactGraph {
  const { keys, ints } = walked;
  const n = keys.length;
  const graph: FetchedImpactGraph = {
    ...allocateImpactGraph(n, ints.length - (WALK_HEADER.impacted + 1) * n),
    keys,
    kinds: walked.kinds,
    keyRank: Int32Array.from(keys, (_, i) => i),
    records,
    missing: walked.missing,
  };
  let at = 0;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    graph.minHealthy[i] = ints[at++];
    graph.dependencyCount[i] = ints[at++];
    const count = ints[at++];
    for (let k = 0; k < count; k++) {
      const encoded = ints[at++];
      graph.consumerFrom[edges] = edgeEnd(encoded);
      graph.consumerSoft[edges++] = encoded < 0 ? 1 : 0;
    }
    graph.consumerStart[i + 1] = edges;
  }
  return graph;
}
