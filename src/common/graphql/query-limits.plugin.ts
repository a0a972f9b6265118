import { ApolloServerPlugin } from '@apollo/server';
import { validate } from 'graphql';
import { maxCostRule } from './query-limits';

/**
 * Applies the cost limit once Apollo knows which operation runs and with
 * which variables (`first: $n` decides the cost). It cannot be an ordinary
 * validation rule: those never see variables, and Apollo skips validation
 * for a document it has validated before.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const [error] = validate(schema, document, [maxCostRule(maxCost, request.variables, operationName)]);
          // Thrown here, the error ends the request before execution, answered with HTTP 400 (see limitError).
          if (error) throw error;
        },
      };
    },
  };
}
