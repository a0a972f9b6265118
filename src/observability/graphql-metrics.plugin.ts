import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { MetricsService } from './metrics.service';

/**
 * Counts and times every GraphQL operation. An operation refused before it
 * ran (parse, validation or query limits) counts as outcome 'rejected'.
 */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: MetricsService) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const started = process.hrtime.bigint();
    let executed = false;
    const metrics = this.metrics;
    return {
      async executionDidStart() {
        executed = true;
      },
      async willSendResponse({ operation, operationName, request, errors }) {
        const labels = {
          operation: metrics.operationLabel(operationName ?? request.operationName),
          type: operation?.operation ?? 'unknown',
        };
        const outcome = !executed ? 'rejected' : errors?.length ? 'error' : 'success';
        metrics.graphqlOperations.inc({ ...labels, outcome });
        metrics.graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      },
    };
  }
}
