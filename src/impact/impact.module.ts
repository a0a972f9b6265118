import { Module } from '@nestjs/common';
import { TopologyModule } from '../topology/topology.module';
import { ImpactRepository } from './impact.repository';
import { BlastRadiusResolver, ImpactedCiResolver } from './impact.resolver';
import { ImpactService } from './impact.service';

@Module({
  imports: [TopologyModule],
  providers: [ImpactRepository, ImpactService, BlastRadiusResolver, ImpactedCiResolver],
  exports: [ImpactService],
})
export class ImpactModule {}
