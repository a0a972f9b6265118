import type { ErrorRequestHandler } from 'express';
import { currentRequestContext } from '../request-context/request-context';
import { ErrorCode } from './error-code';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as BodyParserError | undefined;
  return typeof candidate?.type === 'string' && typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500;
}

/**
 * Body-parser errors happen before any Nest handler runs, so Nest's filters
 * never see them and Express would answer with an HTML page. This answers
 * them as JSON instead: in the GraphQL error shape on /graphql (so GraphQL
 * clients show the message), in the `{ error }` shape of the HTTP filter elsewhere.
 */
export function bodyErrorHandler(maxBodyBytes: number): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (!isBodyParserError(error) || response.headersSent) return next(error);
    const requestId = currentRequestContext()?.requestId ?? response.getHeader('x-request-id');
    let status: number;
    let code: ErrorCode;
    let message: string;
    let details: Record<string, unknown> = {};
    if (error.type === 'entity.too.large') {
      status = 413;
      code = ErrorCode.LIMIT_EXCEEDED;
      message = `The request body exceeds the maximum of ${maxBodyBytes} bytes (SVCMAP_MAX_BODY_BYTES)`;
      details = { limit: 'bodyBytes', maximum: maxBodyBytes };
    } else if (error.type === 'entity.parse.failed') {
      status = 400;
      code = ErrorCode.BAD_USER_INPUT;
      message = 'The request body is not valid JSON';
    } else {
      status = error.status!;
      code = ErrorCode.BAD_USER_INPUT;
      message = `The request body could not be read: ${error.message}`;
    }
    const body = request.path === '/graphql'
      ? { errors: [{ message, extensions: { code, ...details, requestId } }] }
      : { error: { code, message, ...details, requestId } };
    // A client that sent an oversized body may still be sending it: close rather than read it all.
    if (status === 413) response.setHeader('connection', 'close');
    response.status(status).json(body);
  };
}
