/**
 * A CI's dependency revision: a counter moved by every write of a dependency
 * going out of the CI except its creation (an update, a status or claim
 * change, a deletion, the deletion of its other end). What is known of a
 * CI's dependencies at one revision still holds while the revision is the
 * same: discovery's group marks (see discovery/sync-mark.ts) rest on it.
 * A creation does not move it: it changes no dependency that existed.
 */
export const DEPENDENCY_REV_PROPERTY = 'dependencyRev';

/** The Cypher SET item that moves the dependency revision of `node`. */
export function bumpDependencyRev(node: string): string {
  return `${node}.${DEPENDENCY_REV_PROPERTY} = coalesce(${node}.${DEPENDENCY_REV_PROPERTY}, 0) + 1`;
}
