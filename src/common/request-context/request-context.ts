import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What the code deep in a request needs to know about it without every
 * signature carrying it: the id that ties log lines, errors and Neo4j's
 * query log together, and the GraphQL operation being served.
 */
export interface RequestContext {
  requestId: string;
  operationName?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newRequestId(): string {
  return randomUUID();
}
