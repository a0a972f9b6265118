import { ParsedArgs } from './cli-args';
import { clientFor, printDryRun, syncFlags } from './import.command';
import { SyncReport, formatSyncReport, runSync, withInterrupt } from './import-sync';
import { checkDependencyEnds, sourcesFromArgs } from './plan.command';
import { createProgress } from './progress';

/**
 * `svcmap apply -f PATH...`: each source of the files as one full sync, in
 * the order the files were named. Dependencies on CIs that exist nowhere are
 * refused before anything is sent. The first failure stops the rest (its own
 * sync is aborted, so nothing of it is marked stale).
 */
export async function applyCommand(args: ParsedArgs, out: (line: string) => void, argv: string[] = []): Promise<number> {
  const flags = syncFlags(args);
  const sources = sourcesFromArgs(argv);
  if (flags.dryRun) {
    for (const source of sources) {
      const payload = { source: source.source, scope: flags.scope, cis: source.cis, dependencies: source.dependencies };
      printDryRun(payload, { ...payload, warnings: [] }, flags.json, out);
    }
    return 0;
  }
  const client = clientFor(flags);
  for (const source of sources) await checkDependencyEnds(client, source);
  const reports: SyncReport[] = [];
  for (const source of sources) {
    const report = await withInterrupt((interrupted) =>
      runSync(
        client,
        { source: source.source, scope: flags.scope, cis: source.cis, dependencies: source.dependencies },
        { batchSize: flags.batchSize, progress: createProgress(process.stderr, { quiet: flags.quiet }), interrupted },
      ),
    );
    reports.push(report);
    if (!flags.json) formatSyncReport(report).forEach((line) => out(line));
  }
  if (flags.json) out(JSON.stringify(reports, null, 2));
  return 0;
}
