import { Module } from '@nestjs/common';
import { CiResolver } from './ci.resolver';
import { TopologyRepository } from './topology.repository';
import { TopologyService } from './topology.service';

@Module({
  providers: [CiResolver, TopologyService, TopologyRepository],
  exports: [TopologyService],
})
export class TopologyModule {}
