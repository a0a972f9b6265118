import { join, relative } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { CIKind } from '../../topology/topology.vocabulary';
import { loadBackstageCatalog } from './backstage-catalog';
import { backstageKind, mapBackstageCatalog } from './backstage-mapper';
import { parseEntityRef } from './entity-ref';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../../test/fixtures/backstage'));
const at = (file: string, line: number) => `${join(FIXTURES, file)}:${line}`;

function importCatalog(...paths: string[]) {
  const { entities, warnings } = loadBackstageCatalog(paths.map((p) => join(FIXTURES, p)));
  return mapBackstageCatalog(entities, warnings);
}

describe('parseEntityRef', () => {
  const defaults = { kind: 'api', namespace: 'shop' };

  it('fills the field default kind and the holder namespace, and ignores case', () => {
    expect(parseEntityRef('fraud-api', defaults)).toEqual({ kind: 'api', namespace: 'shop', name: 'fraud-api' });
    expect(parseEntityRef('default/Payments-API', defaults)).toEqual({ kind: 'api', namespace: 'default', name: 'payments-api' });
    expect(parseEntityRef('Component:Default/Checkout', defaults)).toEqual({ kind: 'component', namespace: 'default', name: 'checkout' });
    expect(parseEntityRef({ kind: 'Resource', name: 'db' }, defaults)).toEqual({ kind: 'resource', namespace: 'shop', name: 'db' });
  });

  it('explains references it cannot resolve', () => {
    expect(parseEntityRef('artists-db', { namespace: 'default' })).toMatch(/needs a kind/);
    expect(parseEntityRef('component:', defaults)).toBe('has an empty name');
    expect(parseEntityRef('component:/x', defaults)).toBe('has an empty namespace');
    expect(parseEntityRef(42, defaults)).toBe('a reference must be a non-empty string');
  });
});

describe('backstageKind', () => {
  it.each([
    ['component', 'service', CIKind.SERVICE],
    ['component', 'website', CIKind.APPLICATION],
    ['component', 'library', CIKind.OTHER],
    ['component', 'batch-job', CIKind.APPLICATION],
    ['component', undefined, CIKind.APPLICATION],
    ['api', 'grpc', CIKind.API],
    ['resource', 'database', CIKind.DATABASE],
    ['resource', 'postgres-database', CIKind.DATABASE],
    ['resource', 's3-bucket', CIKind.STORAGE],
    ['resource', 'kafka-topic', CIKind.QUEUE],
    ['resource', 'redis', CIKind.CACHE],
    ['resource', 'kubernetes-cluster', CIKind.KUBERNETES_CLUSTER],
    ['resource', 'cdn', CIKind.LOAD_BALANCER],
    ['resource', 'dns-zone', CIKind.DNS],
    ['resource', 'vault_secret', CIKind.SECRET],
    ['resource', 'something-else', CIKind.OTHER],
    ['system', undefined, CIKind.BUSINESS_SERVICE],
    ['domain', 'product-area', CIKind.BUSINESS_FUNCTION],
    ['group', 'team', null],
    ['user', undefined, null],
  ])('%s of type %s is %s', (kind, type, expected) => {
    expect(backstageKind({ kind, spec: type ? { type } : {} })).toBe(expected);
  });
});

describe('Backstage catalog import', () => {
  const result = importCatalog('catalog-info.yaml');

  it('follows Locations (relative, patterns, itself) and maps every CI kind with owner, tags and attributes', () => {
    expect(result.cis.map((c) => [c.key, c.kind, c.name, c.owner])).toEqual([
      ['backstage:domain:default/commerce', 'BUSINESS_FUNCTION', 'Commerce', 'team-payments'],
      ['backstage:system:default/payments', 'BUSINESS_SERVICE', 'payments', 'team-payments'],
      ['backstage:api:default/payments-api', 'API', 'payments-api', 'team-payments'],
      ['backstage:resource:default/payments-db', 'DATABASE', 'payments-db', 'team-payments'],
      ['backstage:resource:default/receipts-bucket', 'STORAGE', 'receipts-bucket', 'team-payments'],
      ['backstage:component:default/payment-service', 'SERVICE', 'payment-service', 'team-payments'],
      ['backstage:component:default/checkout-web', 'APPLICATION', 'Checkout (web)', 'shop/team-shop'],
      ['backstage:component:shop/checkout-api', 'SERVICE', 'checkout-api', 'shop/team-shop'],
      ['backstage:component:shop/checkout-pricing', 'SERVICE', 'checkout-pricing', 'user:jdoe'],
      ['backstage:component:default/payments-batch', 'APPLICATION', 'payments-batch', 'team-payments'],
      ['backstage:component:default/money-lib', 'OTHER', 'money-lib', 'team-payments'],
    ]);
    const service = result.cis.find((c) => c.key === 'backstage:component:default/payment-service')!;
    expect(service).toEqual({
      key: 'backstage:component:default/payment-service',
      kind: 'SERVICE',
      name: 'payment-service',
      owner: 'team-payments',
      tags: ['java'],
      attributes: {
        'backstage.kind': 'component',
        'backstage.namespace': 'default',
        'backstage.type': 'service',
        'backstage.lifecycle': 'production',
      },
      identifiers: ['backstage-uid:6d1c9a2e-0f55-4a57-9a7e-0c3b9c4f1e21'],
    });
    expect(result.cis.find((c) => c.key === 'backstage:system:default/payments')).toMatchObject({
      description: "Takes the customer's money",
      tags: ['pci', 'tier-1'],
    });
  });

  it('points every dependency from what needs to what is needed, keeping cycles', () => {
    expect(result.dependencies.map((d) => `${d.from} -> ${d.to} ${d.type} ${d.strength}`)).toEqual([
      'backstage:domain:default/commerce -> backstage:system:default/payments COMPOSED_OF HARD',
      'backstage:system:default/payments -> backstage:api:default/payments-api COMPOSED_OF HARD',
      'backstage:system:default/payments -> backstage:resource:default/payments-db COMPOSED_OF HARD',
      'backstage:system:default/payments -> backstage:resource:default/receipts-bucket COMPOSED_OF HARD',
      'backstage:component:default/payment-service -> backstage:resource:default/payments-db USES HARD',
      'backstage:component:default/payment-service -> backstage:resource:default/receipts-bucket USES HARD',
      'backstage:component:default/payment-service -> backstage:component:shop/checkout-api USES HARD',
      'backstage:component:default/payments-batch -> backstage:component:default/payment-service USES HARD',
      'backstage:api:default/payments-api -> backstage:component:default/payment-service HOSTED_ON HARD',
      'backstage:system:default/payments -> backstage:component:default/payment-service COMPOSED_OF HARD',
      'backstage:component:default/checkout-web -> backstage:component:shop/checkout-api USES HARD',
      'backstage:system:default/payments -> backstage:component:default/checkout-web COMPOSED_OF HARD',
      'backstage:component:shop/checkout-api -> backstage:component:default/payment-service USES HARD',
      'backstage:component:shop/checkout-api -> backstage:api:default/payments-api CALLS HARD',
      'backstage:component:shop/checkout-api -> backstage:component:shop/checkout-pricing COMPOSED_OF HARD',
      'backstage:system:default/payments -> backstage:component:default/money-lib COMPOSED_OF HARD',
    ]);
  });

  it('reports everything it did not import, with file and line', () => {
    expect(result.warnings).toEqual([
      `${at('catalog-info.yaml', 14)}: Location target https://github.com/brightcart/legacy/blob/main/catalog-info.yaml not followed: only files are read, not URLs`,
      `${at('catalog-info.yaml', 15)}: Location target ./systems/retired.yaml not found`,
      `${at('components/libraries.yaml', 24)}: skipped a document without kind; not a catalog entity`,
      `${at('org.yaml', 37)}: pipeline:default/deploy-payments skipped: kind pipeline has no CI mapping`,
      `${at('components/libraries.yaml', 15)}: component:default/payment-service is already defined at ${at('systems/payments.yaml', 51)}; this definition is skipped`,
      `${at('components/checkout.yaml', 24)}: component:shop/checkout-api spec.consumesApis: api:shop/fraud-api is not in the catalog; no dependency created`,
      `${at('components/libraries.yaml', 11)}: component:default/money-lib spec.dependsOn: 'payments-db' needs a kind here (write it as kind:name, e.g. component:artist-lookup)`,
      `${at('components/libraries.yaml', 12)}: component:default/money-lib spec.dependsOn: api:default/payments-api has kind api; this field names component or resource entities`,
    ]);
  });

  it('reads a folder, and a file reached twice only once', () => {
    const folder = importCatalog('systems');
    expect(folder.cis.map((c) => c.key)).toEqual([
      'backstage:domain:default/commerce',
      'backstage:system:default/payments',
      'backstage:api:default/payments-api',
      'backstage:resource:default/payments-db',
      'backstage:resource:default/receipts-bucket',
      'backstage:component:default/payment-service',
    ]);
    // checkout-api and payments-batch live in files not given: dangling, so warned about.
    expect(folder.warnings).toEqual([
      `${at('systems/payments.yaml', 66)}: component:default/payment-service spec.dependsOn: component:shop/checkout-api is not in the catalog; no dependency created`,
      `${at('systems/payments.yaml', 68)}: component:default/payment-service spec.dependencyOf: component:default/payments-batch is not in the catalog; no dependency created`,
    ]);
    expect(importCatalog('systems/payments.yaml', 'catalog-info.yaml').cis).toHaveLength(11);
  });

  it('refuses a file with a YAML syntax error, naming file and line', () => {
    expect(() => importCatalog('malformed/catalog-info.yaml')).toThrow(DomainError);
    try {
      importCatalog('malformed/catalog-info.yaml');
    } catch (error) {
      expect((error as DomainError).details.problems).toEqual([
        { path: at('malformed/catalog-info.yaml', 8), message: expect.stringMatching(/^YAML syntax: Flow sequence/) },
      ]);
    }
  });

  it('refuses a path that does not exist', () => {
    expect(() => importCatalog('nowhere.yaml')).toThrow(/no such file or folder/);
  });
});
