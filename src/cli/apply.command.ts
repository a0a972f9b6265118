import { ParsedArgs } from './cli-args';
import { clientFor, printDryRun, syncFlags } from './import.command';
import { SyncReport, formatSyncReport, runSync, withInterrupt } from './import-sync';
import { checkDependencyEnds, knownSourceSyncs, notGivenNote, noteTo, sourcesFromArgs, topologySourcesNotGiven } from './plan.command';
import { createProgress } from './progress';

/** One line for a source `--prune` synced empty. */
export function formatPruneReport(report: SyncReport): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    `pruned ${report.source}${report.scope ? ` (scope ${report.scope})` : ''}: no file given names it; ` +
    `sync ${report.syncId} committed at ${report.committedAt} in ${report.durationMs} ms, ` +
    `${count(report.cis.markedStale, 'CI', 'CIs')} and ${count(report.dependencies.markedStale, 'dependency', 'dependencies')} marked stale`
  );
}

/**
 * `svcmap apply -f PATH...`: each source of the files as one full sync, in
 * the order the files were named. Dependencies on CIs that exist nowhere are
 * refused before anything is sent. The first failure stops the rest (its own
 * sync is aborted, so nothing of it is marked stale). With `--prune`, every
 * topology-file source of this scope that no file names is then synced
 * empty, so what only it reported becomes stale.
 */
export async function applyCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const flags = syncFlags(args);
  const prune = args.flags.has('prune');
  const sources = sourcesFromArgs(args);
  const note = noteTo(flags.json, out);
  if (flags.dryRun) {
    for (const source of sources) {
      const payload = { source: source.source, scope: flags.scope, cis: source.cis, dependencies: source.dependencies };
      printDryRun(payload, { ...payload, warnings: [] }, flags.json, out);
    }
    if (prune) note('--prune: which topology-file sources no file names is known only to svcmap; svcmap plan --prune lists them');
    return 0;
  }
  const client = clientFor(flags);
  for (const source of sources) await checkDependencyEnds(client, source);
  const scope = flags.scope ?? null;
  const notGiven = topologySourcesNotGiven(await knownSourceSyncs(client), sources.map((s) => s.source), scope);
  const reports: (SyncReport & { pruned?: true })[] = [];
  const sync = (source: string, payload: { cis: { key: string }[]; dependencies: { from: string; to: string }[] }) =>
    withInterrupt((interrupted) =>
      runSync(client, { source, scope: flags.scope, ...payload }, { batchSize: flags.batchSize, progress: createProgress(process.stderr, { quiet: flags.quiet }), interrupted }),
    );
  for (const source of sources) {
    const report = await sync(source.source, { cis: source.cis, dependencies: source.dependencies });
    reports.push(report);
    if (!flags.json) formatSyncReport(report).forEach((line) => out(line));
  }
  if (prune) {
    for (const source of notGiven) {
      const report = await sync(source, { cis: [], dependencies: [] });
      reports.push({ ...report, pruned: true });
      if (!flags.json) out(formatPruneReport(report));
    }
  } else if (notGiven.length) note(notGivenNote(notGiven, scope));
  if (flags.json) out(JSON.stringify(reports, null, 2));
  return 0;
}
