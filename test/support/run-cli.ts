import { join, relative } from 'node:path';
import { main } from '../../src/cli/main';

/** The test fixtures folder, relative to the working directory (as a user would type it). */
export const FIXTURES = relative(process.cwd(), join(__dirname, '../fixtures'));

/** Runs the `svcmap` command line in-process: its exit code, the lines it printed and what it wrote to stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const code = await main(argv, (line) => void out.push(line));
    return { code, out, err: err.join('') };
  } finally {
    spy.mockRestore();
  }
}
