import { Module } from '@nestjs/common';
import { DISCOVERY_CONFIG, loadDiscoveryConfig } from './discovery.config';
import { CiDiscoveryResolver, DependencyDiscoveryResolver, ProvenanceResolver } from './provenance.resolver';
import { SyncBatchService } from './sync-batch.service';
import { SyncFinisher } from './sync-finisher.service';
import { SyncResolver } from './sync.resolver';
import { SyncRepository } from './sync.repository';
import { SyncService } from './sync.service';

/** Discovery syncs: full syncs of a source in batches, claims, staleness, precedence, identification. */
@Module({
  providers: [
    { provide: DISCOVERY_CONFIG, useFactory: () => loadDiscoveryConfig(process.env) },
    SyncRepository,
    SyncService,
    SyncBatchService,
    SyncFinisher,
    SyncResolver,
    ProvenanceResolver,
    CiDiscoveryResolver,
    DependencyDiscoveryResolver,
  ],
  exports: [SyncService],
})
export class DiscoveryModule {}
