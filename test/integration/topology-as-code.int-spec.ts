import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../src/auth/roles';
import { GraphqlClient } from '../../src/cli/graphql-client';
import { runSync } from '../../src/cli/import-sync';
import { main } from '../../src/cli/main';
import { createProgress } from '../../src/cli/progress';
import { TestApp, startTestApp, uniquePrefix } from '../support/test-app';

interface Run {
  code: number;
  out: string[];
  err: string;
}

describe('svcmap plan / apply (topology as code, end to end)', () => {
  let t: TestApp;
  let p: string;
  let folder: string;
  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(() => {
    p = uniquePrefix('tac');
    folder = mkdtempSync(join(tmpdir(), 'svcmap-tac-'));
  });
  afterAll(() => t.close());

  async function run(key: string, ...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      const code = await main([...argv, '--url', t.url, '--key', key, '--quiet'], (line) => void out.push(line));
      return { code, out, err: err.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  const name = () => p.replace(/:$/, '');

  function write(file: string, cis: string, dependencies = '', sourceName = name()): string {
    const path = join(folder, file);
    writeFileSync(path, `apiVersion: svcmap/v1\nkind: Topology\nmetadata: { name: ${sourceName} }\ncis:\n${cis}${dependencies ? `dependencies:\n${dependencies}` : ''}`);
    return path;
  }

  const status = async (key: string) =>
    (await t.gqlOk<{ ci: { status: string; owner: string | null } | null }>('query ($key: String!) { ci(key: $key) { status owner } }', { key })).ci;

  it('applies files as one sync, plans nothing afterwards, and a CI taken out of the files becomes stale', async () => {
    const services = write(
      'services.yaml',
      `  - { key: ${p}app, kind: application, name: App, owner: team-a, dependsOn: [{ key: ${p}api, type: calls }] }
  - { key: ${p}api, kind: service, name: API, owner: team-a }
  - { key: ${p}old, kind: service, name: Old }
`,
    );
    write('data.yaml', `  - { key: ${p}db, kind: database, name: DB }\n`, `  - { from: ${p}api, to: ${p}db, type: stores_data_in }\n`);
    const source = `topology-file:${name()}`;

    const planned = await run(t.adminKey, 'plan', '-f', folder);
    expect(planned.code).toBe(0);
    expect(planned.out).toContain(`  + ${p}app (application "App")`);
    expect(planned.out).toContain(`  + ${p}api -> ${p}db (stores_data_in, hard)`);
    expect(await status(`${p}app`)).toBeNull();

    const applied = await run(t.adminKey, 'apply', '-f', folder);
    expect(applied.code).toBe(0);
    expect(applied.out[0]).toMatch(new RegExp(`^sync \\S+ of ${source} committed`));
    expect(applied.out[1]).toBe('  CIs:          4 created, 0 updated, 0 unchanged, 0 marked stale, 0 revived');
    expect(applied.out[2]).toBe('  dependencies: 2 created, 0 updated, 0 unchanged, 0 marked stale, 0 revived');

    const again = await run(t.adminKey, 'plan', '-f', folder);
    expect(again.out).toContain('  no changes: the map matches the files');

    // Edit: drop the old service, move the API to another team.
    write(
      'services.yaml',
      `  - { key: ${p}app, kind: application, name: App, owner: team-a, dependsOn: [{ key: ${p}api, type: calls }] }
  - { key: ${p}api, kind: service, name: API, owner: team-b }
`,
    );
    const edited = await run(t.adminKey, 'plan', '-f', services, '-f', join(folder, 'data.yaml'));
    expect(edited.code).toBe(0);
    expect(edited.out).toContain(`  ~ ${p}api: owner "team-a" -> "team-b"`);
    expect(edited.out).toContain(`  - ${p}old (no longer in the files: becomes stale unless another source reports it)`);
    expect(edited.out).toContain('  0 CIs to create, 1 to change, 1 to remove; 0 dependencies to create, 0 to change, 0 to remove');
    expect(await status(`${p}api`)).toMatchObject({ owner: 'team-a' });

    const reapplied = await run(t.adminKey, 'apply', '-f', folder);
    expect(reapplied.code).toBe(0);
    expect(reapplied.out[1]).toBe('  CIs:          0 created, 1 updated, 2 unchanged, 1 marked stale, 0 revived');
    expect(await status(`${p}old`)).toMatchObject({ status: 'STALE' });
    expect(await status(`${p}api`)).toMatchObject({ status: 'ACTIVE', owner: 'team-b' });
    expect((await run(t.adminKey, 'plan', '-f', folder)).out).toContain('  no changes: the map matches the files');
  });

  it('lets an ARCHITECT key apply, and refuses a READER key without writing', async () => {
    const file = write('one.yaml', `  - { key: ${p}solo, kind: service, name: Solo }\n`);
    const reader = (await t.authAs(Role.READER)).authorization.replace(/^Bearer /, '');
    const refused = await run(reader, 'apply', '-f', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/svcmap: FORBIDDEN: /);
    expect(await status(`${p}solo`)).toBeNull();

    const architect = (await t.authAs(Role.ARCHITECT)).authorization.replace(/^Bearer /, '');
    expect((await run(architect, 'apply', '-f', file)).code).toBe(0);
    expect(await status(`${p}solo`)).toMatchObject({ status: 'ACTIVE' });
  });

  it('refuses a malformed file with file, line and field, for plan and apply alike, and writes nothing', async () => {
    const file = write('bad.yaml', `  - { key: ${p}ok, kind: service }\n  - key: ${p}bad\n    kind: spaceship\n`);
    for (const command of ['plan', 'apply']) {
      const result = await run(t.adminKey, command, '-f', file);
      expect(result.code).toBe(1);
      expect(result.err).toBe(`svcmap: BAD_USER_INPUT: \n  ${file}:7 cis[1].kind: must be one of the CIKind values\n`);
    }
    expect(await status(`${p}ok`)).toBeNull();
  });

  it('refuses a dependency on a CI that exists nowhere: plan warns, apply refuses before sending anything', async () => {
    const file = write('dangling.yaml', `  - { key: ${p}a, kind: service, dependsOn: [${p}ghost] }\n`);
    const planned = await run(t.adminKey, 'plan', '-f', file);
    expect(planned.out).toContain(`  ! ${p}a -> ${p}ghost (${file}:5 cis[0].dependsOn[0]): ${p}ghost is neither in the files nor in the map; apply would be refused`);
    const applied = await run(t.adminKey, 'apply', '-f', file);
    expect(applied.code).toBe(1);
    expect(applied.err).toBe(
      `svcmap: BAD_USER_INPUT: \n  ${file}:5 cis[0].dependsOn[0]: dependency ${p}a -> ${p}ghost (source topology-file:${name()}): ${p}ghost is neither in the files nor in the map\n`,
    );
    expect(await status(`${p}a`)).toBeNull();
  });

  it('--prune removes the topology-file sources no file names (in this scope); without it they stay and plan says so', async () => {
    // A scope of its own, so that the topology-file sources of other tests are not this test's to prune.
    const scope = `scope-${name()}`;
    const [kept, dropped] = [`${name()}-kept`, `${name()}-dropped`];
    const keptFile = write('kept.yaml', `  - { key: ${p}kept, kind: service, name: Kept }\n`, '', kept);
    const droppedFile = write(
      'dropped.yaml',
      `  - { key: ${p}dropped-app, kind: application, dependsOn: [${p}dropped-db] }\n  - { key: ${p}dropped-db, kind: database }\n`,
      '',
      dropped,
    );
    expect((await run(t.adminKey, 'apply', '-f', keptFile, '-f', droppedFile, '--scope', scope)).code).toBe(0);
    const note = `1 topology-file source of scope ${scope} not given here (topology-file:${dropped}); --prune would remove it`;

    // Without --prune: the other file's CIs stay, and plan and apply say why.
    const applied = await run(t.adminKey, 'apply', '-f', keptFile, '--scope', scope);
    expect(applied.code).toBe(0);
    expect(applied.out).toContain(note);
    expect(await status(`${p}dropped-app`)).toMatchObject({ status: 'ACTIVE' });
    const planned = await run(t.adminKey, 'plan', '-f', keptFile, '--scope', scope);
    expect(planned.out).toContain(note);

    const prunePlan = await run(t.adminKey, 'plan', '-f', keptFile, '--scope', scope, '--prune');
    expect(prunePlan.code).toBe(0);
    const from = prunePlan.out.indexOf(`topology-file:${dropped} (no file given names it: --prune removes what it reports)`);
    expect(from).toBeGreaterThan(0);
    expect(prunePlan.out.slice(from + 1)).toEqual([
      `  - ${p}dropped-app (no longer in the files: becomes stale unless another source reports it)`,
      `  - ${p}dropped-db (no longer in the files: becomes stale unless another source reports it)`,
      `  - ${p}dropped-app -> ${p}dropped-db (no longer in the files: becomes stale unless another source reports it)`,
      '  0 CIs to create, 0 to change, 2 to remove; 0 dependencies to create, 0 to change, 1 to remove',
    ]);
    expect(await status(`${p}dropped-app`)).toMatchObject({ status: 'ACTIVE' });

    const pruned = await run(t.adminKey, 'apply', '-f', keptFile, '--scope', scope, '--prune');
    expect(pruned.code).toBe(0);
    expect(pruned.out[pruned.out.length - 1]).toMatch(
      new RegExp(`^pruned topology-file:${dropped} \\(scope ${scope}\\): no file given names it; sync \\S+ committed at \\S+ in \\d+ ms, 2 CIs and 1 dependency marked stale$`),
    );
    expect(await status(`${p}dropped-app`)).toMatchObject({ status: 'STALE' });
    expect(await status(`${p}dropped-db`)).toMatchObject({ status: 'STALE' });
    expect(await status(`${p}kept`)).toMatchObject({ status: 'ACTIVE' });
    // Pruned once, it reports nothing: neither the note nor --prune names it again.
    expect((await run(t.adminKey, 'plan', '-f', keptFile, '--scope', scope)).out.some((line) => line.includes(dropped))).toBe(false);
    expect((await run(t.adminKey, 'apply', '-f', keptFile, '--scope', scope, '--prune')).out.some((line) => line.includes(dropped))).toBe(false);
  });

  it('lets a topology file win over a discovery source on the owner, keeps the discovery value as overridden, and re-running both changes nothing', async () => {
    const discovery = `aws:${name()}`;
    const client = new GraphqlClient({ url: t.url, key: t.adminKey });
    const discover = () =>
      runSync(
        client,
        { source: discovery, cis: [{ key: `${p}shared`, kind: 'SERVICE', name: 'Shared', owner: 'team-b' } as { key: string }], dependencies: [] },
        { batchSize: 100, progress: createProgress(process.stderr, { quiet: true }) },
      );
    await discover();
    const file = write('shared.yaml', `  - { key: ${p}shared, kind: service, name: Shared, owner: team-a }\n`);
    expect((await run(t.adminKey, 'apply', '-f', file)).code).toBe(0);

    const read = async () =>
      (
        await t.gqlOk<{ ci: { owner: string; version: number; provenance: { overridden: { field: string; source: string; value: unknown }[] } } }>(
          'query ($key: String!) { ci(key: $key) { owner version provenance { overridden { field source value } } } }',
          { key: `${p}shared` },
        )
      ).ci;
    const settled = await read();
    expect(settled).toMatchObject({ owner: 'team-a', provenance: { overridden: [{ field: 'owner', source: discovery, value: 'team-b' }] } });

    const rediscovered = await discover();
    expect(rediscovered.cis).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const reapplied = await run(t.adminKey, 'apply', '-f', file);
    expect(reapplied.out[1]).toBe('  CIs:          0 created, 0 updated, 1 unchanged, 0 marked stale, 0 revived');
    expect(await read()).toEqual(settled);
  });
});
