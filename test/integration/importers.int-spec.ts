import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../src/auth/roles';
import { main } from '../../src/cli/main';
import { Neo4jService } from '../../src/common/neo4j/neo4j.service';
import { TestApp, startTestApp } from '../support/test-app';

const FIXTURES = join(__dirname, '../fixtures');
const unique = () => randomBytes(4).toString('hex');

interface Run {
  code: number;
  out: string[];
  err: string;
}

describe('svcmap import (end to end through the CLI and the sync API)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  // The Kubernetes uids and Terraform ids in the fixtures are fixed: CIs one run leaves behind
  // would be identified as the next run's (same identifiers, another cluster or stack), so each
  // run deletes what its imports created.
  const imported: string[] = [];
  afterAll(async () => {
    await t.app.get(Neo4jService).write('test.cleanup', (tx) =>
      tx.run('UNWIND $prefixes AS p MATCH (n:CI) WHERE n.key STARTS WITH p DETACH DELETE n', { prefixes: imported }),
    );
    await t.close();
  });

  async function run(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      const code = await main([...argv, '--url', t.url, '--quiet', ...(argv.includes('--key') ? [] : ['--key', t.adminKey])], (line) => void out.push(line));
      return { code, out, err: err.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  const report = (result: Run) => {
    expect(result.code).toBe(0);
    return JSON.parse(result.out.join('\n')) as {
      source: string;
      cis: Record<string, number>;
      dependencies: Record<string, number>;
      warnings: string[];
    };
  };

  async function ci(key: string) {
    const data = await t.gqlOk<{ ci: { key: string; kind: string; name: string; owner: string | null; status: string; attributes: Record<string, unknown>; dependencies: { type: string; strength: string; provider: { key: string } }[] } | null }>(
      `query ($key: String!) { ci(key: $key) { key kind name owner status attributes dependencies { type strength provider { key } } } }`,
      { key },
    );
    return data.ci;
  }

  const needs = async (key: string) => (await ci(key))!.dependencies.map((d) => `${d.provider.key} ${d.type} ${d.strength}`).sort();

  it('imports a Backstage catalog, following Locations, and re-importing it changes nothing', async () => {
    const source = `backstage:it-${unique()}`;
    const first = report(await run('import', 'backstage', join(FIXTURES, 'backstage/catalog-info.yaml'), '--source', source, '--json'));
    expect(first.source).toBe(source);
    expect(first.cis.created + first.cis.updated + first.cis.unchanged + first.cis.revived).toBe(11);
    expect(first.warnings).toHaveLength(8);

    expect(await ci('backstage:component:default/payment-service')).toMatchObject({ kind: 'SERVICE', owner: 'team-payments', status: 'ACTIVE' });
    expect(await needs('backstage:component:default/payment-service')).toEqual([
      'backstage:component:shop/checkout-api USES HARD',
      'backstage:resource:default/payments-db USES HARD',
      'backstage:resource:default/receipts-bucket USES HARD',
    ]);
    expect(await needs('backstage:api:default/payments-api')).toEqual(['backstage:component:default/payment-service HOSTED_ON HARD']);
    expect(await needs('backstage:domain:default/commerce')).toEqual(['backstage:system:default/payments COMPOSED_OF HARD']);

    const again = report(await run('import', 'backstage', join(FIXTURES, 'backstage/catalog-info.yaml'), '--source', source, '--json'));
    expect(again.cis).toMatchObject({ created: 0, updated: 0, unchanged: 11, markedStale: 0 });
    expect(again.dependencies).toMatchObject({ created: 0, updated: 0, unchanged: 16, markedStale: 0 });
  });

  it('imports Kubernetes manifests in small batches, and a later, smaller snapshot marks what is gone stale', async () => {
    const cluster = `it-${unique()}`;
    imported.push(`k8s:${cluster}`);
    const P = `k8s:${cluster}/shop`;
    const first = report(await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/shop'), '--cluster', cluster, '--batch-size', '7', '--json'));
    expect(first.source).toBe(`k8s:${cluster}`);
    expect(first.cis).toMatchObject({ created: 31, markedStale: 0 });
    expect(first.dependencies).toMatchObject({ created: 52 });
    expect(first.warnings).toHaveLength(8);

    expect(await ci(`k8s:${cluster}`)).toMatchObject({ kind: 'KUBERNETES_CLUSTER' });
    expect(await needs(`${P}/service/checkout`)).toEqual([`${P} DEPLOYED_IN HARD`, `${P}/deployment/checkout CALLS HARD`]);
    expect(await needs(`${P}/ingress/legacy`)).toEqual([`${P} DEPLOYED_IN HARD`, `${P}/service/checkout CALLS HARD`, `${P}/service/orders-db CALLS HARD`]);
    expect(await needs(`${P}/deployment/uploader`)).toEqual([
      `${P} DEPLOYED_IN HARD`,
      `${P}/persistentvolumeclaim/archive MOUNTS HARD`,
      `${P}/persistentvolumeclaim/uploads MOUNTS HARD`,
      `${P}/secret/uploader-keys CONFIGURED_BY SOFT`,
    ]);
    // Claim -> the persistent volume it is bound to -> its storage class; volumes are cluster-scoped.
    const C = `k8s:${cluster}`;
    const PV = `${C}/persistentvolume/pvc-8c3f51d2-6e0a-4b7d-9f14-a2c6e8b0d432`;
    expect(await ci(PV)).toMatchObject({ kind: 'VOLUME', attributes: { 'k8s.kind': 'PersistentVolume', storage: '20Gi', reclaimPolicy: 'Delete' } });
    expect(await needs(`${P}/persistentvolumeclaim/exports`)).toEqual([`${PV} HOSTED_ON HARD`, `${P} DEPLOYED_IN HARD`, `${C}/storageclass/fast-ssd HOSTED_ON HARD`]);
    expect(await needs(PV)).toEqual([`${C} DEPLOYED_IN HARD`, `${C}/storageclass/fast-ssd HOSTED_ON HARD`]);
    expect(await needs(`${P}/persistentvolumeclaim/reports`)).toEqual([`${C}/persistentvolume/reports-nfs HOSTED_ON HARD`, `${P} DEPLOYED_IN HARD`]);
    expect(await needs(`${P}/persistentvolumeclaim/ledger`)).toEqual([`${P} DEPLOYED_IN HARD`]);

    const smaller = report(
      await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/shop/00-namespace.yaml'), join(FIXTURES, 'kubernetes/shop/checkout.yaml'), '--cluster', cluster, '--json'),
    );
    expect(smaller.cis).toMatchObject({ created: 0, unchanged: 7, markedStale: 24 });
    expect(await ci(`${P}/deployment/uploader`)).toMatchObject({ status: 'STALE' });
    expect(await ci(`${P}/deployment/checkout`)).toMatchObject({ status: 'ACTIVE' });

    const back = report(await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/shop'), '--cluster', cluster, '--json'));
    expect(back.cis).toMatchObject({ created: 0, revived: 24, markedStale: 0 });
    expect(await ci(`${P}/deployment/uploader`)).toMatchObject({ status: 'ACTIVE' });
    expect(await ci(PV)).toMatchObject({ status: 'ACTIVE' });
  });

  it('imports Terraform state with modules, count and for_each, and prints the report', async () => {
    const stack = `it-${unique()}`;
    imported.push(`terraform:${stack}`);
    const result = await run('import', 'terraform', join(FIXTURES, 'terraform/app/terraform.tfstate'), '--stack', stack);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(new RegExp(`^sync \\S+ of terraform:${stack} committed at \\S+ in \\d+ ms$`));
    expect(result.out.slice(1)).toEqual([
      '  CIs:          16 created, 0 updated, 0 unchanged, 0 marked stale, 0 revived',
      '  dependencies: 17 created, 0 updated, 0 unchanged, 0 marked stale, 0 revived',
      '2 warnings (on stderr)',
    ]);
    expect(result.err).toContain('warning: 1 deposed object not imported');

    const T = `terraform:${stack}`;
    expect(await ci(`${T}/module.web["eu"].aws_instance.server[1]`)).toMatchObject({
      kind: 'VM',
      name: 'web-eu-1',
      attributes: { 'terraform.tainted': true, region: 'eu-west-1' },
    });
    expect(await needs(`${T}/aws_lb.front`)).toEqual([
      `${T}/module.web["eu"].aws_instance.server[0] USES HARD`,
      `${T}/module.web["eu"].aws_instance.server[1] USES HARD`,
      `${T}/module.web["eu"].aws_security_group.this USES HARD`,
      `${T}/module.web["us"].aws_instance.server[0] USES HARD`,
      `${T}/module.web["us"].aws_security_group.this USES HARD`,
    ]);
    // A cycle is stored as it is.
    expect(await needs(`${T}/aws_security_group.app`)).toEqual([`${T}/aws_security_group.db USES HARD`]);
    expect(await needs(`${T}/aws_security_group.db`)).toEqual([`${T}/aws_security_group.app USES HARD`]);
  });

  it('refuses input it cannot read with file and line, exits 1, and writes nothing', async () => {
    const cluster = `it-${unique()}`;
    const folder = mkdtempSync(join(tmpdir(), 'svcmap-import-'));
    writeFileSync(join(folder, 'a-good.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fine, namespace: ns }\n');
    writeFileSync(join(folder, 'b-bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n');
    const bad = await run('import', 'kubernetes', folder, '--cluster', cluster);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(new RegExp(`svcmap: BAD_USER_INPUT: \\n  ${join(folder, 'b-bad.yaml')}:\\d+: YAML syntax: `));
    expect(await ci(`k8s:${cluster}/ns/configmap/fine`)).toBeNull();
    expect(await ci(`k8s:${cluster}`)).toBeNull();

    const old = await run('import', 'terraform', join(FIXTURES, 'terraform/malformed/legacy-v3.tfstate'));
    expect(old.code).toBe(1);
    expect(old.err).toContain('state format version 3 is not supported; svcmap reads format version 4');

    const yaml = await run('import', 'backstage', join(FIXTURES, 'backstage/malformed/catalog-info.yaml'));
    expect(yaml.code).toBe(1);
    expect(await ci('backstage:component:default/half-written')).toBeNull();
  });

  it("shows the server's refusal (code and reason), exits 1, and leaves the map as it was", async () => {
    const header = await t.authAs(Role.DISCOVERY, ['aws:*']);
    const key = header.authorization.replace(/^Bearer /, '');
    const cluster = `it-${unique()}`;
    imported.push(`k8s:${cluster}`);
    const refused = await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/kubectl-get-batch.json'), '--cluster', cluster, '--key', key);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/svcmap: FORBIDDEN: /);
    expect(await ci(`k8s:${cluster}`)).toBeNull();

    const allowed = await t.authAs(Role.DISCOVERY, ['k8s:*']);
    const ok = await run('import', 'kubernetes', join(FIXTURES, 'kubernetes/kubectl-get-batch.json'), '--cluster', cluster, '--key', allowed.authorization.replace(/^Bearer /, ''));
    expect(ok.code).toBe(0);
    expect(await ci(`k8s:${cluster}/batch/cronjob/nightly-report`)).toMatchObject({ kind: 'KUBERNETES_WORKLOAD' });
  });
});
