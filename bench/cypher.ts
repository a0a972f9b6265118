import neo4j, { Driver } from 'neo4j-driver';
import { LatencySummary, MeasureOptions, measure } from './stats';

/**
 * Times a Cypher query straight against Neo4j, bypassing svcmap: the
 * comparison that tells whether the service adds cost over the database, or
 * how a naive query fares against the service's algorithm. Generic on
 * purpose: any comparison row is one query and its parameters.
 */
export interface CypherTiming {
  query: string;
  summary: LatencySummary;
  /** The first record of the last run, as plain values, to report what the query found. */
  firstRecord: Record<string, unknown> | null;
  /** Set when a run failed (e.g. hit the timeout); the summary then covers the runs before it. */
  error?: string;
}

export function benchDriver(uri: string, username?: string, password?: string): Driver {
  return neo4j.driver(uri, username ? neo4j.auth.basic(username, password ?? '') : undefined, {
    disableLosslessIntegers: true,
    userAgent: 'svcmap-bench',
  });
}

export async function timeCypher(
  driver: Driver,
  query: string,
  parameters: (run: number) => Record<string, unknown>,
  options: MeasureOptions & { timeoutMs: number; database?: string },
): Promise<CypherTiming> {
  let firstRecord: Record<string, unknown> | null = null;
  try {
    const summary = await measure(options, async (run) => {
      // A session per run, as the service opens one per unit of work, so the two compare fairly.
      const started = performance.now();
      const session = driver.session({ defaultAccessMode: neo4j.session.READ, database: options.database });
      try {
        const result = await session.executeRead((tx) => tx.run(query, parameters(run)), {
          timeout: options.timeoutMs,
          metadata: { app: 'svcmap-bench' },
        });
        firstRecord = result.records[0]?.toObject() ?? null;
      } finally {
        await session.close();
      }
      return performance.now() - started;
    });
    return { query, summary, firstRecord };
  } catch (error) {
    return {
      query,
      summary: { runs: 0, medianMs: Number.NaN, p99Ms: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN },
      firstRecord,
      error: (error as Error).message.split('\n')[0].slice(0, 200),
    };
  }
}

/** Name, version and edition of the Neo4j behind a driver, e.g. "Neo4j Kernel 5.26.30 community". */
export async function neo4jVersion(driver: Driver): Promise<string> {
  const session = driver.session();
  try {
    const result = await session.run('CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition');
    const r = result.records[0];
    return r ? `${r.get('name')} ${r.get('version')} ${r.get('edition')}` : 'unknown';
  } finally {
    await session.close();
  }
}

/** What svcmap's topology plugin says of its index (svcmap.topology.status), or null when the server has no plugin. */
export interface TopologyIndexStatus {
  fresh: boolean;
  cis: number;
  dependencies: number;
  readMillis: number;
}

export async function topologyIndexStatus(driver: Driver): Promise<TopologyIndexStatus | null> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    const found = await session.run(`SHOW PROCEDURES YIELD name WHERE name = 'svcmap.topology.status' RETURN count(*) AS n`);
    if (found.records[0].get('n') === 0) return null;
    const status = (await session.run('CALL svcmap.topology.status()')).records[0];
    if (!status.get('enabled')) return null;
    return { fresh: status.get('fresh'), cis: status.get('cis'), dependencies: status.get('dependencies'), readMillis: status.get('readMillis') };
  } finally {
    await session.close();
  }
}

/**
 * Waits (up to `timeoutMs`) until the plugin's index holds the graph as committed now, so that
 * timed walks read it rather than the Cypher the service falls back to while writes land. Returns
 * the last status, null without a plugin.
 */
export async function untilTopologyIndexCurrent(driver: Driver, timeoutMs = 120_000): Promise<TopologyIndexStatus | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await topologyIndexStatus(driver);
    if (!status || status.fresh || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
