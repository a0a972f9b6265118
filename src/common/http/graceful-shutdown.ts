import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

/** Counts requests between arrival and the end of their response. */
class InFlight {
  count = 0;
  private waiters: (() => void)[] = [];

  readonly middleware = (_request: Request, response: Response, next: NextFunction): void => {
    this.count++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.count--;
      if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
    };
    response.on('finish', finish);
    response.on('close', finish);
    next();
  };

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

const trackers = new WeakMap<INestApplication, InFlight>();

/** Installs request tracking; call first, before any other middleware. */
export function trackInFlightRequests(app: INestApplication): void {
  const tracker = new InFlight();
  trackers.set(app, tracker);
  app.use(tracker.middleware);
}

/**
 * Stops accepting connections, lets requests already in flight finish (up to
 * `graceMs`), then closes the app: GraphQL server, Neo4j driver, and the rest.
 */
export async function closeGracefully(app: INestApplication, graceMs = 15_000): Promise<void> {
  const server = app.getHttpServer() as Server;
  const tracker = trackers.get(app);
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  if (tracker) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([tracker.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  // Keep-alive sockets that finished their last request would otherwise hold the server open.
  server.closeAllConnections();
  await stopped;
  await app.close();
}

/** How many requests the app is serving right now. */
export function inFlightRequests(app: INestApplication): number {
  return trackers.get(app)?.count ?? 0;
}
