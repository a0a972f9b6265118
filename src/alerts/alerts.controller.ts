import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { Public } from '../auth/roles';
import { Actor } from '../common/actor';
import { AlertIntake, AlertIntakeGuard } from './alert-intake.guard';
import { IngestOutcome } from './alerts.types';
import { AlertSource } from './alerts.vocabulary';
import { AlertsService } from './alerts.service';

/**
 * The HTTP alert intakes, for tools that post webhooks rather than speak
 * GraphQL. @Public() only tells the global guard to stand aside:
 * AlertIntakeGuard requires an API key that may write alerts, or the shared webhook secret.
 */
@Public()
@UseGuards(AlertIntakeGuard)
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** Prometheus Alertmanager's webhook receiver (webhook_configs), payload format version 4. */
  @Post('alertmanager')
  @AlertIntake(AlertSource.ALERTMANAGER)
  @HttpCode(HttpStatus.OK)
  alertmanager(@Body() body: unknown, @Req() request: { actor: Actor }): Promise<IngestOutcome> {
    return this.alerts.ingestAlertmanager(body, request.actor);
  }

  /** Any other tool: `{ "alerts": [...] }` in the shape of the ingestAlerts mutation. */
  @Post()
  @AlertIntake(AlertSource.API)
  @HttpCode(HttpStatus.OK)
  generic(@Body() body: unknown, @Req() request: { actor: Actor }): Promise<IngestOutcome> {
    return this.alerts.ingestHttp(body, request.actor);
  }
}
