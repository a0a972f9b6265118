import { join } from 'node:path';
import { FIXTURES, runCli } from '../../test/support/run-cli';
import { FlagSpec, UsageError, editDistance, parseArgs, positionalWords } from './cli-args';
import { commandArgs } from './main';

const SPEC: FlagSpec[] = [
  { name: 'file', short: 'f', value: 'PATH', repeat: true },
  { name: 'cluster', value: 'NAME' },
  { name: 'dry-run' },
  { name: 'json' },
];

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseArgs', () => {
  it('reads values spaced or with =, switches, one-letter aliases, repeated flags and positional words, and stops at --', () => {
    const args = parseArgs(['plan', '-f', 'a.yaml', '--file=b', '-f=c', '--file', 'd', '--cluster', 'x', '--json', 'word', '--', '--not-a-flag'], SPEC);
    expect(args.positional).toEqual(['plan', 'word', '--not-a-flag']);
    expect(args.lists.get('file')).toEqual(['a.yaml', 'b', 'c', 'd']);
    expect(args.flags.get('cluster')).toBe('x');
    expect(args.flags.get('json')).toBe(true);
    expect(args.flags.has('dry-run')).toBe(false);
    expect(parseArgs(['x', '--cluster', '-dash-first'], SPEC).flags.get('cluster')).toBe('-dash-first');
  });

  it('refuses an unknown flag, naming it, guessing what was meant and listing what the command takes', () => {
    expect(usageError(() => parseArgs(['import', 'kubernetes', 'dir', '--dryrun'], SPEC, 'svcmap import kubernetes'))).toBe(
      'unknown flag --dryrun (did you mean --dry-run?); svcmap import kubernetes takes -f/--file PATH, --cluster NAME, --dry-run, --json, -h/--help',
    );
    expect(usageError(() => parseArgs(['-x'], SPEC))).toMatch(/^unknown flag -x; svcmap takes /);
    expect(usageError(() => parseArgs(['--colour', 'red'], SPEC))).toMatch(/^unknown flag --colour; /);
    expect(usageError(() => parseArgs(['-dry-run'], SPEC))).toMatch(/^unknown flag -dry-run \(did you mean --dry-run\?\)/);
  });

  it('refuses a value flag without its value, a switch with one, and a flag given twice', () => {
    expect(usageError(() => parseArgs(['--cluster'], SPEC))).toBe('--cluster needs a value: --cluster NAME');
    expect(usageError(() => parseArgs(['--cluster', '--json'], SPEC))).toBe('--cluster needs a value: --cluster NAME');
    expect(usageError(() => parseArgs(['--cluster', '-f', 'a'], SPEC))).toBe('--cluster needs a value: --cluster NAME');
    expect(usageError(() => parseArgs(['--cluster='], SPEC))).toBe('--cluster needs a value: --cluster NAME (got an empty one)');
    expect(usageError(() => parseArgs(['-f'], SPEC))).toBe('-f needs a value: -f PATH');
    expect(usageError(() => parseArgs(['--json=false'], SPEC))).toBe("--json takes no value (got 'false')");
    expect(usageError(() => parseArgs(['--cluster', 'a', '--cluster', 'b'], SPEC))).toBe('--cluster is given twice; give it once');
  });

  it('finds the command words before the command is known, skipping the values of known flags', () => {
    expect(positionalWords(['--url', 'http://x', 'import', '--dryrun', 'kubernetes', '--cluster=c', 'dir'], [{ name: 'url', value: 'URL' }])).toEqual([
      'import',
      'kubernetes',
      'dir',
    ]);
  });

  it('measures edits between words', () => {
    expect(editDistance('dryrun', 'dry-run')).toBe(1);
    expect(editDistance('cluser', 'cluster')).toBe(1);
    expect(editDistance('purne', 'prune')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('the flags of each command', () => {
  it('takes every flag the commands document', () => {
    const lines = [
      ['import', 'backstage', 'catalog-info.yaml', '--source', 'backstage', '--environment', 'prod', '--url', 'u', '--key', 'k', '--scope', 's', '--batch-size', '10', '--dry-run', '--json', '--quiet'],
      ['import', 'kubernetes', 'dir', '--cluster', 'prod-eu', '--namespace', 'shop', '--source', 'k8s:x'],
      ['import', 'k8s', 'dir', '--cluster', 'prod-eu'],
      ['import', 'terraform', 'network.tfstate', '--stack', 'network', '--source', 'terraform:n'],
      ['plan', '-f', 'a', '--file', 'b', '-f=c', '--file=d', '--prune', '--url', 'u', '--key', 'k', '--scope', 's', '--json', '--quiet'],
      ['apply', '-f', 'a', '--prune', '--url', 'u', '--key', 'k', '--scope', 's', '--batch-size', '5', '--dry-run', '--json', '--quiet'],
      ['keys', 'create', '--name', 'aws-sync', '--role', 'discovery', '--sources', 'aws:*'],
      ['keys', 'list', '--all'],
      ['keys', 'revoke', 'alerting'],
      ['--url', 'u', 'import', 'kubernetes', 'dir', '--cluster', 'c'],
    ];
    for (const line of lines) expect(commandArgs(line).positional[0]).toBe(line.find((w) => ['import', 'plan', 'apply', 'keys'].includes(w)));
    expect(commandArgs(lines[4]).lists.get('file')).toEqual(['a', 'b', 'c', 'd']);
  });

  it("refuses what a command or its format does not take, listing the command's flags", () => {
    expect(usageError(() => commandArgs(['import', 'kubernetes', 'dir', '--cluster', 'x', '--dryrun']))).toBe(
      'unknown flag --dryrun (did you mean --dry-run?); svcmap import kubernetes takes --cluster NAME, --namespace NAME, --source NAME, ' +
        '--environment ENV, --url URL, --key KEY, --scope SCOPE, --batch-size N, --dry-run, --json, --quiet, -h/--help',
    );
    expect(usageError(() => commandArgs(['import', 'backstage', 'dir', '--cluster', 'x']))).toMatch(/^unknown flag --cluster; svcmap import backstage takes --source NAME, /);
    expect(usageError(() => commandArgs(['import', 'terraform', 'x.tfstate', '--namespace', 'x']))).toMatch(/^unknown flag --namespace; svcmap import terraform takes --stack NAME, /);
    expect(usageError(() => commandArgs(['plan', '-f', 'a', '--batch-size', '3']))).toBe(
      'unknown flag --batch-size; svcmap plan takes -f/--file PATH, --prune, --url URL, --key KEY, --scope SCOPE, --json, --quiet, -h/--help',
    );
    expect(usageError(() => commandArgs(['apply', '-f', 'a', '--purne']))).toMatch(/^unknown flag --purne \(did you mean --prune\?\); svcmap apply takes /);
    expect(usageError(() => commandArgs(['keys', 'list', '--name', 'x']))).toBe('unknown flag --name; svcmap keys list takes --all, -h/--help');
    expect(usageError(() => commandArgs(['import', 'kubernetes', 'dir', '--cluster']))).toBe('--cluster needs a value: --cluster NAME');
    expect(usageError(() => commandArgs(['import', 'kubernetes', 'dir', '--cluster', '--dry-run']))).toBe('--cluster needs a value: --cluster NAME');
  });
});

describe('svcmap (the command line)', () => {
  const run = runCli;

  let fetchSpy: jest.SpyInstance;
  beforeEach(() => {
    fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.reject(new Error('no request may be sent')));
  });
  afterEach(() => fetchSpy.mockRestore());

  it('exits 2 on a mistyped flag, before reading the files or sending anything', async () => {
    const result = await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/shop'), '--cluster', 'x', '--dryrun', '--key', 'k', '--url', 'http://127.0.0.1:1');
    expect(result).toEqual({ code: 2, out: [], err: expect.stringMatching(/^svcmap: unknown flag --dryrun \(did you mean --dry-run\?\); svcmap import kubernetes takes /) });
    for (const command of ['plan', 'apply']) {
      const refused = await run(command, '-f', join(FIXTURES, 'topology/shop'), '--prun', '--key', 'k');
      expect(refused).toMatchObject({ code: 2, err: expect.stringMatching(/^svcmap: unknown flag --prun \(did you mean --prune\?\)/) });
    }
    expect(await run('keys', 'create', '--name', 'x', '--roles', 'admin')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown flag --roles \(did you mean --role\?\)/) });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('exits 2 on words plan and apply would otherwise ignore, such as a second file after one -f', async () => {
    const shop = join(FIXTURES, 'topology/shop');
    const standalone = join(FIXTURES, 'topology/standalone.yaml');
    expect(await run('apply', '-f', shop, standalone, '--key', 'k')).toEqual({
      code: 2,
      out: [],
      err: `svcmap: unexpected argument '${standalone}': name each topology file or folder with its own -f (-f a.yaml -f b.yaml)\n`,
    });
    expect(await run('keys', 'list', 'extra')).toMatchObject({ code: 2, err: "svcmap: unexpected argument 'extra': svcmap keys list takes only flags\n" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('prints the usage for --help, even next to other flags', async () => {
    const help = await run('apply', '--help', '--whatever');
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/^svcmap plan -f PATH/);
  });
});
