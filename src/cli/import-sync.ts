import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { GraphqlClient } from './graphql-client';
import { Progress } from './progress';

/** Most items the API takes in one pushSyncBatch. */
export const MAX_BATCH_SIZE = 5_000;
export const DEFAULT_BATCH_SIZE = 2_000;

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  markedStale: number;
  revived: number;
}

export interface SyncReport {
  syncId: string;
  source: string;
  scope: string | null;
  cis: SyncCounts;
  dependencies: SyncCounts;
  durationMs: number;
  committedAt: string;
}

/** What one full sync sends: CIs and dependencies as the API's inputs. */
export interface SyncPayload {
  source: string;
  scope?: string;
  cis: { key: string }[];
  dependencies: { from: string; to: string }[];
}

const COUNTS = 'created updated unchanged markedStale revived';

export const BEGIN_SYNC = `mutation BeginSync($source: String!, $scope: String) { beginSync(source: $source, scope: $scope) { id source scope status } }`;
export const PUSH_SYNC_BATCH = `mutation PushSyncBatch($syncId: ID!, $cis: [CIInput!], $dependencies: [DependencyInput!]) {
  pushSyncBatch(syncId: $syncId, cis: $cis, dependencies: $dependencies) { __typename } }`;
export const COMMIT_SYNC = `mutation CommitSync($syncId: ID!) { commitSync(syncId: $syncId) {
  syncId source scope cis { ${COUNTS} } dependencies { ${COUNTS} } durationMs committedAt } }`;
export const ABORT_SYNC = `mutation AbortSync($syncId: ID!) { abortSync(syncId: $syncId) { id status } }`;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Re-aims the problems of a refused batch at the whole import: the server
 * says `cis[17].kind` of this batch, the user needs `cis[4017].kind` and
 * which CI that is.
 */
export function locateBatchProblems(error: unknown, list: 'cis' | 'dependencies', offset: number, items: SyncPayload['cis'] | SyncPayload['dependencies']): unknown {
  if (!(error instanceof DomainError)) return error;
  const problems = (error.details.problems as FieldProblem[] | undefined) ?? [];
  if (!problems.length) return error;
  const located = problems.map((problem) => {
    const match = /^(?:input\.)?(cis|dependencies)\[(\d+)\](.*)$/.exec(problem.path);
    if (!match || match[1] !== list) return problem;
    const item = items[Number(match[2])] as { key?: string; from?: string; to?: string } | undefined;
    const what = item ? (item.key !== undefined ? ` (${item.key})` : ` (${item.from} -> ${item.to})`) : '';
    return { path: `${list}[${offset + Number(match[2])}]${match[3]}${what}`, message: problem.message };
  });
  return new DomainError(error.code, error.message, { ...error.details, problems: located });
}

export interface RunSyncOptions {
  batchSize: number;
  progress: Progress;
  /** Stops at the next batch (Ctrl-C); the sync is then aborted. */
  interrupted?: () => boolean;
}

/**
 * One full sync: begin, push every CI, then every dependency, in batches,
 * and commit. If anything fails (or the run is interrupted), the sync is
 * aborted so that nothing is marked stale, and the first error is thrown.
 */
export async function runSync(client: GraphqlClient, payload: SyncPayload, options: RunSyncOptions): Promise<SyncReport> {
  const begun = await client.request<{ beginSync: { id: string } }>(BEGIN_SYNC, { source: payload.source, scope: payload.scope ?? null });
  const syncId = begun.beginSync.id;
  try {
    const phases = [
      { list: 'cis' as const, items: payload.cis, label: 'CIs' },
      { list: 'dependencies' as const, items: payload.dependencies, label: 'dependencies' },
    ];
    for (const phase of phases) {
      if (!phase.items.length) continue;
      options.progress.start(`pushing ${phase.label}`, phase.items.length);
      let offset = 0;
      for (const batch of chunks<unknown>(phase.items, options.batchSize)) {
        if (options.interrupted?.()) throw new Error('interrupted');
        try {
          await client.request(PUSH_SYNC_BATCH, { syncId, [phase.list]: batch });
        } catch (error) {
          throw locateBatchProblems(error, phase.list, offset, batch as SyncPayload['cis']);
        }
        offset += batch.length;
        options.progress.advance(batch.length);
      }
      options.progress.finish();
    }
    if (options.interrupted?.()) throw new Error('interrupted');
    const committed = await client.request<{ commitSync: SyncReport }>(COMMIT_SYNC, { syncId });
    return committed.commitSync;
  } catch (error) {
    options.progress.finish();
    try {
      await client.request(ABORT_SYNC, { syncId });
    } catch (abortError) {
      const reason = abortError instanceof Error ? abortError.message : String(abortError);
      if (error instanceof DomainError) {
        throw new DomainError(error.code, `${error.message}; the sync ${syncId} could not be aborted either (${reason})`, error.details);
      }
      throw new Error(`${(error as Error).message}; the sync ${syncId} could not be aborted either (${reason})`);
    }
    if (error instanceof Error && error.message === 'interrupted') {
      throw new Error(`interrupted; sync ${syncId} aborted, nothing was marked stale`);
    }
    throw error;
  }
}

/** The report as a few readable lines. */
export function formatSyncReport(report: SyncReport): string[] {
  const counts = (c: SyncCounts) =>
    `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.markedStale} marked stale, ${c.revived} revived`;
  return [
    `sync ${report.syncId} of ${report.source}${report.scope ? ` (scope ${report.scope})` : ''} committed at ${report.committedAt} in ${report.durationMs} ms`,
    `  CIs:          ${counts(report.cis)}`,
    `  dependencies: ${counts(report.dependencies)}`,
  ];
}

/**
 * Runs `work` with Ctrl-C turned into a polite stop: the first Ctrl-C lets
 * the current request finish and aborts the sync; a second one exits at once.
 */
export async function withInterrupt<T>(work: (interrupted: () => boolean) => Promise<T>): Promise<T> {
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nsvcmap: stopping after the current batch and aborting the sync (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSignal);
  try {
    return await work(() => stop);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
