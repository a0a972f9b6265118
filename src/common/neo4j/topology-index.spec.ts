import { ManagedTransaction, Neo4jError, Record as Neo4jRecord } from 'neo4j-driver';
import { AppConfig } from '../config/app-config';
import { Neo4jService } from './neo4j.service';
import { TopologyIndexService, decodeWalk, walkedRowsOf } from './topology-index';

/** A chunk as svcmap.topology.* returns it (the numbers little-endian in base64, as on the machines tests run on). */
function chunk(fresh: boolean, rows: number, keys: string[], kinds: string[], ints: number[], missing: string[] = [], facts: unknown[] = []): Neo4jRecord {
  const bytes = Buffer.from(new Int32Array(ints).buffer).toString('base64');
  return new Neo4jRecord(
    ['fresh', 'missing', 'keys', 'kinds', 'facts', 'ints', 'rows'],
    [fresh, missing, fresh ? keys.join('\n') : null, fresh ? kinds.join('\n') : null, fresh ? JSON.stringify(facts) : null, fresh ? bytes : null, rows],
  );
}

describe('walkedRowsOf: Cypher rows in the plugin form', () => {
  // [internal id, key, kind, minHealthy, members, dependents as signed ids]; id 99 is past the depth bound.
  const rows = [
    [7, 'svc:b', 'SERVICE', -1, 0, [3, -1 - 5, 99]],
    [3, 'svc:c', 'SERVICE', -1, 0, []],
    [5, 'svc:a', 'SERVICE', -1, 0, [3, -1 - 3]],
  ];

  it('orders CIs by key and names neighbours by their place in that order, dropping those outside', () => {
    const walked = walkedRowsOf(rows, 2, ['svc:gone']);
    expect(walked.keys).toEqual(['svc:a', 'svc:b', 'svc:c']);
    expect(walked.kinds).toEqual(['SERVICE', 'SERVICE', 'SERVICE']);
    expect(walked.missing).toEqual(['svc:gone']);
    // svc:a (id 5): svc:c HARD and SOFT (parallel, HARD first); svc:b (id 7): svc:a SOFT, then svc:c; id 99 dropped.
    expect(Array.from(walked.ints)).toEqual([-1, 0, 2, 2, -1 - 2, -1, 0, 2, -1 - 0, 2, -1, 0, 0]);
  });

  it('gives the same rows whatever order Cypher returned them in', () => {
    expect(walkedRowsOf([rows[2], rows[0], rows[1]], 2, [])).toEqual(walkedRowsOf(rows, 2, []));
  });

  it('orders keys by UTF-16 code units, as the plugin and the engines do', () => {
    const walked = walkedRowsOf(
      [
        [1, 'b', 'SERVICE', -1, 0, []],
        [2, 'B', 'SERVICE', -1, 0, []],
        [3, 'a', 'SERVICE', -1, 0, []],
      ],
      2,
      [],
    );
    expect(walked.keys).toEqual(['B', 'a', 'b']);
  });
});

describe('decodeWalk: the records of a plugin walk', () => {
  it('joins the chunks in order, with the scoring facts of each', () => {
    const walked = decodeWalk([
      chunk(true, 2, ['bf:1', 'k:2'], ['BUSINESS_FUNCTION', 'DATABASE'], [-1, 0, 1, 1, -1, 0, 0], ['k:none'], [[0, 'Pay "now"', 'TIER_1', 1500.5, 20]]),
      chunk(true, 1, ['k:3'], ['REDUNDANCY_GROUP'], [2, 3, 1, -1 - 0]),
    ]);
    expect(walked).toEqual({
      keys: ['bf:1', 'k:2', 'k:3'],
      kinds: ['BUSINESS_FUNCTION', 'DATABASE', 'REDUNDANCY_GROUP'],
      ints: Int32Array.from([-1, 0, 1, 1, -1, 0, 0, 2, 3, 1, -1]),
      missing: ['k:none'],
      facts: [[0, 'Pay "now"', 'TIER_1', 1500.5, 20]],
    });
  });

  it('is null when the index was not current, and empty when nothing was reached', () => {
    expect(decodeWalk([chunk(false, 0, [], [], [])])).toBeNull();
    expect(decodeWalk([chunk(true, 0, [], [], [], ['k:x'])])).toEqual({ keys: [], kinds: [], ints: new Int32Array(0), missing: ['k:x'], facts: [] });
  });
});

describe('TopologyIndexService: a server that loses the plugin', () => {
  it('falls back to Cypher for the walk that found out, and for every walk after', async () => {
    const detect = jest.fn(async () => ({ records: [new Neo4jRecord(['found'], [true])] }));
    const neo4jService = { readEach: (_name: string, work: (tx: unknown) => unknown) => work({ run: detect }) } as unknown as Neo4jService;
    const config = { neo4j: { topologyIndex: 'auto' } } as AppConfig;
    const index = new TopologyIndexService(neo4jService, config);
    expect(await index.hasIndex()).toBe(true);
    const gone = new Neo4jError('There is no procedure with the name `svcmap.topology.impacted`', 'Neo.ClientError.Procedure.ProcedureNotFound', '42N08', 'error: procedure not found');
    const tx = { run: jest.fn(async () => Promise.reject(gone)) } as unknown as ManagedTransaction;
    expect(await index.walk(tx, 'impacted', ['k:1'], 5)).toBeNull();
    expect(await index.hasIndex()).toBe(false);
    expect(await index.walk(tx, 'upstream', ['k:1'], 5)).toBeNull();
    expect(tx.run).toHaveBeenCalledTimes(1);
  });

  it('passes any other error on', async () => {
    const neo4jService = { readEach: (_name: string, work: (tx: unknown) => unknown) => work({ run: async () => ({ records: [new Neo4jRecord(['found'], [true])] }) }) } as unknown as Neo4jService;
    const index = new TopologyIndexService(neo4jService, { neo4j: { topologyIndex: 'auto' } } as AppConfig);
    const tx = { run: async () => Promise.reject(new Error('connection reset')) } as unknown as ManagedTransaction;
    await expect(index.walk(tx, 'impacted', ['k:1'], 5)).rejects.toThrow('connection reset');
  });
});
