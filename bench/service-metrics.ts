import { GraphQLClient } from './graphql-client';

/**
 * Where the service spent its time, from its own Prometheus endpoint: the
 * total and count of every Neo4j unit of work (by name, e.g.
 * `topology.upsertDependencies`) and every GraphQL operation. Scraped at phase
 * boundaries and subtracted, it says which queries dominate each phase.
 */
export interface TimeSpent {
  name: string;
  count: number;
  totalSeconds: number;
  meanMs: number;
}

export type MetricSums = Map<string, { count: number; sum: number }>;

const SERIES = /^(svcmap_neo4j_query_duration_seconds|svcmap_graphql_operation_duration_seconds)_(sum|count)\{([^}]*)\}\s+([0-9.eE+-]+)$/;

function labels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[match[1]] = match[2];
  return out;
}

/** Undefined when the service has no /metrics (older builds) or refuses it. */
export async function scrapeTimeSpent(client: GraphQLClient): Promise<MetricSums | undefined> {
  let text: string;
  try {
    const response = await fetch(`${client.baseUrl}/metrics`, { headers: { authorization: client.headers.authorization } });
    if (!response.ok) return undefined;
    text = await response.text();
  } catch {
    return undefined;
  }
  const sums: MetricSums = new Map();
  for (const line of text.split('\n')) {
    const match = SERIES.exec(line);
    if (!match) continue;
    const [, metric, part, labelText, value] = match;
    const l = labels(labelText);
    const name = metric.startsWith('svcmap_neo4j')
      ? `neo4j ${l.query} (${l.mode}${l.outcome && l.outcome !== 'success' ? `, ${l.outcome}` : ''})`
      : `graphql ${l.operation} (${l.type})`;
    const entry = sums.get(name) ?? { count: 0, sum: 0 };
    if (part === 'sum') entry.sum += Number(value);
    else entry.count += Number(value);
    sums.set(name, entry);
  }
  return sums;
}

/** What happened between two scrapes, largest total first. */
export function timeSpentBetween(before: MetricSums | undefined, after: MetricSums | undefined, limit = 12): TimeSpent[] {
  if (!after) return [];
  const rows: TimeSpent[] = [];
  for (const [name, now] of after) {
    const then = before?.get(name) ?? { count: 0, sum: 0 };
    const count = now.count - then.count;
    const totalSeconds = now.sum - then.sum;
    if (count > 0) rows.push({ name, count, totalSeconds, meanMs: (totalSeconds / count) * 1000 });
  }
  return rows.sort((a, b) => b.totalSeconds - a.totalSeconds).slice(0, limit);
}

/** The service's own view of its memory, from the default Node.js metrics on /metrics. */
export interface ServiceHeap {
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Major (mark-sweep-compact) collections so far. */
  majorGcs: number;
}

/** Undefined when the service has no readable /metrics or lacks the default Node.js metrics. */
export async function scrapeHeap(client: GraphQLClient): Promise<ServiceHeap | undefined> {
  let text: string;
  try {
    const response = await fetch(`${client.baseUrl}/metrics`, { headers: { authorization: client.headers.authorization } });
    if (!response.ok) return undefined;
    text = await response.text();
  } catch {
    return undefined;
  }
  const gauge = (name: string) => Number(new RegExp(`^\\w*${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const heapUsedBytes = gauge('nodejs_heap_size_used_bytes');
  if (Number.isNaN(heapUsedBytes)) return undefined;
  return {
    heapUsedBytes,
    heapTotalBytes: gauge('nodejs_heap_size_total_bytes'),
    externalBytes: gauge('nodejs_external_memory_bytes'),
    majorGcs: Number(/^\w*nodejs_gc_duration_seconds_count\{[^}]*kind="major"[^}]*\}\s+([0-9.eE+-]+)$/m.exec(text)?.[1] ?? 0),
  };
}
