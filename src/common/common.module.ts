import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { Neo4jService } from './neo4j/neo4j.service';
import { SchemaService } from './neo4j/schema.service';
import { TopologyIndexService } from './neo4j/topology-index';

/** Plumbing every feature shares: configuration, the clock, the Neo4j executor and its topology index. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, Clock, Neo4jService, SchemaService, TopologyIndexService],
      exports: [APP_CONFIG, Clock, Neo4jService, SchemaService, TopologyIndexService],
    };
  }
}
