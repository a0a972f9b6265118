import { parentPort } from 'node:worker_threads';
import { RankedGroup, RcaTask, SUBGRAPHS_KEPT, runRcaTask } from './rca-task';
import { PackedSubgraph } from './root-cause-engine';

/** The subgraphs of the latest tasks, by id: a request ranks its subgraph twice (the engine keeps its preparation by identity). */
const subgraphs = new Map<number, PackedSubgraph>();

function subgraphOf(task: RcaTask): PackedSubgraph {
  let subgraph = subgraphs.get(task.subgraphId);
  if (!subgraph) {
    if (!task.subgraph) throw new Error(`subgraph ${task.subgraphId} was never sent`);
    subgraph = task.subgraph;
    subgraphs.set(task.subgraphId, subgraph);
    for (const id of subgraphs.keys()) if (subgraphs.size > SUBGRAPHS_KEPT) subgraphs.delete(id);
  }
  return subgraph;
}

/**
 * The worker thread RcaRunner starts: ranks and correlates off the service's
 * event loop, one task at a time, in the order they come.
 */
parentPort?.on('message', (message: { id: number; task: RcaTask }) => {
  try {
    const onGroups = (groups: RankedGroup[]) => parentPort!.postMessage({ id: message.id, groups });
    parentPort!.postMessage({ id: message.id, result: runRcaTask(message.task, subgraphOf(message.task), onGroups) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
