import { join, relative } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { ImportResult } from '../import-result';
import { loadKubernetesManifests } from './kubernetes-manifests';
import { mapKubernetesObjects, objectKey } from './kubernetes-mapper';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../../test/fixtures/kubernetes'));
const at = (file: string, line: number) => `${join(FIXTURES, file)}:${line}`;

function importManifests(paths: string[], cluster = 'prod-eu'): ImportResult {
  const { objects, warnings } = loadKubernetesManifests(paths.map((p) => join(FIXTURES, p)));
  const result = mapKubernetesObjects(objects, { cluster });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

const edges = (result: ImportResult) => result.dependencies.map((d) => `${d.from} -> ${d.to} ${d.type}${d.strength === 'SOFT' ? ' SOFT' : ''}`);

describe('objectKey', () => {
  it('names namespaced objects by cluster, namespace, kind and name, cluster-scoped ones without a namespace', () => {
    expect(objectKey('prod-eu', 'Deployment', 'shop', 'checkout')).toBe('k8s:prod-eu/shop/deployment/checkout');
    expect(objectKey('prod-eu', 'StorageClass', null, 'fast-ssd')).toBe('k8s:prod-eu/storageclass/fast-ssd');
    expect(objectKey('my cluster', 'Secret', 'a', 'b')).toBe('k8s:my%20cluster/a/secret/b');
  });
});

describe('Kubernetes manifests import', () => {
  const result = importManifests(['shop']);
  const P = 'k8s:prod-eu/shop';

  it('makes the cluster, its namespaces (declared or only used) and every supported object a CI', () => {
    expect(result.cis.map((c) => `${c.key} ${c.kind}`)).toEqual([
      'k8s:prod-eu KUBERNETES_CLUSTER',
      `${P} KUBERNETES_NAMESPACE`,
      `${P}/deployment/checkout KUBERNETES_WORKLOAD`,
      `${P}/service/checkout KUBERNETES_WORKLOAD`,
      `${P}/configmap/checkout-config CONFIG`,
      `${P}/secret/checkout-db SECRET`,
      `${P}/service/old-promo KUBERNETES_WORKLOAD`,
      'k8s:prod-eu/storageclass/fast-ssd STORAGE',
      'k8s:prod-eu/storageclass/standard STORAGE',
      'k8s:prod-eu/default/deployment/hello KUBERNETES_WORKLOAD',
      'k8s:prod-eu/default KUBERNETES_NAMESPACE',
      'k8s:prod-eu/monitoring/daemonset/node-exporter KUBERNETES_WORKLOAD',
      'k8s:prod-eu/monitoring KUBERNETES_NAMESPACE',
      `${P}/ingress/shop LOAD_BALANCER`,
      `${P}/secret/shop-tls SECRET`,
      `${P}/ingress/legacy LOAD_BALANCER`,
      `${P}/statefulset/orders-db KUBERNETES_WORKLOAD`,
      `${P}/service/orders-db KUBERNETES_WORKLOAD`,
      `${P}/persistentvolumeclaim/data-orders-db-0 VOLUME`,
      `${P}/persistentvolumeclaim/data-orders-db-1 VOLUME`,
      `${P}/persistentvolumeclaim/uploads VOLUME`,
      `${P}/persistentvolumeclaim/archive VOLUME`,
      `${P}/deployment/uploader KUBERNETES_WORKLOAD`,
      `${P}/secret/uploader-keys SECRET`,
    ]);
    expect(result.cis[1].identifiers).toEqual(['k8s-uid:0b8f3c52-6a0e-4c1b-9d55-0f1a2b3c4d01']);
    expect(result.cis[2]).toEqual({
      key: `${P}/deployment/checkout`,
      kind: 'KUBERNETES_WORKLOAD',
      name: 'checkout',
      attributes: {
        'k8s.kind': 'Deployment',
        'k8s.apiVersion': 'apps/v1',
        'k8s.namespace': 'shop',
        replicas: 3,
        images: ['registry.example.com/shop/checkout:4.2.1'],
      },
      identifiers: ['k8s-uid:7c2d1e40-1b7a-4f0e-8c3a-2e9f5d6a7b02'],
    });
    expect(result.cis.find((c) => c.key === `${P}/ingress/shop`)!.attributes).toMatchObject({ hosts: ['shop.example.com'], ingressClassName: 'nginx' });
    expect(result.cis.find((c) => c.key === `${P}/persistentvolumeclaim/uploads`)!.attributes).toMatchObject({ storage: '200Gi' });
  });

  it('links namespaces, selectors, Ingress backends (v1 and v1beta1), claims, storage classes, ConfigMaps and Secrets', () => {
    expect(edges(result)).toEqual([
      `${P} -> k8s:prod-eu DEPLOYED_IN`,
      `${P}/deployment/checkout -> ${P} DEPLOYED_IN`,
      `${P}/service/checkout -> ${P} DEPLOYED_IN`,
      `${P}/configmap/checkout-config -> ${P} DEPLOYED_IN`,
      `${P}/secret/checkout-db -> ${P} DEPLOYED_IN`,
      `${P}/service/old-promo -> ${P} DEPLOYED_IN`,
      'k8s:prod-eu/storageclass/fast-ssd -> k8s:prod-eu DEPLOYED_IN',
      'k8s:prod-eu/storageclass/standard -> k8s:prod-eu DEPLOYED_IN',
      'k8s:prod-eu/default -> k8s:prod-eu DEPLOYED_IN',
      'k8s:prod-eu/default/deployment/hello -> k8s:prod-eu/default DEPLOYED_IN',
      'k8s:prod-eu/monitoring -> k8s:prod-eu DEPLOYED_IN',
      'k8s:prod-eu/monitoring/daemonset/node-exporter -> k8s:prod-eu/monitoring DEPLOYED_IN',
      `${P}/ingress/shop -> ${P} DEPLOYED_IN`,
      `${P}/secret/shop-tls -> ${P} DEPLOYED_IN`,
      `${P}/ingress/legacy -> ${P} DEPLOYED_IN`,
      `${P}/statefulset/orders-db -> ${P} DEPLOYED_IN`,
      `${P}/service/orders-db -> ${P} DEPLOYED_IN`,
      `${P}/persistentvolumeclaim/data-orders-db-0 -> ${P} DEPLOYED_IN`,
      `${P}/persistentvolumeclaim/data-orders-db-1 -> ${P} DEPLOYED_IN`,
      `${P}/persistentvolumeclaim/uploads -> ${P} DEPLOYED_IN`,
      `${P}/persistentvolumeclaim/archive -> ${P} DEPLOYED_IN`,
      `${P}/deployment/uploader -> ${P} DEPLOYED_IN`,
      `${P}/secret/uploader-keys -> ${P} DEPLOYED_IN`,
      // envFrom and a volume name the same ConfigMap: one dependency.
      `${P}/deployment/checkout -> ${P}/configmap/checkout-config CONFIGURED_BY`,
      `${P}/deployment/checkout -> ${P}/secret/checkout-db CONFIGURED_BY`,
      `${P}/service/checkout -> ${P}/deployment/checkout CALLS`,
      `${P}/ingress/shop -> ${P}/service/checkout CALLS`,
      `${P}/ingress/shop -> ${P}/secret/shop-tls SECURED_BY`,
      `${P}/ingress/legacy -> ${P}/service/checkout CALLS`,
      `${P}/ingress/legacy -> ${P}/service/orders-db CALLS`,
      // Claims made from volumeClaimTemplates.
      `${P}/statefulset/orders-db -> ${P}/persistentvolumeclaim/data-orders-db-0 MOUNTS`,
      `${P}/statefulset/orders-db -> ${P}/persistentvolumeclaim/data-orders-db-1 MOUNTS`,
      `${P}/service/orders-db -> ${P}/statefulset/orders-db CALLS`,
      `${P}/persistentvolumeclaim/data-orders-db-0 -> k8s:prod-eu/storageclass/fast-ssd HOSTED_ON`,
      `${P}/persistentvolumeclaim/data-orders-db-1 -> k8s:prod-eu/storageclass/fast-ssd HOSTED_ON`,
      // No storageClassName: the class annotated as the default.
      `${P}/persistentvolumeclaim/uploads -> k8s:prod-eu/storageclass/standard HOSTED_ON`,
      `${P}/deployment/uploader -> ${P}/persistentvolumeclaim/uploads MOUNTS`,
      `${P}/deployment/uploader -> ${P}/persistentvolumeclaim/archive MOUNTS`,
      `${P}/deployment/uploader -> ${P}/secret/uploader-keys CONFIGURED_BY SOFT`,
    ]);
  });

  it('reports every reference to an object that is not in the input, at its line; optional ones only when present', () => {
    expect(result.warnings).toEqual([
      `${at('shop/checkout.yaml', 17)}: Deployment shop/checkout refers to Secret regcred, which is not in the input; no dependency created`,
      `${at('shop/checkout.yaml', 65)}: Service shop/old-promo selects app=promo,version=v1, which matches no workload in the input; no dependency created`,
      `${at('shop/ingress.yaml', 22)}: Ingress shop/shop routes to Service orders-api, which is not in the input; no dependency created`,
      `${at('shop/orders-db.yaml', 21)}: StatefulSet shop/orders-db refers to Secret orders-db-admin, which is not in the input; no dependency created`,
      `${at('shop/orders-db.yaml', 73)}: PersistentVolumeClaim shop/archive uses StorageClass cold-hdd, which is not in the input; no dependency created`,
      `${at('shop/orders-db.yaml', 99)}: Deployment shop/uploader refers to PersistentVolumeClaim scratch, which is not in the input; no dependency created`,
    ]);
  });

  it('reads kubectl get -o json Lists (nested typed lists too), and counts what it does not import', () => {
    const listed = importManifests(['kubectl-get-batch.json'], 'ops');
    expect(listed.cis.map((c) => c.key)).toEqual([
      'k8s:ops',
      'k8s:ops/batch',
      'k8s:ops/batch/cronjob/nightly-report',
      'k8s:ops/batch/configmap/report-settings',
    ]);
    expect(listed.cis[2].attributes).toMatchObject({ schedule: '0 2 * * *', images: ['registry.example.com/batch/report:2.3.0'] });
    expect(edges(listed)).toEqual([
      'k8s:ops/batch -> k8s:ops DEPLOYED_IN',
      'k8s:ops/batch/cronjob/nightly-report -> k8s:ops/batch DEPLOYED_IN',
      'k8s:ops/batch/configmap/report-settings -> k8s:ops/batch DEPLOYED_IN',
      'k8s:ops/batch/cronjob/nightly-report -> k8s:ops/batch/configmap/report-settings CONFIGURED_BY',
    ]);
    expect(listed.warnings).toEqual([
      '1 Pod object not imported: kind Pod has no CI mapping',
      '1 ReplicaSet object not imported: kind ReplicaSet has no CI mapping',
      '1 Job object not imported: runs of a CronJob, which is imported instead',
    ]);
  });

  it('is deterministic, and gives the same CIs and edges whatever the order of the files', () => {
    expect(importManifests(['shop'])).toEqual(result);
    const reversed = importManifests(['shop/orders-db.yaml', 'shop/ingress.yaml', 'shop/cluster.yaml', 'shop/checkout.yaml', 'shop/00-namespace.yaml']);
    expect(new Set(reversed.cis.map((c) => c.key))).toEqual(new Set(result.cis.map((c) => c.key)));
    expect(new Set(edges(reversed))).toEqual(new Set(edges(result)));
    expect(reversed.cis.find((c) => c.key === P)!.identifiers).toEqual(['k8s-uid:0b8f3c52-6a0e-4c1b-9d55-0f1a2b3c4d01']);
  });

  it('reads a file named twice once, and warns about a second definition of the same object', () => {
    const twice = importManifests(['shop/checkout.yaml', 'shop/checkout.yaml']);
    expect(twice.warnings.filter((w) => w.includes('already defined'))).toEqual([]);
    const { objects } = loadKubernetesManifests([join(FIXTURES, 'shop/checkout.yaml')]);
    const doubled = mapKubernetesObjects([...objects, objects[1]], { cluster: 'c' });
    expect(doubled.warnings).toContain(
      `${at('shop/checkout.yaml', 34)}: Service shop/checkout is already defined at ${at('shop/checkout.yaml', 34)}; this definition is skipped`,
    );
  });

  it('refuses a file with a YAML syntax error, naming file and line', () => {
    try {
      importManifests(['malformed/bad.yaml']);
      throw new Error('expected a syntax error');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details.problems).toEqual([
        { path: at('malformed/bad.yaml', 12), message: 'YAML syntax: Missing closing "quote' },
      ]);
    }
  });
});
