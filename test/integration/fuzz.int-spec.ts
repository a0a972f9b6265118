import { CIKind, DependencyStrength, DependencyType } from '../../src/topology/topology.vocabulary';
import { Fuzzer, INJECTIONS, prng } from '../support/fuzz';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

const REQUESTS = Number(process.env.SVCMAP_FUZZ_REQUESTS || 10_000);
const SEED = Number(process.env.SVCMAP_FUZZ_SEED || 20261126);
const CONCURRENCY = 8;

const DOCUMENTS = [
  'mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created updated unchanged } }',
  'mutation($input: [DependencyInput!]!) { upsertDependencies(input: $input) { created } }',
  'mutation($keys: [String!]!, $detach: Boolean) { deleteCIs(keys: $keys, detach: $detach) { deleted } }',
  'mutation($input: [DependencyRefInput!]!) { deleteDependencies(input: $input) { deleted } }',
  'query($key: String!) { ci(key: $key) { key name tags attributes dependencies { to } } }',
  'query($filter: CIFilterInput, $first: Int, $after: String) { cis(filter: $filter, first: $first, after: $after) { totalCount } }',
  'query($filter: ChangeFilterInput, $first: Int) { changes(filter: $filter, first: $first) { totalCount } }',
];

/**
 * Throws at the API what a careless or hostile client would: wrong types,
 * huge and hostile strings, deep nesting, broken syntax, broken JSON and
 * bytes that are not UTF-8. Whatever comes in, the answer must be a clear
 * 4xx or a GraphQL error with a code, never an internal error or a crash.
 */
describe(`fuzzing the API with ${REQUESTS} requests (seed ${SEED})`, () => {
  let t: TestApp;
  const prefix = uniquePrefix('fuzz');
  const f = new Fuzzer(prng(SEED));
  const stats = { requests: 0, ok: 0, userErrors: 0, httpErrors: new Map<number, number>(), internal: [] as string[] };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  function ciInput(): unknown {
    if (f.chance(0.1)) return f.value();
    const input: Record<string, unknown> = {
      // Keys always carry the prefix (valid or not), so nothing fuzzed lands outside this test's namespace.
      key: f.chance(0.6) ? `${prefix}${f.int(200)}` : f.chance(0.9) ? `${prefix}${f.string()}` : f.value(),
      kind: f.chance(0.85) ? f.pick(Object.values(CIKind)) : f.value(),
    };
    for (const field of ['name', 'description', 'owner', 'environment']) if (f.chance(0.4)) input[field] = f.chance(0.8) ? f.string() : f.value();
    if (f.chance(0.3)) input.tags = f.chance(0.7) ? Array.from({ length: f.int(60) }, () => f.string()) : f.value();
    if (f.chance(0.3)) input.attributes = f.value();
    if (f.chance(0.2)) input.revenuePerHour = f.value();
    if (f.chance(0.2)) input.minHealthy = f.value();
    if (f.chance(0.1)) input.expectedVersion = f.value();
    if (f.chance(0.05)) input[f.string().slice(0, 20)] = f.value();
    return input;
  }

  function variables(document: string): unknown {
    if (f.chance(0.05)) return f.value();
    if (document.includes('upsertCIs')) return { input: Array.from({ length: f.int(5) }, ciInput) };
    if (document.includes('upsertDependencies') || document.includes('deleteDependencies')) {
      return {
        input: Array.from({ length: f.int(4) }, () => ({
          from: f.chance(0.7) ? `${prefix}${f.int(200)}` : f.value(),
          to: f.chance(0.7) ? `${prefix}${f.int(200)}` : f.value(),
          type: f.chance(0.8) ? f.pick(Object.values(DependencyType)) : f.value(),
          strength: f.chance(0.8) ? f.pick(Object.values(DependencyStrength)) : f.value(),
        })),
      };
    }
    if (document.includes('deleteCIs')) return { keys: [f.chance(0.5) ? `${prefix}nope-${f.int(100)}` : f.value()], detach: f.value() };
    if (document.includes('ci(')) return { key: f.chance(0.5) ? `${prefix}${f.int(200)}` : f.value() };
    return { filter: f.chance(0.5) ? { search: f.string(), kinds: f.value(), keys: f.value(), since: f.value() } : f.value(), first: f.value(), after: f.value() };
  }

  function garbageDocument(): string {
    switch (f.int(6)) {
      case 0:
        return '{ ' + 'ci(key: "x") { dependencies { provider { '.repeat(20 + f.int(200)) + 'key' + ' } } }'.repeat(20) + ' }';
      case 1:
        return f.string();
      case 2:
        return `{ ${Array.from({ length: 200 + f.int(500) }, (_, i) => `a${i}: cis { totalCount }`).join(' ')} }`;
      case 3:
        return `query { ci(key: "${f.pick(INJECTIONS).replace(/"/g, '\\"')}") { key } }`;
      case 4:
        return 'mutation { upsertCIs(input: [{ key: 1, kind: "SERVICE" }]) { created } }';
      default:
        return `{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`;
    }
  }

  function body(): { body: string | Buffer; contentType: string } {
    const roll = f.int(100);
    if (roll < 5) return { body: Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' };
    if (roll < 10) return { body: '{"query": "{ cis { totalCount } }", ' + f.string(), contentType: 'application/json' };
    if (roll < 12) return { body: f.string(), contentType: f.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json']) };
    if (roll < 14) return { body: JSON.stringify(f.value()), contentType: 'application/json' };
    if (roll < 30) return { body: JSON.stringify({ query: garbageDocument(), variables: f.chance(0.5) ? f.value() : undefined }), contentType: 'application/json' };
    const document = f.pick(DOCUMENTS);
    return { body: JSON.stringify({ query: document, variables: variables(document) }), contentType: 'application/json' };
  }

  async function send(): Promise<void> {
    const { body: payload, contentType } = body();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${t.adminKey}`, 'apollo-require-preflight': 'true' },
      body: payload,
    });
    stats.requests++;
    const text = await response.text();
    if (response.status >= 500) stats.internal.push(`HTTP ${response.status}: ${text.slice(0, 300)}`);
    if (response.status !== 200) stats.httpErrors.set(response.status, (stats.httpErrors.get(response.status) ?? 0) + 1);
    let json: { errors?: { message: string; extensions?: { code?: string } }[]; error?: unknown };
    try {
      json = JSON.parse(text);
    } catch {
      stats.internal.push(`HTTP ${response.status} without a JSON body: ${text.slice(0, 200)}`);
      return;
    }
    if (response.status !== 200) {
      if (!json.errors && !json.error) stats.internal.push(`HTTP ${response.status} without an error description: ${text.slice(0, 200)}`);
      if (!json.errors) return;
    }
    if (!json.errors) stats.ok++;
    else stats.userErrors++;
    for (const error of json.errors ?? []) {
      if (!error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR') {
        stats.internal.push(`${error.extensions?.code ?? 'no code'}: ${error.message.slice(0, 200)} <- ${String(payload).slice(0, 300)}`);
      }
    }
  }

  it('answers every request with a clear error or a result, never an internal error', async () => {
    let issued = 0;
    const worker = async () => {
      while (issued < REQUESTS) {
        issued++;
        await send();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    process.stderr.write(
      `fuzz: ${stats.requests} requests, ${stats.ok} succeeded, ${stats.userErrors} GraphQL errors with a code, HTTP statuses ${JSON.stringify(Object.fromEntries(stats.httpErrors))}, ${stats.internal.length} internal\n`,
    );
    expect(stats.internal.slice(0, 10)).toEqual([]);
    expect(stats.requests).toBe(REQUESTS);
    expect(stats.ok).toBeGreaterThan(REQUESTS / 20);
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  }, 600_000);

  it('stores injection strings literally in every text field', async () => {
    const input = INJECTIONS.map((text, i) => ({
      key: `${prefix}inj-${i}`,
      kind: 'SERVICE',
      name: text,
      description: text,
      owner: text,
      environment: text,
      tags: [text],
      attributes: { [text]: text },
    }));
    await t.gqlOk('mutation($input: [CIInput!]!) { upsertCIs(input: $input) { created updated unchanged } }', { input });
    for (const expected of input) {
      const { ci } = await t.gqlOk('query($key: String!) { ci(key: $key) { name description owner environment tags attributes } }', { key: expected.key });
      const { key: _k, kind: _kind, ...fields } = expected;
      expect(ci).toEqual(fields);
    }
  });
});
