import { Enterprise } from '../src/synthetic/enterprise-generator';

/**
 * The in-memory floor for blast radius: a breadth-first walk against the
 * arrows over adjacency lists already in memory, without redundancy-group or
 * soft-edge semantics and without any I/O. No implementation of the real
 * semantics can beat it on the same machine, so it bounds what "fast" means.
 */
export class ReverseGraph {
  private readonly index = new Map<string, number>();
  private readonly dependents: number[][] = [];

  constructor(enterprise: Enterprise) {
    enterprise.cis.forEach((ci, i) => {
      this.index.set(ci.key, i);
      this.dependents.push([]);
    });
    for (const d of enterprise.dependencies) {
      const from = this.index.get(d.from);
      const to = this.index.get(d.to);
      if (from !== undefined && to !== undefined) this.dependents[to].push(from);
    }
  }

  /** How many CIs (besides `key`) can reach `key` along DEPENDS_ON edges. */
  reachingCount(key: string): number {
    const start = this.index.get(key);
    if (start === undefined) return 0;
    const seen = new Uint8Array(this.dependents.length);
    const queue = new Int32Array(this.dependents.length);
    let head = 0;
    let tail = 0;
    seen[start] = 1;
    queue[tail++] = start;
    while (head < tail) {
      for (const next of this.dependents[queue[head++]]) {
        if (!seen[next]) {
          seen[next] = 1;
          queue[tail++] = next;
        }
      }
    }
    return tail - 1;
  }
}

/** The naive Cypher for the same question: every CI with a DEPENDS_ON path to the failed one. */
export const NAIVE_BLAST_RADIUS_CYPHER =
  'MATCH (failed:CI {key: $key})<-[:DEPENDS_ON*1..]-(impacted:CI) RETURN count(DISTINCT impacted) AS impacted';
