/**
 * Variable-length bounds cannot be Cypher parameters, so traversals splice
 * them into the query text: only a checked integer, never caller text.
 */
export function depthBound(depth: number, max = 1000): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > max) throw new Error(`invalid traversal depth ${depth}`);
  return depth;
}
