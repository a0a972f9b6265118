import { DomainError } from '../common/errors/domain-error';
import { GraphqlClient } from './graphql-client';
import { SyncReport, formatSyncReport, runSync } from './import-sync';
import { createProgress } from './progress';

const REPORT: SyncReport = {
  syncId: 's-1',
  source: 'k8s:test',
  scope: null,
  cis: { created: 5, updated: 0, unchanged: 0, markedStale: 1, revived: 0 },
  dependencies: { created: 3, updated: 0, unchanged: 0, markedStale: 0, revived: 0 },
  durationMs: 12,
  committedAt: '2026-11-27T10:00:00.000Z',
};

type Call = { operation: string; variables: Record<string, unknown> };

/** A svcmap that records every operation and answers from `reply`. */
function fakeServer(reply: (call: Call) => { data?: unknown; errors?: unknown[] }) {
  const calls: Call[] = [];
  const fetchImpl = (async (_url: string, init: { body: string }) => {
    const { query, variables } = JSON.parse(init.body) as { query: string; variables: Record<string, unknown> };
    const call = { operation: /mutation (\w+)/.exec(query)![1], variables };
    calls.push(call);
    return new Response(JSON.stringify(reply(call)), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, client: new GraphqlClient({ url: 'http://svcmap.test/', key: 'k', fetch: fetchImpl }) };
}

const ok = (call: Call) => {
  switch (call.operation) {
    case 'BeginSync':
      return { data: { beginSync: { id: 's-1', source: call.variables.source, scope: null, status: 'RUNNING' } } };
    case 'CommitSync':
      return { data: { commitSync: REPORT } };
    case 'AbortSync':
      return { data: { abortSync: { id: 's-1', status: 'ABORTED' } } };
    default:
      return { data: { pushSyncBatch: { __typename: 'SyncBatchResult' } } };
  }
};

const quiet = createProgress(undefined, { quiet: true });
const cis = Array.from({ length: 5 }, (_, i) => ({ key: `svc:${i}`, kind: 'SERVICE' }));
const dependencies = [
  { from: 'svc:0', to: 'svc:1' },
  { from: 'svc:1', to: 'svc:2' },
  { from: 'svc:2', to: 'svc:3' },
];

describe('runSync', () => {
  it('begins, pushes CIs then dependencies in batches, and commits', async () => {
    const { calls, client } = fakeServer(ok);
    const report = await runSync(client, { source: 'k8s:test', scope: 'ns-a', cis, dependencies }, { batchSize: 2, progress: quiet });
    expect(report).toEqual(REPORT);
    const describe = (c: Call) => {
      const { cis: sent, dependencies: sentDependencies, source } = c.variables as { cis?: { key: string }[]; dependencies?: unknown[]; source?: string };
      return `${c.operation} ${JSON.stringify(sent?.map((item) => item.key) ?? sentDependencies?.length ?? source ?? '')}`;
    };
    expect(calls.map(describe)).toEqual([
      'BeginSync "k8s:test"',
      'PushSyncBatch ["svc:0","svc:1"]',
      'PushSyncBatch ["svc:2","svc:3"]',
      'PushSyncBatch ["svc:4"]',
      'PushSyncBatch 2',
      'PushSyncBatch 1',
      'CommitSync ""',
    ]);
    expect(calls[0].variables).toEqual({ source: 'k8s:test', scope: 'ns-a' });
    expect(calls.slice(1).every((c) => c.variables.syncId === 's-1')).toBe(true);
  });

  it('aborts the sync when a batch is refused, and names the refused items by their place in the whole import', async () => {
    const { calls, client } = fakeServer((call) =>
      call.operation === 'PushSyncBatch' && (call.variables.cis as unknown[] | undefined)?.length === 1
        ? {
            errors: [
              {
                message: 'Invalid input',
                extensions: { code: 'BAD_USER_INPUT', problems: [{ path: 'cis[0].kind', message: 'must be one of the CIKind values' }] },
              },
            ],
          }
        : ok(call),
    );
    const failure = await runSync(client, { source: 'k8s:test', cis, dependencies }, { batchSize: 2, progress: quiet }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe('BAD_USER_INPUT');
    expect((failure as DomainError).details.problems).toEqual([{ path: 'cis[4].kind (svc:4)', message: 'must be one of the CIKind values' }]);
    expect(calls.map((c) => c.operation)).toEqual(['BeginSync', 'PushSyncBatch', 'PushSyncBatch', 'PushSyncBatch', 'AbortSync']);
  });

  it('aborts instead of committing when interrupted', async () => {
    const { calls, client } = fakeServer(ok);
    let batches = 0;
    const failure = await runSync(client, { source: 'k8s:test', cis, dependencies }, { batchSize: 2, progress: quiet, interrupted: () => batches++ >= 1 }).catch(
      (e: unknown) => e,
    );
    expect((failure as Error).message).toBe('interrupted; sync s-1 aborted, nothing was marked stale');
    expect(calls.map((c) => c.operation)).toEqual(['BeginSync', 'PushSyncBatch', 'AbortSync']);
  });

  it('says when the abort fails too', async () => {
    const { client } = fakeServer((call) =>
      call.operation === 'CommitSync' || call.operation === 'AbortSync'
        ? { errors: [{ message: `${call.operation} failed`, extensions: { code: 'UNAVAILABLE' } }] }
        : ok(call),
    );
    const failure = await runSync(client, { source: 'k8s:test', cis, dependencies }, { batchSize: 10, progress: quiet }).catch((e: unknown) => e);
    expect((failure as DomainError).code).toBe('UNAVAILABLE');
    expect((failure as Error).message).toBe('CommitSync failed; the sync s-1 could not be aborted either (AbortSync failed)');
  });
});

describe('formatSyncReport', () => {
  it('prints the counts of CIs and dependencies', () => {
    expect(formatSyncReport(REPORT)).toEqual([
      'sync s-1 of k8s:test committed at 2026-11-27T10:00:00.000Z in 12 ms',
      '  CIs:          5 created, 0 updated, 0 unchanged, 1 marked stale, 0 revived',
      '  dependencies: 3 created, 0 updated, 0 unchanged, 0 marked stale, 0 revived',
    ]);
  });
});
