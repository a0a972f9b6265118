import { Attributes } from '../../common/graphql/json-object.scalar';
import { CIKind, DependencyStrength, DependencyType } from '../../topology/topology.vocabulary';
import { ImportCollector, ImportResult, safeKey } from '../import-result';
import { isPlainObject, listAt, objectAt, stringAt } from '../yaml-documents';
import { KubeObject } from './kubernetes-manifests';

export interface KubernetesImportOptions {
  /** The cluster's name: part of every key, and a CI of its own. */
  cluster: string;
  /** Namespace of namespaced objects that do not say (kubectl's default: `default`). */
  defaultNamespace?: string;
}

/** Kinds that become CIs, and which. Anything else is counted and reported. */
const KINDS: Record<string, CIKind> = {
  Namespace: CIKind.KUBERNETES_NAMESPACE,
  Deployment: CIKind.KUBERNETES_WORKLOAD,
  StatefulSet: CIKind.KUBERNETES_WORKLOAD,
  DaemonSet: CIKind.KUBERNETES_WORKLOAD,
  Job: CIKind.KUBERNETES_WORKLOAD,
  CronJob: CIKind.KUBERNETES_WORKLOAD,
  Service: CIKind.KUBERNETES_WORKLOAD,
  Ingress: CIKind.LOAD_BALANCER,
  PersistentVolumeClaim: CIKind.VOLUME,
  PersistentVolume: CIKind.VOLUME,
  StorageClass: CIKind.STORAGE,
  ConfigMap: CIKind.CONFIG,
  Secret: CIKind.SECRET,
};

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass', 'PersistentVolume']);

export function clusterKey(cluster: string): string {
  return safeKey(`k8s:${cluster}`);
}

export function namespaceKey(cluster: string, namespace: string): string {
  return safeKey(`k8s:${cluster}/${namespace}`);
}

/** `k8s:<cluster>/<namespace>/<kind>/<name>`, or `k8s:<cluster>/<kind>/<name>` for cluster-scoped kinds. */
export function objectKey(cluster: string, kind: string, namespace: string | null, name: string): string {
  const scope = namespace === null ? '' : `${namespace}/`;
  return safeKey(`k8s:${cluster}/${scope}${kind.toLowerCase()}/${name}`);
}

interface Located {
  object: KubeObject;
  kind: string;
  namespace: string | null;
  name: string;
  key: string;
}

/** A reference from a pod spec (or an Ingress) to another object, with where it was written. */
interface Reference {
  kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  name: string;
  optional: boolean;
  path: (string | number)[];
  type: DependencyType;
}

function podTemplatePath(kind: string): string[] {
  return kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
}

/** Every ConfigMap, Secret and claim a pod spec refers to, from volumes, env, envFrom and image pull secrets. */
function podReferences(podSpec: Record<string, unknown>, base: (string | number)[]): Reference[] {
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], name: unknown, optional: unknown, path: (string | number)[], type: DependencyType) => {
    if (typeof name === 'string' && name) refs.push({ kind, name, optional: optional === true, path: [...base, ...path], type });
  };
  listAt(podSpec, 'volumes').forEach((volume, v) => {
    if (!isPlainObject(volume)) return;
    const claim = objectAt(volume, 'persistentVolumeClaim');
    if (claim) add('PersistentVolumeClaim', claim.claimName, false, ['volumes', v, 'persistentVolumeClaim'], DependencyType.MOUNTS);
    const configMap = objectAt(volume, 'configMap');
    if (configMap) add('ConfigMap', configMap.name, configMap.optional, ['volumes', v, 'configMap'], DependencyType.CONFIGURED_BY);
    const secret = objectAt(volume, 'secret');
    if (secret) add('Secret', secret.secretName, secret.optional, ['volumes', v, 'secret'], DependencyType.CONFIGURED_BY);
    listAt(volume, 'projected', 'sources').forEach((source, s) => {
      const projectedConfigMap = objectAt(source, 'configMap');
      if (projectedConfigMap) {
        add('ConfigMap', projectedConfigMap.name, projectedConfigMap.optional, ['volumes', v, 'projected', 'sources', s, 'configMap'], DependencyType.CONFIGURED_BY);
      }
      const projectedSecret = objectAt(source, 'secret');
      if (projectedSecret) {
        add('Secret', projectedSecret.name, projectedSecret.optional, ['volumes', v, 'projected', 'sources', s, 'secret'], DependencyType.CONFIGURED_BY);
      }
    });
  });
  for (const list of ['initContainers', 'containers']) {
    listAt(podSpec, list).forEach((container, c) => {
      listAt(container, 'envFrom').forEach((source, e) => {
        const configMap = objectAt(source, 'configMapRef');
        if (configMap) add('ConfigMap', configMap.name, configMap.optional, [list, c, 'envFrom', e, 'configMapRef'], DependencyType.CONFIGURED_BY);
        const secret = objectAt(source, 'secretRef');
        if (secret) add('Secret', secret.name, secret.optional, [list, c, 'envFrom', e, 'secretRef'], DependencyType.CONFIGURED_BY);
      });
      listAt(container, 'env').forEach((variable, e) => {
        const configMap = objectAt(variable, 'valueFrom', 'configMapKeyRef');
        if (configMap) add('ConfigMap', configMap.name, configMap.optional, [list, c, 'env', e, 'valueFrom', 'configMapKeyRef'], DependencyType.CONFIGURED_BY);
        const secret = objectAt(variable, 'valueFrom', 'secretKeyRef');
        if (secret) add('Secret', secret.name, secret.optional, [list, c, 'env', e, 'valueFrom', 'secretKeyRef'], DependencyType.CONFIGURED_BY);
      });
    });
  }
  listAt(podSpec, 'imagePullSecrets').forEach((secret, i) => {
    if (isPlainObject(secret)) add('Secret', secret.name, false, ['imagePullSecrets', i], DependencyType.CONFIGURED_BY);
  });
  return refs;
}

/** The Service names an Ingress sends traffic to, in both the v1 and the older v1beta1 shapes. */
function ingressBackends(spec: Record<string, unknown>): { name: string; path: (string | number)[] }[] {
  const out: { name: string; path: (string | number)[] }[] = [];
  const backend = (value: unknown, path: (string | number)[]) => {
    const name = stringAt(value, 'service', 'name') ?? stringAt(value, 'serviceName');
    if (name) out.push({ name, path });
  };
  backend(spec.defaultBackend, ['spec', 'defaultBackend']);
  backend(spec.backend, ['spec', 'backend']);
  listAt(spec, 'rules').forEach((rule, r) =>
    listAt(rule, 'http', 'paths').forEach((path, p) => backend(objectAt(path, 'backend'), ['spec', 'rules', r, 'http', 'paths', p, 'backend'])),
  );
  return out;
}

function labelsMatch(selector: Record<string, unknown>, labels: Record<string, unknown> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && !!labels && entries.every(([k, v]) => labels[k] === v);
}

function attributesOf(located: Located): Attributes {
  const value = located.object.value;
  const attributes: Attributes = { 'k8s.kind': located.kind };
  if (typeof value.apiVersion === 'string') attributes['k8s.apiVersion'] = value.apiVersion;
  if (located.namespace) attributes['k8s.namespace'] = located.namespace;
  const spec = objectAt(value, 'spec') ?? {};
  if (WORKLOAD_KINDS.has(located.kind)) {
    if (typeof spec.replicas === 'number') attributes.replicas = spec.replicas;
    if (located.kind === 'CronJob' && typeof spec.schedule === 'string') attributes.schedule = spec.schedule;
    const podSpec = objectAt(value, ...podTemplatePath(located.kind), 'spec');
    const images = listAt(podSpec, 'containers').map((c) => stringAt(c, 'image')).filter((i): i is string => !!i);
    if (images.length) attributes.images = images;
  }
  if (located.kind === 'Service') {
    attributes.serviceType = stringAt(spec, 'type') ?? 'ClusterIP';
    const externalName = stringAt(spec, 'externalName');
    if (externalName) attributes.externalName = externalName;
  }
  if (located.kind === 'Ingress') {
    const hosts = listAt(spec, 'rules').map((r) => stringAt(r, 'host')).filter((h): h is string => !!h);
    if (hosts.length) attributes.hosts = [...new Set(hosts)];
    const className = stringAt(spec, 'ingressClassName');
    if (className) attributes.ingressClassName = className;
  }
  if (located.kind === 'PersistentVolumeClaim') {
    const storage = stringAt(spec, 'resources', 'requests', 'storage');
    if (storage) attributes.storage = storage;
    const modes = listAt(spec, 'accessModes').filter((m): m is string => typeof m === 'string');
    if (modes.length) attributes.accessModes = modes;
  }
  if (located.kind === 'PersistentVolume') {
    const storage = stringAt(spec, 'capacity', 'storage');
    if (storage) attributes.storage = storage;
    const modes = listAt(spec, 'accessModes').filter((m): m is string => typeof m === 'string');
    if (modes.length) attributes.accessModes = modes;
    const reclaimPolicy = stringAt(spec, 'persistentVolumeReclaimPolicy');
    if (reclaimPolicy) attributes.reclaimPolicy = reclaimPolicy;
  }
  if (located.kind === 'StorageClass') {
    const provisioner = stringAt(value, 'provisioner');
    if (provisioner) attributes.provisioner = provisioner;
  }
  if (located.kind === 'Secret') {
    const type = stringAt(value, 'type');
    if (type) attributes.secretType = type;
  }
  return attributes;
}

/**
 * Maps Kubernetes objects onto CIs and dependencies: the cluster, its
 * namespaces, workloads, Services, Ingresses, claims, persistent volumes,
 * storage classes, ConfigMaps and Secrets. Every namespaced CI is DEPLOYED_IN
 * its namespace, every namespace and cluster-scoped object in the cluster. A
 * Service needs the workloads whose pod template labels its selector
 * matches; an Ingress needs its backend Services; a workload needs the claims
 * it mounts and the ConfigMaps and Secrets it reads (SOFT when marked
 * optional); a claim needs the volume it is bound to and its storage class,
 * a volume its storage class. References to objects not in the input are
 * warnings, never dependencies. Pods, ReplicaSets and other kinds are counted
 * in one warning.
 */
export function mapKubernetesObjects(objects: KubeObject[], options: KubernetesImportOptions): ImportResult {
  const cluster = options.cluster;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const out = new ImportCollector();
  const ignored = new Map<string, number>();
  let cronJobRuns = 0;
  const byIdentity = new Map<string, Located>();
  const located: Located[] = [];
  const identity = (kind: string, namespace: string | null, name: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

  out.addCi({ key: clusterKey(cluster), kind: CIKind.KUBERNETES_CLUSTER, name: cluster, attributes: { 'k8s.kind': 'Cluster' } });
  const ensureNamespace = (namespace: string, object?: KubeObject) => {
    const key = namespaceKey(cluster, namespace);
    if (!out.has(key)) {
      const uid = object ? stringAt(object.value, 'metadata', 'uid') : undefined;
      out.addCi({
        key,
        kind: CIKind.KUBERNETES_NAMESPACE,
        name: namespace,
        attributes: { 'k8s.kind': 'Namespace' },
        identifiers: uid ? [`k8s-uid:${uid}`] : [],
      });
      out.addDependency(key, clusterKey(cluster), DependencyType.DEPLOYED_IN);
    }
    return key;
  };

  // Namespace objects first, so a namespace CI carries its uid whichever order the input has.
  const sorted = [...objects].sort((a, b) => Number(b.value.kind === 'Namespace') - Number(a.value.kind === 'Namespace'));
  for (const object of sorted) {
    const kind = String(object.value.kind);
    const name = stringAt(object.value, 'metadata', 'name');
    const where = `${object.file}:${object.line}`;
    if (!KINDS[kind]) {
      ignored.set(kind, (ignored.get(kind) ?? 0) + 1);
      continue;
    }
    if (!name) {
      out.warn(`${where}: skipped a ${kind} without metadata.name`);
      continue;
    }
    const ownerKinds = listAt(object.value, 'metadata', 'ownerReferences').map((o) => stringAt(o, 'kind'));
    if (kind === 'Job' && ownerKinds.includes('CronJob')) {
      cronJobRuns++;
      continue;
    }
    if (kind === 'Namespace') {
      ensureNamespace(name, object);
      continue;
    }
    const namespace = CLUSTER_SCOPED.has(kind) ? null : (stringAt(object.value, 'metadata', 'namespace') ?? defaultNamespace);
    const id = identity(kind, namespace, name);
    const previous = byIdentity.get(id);
    if (previous) {
      out.warn(`${where}: ${kind} ${namespace ? `${namespace}/` : ''}${name} is already defined at ${previous.object.file}:${previous.object.line}; this definition is skipped`);
      continue;
    }
    const entry: Located = { object, kind, namespace, name, key: objectKey(cluster, kind, namespace, name) };
    byIdentity.set(id, entry);
    located.push(entry);
  }
  // Keep the input order for everything but namespaces.
  const position = new Map(objects.map((object, index) => [object, index]));
  located.sort((a, b) => position.get(a.object)! - position.get(b.object)!);

  for (const entry of located) {
    const uid = stringAt(entry.object.value, 'metadata', 'uid');
    const added = out.addCi({
      key: entry.key,
      kind: KINDS[entry.kind],
      name: entry.name,
      attributes: attributesOf(entry),
      identifiers: uid ? [`k8s-uid:${uid}`] : [],
    });
    if (!added) continue;
    if (entry.namespace !== null) out.addDependency(entry.key, ensureNamespace(entry.namespace), DependencyType.DEPLOYED_IN);
    else out.addDependency(entry.key, clusterKey(cluster), DependencyType.DEPLOYED_IN);
  }

  const find = (kind: string, namespace: string | null, name: string) => byIdentity.get(identity(kind, namespace, name));
  const where = (entry: Located, path: (string | number)[]) =>
    `${entry.object.file}:${entry.object.lineOf(path)}: ${entry.kind} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name}`;
  const inNamespace = new Map<string, Located[]>();
  for (const entry of located) {
    const list = inNamespace.get(entry.namespace ?? '') ?? [];
    list.push(entry);
    inNamespace.set(entry.namespace ?? '', list);
  }
  const defaultStorageClasses = located.filter(
    (e) => e.kind === 'StorageClass' && stringAt(e.object.value, 'metadata', 'annotations', 'storageclass.kubernetes.io/is-default-class') === 'true',
  );

  for (const entry of located) {
    const value = entry.object.value;
    const spec = objectAt(value, 'spec') ?? {};

    if (WORKLOAD_KINDS.has(entry.kind)) {
      const templatePath = podTemplatePath(entry.kind);
      const podSpec = objectAt(value, ...templatePath, 'spec') ?? {};
      for (const ref of podReferences(podSpec, [...templatePath, 'spec'])) {
        const target = find(ref.kind, entry.namespace, ref.name);
        if (target) {
          out.addDependency(entry.key, target.key, ref.type, ref.optional ? DependencyStrength.SOFT : DependencyStrength.HARD);
        } else if (!ref.optional) {
          out.warn(`${where(entry, ref.path)} refers to ${ref.kind} ${ref.name}, which is not in the input; no dependency created`);
        }
      }
      if (entry.kind === 'StatefulSet') {
        // Claims made from volumeClaimTemplates are named <template>-<statefulset>-<ordinal>.
        for (const template of listAt(spec, 'volumeClaimTemplates')) {
          const templateName = stringAt(template, 'metadata', 'name');
          if (!templateName) continue;
          const pattern = new RegExp(`^${escape(`${templateName}-${entry.name}-`)}\\d+$`);
          for (const claim of inNamespace.get(entry.namespace ?? '') ?? []) {
            if (claim.kind === 'PersistentVolumeClaim' && pattern.test(claim.name)) {
              out.addDependency(entry.key, claim.key, DependencyType.MOUNTS);
            }
          }
        }
      }
    }

    if (entry.kind === 'Service') {
      const selector = objectAt(spec, 'selector');
      if (selector && Object.keys(selector).length) {
        const matched = (inNamespace.get(entry.namespace ?? '') ?? []).filter(
          (w) =>
            WORKLOAD_KINDS.has(w.kind) &&
            labelsMatch(selector, objectAt(w.object.value, ...podTemplatePath(w.kind), 'metadata', 'labels')),
        );
        for (const workload of matched) out.addDependency(entry.key, workload.key, DependencyType.CALLS);
        if (!matched.length) {
          const text = Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(',');
          out.warn(`${where(entry, ['spec', 'selector'])} selects ${text}, which matches no workload in the input; no dependency created`);
        }
      }
    }

    if (entry.kind === 'Ingress') {
      for (const backend of ingressBackends(spec)) {
        const service = find('Service', entry.namespace, backend.name);
        if (service) out.addDependency(entry.key, service.key, DependencyType.CALLS);
        else out.warn(`${where(entry, backend.path)} routes to Service ${backend.name}, which is not in the input; no dependency created`);
      }
      listAt(spec, 'tls').forEach((tls, t) => {
        const secretName = stringAt(tls, 'secretName');
        if (!secretName) return;
        const secret = find('Secret', entry.namespace, secretName);
        if (secret) out.addDependency(entry.key, secret.key, DependencyType.SECURED_BY);
        else out.warn(`${where(entry, ['spec', 'tls', t, 'secretName'])} uses TLS Secret ${secretName}, which is not in the input; no dependency created`);
      });
    }

    if (entry.kind === 'PersistentVolumeClaim') {
      // The volume the claim is bound to (written by the control plane, or by hand to pre-bind).
      const volumeName = stringAt(spec, 'volumeName');
      if (volumeName) {
        const volume = find('PersistentVolume', null, volumeName);
        if (volume) out.addDependency(entry.key, volume.key, DependencyType.HOSTED_ON);
        else out.warn(`${where(entry, ['spec', 'volumeName'])} is bound to PersistentVolume ${volumeName}, which is not in the input; no dependency created`);
      }
    }

    if (entry.kind === 'PersistentVolumeClaim' || entry.kind === 'PersistentVolume') {
      const className = spec.storageClassName;
      if (typeof className === 'string' && className) {
        const storageClass = find('StorageClass', null, className);
        if (storageClass) out.addDependency(entry.key, storageClass.key, DependencyType.HOSTED_ON);
        else out.warn(`${where(entry, ['spec', 'storageClassName'])} uses StorageClass ${className}, which is not in the input; no dependency created`);
      } else if (entry.kind === 'PersistentVolumeClaim' && className === undefined && defaultStorageClasses.length === 1) {
        // Only a claim gets the default class (when it is created); a volume without a class has none.
        out.addDependency(entry.key, defaultStorageClasses[0].key, DependencyType.HOSTED_ON);
      }
    }
  }

  for (const [kind, count] of [...ignored].sort(([a], [b]) => a.localeCompare(b))) {
    out.warn(`${count} ${kind} object${count === 1 ? '' : 's'} not imported: kind ${kind} has no CI mapping`);
  }
  if (cronJobRuns) out.warn(`${cronJobRuns} Job object${cronJobRuns === 1 ? '' : 's'} not imported: runs of a CronJob, which is imported instead`);
  return out.result();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
