/**
 * The GraphQL client of the bench programs: one POST per operation, bearer
 * key on every request, wall-clock latency measured around the whole
 * round trip (serialisation, HTTP, execution, parsing), as a client sees it.
 */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly errors: unknown[],
  ) {
    super(message);
  }
}

export interface Timed<T> {
  data: T;
  ms: number;
}

export class GraphQLClient {
  readonly url: string;

  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.url = `${baseUrl}/graphql`;
  }

  get headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` };
  }

  /** Runs one operation; throws on HTTP or GraphQL errors (a benchmark of failures measures nothing). */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<Timed<T>> {
    const body = JSON.stringify({ query, variables });
    const started = performance.now();
    const response = await fetch(this.url, { method: 'POST', headers: this.headers, body });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GraphQLRequestError(`HTTP ${response.status}: ${text.slice(0, 300)}`, []);
    }
    if (parsed.errors?.length) {
      const first = parsed.errors[0];
      throw new GraphQLRequestError(
        `${first.extensions?.code ?? 'ERROR'}: ${first.message.slice(0, 300)}${parsed.errors.length > 1 ? ` (+${parsed.errors.length - 1} more)` : ''}`,
        parsed.errors,
      );
    }
    if (!response.ok || parsed.data === undefined) throw new GraphQLRequestError(`HTTP ${response.status}: ${text.slice(0, 300)}`, []);
    return { data: parsed.data, ms };
  }
}

export interface SchemaFields {
  queries: Set<string>;
  mutations: Set<string>;
  /** Argument names of fields of the CI type, e.g. dependents -> [first, after] once lists are paginated. */
  ciFieldArgs: Map<string, string[]>;
}

/** What the running service offers, so the suite measures operations as they land instead of failing on them. */
export async function introspect(client: GraphQLClient): Promise<SchemaFields> {
  const { data } = await client.request<{
    __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } | null };
    __type: { fields: { name: string; args: { name: string }[] }[] } | null;
  }>(
    `{ __schema { queryType { fields { name } } mutationType { fields { name } } }
       __type(name: "CI") { fields { name args { name } } } }`,
  );
  return {
    queries: new Set(data.__schema.queryType.fields.map((f) => f.name)),
    mutations: new Set((data.__schema.mutationType?.fields ?? []).map((f) => f.name)),
    ciFieldArgs: new Map((data.__type?.fields ?? []).map((f) => [f.name, f.args.map((a) => a.name)])),
  };
}
