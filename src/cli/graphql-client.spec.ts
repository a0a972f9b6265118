import { createServer } from 'node:net';
import { DomainError } from '../common/errors/domain-error';
import { GraphqlClient } from './graphql-client';

const answering = (status: number, body: string) =>
  (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;

describe('GraphqlClient', () => {
  it('posts to /graphql with the key, and returns data', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const client = new GraphqlClient({
      url: 'http://svcmap.test:3000/',
      key: 'svcmap_secret',
      fetch: (async (url: string, init: RequestInit) => {
        seen = { url, init };
        return new Response('{"data":{"me":{"name":"x"}}}', { status: 200 });
      }) as unknown as typeof fetch,
    });
    expect(await client.request('{ me { name } }')).toEqual({ me: { name: 'x' } });
    expect(seen!.url).toBe('http://svcmap.test:3000/graphql');
    expect((seen!.init.headers as Record<string, string>).authorization).toBe('Bearer svcmap_secret');
    expect(new GraphqlClient({ url: 'https://x/graphql', key: 'k' }).endpoint).toBe('https://x/graphql');
  });

  it("turns GraphQL errors into DomainErrors with the server's code, problems and request id", async () => {
    const body = JSON.stringify({
      errors: [
        {
          message: 'Invalid input: cis[0].key: must not be empty',
          extensions: { code: 'BAD_USER_INPUT', field: 'cis[0].key', problems: [{ path: 'cis[0].key', message: 'must not be empty' }], requestId: 'r-1' },
        },
      ],
      data: null,
    });
    const error = await new GraphqlClient({ url: 'http://x', key: 'k', fetch: answering(200, body) }).request('{ x }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'Invalid input: cis[0].key: must not be empty (request r-1)',
      details: { field: 'cis[0].key', problems: [{ path: 'cis[0].key', message: 'must not be empty' }] },
    });
    const forbidden = JSON.stringify({ errors: [{ message: 'needs the ARCHITECT role', extensions: { code: 'FORBIDDEN' } }] });
    await expect(new GraphqlClient({ url: 'http://x', key: 'k', fetch: answering(200, forbidden) }).request('{ x }')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { problems: [] },
    });
  });

  it('says what went wrong when the answer is not GraphQL or nobody answers', async () => {
    await expect(new GraphqlClient({ url: 'http://x', key: 'k', fetch: answering(502, '<html>Bad gateway</html>') }).request('{ x }')).rejects.toThrow(
      'http://x/graphql answered HTTP 502 with something that is not GraphQL: <html>Bad gateway</html>',
    );
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    await expect(new GraphqlClient({ url: `http://127.0.0.1:${port}`, key: 'k' }).request('{ x }')).rejects.toThrow(
      `cannot reach svcmap at http://127.0.0.1:${port}/graphql: ECONNREFUSED`,
    );
  });
});
