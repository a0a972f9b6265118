import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CanRead } from '../auth/roles';
import { MetricsService } from './metrics.service';

/**
 * The Prometheus scrape endpoint. Like every route it needs an API key
 * (any role: it shows counts and names of operations, never data).
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @CanRead()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  render(): Promise<string> {
    return this.metrics.render();
  }
}
