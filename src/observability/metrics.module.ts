import { Global, Module } from '@nestjs/common';
import { QUERY_OBSERVER } from '../common/neo4j/query-observer';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Metrics for operators: GET /metrics, GraphQL and Neo4j timings. Global so
 * that any feature can inject MetricsService to count its own events, and
 * so that Neo4jService finds the QUERY_OBSERVER it reports to.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, { provide: QUERY_OBSERVER, useExisting: MetricsService }, GraphqlMetricsPlugin],
  exports: [MetricsService, QUERY_OBSERVER],
})
export class MetricsModule {}
