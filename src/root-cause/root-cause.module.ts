import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { ImpactModule } from '../impact/impact.module';
import { TopologyModule } from '../topology/topology.module';
import { RcaRunner } from './rca-runner';
import { RootCauseRepository } from './root-cause.repository';
import { RootCauseResolver } from './root-cause.resolver';
import { RootCauseService } from './root-cause.service';

@Module({
  imports: [HistoryModule, ImpactModule, TopologyModule],
  providers: [RootCauseRepository, RootCauseService, RootCauseResolver, RcaRunner],
  exports: [RootCauseService],
})
export class RootCauseModule {}
