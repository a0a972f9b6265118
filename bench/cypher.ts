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
