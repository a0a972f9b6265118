import { ApolloServerPlugin } from '@apollo/server';
import { currentRequestContext } from '../request-context/request-context';

/** Records the GraphQL operation name on the request context, so logs and Neo4j's query log can name it. */
export const requestContextPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        const context = currentRequestContext();
        if (context) context.operationName = operationName ?? 'anonymous';
      },
    };
  },
};
