import { join, relative } from 'node:path';
import { DomainError } from '../../common/errors/domain-error';
import { ImportResult } from '../import-result';
import { KubeObject, listItemObject, loadKubernetesManifests, typedListItemKind } from './kubernetes-manifests';
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
    expect(objectKey('prod-eu', 'PersistentVolume', null, 'reports-nfs')).toBe('k8s:prod-eu/persistentvolume/reports-nfs');
    expect(objectKey('my cluster', 'Secret', 'a', 'b')).toBe('k8s:my%20cluster/a/secret/b');
  });
});

describe('typed lists', () => {
  it('name the kind of their items: the list kind without List; the generic List names none', () => {
    expect(typedListItemKind('DeploymentList')).toBe('Deployment');
    expect(typedListItemKind('PersistentVolumeList')).toBe('PersistentVolume');
    expect(typedListItemKind('List')).toBeNull();
    expect(typedListItemKind('Deployment')).toBeNull();
  });

  it('give an item without a kind the kind and apiVersion of the list, and leave any other item as it is', () => {
    const list = { apiVersion: 'apps/v1', kind: 'StatefulSetList', items: [] };
    expect(listItemObject(list, { metadata: { name: 'db' } })).toEqual({ kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: { name: 'db' } });
    expect(listItemObject(list, { apiVersion: 'apps/v1beta2', metadata: { name: 'db' } })).toEqual({
      kind: 'StatefulSet',
      apiVersion: 'apps/v1beta2',
      metadata: { name: 'db' },
    });
    expect(listItemObject({ kind: 'StatefulSetList' }, { metadata: { name: 'db' } })).toEqual({ kind: 'StatefulSet', metadata: { name: 'db' } });
    const named = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' } };
    expect(listItemObject(list, named)).toBe(named);
    const anonymous = { metadata: { name: 'db' } };
    expect(listItemObject({ apiVersion: 'v1', kind: 'List' }, anonymous)).toBe(anonymous);
    expect(listItemObject(list, 'not an object')).toBe('not an object');
  });
});

describe('Kubernetes manifests import', () => {
  const result = importManifests(['shop']);
  const P = 'k8s:prod-eu/shop';
  const PV = 'pvc-8c3f51d2-6e0a-4b7d-9f14-a2c6e8b0d432';

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
      'k8s:prod-eu/persistentvolume/reports-nfs VOLUME',
      `${P}/persistentvolumeclaim/reports VOLUME`,
      `k8s:prod-eu/persistentvolume/${PV} VOLUME`,
      `${P}/persistentvolumeclaim/exports VOLUME`,
      'k8s:prod-eu/persistentvolume/san-lun-07 VOLUME',
      `${P}/persistentvolumeclaim/ledger VOLUME`,
      `${P}/deployment/reporter KUBERNETES_WORKLOAD`,
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
    // A volume is cluster-scoped: no namespace in its key or attributes.
    expect(result.cis.find((c) => c.key === 'k8s:prod-eu/persistentvolume/reports-nfs')).toEqual({
      key: 'k8s:prod-eu/persistentvolume/reports-nfs',
      kind: 'VOLUME',
      name: 'reports-nfs',
      attributes: {
        'k8s.kind': 'PersistentVolume',
        'k8s.apiVersion': 'v1',
        storage: '500Gi',
        accessModes: ['ReadWriteMany'],
        reclaimPolicy: 'Retain',
      },
      identifiers: ['k8s-uid:2e7a4c19-5d8b-4f03-a6e1-9b0c3d5f7a21'],
    });
  });

  it('links namespaces, selectors, Ingress backends (v1 and v1beta1), claims, persistent volumes, storage classes, ConfigMaps and Secrets', () => {
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
      // Persistent volumes are cluster-scoped, like storage classes.
      'k8s:prod-eu/persistentvolume/reports-nfs -> k8s:prod-eu DEPLOYED_IN',
      `${P}/persistentvolumeclaim/reports -> ${P} DEPLOYED_IN`,
      `k8s:prod-eu/persistentvolume/${PV} -> k8s:prod-eu DEPLOYED_IN`,
      `${P}/persistentvolumeclaim/exports -> ${P} DEPLOYED_IN`,
      'k8s:prod-eu/persistentvolume/san-lun-07 -> k8s:prod-eu DEPLOYED_IN',
      `${P}/persistentvolumeclaim/ledger -> ${P} DEPLOYED_IN`,
      `${P}/deployment/reporter -> ${P} DEPLOYED_IN`,
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
      // A claim needs the volume of its spec.volumeName; storageClassName "" is no class, not the default one.
      `${P}/persistentvolumeclaim/reports -> k8s:prod-eu/persistentvolume/reports-nfs HOSTED_ON`,
      // A volume needs its storage class.
      `k8s:prod-eu/persistentvolume/${PV} -> k8s:prod-eu/storageclass/fast-ssd HOSTED_ON`,
      `${P}/persistentvolumeclaim/exports -> k8s:prod-eu/persistentvolume/${PV} HOSTED_ON`,
      `${P}/persistentvolumeclaim/exports -> k8s:prod-eu/storageclass/fast-ssd HOSTED_ON`,
      `${P}/deployment/reporter -> ${P}/persistentvolumeclaim/reports MOUNTS`,
      `${P}/deployment/reporter -> ${P}/persistentvolumeclaim/exports MOUNTS`,
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
      `${at('shop/volumes.yaml', 63)}: PersistentVolume san-lun-07 uses StorageClass san-gold, which is not in the input; no dependency created`,
      `${at('shop/volumes.yaml', 73)}: PersistentVolumeClaim shop/ledger is bound to PersistentVolume ledger-archive, which is not in the input; no dependency created`,
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

  it('reads the typed list the API server answers, whose items name neither kind nor apiVersion', () => {
    const { objects, warnings } = loadKubernetesManifests([join(FIXTURES, 'api-deployments.json')]);
    expect(warnings).toEqual([]);
    expect(objects.map((o) => `${String(o.value.apiVersion)} ${String(o.value.kind)} ${o.line}`)).toEqual(['apps/v1 Deployment 6', 'apps/v1 Deployment 33']);
    const listed = importManifests(['api-deployments.json'], 'ops');
    expect(listed.cis.map((c) => `${c.key} ${c.kind}`)).toEqual([
      'k8s:ops KUBERNETES_CLUSTER',
      'k8s:ops/payments/deployment/ledger KUBERNETES_WORKLOAD',
      'k8s:ops/payments KUBERNETES_NAMESPACE',
      'k8s:ops/payments/deployment/settlement KUBERNETES_WORKLOAD',
    ]);
    expect(listed.cis[1]).toMatchObject({
      attributes: { 'k8s.kind': 'Deployment', 'k8s.apiVersion': 'apps/v1', 'k8s.namespace': 'payments', replicas: 2 },
      identifiers: ['k8s-uid:5f0c9a1e-7b3d-4c2a-8e6f-2d4b6a8c0e11'],
    });
    // Lines inside an item still point into the file.
    expect(listed.warnings).toEqual([
      `${at('api-deployments.json', 25)}: Deployment payments/ledger refers to ConfigMap ledger-settings, which is not in the input; no dependency created`,
    ]);
  });

  it('gives the default storage class to a claim that names none, never to a volume', () => {
    const object = (value: Record<string, unknown>, line: number): KubeObject => ({ value, file: 'pv.yaml', line, lineOf: () => line });
    const mapped = mapKubernetesObjects(
      [
        object({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }, 1),
        object({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'nfs-1', namespace: 'ignored' }, spec: { capacity: { storage: '1Gi' } } }, 8),
        object({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'app' }, spec: { volumeName: 'nfs-1' } }, 15),
      ],
      { cluster: 'c' },
    );
    expect(mapped.cis.map((c) => c.key)).toEqual(['c', 'c/storageclass/gp3', 'c/persistentvolume/nfs-1', 'c/app/persistentvolumeclaim/data', 'c/app'].map((k) => `k8s:${k}`));
    expect(edges(mapped).filter((e) => e.endsWith('HOSTED_ON'))).toEqual([
      'k8s:c/app/persistentvolumeclaim/data -> k8s:c/persistentvolume/nfs-1 HOSTED_ON',
      'k8s:c/app/persistentvolumeclaim/data -> k8s:c/storageclass/gp3 HOSTED_ON',
    ]);
    expect(mapped.warnings).toEqual([]);
  });

  it('still needs a kind on each item of a generic List', () => {
    const listed = importManifests(['malformed/list-without-kinds.json'], 'ops');
    expect(listed.cis.map((c) => c.key)).toEqual(['k8s:ops', 'k8s:ops/tools/configmap/kept', 'k8s:ops/tools']);
    expect(listed.warnings).toEqual([`${at('malformed/list-without-kinds.json', 12)}: skipped a document that is not a Kubernetes object (no kind)`]);
  });

  it('is deterministic, and gives the same CIs and edges whatever the order of the files', () => {
    expect(importManifests(['shop'])).toEqual(result);
    const reversed = importManifests(['shop/volumes.yaml', 'shop/orders-db.yaml', 'shop/ingress.yaml', 'shop/cluster.yaml', 'shop/checkout.yaml', 'shop/00-namespace.yaml']);
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
