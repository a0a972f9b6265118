import { Injectable } from '@nestjs/common';
import { depthBound } from '../common/neo4j/depth-bound';
import { edgeEnd, signedEnd, startOfWalk, walkByLevels } from '../common/neo4j/level-walk';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { TopologyIndexService, WALK_HEADER, WalkedRows, walkedRowsOf } from '../common/neo4j/topology-index';
import { NOT_A_GROUP } from '../impact/impact-engine';
import { CIKind } from '../topology/topology.vocabulary';
import { PackedSubgraph } from './root-cause-engine';

/** Each CI's dependencies, as its providers' internal ids signed by strength. */
const PROVIDERS = `[(n)-[r:DEPENDS_ON]->(p:CI) | ${signedEnd('r', 'p')}]`;

@Injectable()
export class RootCauseRepository {
  constructor(
    private readonly neo4j: Neo4jService,
    private readonly index: TopologyIndexService,
  ) {}

  /**
   * The alerting CIs and everything they depend on within `depth` hops,
   * with each CI's number of direct dependents in the whole graph, its
   * dependencies inside the set with their strength, and a redundancy
   * group's minHealthy and member count (so the engine can tell which
   * alerting CIs a failure would take DOWN and which only DEGRADED). From the
   * plugin's index when Neo4j has one that is current; otherwise one
   * breadth-first walk from all alerting CIs together (walkByLevels), each CI
   * read once however many alerting CIs reach it. Either way in key order
   * (walkedRowsOf), so the ranking is the same.
   */
  async alertSubgraph(keys: readonly string[], depth: number): Promise<PackedSubgraph & { missing: string[] }> {
    return (await this.alertSubgraphFromIndex(keys, depth)) ?? this.alertSubgraphFromCypher(keys, depth);
  }

  /** alertSubgraph from the plugin's index; null when Neo4j has none, or none current. */
  async alertSubgraphFromIndex(keys: readonly string[], depth: number): Promise<(PackedSubgraph & { missing: string[] }) | null> {
    depthBound(depth, 100);
    if (!(await this.index.hasIndex())) return null;
    return this.neo4j.readEach('rootCause.subgraph.index', async (tx) => {
      const walked = await this.index.walk(tx, 'upstream', keys, depth);
      return walked && packedSubgraphOf(walked);
    });
  }

  private async alertSubgraphFromCypher(keys: readonly string[], depth: number): Promise<PackedSubgraph & { missing: string[] }> {
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
      // In the plugin's column order; every dependency, inside the set or beyond the depth bound, counts for a group's members.
      const normalized = rows.map(([id, key, kind, dependents, providers, min]) => [id, key, kind, dependents, min ?? NOT_A_GROUP, providers.length, providers]);
      return packedSubgraphOf(walkedRowsOf(normalized, WALK_HEADER.upstream, missing));
    });
  }
}

/**
 * A walk's rows as the engine and the worker take them (PackedSubgraph): per CI the rows hold its
 * dependent count, minHealthy and dependency count in the whole graph, then its dependencies in
 * the set; edges come by consumer, in key order.
 */
export function packedSubgraphOf(walked: WalkedRows): PackedSubgraph & { missing: string[] } {
  const { keys, ints } = walked;
  const n = keys.length;
  const listed = ints.length - (WALK_HEADER.upstream + 1) * n;
  const dependentCount = new Int32Array(n);
  const minHealthy = new Int32Array(n);
  const dependencyCount = new Int32Array(n);
  const from = new Int32Array(listed);
  const to = new Int32Array(listed);
  const soft = new Uint8Array(listed);
  let at = 0;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    dependentCount[i] = ints[at++];
    minHealthy[i] = ints[at++];
    dependencyCount[i] = ints[at++];
    const count = ints[at++];
    for (let k = 0; k < count; k++) {
      const encoded = ints[at++];
      from[edges] = i;
      to[edges] = edgeEnd(encoded);
      soft[edges++] = encoded < 0 ? 1 : 0;
    }
  }
  return { keys, kinds: walked.kinds, dependentCount, minHealthy, dependencyCount, from, to, soft, missing: walked.missing };
}
