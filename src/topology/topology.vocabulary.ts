import { registerEnumType } from '@nestjs/graphql';

/**
 * The one vocabulary of configuration item kinds. Importers map their own
 * types onto these; blast radius and root cause reason over them.
 * Topology files spell them in lower case (`business_function`).
 */
export enum CIKind {
  BUSINESS_FUNCTION = 'BUSINESS_FUNCTION',
  BUSINESS_SERVICE = 'BUSINESS_SERVICE',
  APPLICATION = 'APPLICATION',
  SERVICE = 'SERVICE',
  API = 'API',
  DATABASE = 'DATABASE',
  CACHE = 'CACHE',
  QUEUE = 'QUEUE',
  STORAGE = 'STORAGE',
  HOST = 'HOST',
  VM = 'VM',
  CONTAINER = 'CONTAINER',
  KUBERNETES_CLUSTER = 'KUBERNETES_CLUSTER',
  KUBERNETES_NAMESPACE = 'KUBERNETES_NAMESPACE',
  KUBERNETES_WORKLOAD = 'KUBERNETES_WORKLOAD',
  LOAD_BALANCER = 'LOAD_BALANCER',
  NETWORK_DEVICE = 'NETWORK_DEVICE',
  NETWORK = 'NETWORK',
  DNS = 'DNS',
  CERTIFICATE = 'CERTIFICATE',
  IDENTITY_PROVIDER = 'IDENTITY_PROVIDER',
  CLOUD_ACCOUNT = 'CLOUD_ACCOUNT',
  REGION = 'REGION',
  ZONE = 'ZONE',
  DATACENTER = 'DATACENTER',
  SAAS = 'SAAS',
  EXTERNAL = 'EXTERNAL',
  REDUNDANCY_GROUP = 'REDUNDANCY_GROUP',
  FUNCTION = 'FUNCTION',
  VOLUME = 'VOLUME',
  SECRET = 'SECRET',
  CONFIG = 'CONFIG',
  OTHER = 'OTHER',
}

const KIND_DESCRIPTIONS: Record<CIKind, string> = {
  BUSINESS_FUNCTION: 'Something the business does that earns or protects money (online payments, customer login).',
  BUSINESS_SERVICE: 'A service the business offers, carried by applications (payment processing, order tracking).',
  APPLICATION: 'A deployable software product with its own owner (web shop, mail client).',
  SERVICE: 'A running service or microservice.',
  API: 'An interface another component calls.',
  DATABASE: 'A database or database instance.',
  CACHE: 'An in-memory cache.',
  QUEUE: 'A message queue, topic or broker.',
  STORAGE: 'Object, file or block storage.',
  HOST: 'A physical server.',
  VM: 'A virtual machine or cloud instance.',
  CONTAINER: 'A container.',
  KUBERNETES_CLUSTER: 'A Kubernetes cluster.',
  KUBERNETES_NAMESPACE: 'A Kubernetes namespace.',
  KUBERNETES_WORKLOAD: 'A Kubernetes Deployment, StatefulSet, DaemonSet or Service.',
  LOAD_BALANCER: 'A load balancer or ingress.',
  NETWORK_DEVICE: 'A switch, router or firewall.',
  NETWORK: 'A network, VPC or subnet.',
  DNS: 'A DNS zone or resolver.',
  CERTIFICATE: 'A TLS certificate.',
  IDENTITY_PROVIDER: 'An identity provider or directory.',
  CLOUD_ACCOUNT: 'A cloud account, project or subscription.',
  REGION: 'A cloud region.',
  ZONE: 'An availability zone.',
  DATACENTER: 'A data centre or site.',
  SAAS: 'A software-as-a-service product the company uses.',
  EXTERNAL: 'An outside party the company depends on (card network, carrier).',
  REDUNDANCY_GROUP: 'A set of interchangeable members of which at least `minHealthy` must be up.',
  FUNCTION: 'A serverless function.',
  VOLUME: 'A persistent volume or disk.',
  SECRET: 'A secret or key store entry.',
  CONFIG: 'A configuration object.',
  OTHER: 'Anything not covered by the other kinds.',
};

/** Kinds that carry business attributes (criticality, revenue, users). */
export const BUSINESS_KINDS: ReadonlySet<CIKind> = new Set([CIKind.BUSINESS_FUNCTION, CIKind.BUSINESS_SERVICE]);

export enum CIStatus {
  ACTIVE = 'ACTIVE',
  STALE = 'STALE',
  RETIRED = 'RETIRED',
}

export enum CriticalityTier {
  TIER_1 = 'TIER_1',
  TIER_2 = 'TIER_2',
  TIER_3 = 'TIER_3',
  TIER_4 = 'TIER_4',
}

/** What kind of need a dependency expresses. Informational only: impact depends on strength. */
export enum DependencyType {
  CALLS = 'CALLS',
  USES = 'USES',
  STORES_DATA_IN = 'STORES_DATA_IN',
  READS_FROM = 'READS_FROM',
  PUBLISHES_TO = 'PUBLISHES_TO',
  CONSUMES_FROM = 'CONSUMES_FROM',
  RUNS_ON = 'RUNS_ON',
  HOSTED_ON = 'HOSTED_ON',
  DEPLOYED_IN = 'DEPLOYED_IN',
  ROUTES_THROUGH = 'ROUTES_THROUGH',
  RESOLVES_VIA = 'RESOLVES_VIA',
  AUTHENTICATES_VIA = 'AUTHENTICATES_VIA',
  SECURED_BY = 'SECURED_BY',
  MOUNTS = 'MOUNTS',
  CONFIGURED_BY = 'CONFIGURED_BY',
  COMPOSED_OF = 'COMPOSED_OF',
  HAS_MEMBER = 'HAS_MEMBER',
}

export enum DependencyStrength {
  HARD = 'HARD',
  SOFT = 'SOFT',
}

registerEnumType(CIKind, {
  name: 'CIKind',
  description: 'The kind of a configuration item, from one documented vocabulary.',
  valuesMap: Object.fromEntries(Object.entries(KIND_DESCRIPTIONS).map(([k, d]) => [k, { description: d }])),
});
registerEnumType(CIStatus, {
  name: 'CIStatus',
  description: 'Lifecycle status of a configuration item.',
  valuesMap: {
    ACTIVE: { description: 'Reported by a source or created by a person.' },
    STALE: { description: 'No longer reported by any source; retired after the grace period.' },
    RETIRED: { description: 'Out of service; kept for history.' },
  },
});
registerEnumType(CriticalityTier, {
  name: 'CriticalityTier',
  description: 'How critical a business function or service is to the company.',
  valuesMap: {
    TIER_1: { description: 'Mission critical: the company stops earning or breaks the law without it.' },
    TIER_2: { description: 'Business critical: major revenue or customer impact.' },
    TIER_3: { description: 'Business operational: internal productivity impact.' },
    TIER_4: { description: 'Administrative: little immediate impact.' },
  },
});
registerEnumType(DependencyType, {
  name: 'DependencyType',
  description: 'What the consumer needs the provider for. Informational; impact is decided by strength.',
  valuesMap: {
    CALLS: { description: 'Calls the provider synchronously.' },
    USES: { description: 'Needs the provider in an unspecified way.' },
    STORES_DATA_IN: { description: 'Writes its data to the provider.' },
    READS_FROM: { description: 'Reads data from the provider.' },
    PUBLISHES_TO: { description: 'Publishes messages to the provider.' },
    CONSUMES_FROM: { description: 'Consumes messages from the provider.' },
    RUNS_ON: { description: 'Runs on the provider (a workload on a cluster, a VM on a host).' },
    HOSTED_ON: { description: 'Is hosted by the provider.' },
    DEPLOYED_IN: { description: 'Is deployed in the provider (a zone, a namespace, an account).' },
    ROUTES_THROUGH: { description: 'Its traffic passes through the provider (load balancer, switch, firewall).' },
    RESOLVES_VIA: { description: 'Resolves names through the provider.' },
    AUTHENTICATES_VIA: { description: 'Authenticates users or services through the provider.' },
    SECURED_BY: { description: 'Is secured by the provider (a certificate, a key).' },
    MOUNTS: { description: 'Mounts the provider as storage.' },
    CONFIGURED_BY: { description: 'Reads its configuration from the provider.' },
    COMPOSED_OF: { description: 'Is made of the provider (a system of its components).' },
    HAS_MEMBER: { description: 'A redundancy group and one of its members.' },
  },
});
registerEnumType(DependencyStrength, {
  name: 'DependencyStrength',
  description: 'How badly the consumer suffers when the provider fails.',
  valuesMap: {
    HARD: { description: 'The consumer cannot work without the provider: provider DOWN makes it DOWN.' },
    SOFT: { description: 'The consumer works worse without the provider: provider DOWN makes it DEGRADED.' },
  },
});
