import { DomainError } from '../common/errors/domain-error';
import { applyCommand } from './apply.command';
import { ParsedArgs, UsageError, parseArgs } from './cli-args';
import { IMPORT_USAGE, importCommand } from './import.command';
import { KEYS_USAGE, keysCommand } from './keys.command';
import { PLAN_USAGE, planCommand } from './plan.command';

/** A command gets the parsed arguments and, for flags that repeat (`-f`), the raw ones. */
type Command = (args: ParsedArgs, out: (line: string) => void, argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  keys: { run: keysCommand, usage: KEYS_USAGE },
  import: { run: importCommand, usage: IMPORT_USAGE },
  plan: { run: planCommand, usage: PLAN_USAGE },
  apply: { run: applyCommand, usage: PLAN_USAGE },
};

const USAGE = `usage: svcmap <command> ...

${[...new Set(Object.values(COMMANDS).map((c) => c.usage))].join('\n\n')}`;

/** Runs one command line and returns the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function main(argv: string[], out = (line: string): void => void process.stdout.write(line + '\n')): Promise<number> {
  const args = parseArgs(argv, ['all', 'dry-run', 'help', 'json', 'quiet']);
  const command = COMMANDS[args.positional[0]];
  if (!command || args.flags.has('help')) {
    (command ? out : (line: string) => process.stderr.write(line + '\n'))(command ? command.usage : USAGE);
    return command ? 0 : 2;
  }
  try {
    return await command.run(args, out, argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`svcmap: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      const problems = (error.details.problems as { path: string; message: string }[] | undefined) ?? [];
      process.stderr.write(`svcmap: ${error.code}: ${problems.length ? '' : error.message}\n`);
      for (const p of problems) process.stderr.write(`  ${p.path}: ${p.message}\n`);
      return 1;
    }
    process.stderr.write(`svcmap: ${(error as Error).message}\n`);
    return 1;
  }
}
