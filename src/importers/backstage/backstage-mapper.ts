import { Attributes } from '../../common/graphql/json-object.scalar';
import { CIKind, DependencyStrength, DependencyType } from '../../topology/topology.vocabulary';
import { ImportCollector, ImportResult, safeKey } from '../import-result';
import { listAt, stringAt } from '../yaml-documents';
import { CatalogEntity } from './backstage-catalog';
import { DEFAULT_NAMESPACE, EntityRef, formatEntityRef, parseEntityRef } from './entity-ref';

/** The key of a catalog entity: `backstage:component:default/checkout`. */
export function backstageKey(ref: EntityRef): string {
  return safeKey(`backstage:${formatEntityRef(ref)}`);
}

/** Component `spec.type` → kind; any other type is an APPLICATION (Backstage: "a unit of software"). */
const COMPONENT_TYPES: [RegExp, CIKind][] = [
  [/^(service|backend|microservice|backend-service|api-service|worker|daemon)$/, CIKind.SERVICE],
  [/^(library|lib|sdk|package|module)$/, CIKind.OTHER],
  [/^(function|lambda|serverless|cloud-function)$/, CIKind.FUNCTION],
];

/** Resource `spec.type` → kind, matched on the words of the type (`s3-bucket`, `postgres-database`); else OTHER. */
const RESOURCE_TYPES: [RegExp, CIKind][] = [
  [/\b(database|db|postgres(ql)?|mysql|mariadb|mongo(db)?|rds|aurora|dynamodb|cassandra|bigtable|spanner|sql|cosmosdb|elasticsearch|opensearch)\b/, CIKind.DATABASE],
  [/\b(cache|redis|memcached|elasticache)\b/, CIKind.CACHE],
  [/\b(queue|topic|kafka|sqs|sns|pubsub|rabbitmq|kinesis|servicebus|eventhub|stream|broker)\b/, CIKind.QUEUE],
  [/\b(bucket|s3|gcs|blob|storage|filesystem|efs|nfs)\b/, CIKind.STORAGE],
  [/\b(volume|disk|ebs)\b/, CIKind.VOLUME],
  [/\b(kubernetes|k8s|eks|gke|aks)\b.*\bcluster\b|^(kubernetes|k8s|eks|gke|aks)$/, CIKind.KUBERNETES_CLUSTER],
  [/\b(load-balancer|loadbalancer|lb|alb|elb|cdn|ingress|gateway|api-gateway)\b/, CIKind.LOAD_BALANCER],
  [/\b(dns|dns-zone|route53)\b/, CIKind.DNS],
  [/\b(vm|virtual-machine|instance|ec2|server)\b/, CIKind.VM],
  [/\b(function|lambda)\b/, CIKind.FUNCTION],
  [/\b(secret|vault|kms|key-vault)\b/, CIKind.SECRET],
  [/\b(certificate|cert|tls)\b/, CIKind.CERTIFICATE],
  [/\b(network|vpc|subnet|vnet)\b/, CIKind.NETWORK],
  [/\b(identity|idp|oauth|oidc|saml|auth0|okta|keycloak)\b/, CIKind.IDENTITY_PROVIDER],
  [/\b(saas)\b/, CIKind.SAAS],
];

/** Which CI kind an entity becomes; null for kinds that are not CIs (Group, User, Template, ...). */
export function backstageKind(entity: Pick<CatalogEntity, 'kind' | 'spec'>): CIKind | null {
  const type = (stringAt(entity.spec, 'type') ?? '').toLowerCase();
  switch (entity.kind) {
    case 'component':
      return COMPONENT_TYPES.find(([pattern]) => pattern.test(type))?.[1] ?? CIKind.APPLICATION;
    case 'api':
      return CIKind.API;
    case 'resource':
      return RESOURCE_TYPES.find(([pattern]) => pattern.test(type.replace(/_/g, '-')))?.[1] ?? CIKind.OTHER;
    case 'system':
      return CIKind.BUSINESS_SERVICE;
    case 'domain':
      return CIKind.BUSINESS_FUNCTION;
    default:
      return null;
  }
}

/** Entity kinds that only describe people or tooling and never become CIs. */
const NOT_CI_KINDS = new Set(['group', 'user', 'template', 'location']);

/**
 * One relation field of the descriptor format: where it is, which kind a
 * reference in it defaults to, and which way the dependency points.
 * `consumerIsSelf`: the entity holding the field needs the referenced one;
 * otherwise the referenced one needs the holder (a system needs its parts).
 */
interface RelationField {
  field: string;
  kinds: string[];
  defaultKind?: string;
  /** Kinds the referenced entity may have. */
  targets: string[];
  consumerIsSelf: boolean;
  type: DependencyType;
}

const RELATIONS: RelationField[] = [
  { field: 'dependsOn', kinds: ['component', 'resource'], targets: ['component', 'resource'], consumerIsSelf: true, type: DependencyType.USES },
  { field: 'dependencyOf', kinds: ['component', 'resource'], targets: ['component', 'resource'], consumerIsSelf: false, type: DependencyType.USES },
  { field: 'consumesApis', kinds: ['component'], defaultKind: 'api', targets: ['api'], consumerIsSelf: true, type: DependencyType.CALLS },
  // The API is served by the component that provides it: the component down, the API is down.
  { field: 'providesApis', kinds: ['component'], defaultKind: 'api', targets: ['api'], consumerIsSelf: false, type: DependencyType.HOSTED_ON },
  { field: 'system', kinds: ['component', 'api', 'resource'], defaultKind: 'system', targets: ['system'], consumerIsSelf: false, type: DependencyType.COMPOSED_OF },
  { field: 'domain', kinds: ['system'], defaultKind: 'domain', targets: ['domain'], consumerIsSelf: false, type: DependencyType.COMPOSED_OF },
  { field: 'subcomponentOf', kinds: ['component'], defaultKind: 'component', targets: ['component'], consumerIsSelf: false, type: DependencyType.COMPOSED_OF },
  { field: 'subdomainOf', kinds: ['domain'], defaultKind: 'domain', targets: ['domain'], consumerIsSelf: false, type: DependencyType.COMPOSED_OF },
];

function namespaceOf(entity: CatalogEntity): string {
  return (stringAt(entity.metadata, 'namespace') ?? DEFAULT_NAMESPACE).toLowerCase();
}

export function refOf(entity: CatalogEntity): EntityRef {
  return { kind: entity.kind, namespace: namespaceOf(entity), name: String(entity.metadata.name).trim().toLowerCase() };
}

/**
 * The owner as a team name: a Group in the default namespace is its name,
 * elsewhere `namespace/name`; a User keeps its kind (`user:jdoe`).
 */
function ownerOf(entity: CatalogEntity): string | undefined {
  const raw = entity.spec.owner;
  if (raw === undefined || raw === null) return undefined;
  const ref = parseEntityRef(raw, { kind: 'group', namespace: namespaceOf(entity) });
  if (typeof ref === 'string') return undefined;
  const local = ref.namespace === DEFAULT_NAMESPACE ? ref.name : `${ref.namespace}/${ref.name}`;
  return ref.kind === 'group' ? local : `${ref.kind}:${local}`;
}

function attributesOf(entity: CatalogEntity): Attributes {
  const attributes: Attributes = { 'backstage.kind': entity.kind, 'backstage.namespace': namespaceOf(entity) };
  for (const field of ['type', 'lifecycle']) {
    const value = stringAt(entity.spec, field);
    if (value) attributes[`backstage.${field}`] = value;
  }
  return attributes;
}

/**
 * Maps catalog entities onto CIs and dependencies. Components, APIs,
 * Resources, Systems and Domains become CIs; Groups and Users only name
 * owners; relations become dependencies pointing from what needs to what is
 * needed. A reference to an entity that is not in the catalog is reported
 * as a warning and yields no dependency.
 */
export function mapBackstageCatalog(entities: CatalogEntity[], loadWarnings: string[] = []): ImportResult {
  const out = new ImportCollector();
  loadWarnings.forEach((w) => out.warn(w));
  const known = new Map<string, CatalogEntity>();

  for (const entity of entities) {
    const ref = refOf(entity);
    const where = `${entity.file}:${entity.line}`;
    const previous = known.get(formatEntityRef(ref));
    if (previous) {
      out.warn(`${where}: ${formatEntityRef(ref)} is already defined at ${previous.file}:${previous.line}; this definition is skipped`);
      continue;
    }
    known.set(formatEntityRef(ref), entity);
    const kind = backstageKind(entity);
    if (!kind) {
      if (!NOT_CI_KINDS.has(entity.kind)) out.warn(`${where}: ${formatEntityRef(ref)} skipped: kind ${entity.kind} has no CI mapping`);
      continue;
    }
    out.addCi({
      key: backstageKey(ref),
      kind,
      name: stringAt(entity.metadata, 'title') ?? String(entity.metadata.name).trim(),
      description: stringAt(entity.metadata, 'description'),
      owner: ownerOf(entity),
      tags: listAt(entity.metadata, 'tags').filter((t): t is string => typeof t === 'string' && t.trim() !== ''),
      attributes: attributesOf(entity),
      identifiers: stringAt(entity.metadata, 'uid') ? [`backstage-uid:${stringAt(entity.metadata, 'uid')}`] : [],
    });
  }

  for (const entity of known.values()) {
    const self = refOf(entity);
    const selfKey = backstageKey(self);
    if (!out.has(selfKey)) continue;
    for (const relation of RELATIONS) {
      if (!relation.kinds.includes(entity.kind)) continue;
      const list = Array.isArray(entity.spec[relation.field]);
      listAt(entity.spec, relation.field).forEach((raw, index) => {
        const line = entity.lineOf(['spec', relation.field, ...(list ? [index] : [])]);
        const where = `${entity.file}:${line}: ${formatEntityRef(self)} spec.${relation.field}`;
        const ref = parseEntityRef(raw, { kind: relation.defaultKind, namespace: self.namespace });
        if (typeof ref === 'string') return out.warn(`${where}: '${String(raw)}' ${ref}`);
        if (!relation.targets.includes(ref.kind)) {
          return out.warn(`${where}: ${formatEntityRef(ref)} has kind ${ref.kind}; this field names ${relation.targets.join(' or ')} entities`);
        }
        if (!known.has(formatEntityRef(ref))) return out.warn(`${where}: ${formatEntityRef(ref)} is not in the catalog; no dependency created`);
        const other = backstageKey(ref);
        const [from, to] = relation.consumerIsSelf ? [selfKey, other] : [other, selfKey];
        out.addDependency(from, to, relation.type, DependencyStrength.HARD);
      });
    }
  }
  return out.result();
}
