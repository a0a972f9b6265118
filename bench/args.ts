/**
 * A minimal `--name value` / `--flag` parser for the bench programs: they take
 * a handful of options, and a dependency for that would be heavier than this.
 */
export type ParsedArgs = Map<string, string | true>;

export function parseArgs(argv: readonly string[], flags: readonly string[], options: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    if (name === undefined) throw new Error(`unexpected argument '${arg}'`);
    if (flags.includes(name)) {
      parsed.set(name, true);
    } else if (options.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
      parsed.set(name, value);
    } else {
      throw new Error(`unknown option --${name}; expected one of ${[...flags, ...options].map((o) => `--${o}`).join(', ')}`);
    }
  }
  return parsed;
}

export function stringArg(args: ParsedArgs, name: string): string | undefined {
  const value = args.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function intArg(args: ParsedArgs, name: string, fallback: number, min = 0): number {
  const raw = stringArg(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, got '${raw}'`);
  return value;
}
