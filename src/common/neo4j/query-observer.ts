/** How one unit of work against Neo4j ended. */
export type QueryOutcome = 'success' | 'error' | 'unavailable' | 'timeout';

export interface QueryObservation {
  /** The fixed name the repository gave the unit of work, e.g. `topology.upsertCIs`. */
  query: string;
  mode: 'READ' | 'WRITE';
  outcome: QueryOutcome;
  durationSeconds: number;
}

/**
 * Told about every unit of work Neo4jService runs, so metrics can be kept
 * without the Neo4j plumbing knowing about them. Provide it under
 * QUERY_OBSERVER (optional: without one nothing is observed).
 */
export interface QueryObserver {
  observeQuery(observation: QueryObservation): void;
}

export const QUERY_OBSERVER = Symbol('QUERY_OBSERVER');
