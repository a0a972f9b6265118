import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { Role } from '../../src/auth/roles';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

/**
 * Every root operation of the schema, with a document that reaches its
 * resolver and the roles allowed to call it. A new operation without a row
 * here fails the completeness test, so nothing ships unguarded by omission.
 */
const ALL = [Role.READER, Role.ARCHITECT, Role.DISCOVERY, Role.ADMIN];
const EDIT = [Role.ARCHITECT, Role.ADMIN];
const ADMIN = [Role.ADMIN];
/** Syncs: the source itself is checked after the guard (DISCOVERY: its patterns, ARCHITECT: topology-file:*). */
const SYNC = [Role.ARCHITECT, Role.DISCOVERY, Role.ADMIN];

const OPERATIONS: Record<string, { document: string; roles: Role[] }> = {
  ci: { document: '{ ci(key: "auth-probe") { key } }', roles: ALL },
  cis: { document: '{ cis(first: 1) { totalCount } }', roles: ALL },
  me: { document: '{ me { name role } }', roles: ALL },
  changes: { document: '{ changes(first: 1) { totalCount } }', roles: ALL },
  blastRadius: { document: '{ blastRadius(keys: ["auth-probe"]) { score } }', roles: ALL },
  upstream: { document: '{ upstream(key: "auth-probe") { truncated } }', roles: ALL },
  serviceMap: { document: '{ serviceMap(key: "auth-probe") { truncated } }', roles: ALL },
  rootCause: { document: 'mutation { rootCause(alerts: []) { alertCount } }', roles: ALL },
  correlateAlerts: { document: 'mutation { correlateAlerts(alerts: []) { unmatched { id } } }', roles: ALL },
  prioritizeIncidents: { document: 'mutation { prioritizeIncidents(incidents: []) { id } }', roles: ALL },
  alerts: { document: '{ alerts(first: 1) { totalCount } }', roles: ALL },
  activeIncidents: { document: '{ activeIncidents { id } }', roles: ALL },
  ingestAlerts: { document: 'mutation { ingestAlerts(alerts: []) { received } }', roles: [Role.DISCOVERY, Role.ADMIN] },
  sync: { document: '{ sync(id: "auth-probe") { id } }', roles: ALL },
  sourceSyncs: { document: '{ sourceSyncs(source: "auth-probe") { source } }', roles: ALL },
  beginSync: { document: 'mutation { beginSync(source: "") { id } }', roles: SYNC },
  pushSyncBatch: { document: 'mutation { pushSyncBatch(syncId: "auth-probe") { __typename } }', roles: SYNC },
  commitSync: { document: 'mutation { commitSync(syncId: "auth-probe") { syncId } }', roles: SYNC },
  abortSync: { document: 'mutation { abortSync(syncId: "auth-probe") { id } }', roles: SYNC },
  apiKeys: { document: '{ apiKeys { name } }', roles: ADMIN },
  upsertCIs: { document: 'mutation { upsertCIs(input: []) { created } }', roles: EDIT },
  deleteCIs: { document: 'mutation { deleteCIs(keys: []) { deleted } }', roles: EDIT },
  upsertDependencies: { document: 'mutation { upsertDependencies(input: []) { created } }', roles: EDIT },
  deleteDependencies: { document: 'mutation { deleteDependencies(input: []) { deleted } }', roles: EDIT },
  createApiKey: { document: 'mutation { createApiKey(input: { name: "", role: READER }) { secret } }', roles: ADMIN },
  revokeApiKey: { document: 'mutation { revokeApiKey(name: "no-such-key-for-auth-test") { name } }', roles: ADMIN },
};

describe('API keys and roles', () => {
  let t: TestApp;
  const headers: Partial<Record<Role, Record<string, string>>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    // alerts:* lets the DISCOVERY key send alerts too (ingestAlerts checks the key's sources).
    for (const role of ALL) headers[role] = await t.authAs(role, role === Role.DISCOVERY ? ['test:*', 'alerts:*'] : undefined);
  });
  afterAll(() => t.close());

  it('has a row for every operation in the schema', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const names = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(names.filter((n) => !OPERATIONS[n]).sort()).toEqual([]);
  });

  describe.each(Object.entries(OPERATIONS))('%s', (_name, { document, roles }) => {
    it('refuses a request without a key (UNAUTHENTICATED)', async () => {
      const result = await t.gql(document, {}, { authorization: '' });
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data?.[_name] ?? null).toBeNull();
    });

    it('refuses an unknown key (UNAUTHENTICATED)', async () => {
      const result = await t.gql(document, {}, { authorization: 'Bearer svcmap_not-a-real-key-at-all-000000' });
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    const refused = ALL.filter((r) => !roles.includes(r));
    if (refused.length) {
      it.each(refused)('refuses role %s (FORBIDDEN, naming the role needed)', async (role) => {
        const result = await t.gql(document, {}, headers[role]);
        expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(result.errors?.[0].message).toContain(roles.join(' or '));
      });
    }

    it.each(roles)('lets role %s through the guard', async (role) => {
      const result = await t.gql(document, {}, headers[role]);
      for (const error of result.errors ?? []) {
        expect(['UNAUTHENTICATED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(error.extensions?.code);
      }
    });
  });

  it('keeps only a hash: the secret appears in no key property', async () => {
    const created = await t.gqlOk('mutation($n: String!) { createApiKey(input: { name: $n, role: READER }) { secret key { name role prefix } } }', {
      n: `${uniquePrefix('key').replace(/:$/, '')}`,
    });
    const secret: string = created.createApiKey.secret;
    expect(secret).toMatch(/^svcmap_/);
    expect(secret.startsWith(created.createApiKey.key.prefix)).toBe(true);
    const listed = await t.app.get(ApiKeysService).list(true);
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('a revoked key stops working', async () => {
    const name = `revoke-${Date.now()}`;
    const created = await t.gqlOk('mutation($n: String!) { createApiKey(input: { name: $n, role: READER }) { secret } }', { n: name });
    const auth = { authorization: `Bearer ${created.createApiKey.secret}` };
    expect((await t.gql('{ me { name role } }', {}, auth)).data?.me).toEqual({ name, role: 'READER' });
    await t.gqlOk('mutation($n: String!) { revokeApiKey(name: $n) { revokedAt } }', { n: name });
    expect((await t.gql('{ me { name } }', {}, auth)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a duplicate key name (CONFLICT) and a discovery key without sources', async () => {
    const name = `dup-${Date.now()}`;
    await t.gqlOk('mutation($n: String!) { createApiKey(input: { name: $n, role: READER }) { secret } }', { n: name });
    const again = await t.gql('mutation($n: String!) { createApiKey(input: { name: $n, role: READER }) { secret } }', { n: name });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const discovery = await t.gql('mutation { createApiKey(input: { name: "disco-no-sources", role: DISCOVERY }) { secret } }');
    expect(discovery.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sources' });
  });

  it('records the key name as the actor of a change', async () => {
    const key = `${uniquePrefix('actor')}svc`;
    await t.gqlOk('mutation($k: String!) { upsertCIs(input: [{ key: $k, kind: SERVICE }]) { created } }', { k: key }, headers[Role.ARCHITECT]);
    const me = await t.gqlOk('{ me { name } }', {}, headers[Role.ARCHITECT]);
    const ci = await t.gqlOk('query($k: String!) { ci(key: $k) { provenance { createdBy createdByPerson } } }', { k: key });
    expect(ci.ci.provenance).toEqual({ createdBy: me.me.name, createdByPerson: true });
  });

  it('leaves the health probes open, for load balancers', async () => {
    for (const path of ['/health', '/health/live', '/health/ready']) {
      expect((await fetch(`${t.url}${path}`)).status).toBe(200);
    }
  });
});
