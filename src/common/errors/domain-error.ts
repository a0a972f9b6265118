import { ErrorCode } from './error-code';

/** One problem with one input field, e.g. `{ path: 'input[3].key', message: 'must not contain whitespace' }`. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * A failure the caller can act on. Services throw these; the GraphQL error
 * formatter and the HTTP exception filter turn them into responses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badInput(problems: FieldProblem[]): DomainError {
    const summary = problems
      .slice(0, 10)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ');
    const more = problems.length > 10 ? ` (and ${problems.length - 10} more)` : '';
    return new DomainError(ErrorCode.BAD_USER_INPUT, `Invalid input: ${summary}${more}`, {
      field: problems[0]?.path,
      problems,
    });
  }

  static notFound(message: string, details: Record<string, unknown> = {}): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, message, details);
  }

  static conflict(message: string, details: Record<string, unknown> = {}): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message, details);
  }
}
