import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { currentRequestContext } from '../request-context/request-context';

const logger = new Logger('HTTP');

/** Probes and scrapes arrive every few seconds and say nothing about what clients do. */
export function isQuietPath(path: string): boolean {
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/**
 * One line per HTTP request once the response is sent (or the client went
 * away): method, path without the query string (which may hold a whole
 * GraphQL document), status, duration, request id and GraphQL operation.
 * Must run after the request-id middleware, whose context it reads.
 */
export function accessLogMiddleware(request: Request, response: Response, next: NextFunction): void {
  const path = request.path;
  if (isQuietPath(path)) return next();
  const started = process.hrtime.bigint();
  // The context object is shared with the GraphQL plugin, which adds the operation name later on.
  const context = currentRequestContext();
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    logger.log({
      message: 'request',
      method: request.method,
      path,
      status: response.statusCode,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      requestId: context?.requestId,
      operation: context?.operationName,
      ...(response.writableFinished ? {} : { aborted: true }),
    });
  };
  response.on('finish', write);
  response.on('close', write);
  next();
}
