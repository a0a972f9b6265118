import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { currentRequestContext } from '../request-context/request-context';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';

const logger = new Logger('GraphQLErrors');

/** Codes that graphql-js and Apollo assign to malformed requests; they are safe to pass on. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  503: ErrorCode.UNAVAILABLE,
};

/**
 * The single place where failures become GraphQL errors: domain errors keep
 * their code and details, request errors pass through, and anything else is
 * logged with the request id and answered with a generic message.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const requestId = currentRequestContext()?.requestId;
  const original = error instanceof GraphQLError ? error.originalError ?? error : error;
  const base = { locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { ...original.details, code: original.code, requestId } };
  }
  if (original instanceof HttpException && HTTP_STATUS_CODES[original.getStatus()]) {
    return { ...base, message: original.message, extensions: { code: HTTP_STATUS_CODES[original.getStatus()], requestId } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && REQUEST_ERROR_CODES.has(code)) {
    const { stacktrace: _hidden, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions: { ...extensions, requestId } };
  }
  // graphql-js reports input coercion failures (wrong types, unknown enum values) without a code.
  if (!code && error instanceof GraphQLError && !error.originalError) {
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT, requestId } };
  }
  logger.error(
    { message: 'Unhandled error in GraphQL operation', requestId, error: (original as Error)?.message, stack: (original as Error)?.stack },
  );
  return {
    ...base,
    message: `Internal server error; quote request id ${requestId ?? 'unknown'} when reporting it`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
