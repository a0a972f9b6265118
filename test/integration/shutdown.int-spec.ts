import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { inFlightRequests } from '../../src/common/http/graceful-shutdown';
import { freePort } from '../support/neo4j-for-tests';
import { startTestApp } from '../support/test-app';

/** Polls `url` until `answers(ok)` says so, for at most `ms`; returns whether it did. */
async function waitFor(url: string, answers: (ok: boolean) => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (answers(ok)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** The processes under `pid`, children first (so a test can clean up whatever it started). */
function descendantsOf(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    // none
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

describe('graceful shutdown', () => {
  it('finishes requests already in flight, then refuses new connections', async () => {
    const t = await startTestApp();
    const inFlight = Array.from({ length: 20 }, () => t.gql('{ cis(first: 200) { totalCount edges { node { key dependencies { to } } } } }'));
    while (inFlightRequests(t.app) < 5) await new Promise((resolve) => setImmediate(resolve));
    const closing = t.close();
    const answers = await Promise.allSettled(inFlight);
    await closing;
    const served = answers.filter((a) => a.status === 'fulfilled');
    expect(served.length).toBeGreaterThanOrEqual(5);
    for (const answer of served) {
      expect(answer.value.errors).toBeUndefined();
      expect(answer.value.data.cis.totalCount).toBeGreaterThanOrEqual(0);
    }
    await expect(fetch(`${t.url}/health/live`)).rejects.toThrow();
  });

  // What a process manager does: SIGTERM to the `npm start` it launched. npm passes the signal to
  // its child, so the child must be the service itself, not a shell that would not pass it on.
  it('stops the service when `npm start` is sent SIGTERM', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    const spawned = new Set<number>();
    try {
      expect(await waitFor(`http://127.0.0.1:${port}/health/live`, (ok) => ok, 60_000)).toBe(true);
      for (const child of descendantsOf(npm.pid!)) spawned.add(child);
      npm.kill('SIGTERM');
      expect(await waitFor(`http://127.0.0.1:${port}/health/live`, (ok) => !ok, 20_000)).toBe(true);
    } finally {
      npm.kill('SIGKILL');
      for (const pid of spawned) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone, as it should be
        }
      }
    }
  }, 90_000);
});

