import { DomainError } from '../common/errors/domain-error';
import { parseTopologyFile } from './topology-file';

function problemsOf(text: string): { path: string; message: string }[] {
  try {
    parseTopologyFile(text, 'demo.yaml');
  } catch (error) {
    if (error instanceof DomainError) return error.details.problems as { path: string; message: string }[];
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseTopologyFile', () => {
  it('maps lower-case kinds, inline dependsOn and a separate dependency list to API inputs', () => {
    const doc = parseTopologyFile(
      `apiVersion: svcmap/v1
kind: Topology
metadata: { name: tiny }
cis:
  - key: bf:pay
    kind: business_function
    criticality: tier_1
    revenuePerHour: 1000
    dependsOn:
      - app:pay
      - { key: db:pay, type: stores_data_in, strength: soft }
  - { key: app:pay, kind: application }
  - { key: db:pay, kind: database }
dependencies:
  - { from: app:pay, to: db:pay, type: stores_data_in }
`,
      'tiny.yaml',
    );
    expect(doc.name).toBe('tiny');
    expect(doc.cis.map((c) => [c.key, c.kind])).toEqual([
      ['bf:pay', 'BUSINESS_FUNCTION'],
      ['app:pay', 'APPLICATION'],
      ['db:pay', 'DATABASE'],
    ]);
    expect(doc.cis[0].criticality).toBe('TIER_1');
    expect(doc.dependencies).toEqual([
      { from: 'bf:pay', to: 'app:pay', type: undefined, strength: undefined },
      { from: 'bf:pay', to: 'db:pay', type: 'STORES_DATA_IN', strength: 'SOFT' },
      { from: 'app:pay', to: 'db:pay', type: 'STORES_DATA_IN', strength: undefined },
    ]);
  });

  it('names file, line and field for every problem', () => {
    const problems = problemsOf(`apiVersion: svcmap/v1
cis:
  - key: svc:a
    kind: spaceship
  - key: svc:b
    kind: service
    ownr: typo
    dependsOn:
      - { key: svc:b }
`);
    expect(problems).toEqual([
      { path: 'demo.yaml:4 cis[0].kind', message: 'must be one of the CIKind values' },
      { path: expect.stringMatching(/^demo.yaml:7 cis\[1\]\.ownr$/), message: expect.stringMatching(/unknown field/) },
      { path: 'demo.yaml:9 cis[1].dependsOn[0]', message: "'svc:b' cannot depend on itself" },
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf('apiVersion: svcmap/v1\ncis:\n  - key: [unclosed\n')[0].path).toMatch(/^demo.yaml:\d+$/);
  });

  it('requires the apiVersion', () => {
    expect(problemsOf('cis: []\n')).toEqual([{ path: 'demo.yaml:1 apiVersion', message: "must be 'svcmap/v1'" }]);
  });
});
