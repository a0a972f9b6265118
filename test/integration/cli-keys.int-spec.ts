import { main } from '../../src/cli/main';
import { TestApp, startTestApp } from '../support/test-app';

describe('svcmap keys (CLI)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function run(...argv: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await main(argv, (line) => void lines.push(line));
    return { code, lines };
  }

  it('creates a key that the API accepts, lists it, and revokes it', async () => {
    const name = `cli-${Date.now()}`;
    const created = await run('keys', 'create', '--name', name, '--role', 'discovery', '--sources', 'aws:*,k8s:prod');
    expect(created.code).toBe(0);
    const secret = /secret \(shown only now\): (\S+)/.exec(created.lines.join('\n'))![1];
    const me = await t.gqlOk('{ me { name role sources } }', {}, { authorization: `Bearer ${secret}` });
    expect(me.me).toEqual({ name, role: 'DISCOVERY', sources: ['aws:*', 'k8s:prod'] });

    const listed = await run('keys', 'list');
    expect(listed.lines.some((l) => l.startsWith(`${name}\tDISCOVERY\taws:*,k8s:prod`))).toBe(true);

    expect((await run('keys', 'revoke', name)).code).toBe(0);
    expect((await run('keys', 'list')).lines.some((l) => l.startsWith(name))).toBe(false);
    expect((await run('keys', 'list', '--all')).lines.some((l) => l.startsWith(name))).toBe(true);
  });

  it('exits 1 naming the field for a bad role, and 2 for wrong usage', async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (errors.push(String(chunk)), true));
    try {
      expect((await run('keys', 'create', '--name', 'x1', '--role', 'boss')).code).toBe(1);
      expect(errors.join('')).toMatch(/role: must be one of READER, ARCHITECT, DISCOVERY, ADMIN/);
      expect((await run('keys', 'fly')).code).toBe(2);
      expect((await run('nothing')).code).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
