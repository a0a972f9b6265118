import { Module } from '@nestjs/common';
import { TopologyModule } from '../topology/topology.module';
import { SeedService } from './seed.service';

@Module({
  imports: [TopologyModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class TopologyAsCodeModule {}
