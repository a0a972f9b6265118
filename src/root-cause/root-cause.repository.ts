import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { depthBound } from '../common/neo4j/depth-bound';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { RcaSubgraph } from './root-cause-engine';

/** Ids per statement of the walk: bounds one message and one result. */
const IDS_PER_STATEMENT = 10_000;

interface WalkedNode {
  key: string;
  kind: string;
  dependentCount: number;
  providers: number[];
}

@Injectable()
export class RootCauseRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  /**
   * The alerting CIs and everything they depend on within `depth` hops,
   * with each CI's number of direct dependents in the whole graph and its
   * dependencies inside the set.
   *
   * One breadth-first walk from all alerting CIs together, a level per
   * statement: each CI is read once, however many alerting CIs reach it. A
   * variable-length pattern would prune per start node, so a storm of a
   * thousand alerts under shared infrastructure walked the same providers a
   * thousand times.
   */
  async alertSubgraph(keys: readonly string[], depth: number): Promise<RcaSubgraph & { missing: string[] }> {
    const levels = depthBound(depth, 100);
    return this.neo4j.read('rootCause.subgraph', async (tx) => {
      const start = await tx.run('UNWIND $keys AS k OPTIONAL MATCH (a:CI {key: k}) RETURN k, id(a) AS id', { keys });
      const missing: string[] = [];
      let frontier: number[] = [];
      const seen = new Set<number>();
      for (const record of start.records) {
        const id = record.get('id') as number | null;
        if (id === null) missing.push(record.get('k') as string);
        else if (!seen.has(id)) {
          seen.add(id);
          frontier.push(id);
        }
      }
      const walked = new Map<number, WalkedNode>();
      // Level `levels` is read (its CIs belong to the set) but not expanded.
      for (let level = 0; frontier.length; level++) {
        const next: number[] = [];
        for (const node of await readLevel(tx, frontier)) {
          walked.set(node.id, node);
          if (level === levels) continue;
          for (const provider of node.providers) {
            if (!seen.has(provider)) {
              seen.add(provider);
              next.push(provider);
            }
          }
        }
        frontier = level === levels ? [] : next;
      }
      const subgraph: RcaSubgraph & { missing: string[] } = { nodes: [], edges: [], missing };
      for (const node of walked.values()) {
        subgraph.nodes.push({ key: node.key, kind: node.kind, dependentCount: node.dependentCount });
        for (const provider of node.providers) {
          const to = walked.get(provider);
          if (to) subgraph.edges.push({ from: node.key, to: to.key });
        }
      }
      return subgraph;
    });
  }
}

/** Reads CIs by internal id: key, kind, number of dependents, and the ids of what each depends on. */
async function readLevel(tx: ManagedTransaction, ids: readonly number[]): Promise<(WalkedNode & { id: number })[]> {
  const out: (WalkedNode & { id: number })[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const result = await tx.run(
      `UNWIND $ids AS i
       MATCH (n:CI) WHERE id(n) = i
       RETURN i, n.key AS key, n.kind AS kind, COUNT { (n)<-[:DEPENDS_ON]-() } AS dependents,
              [(n)-[:DEPENDS_ON]->(p:CI) | id(p)] AS providers`,
      { ids: ids.slice(i, i + IDS_PER_STATEMENT).map((id) => neo4j.int(id)) },
    );
    for (const r of result.records) {
      out.push({ id: r.get('i') as number, key: r.get('key'), kind: r.get('kind'), dependentCount: r.get('dependents') as number, providers: r.get('providers') as number[] });
    }
  }
  return out;
}
