/**
 * Flag parsing against what a command declares: `--name value`, `--name=value`,
 * switches (`--json`), one-letter aliases (`-f PATH`, `-f=PATH`) and
 * positional words; `--` ends the flags. Anything a command does not declare
 * is refused, so a mistyped `--dryrun` stops the command instead of being
 * ignored while a real sync runs.
 */

/** One flag a command takes. */
export interface FlagSpec {
  /** Without the dashes: `batch-size`. */
  name: string;
  /** What the value is, for messages (`URL`, `N`); absent for a switch. */
  value?: string;
  /** A one-letter alias, written with one dash: `f` for `-f`. */
  short?: string;
  /** May be given more than once; every value is kept, in order. */
  repeat?: boolean;
}

export interface ParsedArgs {
  positional: string[];
  /** Value flags: their value (the last one for a repeated flag); switches: true. */
  flags: Map<string, string | true>;
  /** Every value of each value flag, in order. */
  lists: Map<string, string[]>;
}

export class UsageError extends Error {}

/** Every command takes this. */
export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h' };

export function describeFlag(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  return flag.short ? `-${flag.short}/${long}` : long;
}

/** The distance between two words in single-character edits, a swap of neighbours counting as one, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

function closest(word: string, flags: readonly FlagSpec[]): FlagSpec | undefined {
  let best: { flag: FlagSpec; distance: number } | undefined;
  for (const flag of flags) {
    const distance = editDistance(word.toLowerCase(), flag.name);
    if (distance <= Math.max(1, Math.floor(flag.name.length / 3)) && (!best || distance < best.distance)) best = { flag, distance };
  }
  return best?.flag;
}

/** How a word that looks like a flag reads: its name, whether it was short, and a value written with `=`. */
function flagWord(word: string): { name: string; short: boolean; inline?: string } | null {
  if (word === '-' || word === '--' || !word.startsWith('-')) return null;
  const short = !word.startsWith('--');
  const body = word.slice(short ? 1 : 2);
  const equals = body.indexOf('=');
  return equals < 0 ? { name: body, short } : { name: body.slice(0, equals), short, inline: body.slice(equals + 1) };
}

/** The flag of `flags` a parsed word names: by its one-letter alias when written with one dash. */
function findFlag(flags: readonly FlagSpec[], word: { name: string; short: boolean }): FlagSpec | undefined {
  return flags.find((f) => (word.short ? f.short === word.name : f.name === word.name));
}

/**
 * Parses `argv` for a command that takes `spec` (plus --help); `command`
 * names it in messages (`svcmap import kubernetes`). Throws UsageError for
 * a flag the command does not take (listing those it does), a value flag
 * without its value, a switch given a value, and a flag given twice that
 * is not meant to repeat.
 */
export function parseArgs(argv: string[], spec: readonly FlagSpec[], command = 'svcmap'): ParsedArgs {
  const all = spec.some((f) => f.name === HELP_FLAG.name) ? spec : [...spec, HELP_FLAG];
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const takes = () => `${command} takes ${all.map(describeFlag).join(', ')}`;
  const isFlagOfThisCommand = (word: string) => {
    const parsed = flagWord(word);
    return parsed !== null && findFlag(all, parsed) !== undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const parsed = flagWord(word);
    if (!parsed) {
      positional.push(word);
      continue;
    }
    const written = `${parsed.short ? '-' : '--'}${parsed.name}`;
    const flag = findFlag(all, parsed);
    if (!flag) {
      const guess = closest(parsed.name.replace(/^-+/, ''), all);
      throw new UsageError(`unknown flag ${written}${guess ? ` (did you mean --${guess.name}?)` : ''}; ${takes()}`);
    }
    if (flags.has(flag.name) && !flag.repeat) throw new UsageError(`--${flag.name} is given twice; give it once`);
    if (!flag.value) {
      if (parsed.inline !== undefined) throw new UsageError(`${written} takes no value (got '${parsed.inline}')`);
      flags.set(flag.name, true);
      continue;
    }
    let value = parsed.inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--') || isFlagOfThisCommand(next)) {
        throw new UsageError(`${written} needs a value: ${written} ${flag.value}`);
      }
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`${written} needs a value: ${written} ${flag.value} (got an empty one)`);
    flags.set(flag.name, value);
    lists.set(flag.name, [...(lists.get(flag.name) ?? []), value]);
  }
  return { positional, flags, lists };
}

/**
 * The positional words of a command line, before the command (and so its
 * flags) is known: a flag among `known` that takes a value skips the word
 * after it; any other flag is read as a switch. Only used to find the
 * command and its sub-command; the command's own parse then checks every flag.
 */
export function positionalWords(argv: string[], known: readonly FlagSpec[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return [...words, ...argv.slice(i + 1)];
    const parsed = flagWord(word);
    if (!parsed) {
      words.push(word);
      continue;
    }
    const flag = findFlag(known, parsed);
    if (flag?.value && parsed.inline === undefined) i++;
  }
  return words;
}

/** Refuses positional words past the first `count`: `hint` says what to do instead. */
export function noMoreArguments(args: ParsedArgs, count: number, hint: string): void {
  const extra = args.positional.slice(count);
  if (extra.length) throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((w) => `'${w}'`).join(' ')}: ${hint}`);
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
