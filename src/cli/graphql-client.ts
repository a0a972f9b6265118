import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export interface GraphqlClientOptions {
  /** Where svcmap runs, e.g. `http://localhost:3000` (`/graphql` is added unless given). */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  key: string;
  /** For tests. */
  fetch?: typeof fetch;
}

interface GraphqlErrorBody {
  message: string;
  extensions?: { code?: string; problems?: FieldProblem[]; field?: string; [name: string]: unknown };
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The CLI's way to svcmap's GraphQL API. A GraphQL error becomes a
 * DomainError with the server's code and field problems, so the CLI prints
 * it like any other; a network failure says which URL could not be reached.
 */
export class GraphqlClient {
  readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: GraphqlClientOptions) {
    const base = options.url.replace(/\/+$/, '');
    this.endpoint = /\/graphql$/.test(base) ? base : `${base}/graphql`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.key}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach svcmap at ${this.endpoint}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    let body: { data?: T | null; errors?: GraphqlErrorBody[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`${this.endpoint} answered HTTP ${response.status} with something that is not GraphQL: ${text.slice(0, 200)}`);
    }
    if (body.errors?.length) throw toDomainError(body.errors);
    if (!response.ok || body.data === undefined || body.data === null) {
      throw new Error(`${this.endpoint} answered HTTP ${response.status} without data`);
    }
    return body.data;
  }
}

function toDomainError(errors: GraphqlErrorBody[]): DomainError {
  const first = errors[0];
  const rawCode = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
  const code = (KNOWN_CODES.has(rawCode) ? rawCode : ErrorCode.INTERNAL_SERVER_ERROR) as ErrorCode;
  const problems = errors.flatMap((e) => e.extensions?.problems ?? []);
  const requestId = first.extensions?.requestId;
  const message = errors.map((e) => e.message).join('; ') + (requestId ? ` (request ${String(requestId)})` : '');
  return new DomainError(code, message, { ...first.extensions, problems });
}
