import { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/common/config/app-config';
import { Role } from '../../src/auth/roles';
import { JsonLogger } from '../../src/common/logging/json-logger';
import { TestApp, startTestApp } from '../support/test-app';

/** `ci { dependencies { provider { ... } } }` nested `levels` times: depth 2 * levels + 2. */
function deepQuery(levels: number): string {
  return `query TooDeep { ci(key: "x") { ${'dependencies { provider { '.repeat(levels)}key${' } }'.repeat(levels)} } }`;
}

// cis 1 + edges (1 + n x node (1 + dependencies (1 + 10 x provider (1 + dependencies (1 + 10 x provider 1))))) = 2 + 122 n
const PAGE_WITH_NEIGHBOURS = `query Neighbours($n: Int) { cis(first: $n) { edges { node { key
  dependencies { provider { dependencies { provider { key } } } } } } } }`;

describe('operating svcmap', () => {
  let t: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    auth = { authorization: `Bearer ${t.adminKey}` };
  });
  afterAll(() => t.close());

  describe('GET /metrics', () => {
    it('answers Prometheus text with process, HTTP, GraphQL and Neo4j metrics after a GraphQL call', async () => {
      await t.gqlOk('query OpsProbe { cis(first: 1) { totalCount } }');
      const response = await fetch(`${t.url}/metrics`, { headers: await t.authAs(Role.READER) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await response.text();
      for (const name of [
        'svcmap_process_resident_memory_bytes',
        'svcmap_process_cpu_seconds_total',
        'svcmap_nodejs_eventloop_lag_seconds',
        'svcmap_http_requests_total',
        'svcmap_graphql_operations_total',
        'svcmap_graphql_operation_duration_seconds',
        'svcmap_neo4j_query_duration_seconds',
        'svcmap_sync_runs_total',
        'svcmap_sync_items_total',
        'svcmap_alerts_received_total',
      ]) {
        expect(text).toContain(`# TYPE ${name} `);
      }
      expect(text).toMatch(/^svcmap_graphql_operations_total\{operation="OpsProbe",type="query",outcome="success"\} 1$/m);
      expect(text).toMatch(/^svcmap_graphql_operation_duration_seconds_count\{operation="OpsProbe",type="query"\} 1$/m);
      expect(text).toMatch(/^svcmap_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+$/m);
      expect(text).toMatch(/^svcmap_neo4j_query_duration_seconds_count\{query="[\w.]+",mode="READ",outcome="success"\} \d+$/m);
      expect(text).toContain('# HELP svcmap_sync_items_total ');
    });

    it('labels routes by their pattern and unknown paths as "unmatched"', async () => {
      await fetch(`${t.url}/health/live`);
      await fetch(`${t.url}/no/such/path/${Date.now()}`);
      const text = await (await fetch(`${t.url}/metrics`, { headers: auth })).text();
      expect(text).toMatch(/^svcmap_http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+$/m);
      expect(text).toMatch(/^svcmap_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$/m);
      expect(text).not.toContain('/no/such/path');
    });

    it('needs an API key', async () => {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    });
  });

  describe('query limits', () => {
    it('refuse a query nested deeper than SVCMAP_MAX_QUERY_DEPTH (10) before running it', async () => {
      const result = await t.gql(deepQuery(5));
      expect(result.status).toBe(400);
      expect(result.data).toBeUndefined();
      expect(result.errors).toEqual([
        {
          message: 'Query depth 12 exceeds the maximum of 10',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'BAD_USER_INPUT', limit: 'depth', value: 12, maximum: 10, requestId: expect.any(String) },
        },
      ]);
      // Depth 10 (and an affordable cost) runs.
      const tenDeep = '{ cis(first: 1) { edges { node { dependencies { provider { dependencies { provider { dependencies { provider { key } } } } } } } } } }';
      expect(Array.isArray((await t.gqlOk(tenDeep)).cis.edges)).toBe(true);
    });

    it('refuse a query whose estimated cost exceeds SVCMAP_MAX_QUERY_COST (10,000), reading `first` from the variables', async () => {
      // Run it first with a small page, so Apollo has the document validated and cached: the cost must still be checked.
      await t.gqlOk(PAGE_WITH_NEIGHBOURS, { n: 5 });
      const result = await t.gql(PAGE_WITH_NEIGHBOURS, { n: 500 });
      expect(result.status).toBe(400);
      expect(result.errors).toEqual([
        {
          message: 'Estimated query cost 61002 exceeds the maximum of 10000',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'BAD_USER_INPUT', limit: 'cost', value: 61002, maximum: 10000, requestId: expect.any(String) },
        },
      ]);
      const metrics = await (await fetch(`${t.url}/metrics`, { headers: auth })).text();
      expect(metrics).toMatch(/^svcmap_graphql_operations_total\{operation="Neighbours",type="query",outcome="rejected"\} 1$/m);
    });

    it('refuse more than SVCMAP_MAX_ALIASES (50) aliases', async () => {
      const aliases = Array.from({ length: 51 }, (_, i) => `a${i}: ci(key: "k${i}") { key }`).join(' ');
      const result = await t.gql(`{ ${aliases} }`);
      expect(result.status).toBe(400);
      expect(result.errors?.[0]).toMatchObject({
        message: 'Number of aliases 51 exceeds the maximum of 50',
        extensions: { code: 'BAD_USER_INPUT', limit: 'aliases', value: 51, maximum: 50 },
      });
    });

    it('leave the explorer introspection alone', async () => {
      const { getIntrospectionQuery } = await import('graphql');
      const result = await t.gql(getIntrospectionQuery());
      expect(result.errors).toBeUndefined();
      expect(result.data.__schema.queryType.name).toBe('Query');
    });

    it('follow the environment', async () => {
      const strict = await startTestApp({ SVCMAP_MAX_QUERY_DEPTH: '4', SVCMAP_MAX_QUERY_COST: '5', SVCMAP_MAX_ALIASES: '1' });
      try {
        const deep = await strict.gql('{ ci(key: "x") { dependencies { provider { dependencies { type } } } } }');
        expect(deep.errors?.[0].extensions).toMatchObject({ limit: 'depth', value: 5, maximum: 4 });
        const costly = await strict.gql('{ cis(first: 6) { edges { node { key } } } }');
        expect(costly.errors?.[0].extensions).toMatchObject({ limit: 'cost', value: 8, maximum: 5 });
        const aliased = await strict.gql('{ a: ci(key: "x") { key } b: ci(key: "y") { key } }');
        expect(aliased.errors?.[0].extensions).toMatchObject({ limit: 'aliases', value: 2, maximum: 1 });
      } finally {
        await strict.close();
      }
    });
  });

  describe('request bodies', () => {
    it('answer a 17 MB body with 413 and a JSON error naming the limit', async () => {
      const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(17 * 1024 * 1024) } });
      const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const requestId = response.headers.get('x-request-id');
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The request body exceeds the maximum of 16777216 bytes (SVCMAP_MAX_BODY_BYTES)',
            extensions: { code: 'LIMIT_EXCEEDED', limit: 'bodyBytes', maximum: 16777216, requestId },
          },
        ],
      });
    });

    it('answer malformed JSON with 400 and a JSON error, on /graphql and elsewhere', async () => {
      const graphql = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{"query": "{ __typename }"' });
      expect(graphql.status).toBe(400);
      expect(graphql.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await graphql.json()).toEqual({
        errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT', requestId: graphql.headers.get('x-request-id') } }],
      });

      const other = await fetch(`${t.url}/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
      expect(other.status).toBe(400);
      expect(await other.json()).toEqual({
        error: { code: 'BAD_USER_INPUT', message: 'The request body is not valid JSON', requestId: other.headers.get('x-request-id') },
      });
    });
  });

  describe('request ids', () => {
    it('are on every response and in its errors', async () => {
      const ok = await fetch(`${t.url}/health/live`);
      expect(ok.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);

      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query: '{ ci(key: "x") { noSuchField } }' }),
      });
      const body = (await response.json()) as { errors: { extensions: { code: string; requestId: string } }[] };
      expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors[0].extensions.requestId).toBe(response.headers.get('x-request-id'));

      const limited = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'caller-chosen-id-1', ...auth },
        body: JSON.stringify({ query: deepQuery(5) }),
      });
      expect(limited.headers.get('x-request-id')).toBe('caller-chosen-id-1');
      expect(((await limited.json()) as typeof body).errors[0].extensions.requestId).toBe('caller-chosen-id-1');
    });
  });
});

describe('the access log', () => {
  let app: INestApplication;
  let url: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = { stdout: (line: string) => lines.push(JSON.parse(line)), stderr: (line: string) => lines.push(JSON.parse(line)) };
    app = await createApp(loadConfig({ ...process.env, PORT: '0', SVCMAP_SEED: '' }), new JsonLogger(['log', 'warn', 'error'], sink));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('writes one JSON line per request with method, path, status, duration, request id and operation', async () => {
    const response = await fetch(`${url}/graphql?ignored=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'access-log-1' },
      body: JSON.stringify({ query: 'query WhoAmI { __typename }' }),
    });
    await response.text();
    await new Promise((resolve) => setImmediate(resolve));
    const line = lines.find((l) => l.context === 'HTTP' && l.requestId === 'access-log-1');
    expect(line).toEqual({
      time: expect.any(String),
      level: 'log',
      context: 'HTTP',
      message: 'request',
      method: 'POST',
      path: '/graphql',
      status: response.status,
      durationMs: expect.any(Number),
      requestId: 'access-log-1',
      operation: 'WhoAmI',
    });
  });

  it('leaves out health probes and metrics scrapes', async () => {
    await (await fetch(`${url}/health/live`, { headers: { 'x-request-id': 'quiet-1' } })).text();
    await (await fetch(`${url}/metrics`, { headers: { 'x-request-id': 'quiet-2' } })).text();
    await (await fetch(`${url}/nothing-here`, { headers: { 'x-request-id': 'loud-1' } })).text();
    await new Promise((resolve) => setImmediate(resolve));
    const ids = lines.filter((l) => l.context === 'HTTP').map((l) => l.requestId);
    expect(ids).toContain('loud-1');
    expect(ids).not.toContain('quiet-1');
    expect(ids).not.toContain('quiet-2');
  });
});
