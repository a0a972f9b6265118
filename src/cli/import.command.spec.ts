import { createServer } from 'node:net';
import { join } from 'node:path';
import { FIXTURES, runCli } from '../../test/support/run-cli';

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const run = runCli;

describe('svcmap import (no server needed)', () => {
  it('--dry-run prints counts by kind and type and sends nothing', async () => {
    const { code, out, err } = await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/kubectl-get-batch.json'), '--cluster', 'ops', '--dry-run', '--url', 'http://127.0.0.1:1');
    expect(code).toBe(0);
    expect(out).toEqual([
      'dry run: nothing sent. Would sync source k8s:ops:',
      '4 CIs by kind:',
      '  CONFIG                      1',
      '  KUBERNETES_CLUSTER          1',
      '  KUBERNETES_NAMESPACE        1',
      '  KUBERNETES_WORKLOAD         1',
      '4 dependencies by type:',
      '  CONFIGURED_BY               1',
      '  DEPLOYED_IN                 3',
      '3 warnings (on stderr)',
    ]);
    expect(err).toContain('warning: 1 Pod object not imported: kind Pod has no CI mapping\n');
  });

  it('--dry-run --json answers JSON only on stdout, for the source and scope chosen', async () => {
    const { code, out } = await run('import', 'backstage', join(FIXTURES, 'backstage/systems'), '--dry-run', '--json', '--source', 'backstage:payments', '--scope', 'payments');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ dryRun: true, source: 'backstage:payments', scope: 'payments', cis: 6, dependencies: 8 });
  });

  it('exits 2 for wrong usage, naming what is missing', async () => {
    expect(await run('import')).toMatchObject({ code: 2 });
    expect(await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/shop'))).toMatchObject({ code: 2, err: expect.stringMatching(/needs --cluster NAME/) });
    expect(await run('import', 'ansible', 'x')).toMatchObject({ code: 2 });
    expect(await run('import', 'terraform', join(FIXTURES, 'terraform/network.tfstate'), '--batch-size', '9000')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--batch-size must be a whole number from 1 to 5000/),
    });
    const saved = process.env.SVCMAP_API_KEY;
    delete process.env.SVCMAP_API_KEY;
    try {
      expect(await run('import', 'terraform', join(FIXTURES, 'terraform/network.tfstate'))).toMatchObject({ code: 2, err: expect.stringMatching(/no API key/) });
    } finally {
      if (saved !== undefined) process.env.SVCMAP_API_KEY = saved;
    }
    expect(await run('import', 'terraform', join(FIXTURES, 'terraform/network.tfstate'), join(FIXTURES, 'terraform/app/terraform.tfstate'), '--dry-run')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/stacks network, app: import them one at a time, or name one source for all with --source/),
    });
  });

  it('exits 1 with file and line for input it cannot read, before talking to any server', async () => {
    const bad = await run('import', 'terraform', join(FIXTURES, 'terraform/malformed/legacy-v3.tfstate'), '--key', 'k', '--url', 'http://127.0.0.1:1');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      `svcmap: BAD_USER_INPUT: \n  ${join(FIXTURES, 'terraform/malformed/legacy-v3.tfstate')}: state format version 3 is not supported; svcmap reads format version 4, written by Terraform 0.12 and later (and OpenTofu)\n`,
    );
    const yaml = await run('import', 'backstage', join(FIXTURES, 'backstage/malformed'), '--key', 'k', '--url', 'http://127.0.0.1:1');
    expect(yaml.code).toBe(1);
    expect(yaml.err).toMatch(new RegExp(`${join(FIXTURES, 'backstage/malformed/catalog-info.yaml')}:8: YAML syntax`));
  });

  it('exits 1 naming the URL when svcmap cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await run('import', 'terraform', join(FIXTURES, 'terraform/network.tfstate'), '--key', 'k', '--url', url, '--quiet');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`svcmap: cannot reach svcmap at ${url}/graphql: ECONNREFUSED\n`);
  });
});
