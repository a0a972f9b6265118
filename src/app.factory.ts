import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AppConfig } from './common/config/app-config';
import { bodyErrorHandler } from './common/errors/body-error.handler';
import { trackInFlightRequests } from './common/http/graceful-shutdown';
import { accessLogMiddleware } from './common/logging/access-log.middleware';
import { jsonLogger } from './common/logging/json-logger';
import { newRequestId, runWithRequestContext } from './common/request-context/request-context';
import { httpMetricsMiddleware } from './observability/http-metrics.middleware';
import { MetricsService } from './observability/metrics.service';
import { serveWebApp } from './web/web-app';

export { jsonLogger };

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Every request gets an id (the caller's X-Request-Id when sane), echoed back and carried in every log line. */
function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header('x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : newRequestId();
  response.setHeader('x-request-id', requestId);
  runWithRequestContext({ requestId }, next);
}

/** Builds the HTTP application (request ids, access log, metrics, body limits); used by main.ts and by the integration tests. */
export async function createApp(config: AppConfig, logger: LoggerService | false = jsonLogger()): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger, bodyParser: false });
  trackInFlightRequests(app);
  app.use(requestIdMiddleware);
  app.use(accessLogMiddleware);
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes });
  // Right after the parser: Express hands its errors to the next error handler, before any Nest route.
  app.use(bodyErrorHandler(config.limits.maxBodyBytes));
  serveWebApp(app);
  return app;
}
