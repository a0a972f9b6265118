import { Module } from '@nestjs/common';
import { HistoryRepository } from './history.repository';
import { HistoryResolver } from './history.resolver';
import { HistoryService } from './history.service';

@Module({
  providers: [HistoryRepository, HistoryService, HistoryResolver],
  exports: [HistoryService],
})
export class HistoryModule {}
