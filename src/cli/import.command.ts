import { loadBackstageCatalog } from '../importers/backstage/backstage-catalog';
import { mapBackstageCatalog } from '../importers/backstage/backstage-mapper';
import { ImportResult, summarize } from '../importers/import-result';
import { loadKubernetesManifests } from '../importers/kubernetes/kubernetes-manifests';
import { mapKubernetesObjects } from '../importers/kubernetes/kubernetes-mapper';
import { mapTerraformStates } from '../importers/terraform/terraform-mapper';
import { loadTerraformState } from '../importers/terraform/terraform-state';
import { FlagSpec, ParsedArgs, UsageError, stringFlag } from './cli-args';
import { GraphqlClient } from './graphql-client';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, SyncPayload, formatSyncReport, runSync, withInterrupt } from './import-sync';
import { createProgress } from './progress';

export const SYNC_FLAGS_USAGE = `  --url URL          svcmap to talk to (default http://localhost:3000)
  --key KEY          API key (default: the SVCMAP_API_KEY environment variable)
  --scope SCOPE      the part of the source this sync covers (default: all of it)
  --batch-size N     items per request, 1-${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE})
  --dry-run          only print what would be sent: CIs by kind, dependencies by type, warnings
  --json             print the sync report (or the dry-run summary) as JSON
  --quiet            no progress on stderr`;

export const IMPORT_USAGE = `svcmap import backstage PATH... [--source NAME]
svcmap import kubernetes PATH... --cluster NAME [--namespace NAME] [--source NAME]
svcmap import terraform STATE_FILE... [--stack NAME] [--source NAME]

Reads a Backstage catalog (files or folders, following Locations), Kubernetes
manifests or kubectl JSON, or Terraform state files, and sends what they
describe to svcmap as one full sync of the source: what the source reported
before and no longer does becomes stale. Default sources: backstage,
k8s:CLUSTER, terraform:STACK (a state file's name without .tfstate, or its
folder's for terraform.tfstate). Warnings (dangling references, skipped
objects) go to stderr. Options:
  --environment ENV  set this environment on every CI
${SYNC_FLAGS_USAGE}`;

/** The flags every command that sends a sync takes (`plan` takes some of them). */
export const SYNC_FLAGS: readonly FlagSpec[] = [
  { name: 'url', value: 'URL' },
  { name: 'key', value: 'KEY' },
  { name: 'scope', value: 'SCOPE' },
  { name: 'batch-size', value: 'N' },
  { name: 'dry-run' },
  { name: 'json' },
  { name: 'quiet' },
];

const SOURCE_FLAG: FlagSpec = { name: 'source', value: 'NAME' };
const FORMAT_FLAGS: Record<string, readonly FlagSpec[]> = {
  backstage: [SOURCE_FLAG],
  kubernetes: [{ name: 'cluster', value: 'NAME' }, { name: 'namespace', value: 'NAME' }, SOURCE_FLAG],
  terraform: [{ name: 'stack', value: 'NAME' }, SOURCE_FLAG],
};
FORMAT_FLAGS.k8s = FORMAT_FLAGS.kubernetes;

/**
 * The flags of `svcmap import FORMAT`: those of its format, then the common
 * ones. For a format that does not exist, every format's (the command then
 * answers with its usage).
 */
export function importFlags(format: string | undefined): { command: string; flags: FlagSpec[] } {
  const own = format !== undefined && Object.prototype.hasOwnProperty.call(FORMAT_FLAGS, format) ? FORMAT_FLAGS[format] : undefined;
  const formatFlags = own ?? [...new Map(Object.values(FORMAT_FLAGS).flat().map((f) => [f.name, f])).values()];
  return { command: own ? `svcmap import ${format}` : 'svcmap import', flags: [...formatFlags, { name: 'environment', value: 'ENV' }, ...SYNC_FLAGS] };
}

/** What a sync command needs from the common flags. */
export interface SyncFlags {
  url: string;
  key?: string;
  batchSize: number;
  dryRun: boolean;
  json: boolean;
  quiet: boolean;
  scope?: string;
}

export function syncFlags(args: ParsedArgs): SyncFlags {
  const batchText = stringFlag(args, 'batch-size');
  const batchSize = batchText === undefined ? DEFAULT_BATCH_SIZE : Number(batchText);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH_SIZE} (got '${batchText}')`);
  }
  return {
    url: stringFlag(args, 'url') ?? 'http://localhost:3000',
    key: stringFlag(args, 'key') ?? (process.env.SVCMAP_API_KEY || undefined),
    batchSize,
    dryRun: args.flags.has('dry-run'),
    json: args.flags.has('json'),
    quiet: args.flags.has('quiet'),
    scope: stringFlag(args, 'scope'),
  };
}

export function clientFor(flags: SyncFlags): GraphqlClient {
  if (!flags.key) throw new UsageError('no API key: pass --key KEY or set SVCMAP_API_KEY');
  return new GraphqlClient({ url: flags.url, key: flags.key });
}

function warn(warnings: string[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
}

interface Imported {
  result: ImportResult;
  source: string;
}

function importFrom(format: string, paths: string[], args: ParsedArgs): Imported {
  switch (format) {
    case 'backstage': {
      const { entities, warnings } = loadBackstageCatalog(paths);
      return { result: mapBackstageCatalog(entities, warnings), source: 'backstage' };
    }
    case 'kubernetes':
    case 'k8s': {
      const cluster = stringFlag(args, 'cluster');
      if (!cluster) throw new UsageError('svcmap import kubernetes needs --cluster NAME: the cluster is part of every key');
      const { objects, warnings } = loadKubernetesManifests(paths);
      const result = mapKubernetesObjects(objects, { cluster, defaultNamespace: stringFlag(args, 'namespace') });
      return { result: { ...result, warnings: [...warnings, ...result.warnings] }, source: `k8s:${cluster}` };
    }
    case 'terraform': {
      const stack = stringFlag(args, 'stack');
      if (stack && paths.length > 1) throw new UsageError('--stack names one state file; give one file, or leave --stack out');
      const states = paths.map((path) => ({ ...loadTerraformState(path), ...(stack ? { stack } : {}) }));
      const stacks = [...new Set(states.map((s) => s.stack))];
      if (stacks.length > 1 && !stringFlag(args, 'source')) {
        throw new UsageError(`these state files are stacks ${stacks.join(', ')}: import them one at a time, or name one source for all with --source`);
      }
      return { result: mapTerraformStates(states), source: `terraform:${stacks[0]}` };
    }
    default:
      throw new UsageError(IMPORT_USAGE);
  }
}

/** `svcmap import FORMAT PATH...`: one full sync of what the files describe. */
export async function importCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const [, format, ...paths] = args.positional;
  if (!format || !paths.length || !Object.prototype.hasOwnProperty.call(FORMAT_FLAGS, format)) throw new UsageError(IMPORT_USAGE);
  const flags = syncFlags(args);
  const imported = importFrom(format, paths, args);
  const source = stringFlag(args, 'source') ?? imported.source;
  const environment = stringFlag(args, 'environment');
  const { result } = imported;
  const cis = environment ? result.cis.map((ci) => ({ ...ci, environment })) : result.cis;
  warn(result.warnings);
  const payload: SyncPayload = { source, scope: flags.scope, cis, dependencies: result.dependencies };
  if (flags.dryRun) {
    printDryRun(payload, result, flags.json, out);
    return 0;
  }
  const client = clientFor(flags);
  const report = await withInterrupt((interrupted) =>
    runSync(client, payload, { batchSize: flags.batchSize, progress: createProgress(process.stderr, { quiet: flags.quiet }), interrupted }),
  );
  if (flags.json) out(JSON.stringify({ ...report, warnings: result.warnings }, null, 2));
  else {
    formatSyncReport(report).forEach((line) => out(line));
    if (result.warnings.length) out(`${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} (on stderr)`);
  }
  return 0;
}

export function printDryRun(
  payload: SyncPayload,
  result: { cis: { kind: string }[]; dependencies: { type?: string }[]; warnings: string[] },
  json: boolean,
  out: (line: string) => void,
): void {
  const { cisByKind, dependenciesByType } = summarize(result);
  if (json) {
    out(
      JSON.stringify(
        { dryRun: true, source: payload.source, scope: payload.scope ?? null, cis: result.cis.length, cisByKind, dependencies: result.dependencies.length, dependenciesByType, warnings: result.warnings },
        null,
        2,
      ),
    );
    return;
  }
  const table = (counts: Record<string, number>) => Object.entries(counts).map(([name, count]) => `  ${name.padEnd(22)}${String(count).padStart(7)}`);
  out(`dry run: nothing sent. Would sync source ${payload.source}${payload.scope ? ` (scope ${payload.scope})` : ''}:`);
  out(`${result.cis.length} CIs by kind:`);
  table(cisByKind).forEach((line) => out(line));
  out(`${result.dependencies.length} dependencies by type:`);
  table(dependenciesByType).forEach((line) => out(line));
  out(`${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}${result.warnings.length ? ' (on stderr)' : ''}`);
}
