import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.LIMIT_EXCEEDED]: 413,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

/**
 * Domain errors are expected outcomes, not crashes: in GraphQL they go to
 * the error formatter untouched (and unlogged); over plain HTTP they become
 * a JSON body with the same code and details.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return error;
    const response = host.switchToHttp().getResponse<Response>();
    response.status(HTTP_STATUS[error.code] ?? 500).json({ error: { code: error.code, message: error.message, ...error.details } });
    return undefined;
  }
}
