import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RootCauseModule } from '../root-cause/root-cause.module';
import { TopologyModule } from '../topology/topology.module';
import { AlertIntakeGuard } from './alert-intake.guard';
import { ALERTS_CONFIG, loadAlertsConfig } from './alerts.config';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsResolver } from './alerts.resolver';
import { AlertsService } from './alerts.service';

/** Alert intake (Alertmanager webhook, generic HTTP and GraphQL), the stored alerts, and the incidents they make now. */
@Module({
  imports: [AuthModule, RootCauseModule, TopologyModule],
  controllers: [AlertsController],
  providers: [
    { provide: ALERTS_CONFIG, useFactory: () => loadAlertsConfig(process.env) },
    AlertsRepository,
    AlertsService,
    AlertsResolver,
    AlertIntakeGuard,
  ],
  exports: [AlertsService],
})
export class AlertsModule {}
