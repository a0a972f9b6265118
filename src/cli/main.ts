import { DomainError } from '../common/errors/domain-error';
import { applyCommand } from './apply.command';
import { FlagSpec, ParsedArgs, UsageError, parseArgs, positionalWords } from './cli-args';
import { IMPORT_USAGE, importCommand, importFlags } from './import.command';
import { KEYS_USAGE, keysCommand, keysFlags } from './keys.command';
import { APPLY_FLAGS, PLAN_FLAGS, PLAN_USAGE, planCommand } from './plan.command';

type Command = (args: ParsedArgs, out: (line: string) => void) => Promise<number>;

interface CommandEntry {
  run: Command;
  usage: string;
  /** The flags it takes, given the positional words (`import kubernetes` takes --cluster, `import terraform` --stack). */
  flags: (words: string[]) => { command: string; flags: readonly FlagSpec[] };
}

const COMMANDS: Record<string, CommandEntry> = {
  keys: { run: keysCommand, usage: KEYS_USAGE, flags: (words) => keysFlags(words[1]) },
  import: { run: importCommand, usage: IMPORT_USAGE, flags: (words) => importFlags(words[1]) },
  plan: { run: planCommand, usage: PLAN_USAGE, flags: () => ({ command: 'svcmap plan', flags: PLAN_FLAGS }) },
  apply: { run: applyCommand, usage: PLAN_USAGE, flags: () => ({ command: 'svcmap apply', flags: APPLY_FLAGS }) },
};

/** Every flag of every command, to tell flag values from the command word before the command is known. */
const ANY_FLAG: FlagSpec[] = Object.values(COMMANDS).flatMap((c) => c.flags([]).flags);

const USAGE = `usage: svcmap <command> ...

${[...new Set(Object.values(COMMANDS).map((c) => c.usage))].join('\n\n')}`;

/**
 * The command line parsed against the flags of its command (and sub-command):
 * throws UsageError for an unknown command, or a flag the command does not
 * take, or one without its value.
 */
export function commandArgs(argv: string[]): ParsedArgs {
  const words = positionalWords(argv, ANY_FLAG);
  const command = commandNamed(words[0]);
  if (!command) throw new UsageError(USAGE);
  const { command: name, flags } = command.flags(words);
  return parseArgs(argv, flags, name);
}

function commandNamed(word: string | undefined): CommandEntry | undefined {
  return word !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, word) ? COMMANDS[word] : undefined;
}

/** Runs one command line and returns the exit code: 0 done, 1 failed, 2 wrong usage. */
export async function main(argv: string[], out = (line: string): void => void process.stdout.write(line + '\n')): Promise<number> {
  const words = positionalWords(argv, ANY_FLAG);
  const command = commandNamed(words[0]);
  const end = argv.indexOf('--');
  const help = (end < 0 ? argv : argv.slice(0, end)).some((word) => word === '--help' || word === '-h');
  if (!command || help) {
    (command ? out : (line: string) => process.stderr.write(line + '\n'))(command ? command.usage : USAGE);
    return command ? 0 : 2;
  }
  try {
    // Every flag is checked before anything is read or sent: a mistyped one stops here.
    return await command.run(commandArgs(argv), out);
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
