import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { ImpactModule } from '../impact/impact.module';
import { RootCauseRepository } from './root-cause.repository';
import { RootCauseResolver } from './root-cause.resolver';
import { RootCauseService } from './root-cause.service';

@Module({
  imports: [HistoryModule, ImpactModule],
  providers: [RootCauseRepository, RootCauseService, RootCauseResolver],
  exports: [RootCauseService],
})
export class RootCauseModule {}
