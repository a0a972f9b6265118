import type { ApiError } from './errors';

/** The API answered with errors; the form that sent the request shows them. */
export class ApiErrors extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors.map((e) => e.message).join('; '));
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** Talks to the one endpoint the app uses, with the key of the session. */
export class Api {
  constructor(
    private readonly key: string,
    private readonly endpoint = '/graphql',
  ) {}

  async request<T>(operation: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
        body: JSON.stringify({ query: operation, variables }),
      });
    } catch (error) {
      throw new ApiErrors([{ message: `The service cannot be reached: ${(error as Error).message}`, extensions: { code: 'UNAVAILABLE' } }]);
    }
    let body: { data?: T; errors?: ApiError[] };
    try {
      body = await response.json();
    } catch {
      throw new ApiErrors([{ message: `Unexpected answer (HTTP ${response.status})`, extensions: { code: 'UNAVAILABLE' } }]);
    }
    if (body.errors?.length) throw new ApiErrors(body.errors);
    return body.data as T;
  }
}
