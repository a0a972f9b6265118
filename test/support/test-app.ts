import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createApp, jsonLogger } from '../../src/app.factory';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { Role } from '../../src/auth/roles';
import { loadConfig } from '../../src/common/config/app-config';
import { closeGracefully } from '../../src/common/http/graceful-shutdown';

export interface GraphqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: INestApplication;
  url: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphqlResponse<T>>;
  /** The admin key every request sends unless headers say otherwise. */
  adminKey: string;
  /** Creates a key with the role (unique name) and returns its Authorization header. */
  authAs(role: Role, sources?: string[]): Promise<Record<string, string>>;
  /** Like gql, but fails the test when the answer has errors. */
  gqlOk<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  close(): Promise<void>;
}

/** A unique key prefix per test file, so tests share one database without seeing each other's data. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}:`;
}

/** The real application on a random port, talking to the test Neo4j. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, PORT: '0', SVCMAP_SEED: '', ...env });
  const app = await createApp(config, jsonLogger(['error']));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const keys = app.get(ApiKeysService);
  const createKey = async (role: Role, sources?: string[]) =>
    (await keys.create({ name: `test-${role.toLowerCase()}-${randomBytes(6).toString('hex')}`, role, sources }, { name: 'test', person: true })).secret;
  const adminKey = await createKey(Role.ADMIN);
  const gql = async <T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphqlResponse<T>;
    return { ...body, status: response.status };
  };
  return {
    app,
    url,
    gql,
    adminKey,
    authAs: async (role, sources) => ({ authorization: `Bearer ${await createKey(role, sources)}` }),
    gqlOk: async <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
      const result = await gql<T>(query, variables, headers);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as T;
    },
    close: () => closeGracefully(app),
  };
}
