import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { Neo4jService } from './neo4j/neo4j.service';
import { SchemaService } from './neo4j/schema.service';

/** Plumbing every feature shares: configuration, the clock and the Neo4j executor. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, Clock, Neo4jService, SchemaService],
      exports: [APP_CONFIG, Clock, Neo4jService, SchemaService],
    };
  }
}
