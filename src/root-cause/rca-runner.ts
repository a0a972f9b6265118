import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GroupsRanked, RankAnswer, RankedGroup, RcaTask, SUBGRAPHS_KEPT, runRcaTask } from './rca-task';
import { AlertGrouping, RankedCandidate, RcaAlert, RcaGraph, RcaWeights, isPacked, packSubgraph } from './root-cause-engine';

/** The compiled worker script; override (tests) with this token. */
export const RCA_WORKER_FILE = Symbol('RCA_WORKER_FILE');

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onGroups?: GroupsRanked;
  /** The worker the task went to: only its death fails the task. */
  worker: Worker;
}

/**
 * Runs root-cause rankings and alert correlations on a worker thread, so a
 * storm that takes the engine seconds does not stop the service from
 * answering everything else meanwhile (health checks, other queries, alert
 * intake). Tasks run one at a time in arrival order. A worker that dies
 * fails the tasks it held and is replaced on the next task.
 *
 * Running from TypeScript sources (the tests) there is no compiled worker:
 * tasks then run in-process, through the same function.
 */
@Injectable()
export class RcaRunner implements OnModuleDestroy {
  private readonly logger = new Logger(RcaRunner.name);
  private readonly file: string;
  /** Whether tasks go to a worker thread (false: in-process, no compiled worker next to this module). */
  readonly threaded: boolean;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly subgraphIds = new WeakMap<RcaGraph, number>();
  private nextSubgraphId = 1;
  /** Subgraph ids the current worker holds (it keeps the latest few; sent again when forgotten). */
  private sent: number[] = [];

  constructor(@Optional() @Inject(RCA_WORKER_FILE) file?: string) {
    this.file = file ?? join(__dirname, 'rca-worker.js');
    this.threaded = existsSync(this.file);
  }

  /**
   * The `top` best candidates for these alerts, with their evidence (built
   * for these only: a candidate's example chain is a walk), and the keys of
   * the first `leaders`.
   */
  rank(subgraph: RcaGraph, alerts: RcaAlert[], changed: Iterable<string>, weights: RcaWeights, top: number, leaders = 0): Promise<RankAnswer> {
    return this.run('rank', subgraph, { alerts, changed: [...changed], weights, top, leaders }) as Promise<RankAnswer>;
  }

  /**
   * A correlation (the engine's correlate) in two steps. The first: the storm's groups, each with
   * the CI that led it (groupAlerts). The caller can start work on the leaders (fetching what
   * pricing needs) while the second step, rankGroups, runs.
   */
  group(subgraph: RcaGraph, alerts: RcaAlert[], changed: Iterable<string>, weights: RcaWeights): Promise<AlertGrouping[]> {
    return this.run('group', subgraph, { alerts, changed: [...changed], weights, top: 0 }) as Promise<AlertGrouping[]>;
  }

  /**
   * A correlation's second step: each group's `top` best candidates, ranked on its alerts alone
   * (rankGroup). Given the CI that led each group, `onOtherCauses` hears of the groups whose first
   * candidate is another, as soon as all the groups of their size are ranked (groups are ranked
   * fewest alerts first).
   */
  rankGroups(
    subgraph: RcaGraph,
    groups: RcaAlert[][],
    changed: Iterable<string>,
    weights: RcaWeights,
    top: number,
    leaders?: { leaders: string[]; onOtherCauses: GroupsRanked },
  ): Promise<RankedCandidate[][]> {
    return this.run('rankGroups', subgraph, { alerts: [], groups, groupLeaders: leaders?.leaders, changed: [...changed], weights, top }, leaders?.onOtherCauses) as Promise<RankedCandidate[][]>;
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private run(kind: RcaTask['kind'], subgraph: RcaGraph, rest: Pick<RcaTask, 'alerts' | 'changed' | 'weights' | 'top' | 'leaders' | 'groups' | 'groupLeaders'>, onGroups?: GroupsRanked): Promise<unknown> {
    let subgraphId = this.subgraphIds.get(subgraph);
    if (subgraphId === undefined) {
      subgraphId = this.nextSubgraphId++;
      this.subgraphIds.set(subgraph, subgraphId);
    }
    const task: RcaTask = { kind, subgraphId, ...rest };
    if (!this.threaded) return Promise.resolve().then(() => runRcaTask(task, subgraph, onGroups));
    return this.send(task, subgraph, onGroups);
  }

  private send(task: RcaTask, subgraph: RcaGraph, onGroups?: GroupsRanked): Promise<unknown> {
    const worker = this.ensureWorker();
    // The worker keeps the latest SUBGRAPHS_KEPT subgraphs, as this list does.
    if (!this.sent.includes(task.subgraphId)) {
      task.subgraph = isPacked(subgraph) ? subgraph : packSubgraph(subgraph);
      this.sent = [...this.sent, task.subgraphId].slice(-SUBGRAPHS_KEPT);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onGroups, worker });
      worker.postMessage({ id, task });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.file);
    // An idle worker must not keep the process alive at shutdown.
    worker.unref();
    worker.on('message', (message: { id: number; result?: unknown; error?: string; groups?: RankedGroup[] }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if (message.groups) {
        try {
          pending.onGroups?.(message.groups);
        } catch (error) {
          this.logger.error(`A listener to a root-cause ranking failed: ${(error as Error).message}`);
        }
        return;
      }
      this.pending.delete(message.id);
      if (message.error !== undefined) pending.reject(new Error(`root-cause worker: ${message.error}`));
      else pending.resolve(message.result);
    });
    // A worker that dies fails the tasks it held, and only those: a task sent to the worker that
    // replaced it (after the error, before the exit is reported) goes on.
    const fail = (error: Error) => {
      if (this.worker === worker) {
        this.worker = null;
        this.sent = [];
      }
      const held = [...this.pending].filter(([, pending]) => pending.worker === worker);
      if (held.length) this.logger.error(`Root-cause worker failed with ${held.length} task(s) pending: ${error.message}`);
      for (const [id, pending] of held) {
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`root-cause worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
