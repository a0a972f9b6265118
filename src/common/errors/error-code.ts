/**
 * The only error codes a client ever sees in `extensions.code`. Every domain
 * failure maps to one of these; anything else is reported as INTERNAL_SERVER_ERROR
 * with a correlation id and no detail.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  UNAVAILABLE = 'UNAVAILABLE',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}
