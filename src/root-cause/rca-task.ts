import { AlertGrouping, PackedSubgraph, RankedCandidate, RcaAlert, RcaGraph, RcaWeights, groupAlerts, groupRanker, rankCandidates } from './root-cause-engine';

/**
 * A ranking or a correlation as data, so it can run on a worker thread
 * (rca-worker.ts) as well as in-process, with the same answer.
 */

/**
 * What to run. `subgraphId` names the subgraph; `subgraph` comes along the
 * first time a worker sees it (the service ranks one subgraph twice per
 * request, and the second time only the id travels).
 */
export interface RcaTask {
  /** rank: rankCandidates; group: groupAlerts; rankGroups: rankGroup for each of `groups` (a correlation is group, then rankGroups). */
  kind: 'rank' | 'group' | 'rankGroups';
  subgraphId: number;
  subgraph?: PackedSubgraph;
  alerts: RcaAlert[];
  changed: string[];
  weights: RcaWeights;
  /** Candidates returned whole (a ranking), or per group (a correlation); evidence is built for these only. */
  top: number;
  /** A ranking also returns the keys of its first `leaders` candidates. */
  leaders?: number;
  /** rankGroups: the alerts of each group. */
  groups?: RcaAlert[][];
  /** rankGroups: the CI that led each group; only a group whose first candidate is another is told of before the answer. */
  groupLeaders?: string[];
}

/** How many subgraphs a worker keeps by id; the runner sends a subgraph again once it fell out. */
export const SUBGRAPHS_KEPT = 2;

/** A ranking's answer: its `top` candidates, and the keys of the first `leaders`. */
export interface RankAnswer {
  candidates: RankedCandidate[];
  leaders: string[];
}

/** A candidate whose evidence (built when read) is read now: plain data that survives a structured clone. */
function settled(candidate: RankedCandidate): RankedCandidate {
  return { key: candidate.key, kind: candidate.kind, score: candidate.score, rank: candidate.rank, evidence: candidate.evidence };
}

/** What each kind of task answers. */
export type RcaTaskAnswer = RankAnswer | AlertGrouping[] | RankedCandidate[][];

/** A group's place among those given, and its candidates. */
export interface RankedGroup {
  index: number;
  candidates: RankedCandidate[];
}

/** Called with groups as soon as they are ranked (rankGroups), before the whole answer. */
export type GroupsRanked = (ranked: RankedGroup[]) => void;

/** A ranking's `top` best candidates and leader keys, or one of a correlation's two steps. */
export function runRcaTask(task: RcaTask, subgraph: RcaGraph, onGroups?: GroupsRanked): RcaTaskAnswer {
  const changed = new Set(task.changed);
  switch (task.kind) {
    case 'rank': {
      // Only what is returned: the other tens of thousands of candidates are ranked, never built.
      const ranked = rankCandidates(subgraph, task.alerts, changed, task.weights, Math.max(task.top, task.leaders ?? 0));
      return { candidates: ranked.slice(0, task.top).map(settled), leaders: ranked.slice(0, task.leaders ?? 0).map((c) => c.key) };
    }
    case 'group':
      return groupAlerts(subgraph, task.alerts, changed, task.weights);
    case 'rankGroups': {
      const groups = task.groups ?? [];
      const answers: RankedCandidate[][] = new Array(groups.length);
      const rank = groupRanker(subgraph, groups, changed, task.weights, task.top);
      const order = smallestFirst(groups);
      let told: RankedGroup[] = [];
      order.forEach((index, at) => {
        answers[index] = rank(index).map(settled);
        if (answers[index][0]?.key !== task.groupLeaders?.[index]) told.push({ index, candidates: answers[index] });
        // Told once all the groups of a size are ranked: the causes of a hundred lone alerts in one
        // batch, so the service walks for them once rather than once each.
        const next = order[at + 1];
        if (told.length && (next === undefined || groups[next].length !== groups[index].length)) {
          onGroups?.(told);
          told = [];
        }
      });
      return answers;
    }
  }
}

/**
 * The groups' places, fewest alerts first (then in order). A group whose cause is not the CI that
 * led it is most often a lone alert, and the service walks for such causes as soon as they are
 * named: named first, that walk runs while the large groups are ranked.
 */
function smallestFirst(groups: readonly RcaAlert[][]): number[] {
  return groups.map((_, index) => index).sort((a, b) => groups[a].length - groups[b].length || a - b);
}
