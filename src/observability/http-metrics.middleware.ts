import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * The route label: the matched route's pattern, never the raw path, so
 * that clients probing random URLs cannot create new series.
 */
export function routeOf(request: Request): string {
  if (request.route?.path) return `${request.baseUrl ?? ''}${request.route.path}`;
  // Apollo is mounted with app.use('/graphql'), which sets baseUrl rather than route.
  if (request.baseUrl) return request.baseUrl;
  return 'unmatched';
}

/** Counts every answered HTTP request; registered before the body parser so refused bodies count too. */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    response.on('finish', () => {
      metrics.httpRequests.inc({ method: request.method, route: routeOf(request), status: String(response.statusCode) });
    });
    next();
  };
}
