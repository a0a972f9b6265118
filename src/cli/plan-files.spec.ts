import { join, relative } from 'node:path';
import { DomainError } from '../common/errors/domain-error';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadTopologySources } from './plan-files';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../test/fixtures/topology'));
const fixture = (path: string) => join(FIXTURES, path);

function problemsOf(paths: string[]): { path: string; message: string }[] {
  try {
    loadTopologySources(paths);
  } catch (error) {
    if (error instanceof DomainError) return error.details.problems as { path: string; message: string }[];
    throw error;
  }
  throw new Error('expected the files to be refused');
}

describe('loadTopologySources', () => {
  it('merges files of the same metadata.name into one source, and names a file without one after the file', () => {
    const sources = loadTopologySources([fixture('shop'), fixture('standalone.yaml')]);
    expect(sources.map((s) => [s.source, s.files, s.cis.map((c) => c.key), s.dependencies.length])).toEqual([
      [
        'topology-file:shop',
        [fixture('shop/data.yaml'), fixture('shop/services.yaml')],
        ['db:shop-carts', 'bf:shop-checkout', 'app:shop-web', 'svc:shop-cart', 'svc:shop-recommendations'],
        // svc:shop-cart -> db:shop-carts is written in both files, the same way: kept once.
        4,
      ],
      ['topology-file:standalone', [fixture('standalone.yaml')], ['ext:card-network'], 0],
    ]);
    expect(sources[0].cis[0]).toMatchObject({ kind: 'DATABASE', attributes: { engine: 'postgres', version: '16' } });
  });

  it('reports a key defined twice for one source and a dependency written two ways, with file and line', () => {
    expect(problemsOf([fixture('malformed/duplicate-a.yaml'), fixture('malformed/duplicate-b.yaml')])).toEqual([
      {
        path: `${fixture('malformed/duplicate-b.yaml')}:5`,
        message: `key 'svc:same' is already defined at ${fixture('malformed/duplicate-a.yaml')}:4 (source topology-file:twice)`,
      },
      {
        path: `${fixture('malformed/duplicate-b.yaml')}:7 dependencies[0]`,
        message: `dependency svc:other -> svc:same is written as uses/soft here and as calls/hard at ${fixture('malformed/duplicate-a.yaml')}:5 (source topology-file:twice)`,
      },
    ]);
  });

  it('names the line of both places when one file writes a dependency twice, and keeps where each dependency is written', () => {
    const folder = mkdtempSync(join(tmpdir(), 'svcmap-plan-files-'));
    const file = join(folder, 'twice.yaml');
    writeFileSync(
      file,
      `apiVersion: svcmap/v1
cis:
  - key: svc:a
    kind: service
    dependsOn:
      - svc:b
  - { key: svc:b, kind: service }
dependencies:
  - { from: svc:a, to: svc:b, strength: soft }
`,
    );
    expect(problemsOf([file])).toEqual([
      { path: `${file}:9 dependencies[0]`, message: `dependency svc:a -> svc:b is written as uses/soft here and as uses/hard at ${file}:6 (source topology-file:twice)` },
    ]);
    const [shop] = loadTopologySources([fixture('shop')]);
    expect(shop.dependencies.map((d, i) => `${d.from} -> ${d.to} @ ${shop.dependencyLocations[i].file}:${shop.dependencyLocations[i].line} ${shop.dependencyLocations[i].path}`)).toEqual([
      `svc:shop-cart -> db:shop-carts @ ${fixture('shop/data.yaml')}:13 dependencies[0]`,
      `bf:shop-checkout -> app:shop-web @ ${fixture('shop/services.yaml')}:14 cis[0].dependsOn[0]`,
      `app:shop-web -> svc:shop-cart @ ${fixture('shop/services.yaml')}:21 cis[1].dependsOn[0]`,
      `app:shop-web -> svc:shop-recommendations @ ${fixture('shop/services.yaml')}:22 cis[1].dependsOn[1]`,
    ]);
  });

  it('reports the problems of every file at once, and paths that do not exist', () => {
    expect(problemsOf([fixture('malformed/bad-kind.yaml'), fixture('standalone.yaml')])).toEqual([
      { path: `${fixture('malformed/bad-kind.yaml')}:5 cis[0].kind`, message: 'must be one of the CIKind values' },
    ]);
    expect(problemsOf([fixture('nowhere.yaml')])).toEqual([{ path: fixture('nowhere.yaml'), message: 'no such file or folder' }]);
    expect(problemsOf([])).toEqual([{ path: '-f', message: 'name at least one topology file or folder' }]);
  });
});
