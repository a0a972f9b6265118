import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../synthetic/random';
import { RcaRunner } from './rca-runner';
import { RankedGroup } from './rca-task';
import { DEFAULT_RCA_WEIGHTS, RankedCandidate, RcaAlert, RcaSubgraph, correlate, packSubgraph, rankCandidates } from './root-cause-engine';

/** The compiled worker: `npm test` builds before it runs jest. */
const WORKER = join(__dirname, '..', '..', 'dist', 'src', 'root-cause', 'rca-worker.js');

/** Services over shared infrastructure, a fault under some of them, its alerts and some noise. */
function storm(seed: number): { subgraph: RcaSubgraph; alerts: RcaAlert[] } {
  const rng = new Rng(seed);
  const infra = Array.from({ length: 20 }, (_, i) => `infra-${i}`);
  const services = Array.from({ length: 200 }, (_, i) => `svc-${i}`);
  const edges = services.flatMap((s, i) => [
    ...Array.from({ length: rng.int(1, 3) }, () => ({ from: s, to: rng.pick(infra) })),
    ...(i > 0 && rng.chance(0.3) ? [{ from: s, to: services[rng.int(0, i - 1)] }] : []),
  ]);
  const subgraph: RcaSubgraph = {
    nodes: [...infra, ...services].map((key) => ({ key, kind: key.startsWith('infra') ? 'DATABASE' : 'SERVICE', dependentCount: edges.filter((e) => e.to === key).length })),
    edges,
  };
  const fault = rng.pick(infra);
  const alerts: RcaAlert[] = edges
    .filter((e) => e.to === fault && rng.chance(0.8))
    .map((e, i) => ({ id: `a${i}`, key: e.from, severity: 'CRITICAL' as const, startsAt: Date.UTC(2026, 10, 27) + rng.int(0, 120) * 1000 }));
  for (let i = 0; i < 5; i++) alerts.push({ id: `noise${i}`, key: rng.pick(services), severity: 'WARNING', startsAt: Date.UTC(2026, 10, 27) + rng.int(0, 600) * 1000 });
  return { subgraph, alerts };
}

/** A correlation on the runner, as the service runs it: the groups, then each group's `top` candidates. */
async function correlateOn(runner: RcaRunner, subgraph: RcaSubgraph, alerts: RcaAlert[], top: number) {
  const grouped = await runner.group(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS);
  const ranked = await runner.rankGroups(subgraph, grouped.map((g) => g.alerts), [], DEFAULT_RCA_WEIGHTS, top);
  return grouped.map((g, i) => ({ alerts: g.alerts, candidates: ranked[i] }));
}

const plain = (c: RankedCandidate) => ({ key: c.key, kind: c.kind, score: c.score, rank: c.rank, evidence: { ...c.evidence } });

describe('RcaRunner', () => {
  const runner = new RcaRunner(WORKER);
  afterAll(() => runner.onModuleDestroy());

  it('finds the compiled worker (run `npm run build` first when running jest alone)', () => {
    expect(existsSync(WORKER)).toBe(true);
    expect(runner.threaded).toBe(true);
  });

  it('ranks and correlates a packed subgraph exactly as the plain one, on the worker too', async () => {
    const { subgraph, alerts } = storm(1);
    const packed = packSubgraph(subgraph);
    expect(packed.keys).toEqual(subgraph.nodes.map((n) => n.key));
    expect(packed.from.length).toBe(subgraph.edges.length);
    const expected = rankCandidates(subgraph, alerts).map(plain);
    expect(expected.length).toBeGreaterThan(0);
    expect(rankCandidates(packed, alerts).map(plain)).toEqual(expected);
    expect((await runner.rank(packed, alerts, [], DEFAULT_RCA_WEIGHTS, 5)).candidates.map(plain)).toEqual(expected.slice(0, 5));
    const groups = (list: ReturnType<typeof correlate>) => list.map((g) => ({ alerts: g.alerts.map((a) => a.id), causes: g.candidates.slice(0, 3).map((c) => c.key) }));
    expect(groups(correlate(packed, alerts))).toEqual(groups(correlate(subgraph, alerts)));
  });

  it('ranks on the worker exactly as in-process', async () => {
    for (const seed of [1, 2, 3]) {
      const { subgraph, alerts } = storm(seed);
      const changed = [subgraph.nodes[seed].key];
      const expected = rankCandidates(subgraph, alerts, new Set(changed), DEFAULT_RCA_WEIGHTS).slice(0, 10).map(plain);
      const actual = await runner.rank(subgraph, alerts, changed, DEFAULT_RCA_WEIGHTS, 10, 20);
      expect(actual.candidates.map(plain)).toEqual(expected);
      expect(actual.candidates.length).toBeGreaterThan(0);
      expect(actual.leaders).toEqual(rankCandidates(subgraph, alerts, new Set(changed), DEFAULT_RCA_WEIGHTS).slice(0, 20).map((c) => c.key));
    }
  });

  it('correlates on the worker exactly as in-process, keeping each group`s best candidates', async () => {
    const { subgraph, alerts } = storm(4);
    const expected = correlate(subgraph, alerts, new Set(), DEFAULT_RCA_WEIGHTS);
    const actual = await correlateOn(runner, subgraph, alerts, 3);
    expect(actual.length).toBe(expected.length);
    actual.forEach((group, i) => {
      expect(group.alerts).toEqual(expected[i].alerts);
      expect(group.candidates.map(plain)).toEqual(expected[i].candidates.slice(0, 3).map(plain));
    });
  });

  it('correlates in two steps on the worker (group, then rank the groups) exactly as correlate does', async () => {
    for (const seed of [4, 12]) {
      const { subgraph, alerts } = storm(seed);
      const expected = correlate(subgraph, alerts, new Set(), DEFAULT_RCA_WEIGHTS, 3);
      const grouped = await runner.group(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS);
      expect(grouped.map((g) => g.alerts)).toEqual(expected.map((g) => g.alerts));
      // Told of each group as if no CI led it, then of those whose cause is not the given leader.
      const batches: RankedGroup[][] = [];
      const nobody = grouped.map(() => '');
      const ranked = await runner.rankGroups(subgraph, grouped.map((g) => g.alerts), [], DEFAULT_RCA_WEIGHTS, 3, { leaders: nobody, onOtherCauses: (batch) => batches.push(batch) });
      expect(ranked.map((list) => list.map(plain))).toEqual(expected.map((g) => g.candidates.slice(0, 3).map(plain)));
      // Each group was told of before the answer, once, with the same candidates, fewest alerts first,
      // in one batch per size: all of a size together.
      const heard = batches.flat();
      expect(heard.map((h) => h.index).sort((a, b) => a - b)).toEqual(grouped.map((_, i) => i));
      for (const { index, candidates } of heard) expect(candidates.map(plain)).toEqual(ranked[index].map(plain));
      const sizeOf = (h: RankedGroup) => grouped[h.index].alerts.length;
      const sizes = heard.map(sizeOf);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      expect(batches.map((batch) => new Set(batch.map(sizeOf)).size)).toEqual(batches.map(() => 1));
      expect(batches.length).toBe(new Set(sizes).size);
      expect(new Set(sizes).size).toBeGreaterThan(1);
      const others: number[] = [];
      const leaders = ranked.map((list, i) => (i % 2 ? 'someone-else' : list[0].key));
      await runner.rankGroups(subgraph, grouped.map((g) => g.alerts), [], DEFAULT_RCA_WEIGHTS, 3, { leaders, onOtherCauses: (batch) => others.push(...batch.map((h) => h.index)) });
      expect(others.sort((a, b) => a - b)).toEqual(grouped.map((_, i) => i).filter((i) => i % 2));
      // Each group's leader is one of its CIs' causes: most often its first candidate.
      expect(grouped.every((g) => typeof g.leader === 'string' && g.leader.length > 0)).toBe(true);
    }
  });

  it('sends a subgraph once for the rankings of one request', async () => {
    const { subgraph, alerts } = storm(8);
    const posted: { task: { subgraph?: unknown } }[] = [];
    await runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 1);
    const worker = (runner as unknown as { worker: { postMessage(message: unknown): void } }).worker;
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message: unknown) => {
      posted.push(message as { task: { subgraph?: unknown } });
      post(message);
    };
    const first = await runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 5);
    const again = await runner.rank(subgraph, alerts, [subgraph.nodes[0].key], DEFAULT_RCA_WEIGHTS, 5);
    expect(posted.map((m) => m.task.subgraph === undefined)).toEqual([true, true]);
    expect(first.candidates.map(plain)).toEqual(rankCandidates(subgraph, alerts, new Set(), DEFAULT_RCA_WEIGHTS).slice(0, 5).map(plain));
    expect(again.candidates.map(plain)).toEqual(rankCandidates(subgraph, alerts, new Set([subgraph.nodes[0].key]), DEFAULT_RCA_WEIGHTS).slice(0, 5).map(plain));
    worker.postMessage = post;
  });

  it('fails a task the worker cannot run with its error, and keeps serving', async () => {
    const { subgraph, alerts } = storm(5);
    const broken = { kind: 'rank', subgraphId: -1, alerts: null, changed: [], weights: DEFAULT_RCA_WEIGHTS, top: 1 };
    const send = (runner as unknown as { send(task: unknown, subgraph: RcaSubgraph): Promise<unknown> }).send.bind(runner);
    await expect(send(broken, subgraph)).rejects.toThrow(/root-cause worker: TypeError/);
    expect((await runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 1)).candidates).toHaveLength(1);
  });

  it('replaces a worker that died, failing what it held', async () => {
    const { subgraph, alerts } = storm(6);
    await runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 1);
    const worker = (runner as unknown as { worker: { terminate(): Promise<number>; removeAllListeners(event: string): void } }).worker;
    // The engine may finish this small task before the thread stops: its answer
    // must not reach the runner, so the task is still held when the worker dies.
    worker.removeAllListeners('message');
    const held = runner.group(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS);
    await worker.terminate();
    await expect(held).rejects.toThrow(/exited/);
    expect((await runner.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 2)).candidates).toHaveLength(2);
  });

  it('fails only what a dying worker held, not the tasks of the worker that replaced it', async () => {
    // A worker that dies on its first task; the ones started after it are the real worker.
    const dir = mkdtempSync(join(tmpdir(), 'svcmap-rca-runner-'));
    const marker = join(dir, 'crashed');
    const file = join(dir, 'crash-once.js');
    writeFileSync(
      file,
      `const { existsSync, writeFileSync } = require('node:fs');
if (existsSync(${JSON.stringify(marker)})) require(${JSON.stringify(WORKER)});
else {
  writeFileSync(${JSON.stringify(marker)}, '');
  require('node:worker_threads').parentPort.on('message', () => { throw new Error('crashed on purpose'); });
}
`,
    );
    const crashing = new RcaRunner(file);
    try {
      const { subgraph, alerts } = storm(9);
      // The second task goes out as soon as the first failed: before the dead worker's exit is reported.
      const second = await crashing.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 1).then(
        () => Promise.reject(new Error('the first task should have failed')),
        (error: Error) => {
          expect(error.message).toMatch(/crashed on purpose/);
          return crashing.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 3);
        },
      );
      expect(second.candidates.map(plain)).toEqual(rankCandidates(subgraph, alerts, new Set(), DEFAULT_RCA_WEIGHTS).slice(0, 3).map(plain));
    } finally {
      await crashing.onModuleDestroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs in-process when there is no compiled worker (TypeScript sources)', async () => {
    const inline = new RcaRunner(join(__dirname, 'no-such-worker.js'));
    expect(inline.threaded).toBe(false);
    const { subgraph, alerts } = storm(7);
    expect((await inline.rank(subgraph, alerts, [], DEFAULT_RCA_WEIGHTS, 5)).candidates.map(plain)).toEqual(rankCandidates(subgraph, alerts, new Set(), DEFAULT_RCA_WEIGHTS).slice(0, 5).map(plain));
  });
});
