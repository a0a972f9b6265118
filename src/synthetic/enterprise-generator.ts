import { CIKind, CriticalityTier, DependencyStrength, DependencyType } from '../topology/topology.vocabulary';
import { Rng, hashInts } from './random';

/**
 * Synthetic enterprises: realistic, reproducible service maps of any size for
 * benchmarks, load tests and simulated faults. A real enterprise's map is not
 * something we can ship, and a uniform random graph would flatter every
 * algorithm: real maps have a few components nearly everything needs (DNS,
 * identity, the core network), deep layering from business function to zone,
 * redundancy groups inside redundancy groups, soft edges and the odd cycle.
 * This generator builds exactly that shape, from a seed alone.
 *
 * The output is plain data in the shape of the GraphQL inputs (`CIInput`,
 * `DependencyInput`), so it can be sent to the API, written as a topology
 * file, or fed to pure algorithms without Neo4j.
 *
 * Shape (consumer -> provider, i.e. "depends on"):
 *   business function -> business services -> applications -> services / APIs
 *   service -> services and APIs (own domain mostly, hub domains across),
 *              databases (on redundancy-group clusters, backed up softly to
 *              regional storage), caches, topics (on the
 *              broker cluster), and the shared platform: DNS, identity, vault,
 *              config, feature flags, observability, audit log
 *   service -> compute: a Kubernetes workload (namespace -> cluster -> nested
 *              node-pool groups -> VMs -> zone), a legacy VM on a hypervisor
 *              host, or nested replica groups (2 of 3 zones, each 1 of 2 VMs)
 *   zone -> region, zone -> VPC -> core switch group (1 of 2 switches)
 *
 * Every domain and every service draws from its own random stream (seeded by
 * a hash of the seed and its position), so the graph can also be produced
 * in batches without ever holding all of it (see `enterpriseBatches`).
 */

export type EnterpriseSize = 'S' | 'M' | 'L' | 'XL';

/** Number of CIs of each named size. L also has at least 4 dependencies per CI. */
export const SIZE_CIS: Readonly<Record<EnterpriseSize, number>> = Object.freeze({
  S: 1_000,
  M: 10_000,
  L: 100_000,
  XL: 1_000_000,
});

export const DEFAULT_SEED = 42;

/** Smallest enterprise this generator can shape (shared platform plus a few domains). */
export const MIN_CIS = 500;

export interface EnterpriseOptions {
  /** A named size; ignored when `cis` is given. Default S. */
  size?: EnterpriseSize;
  /** Exact number of CIs to generate (at least MIN_CIS). */
  cis?: number;
  /** Same seed, same enterprise. Default DEFAULT_SEED. */
  seed?: number;
}

type AttributeValue = string | number | boolean;

/** A CI in the shape of the GraphQL `CIInput`. */
export interface CiSpec {
  key: string;
  kind: CIKind;
  name: string;
  owner: string;
  environment: string;
  tags: string[];
  attributes: Record<string, AttributeValue>;
  /** Business functions and services only. */
  criticality?: CriticalityTier;
  revenuePerHour?: number;
  usersAffected?: number;
  /** Redundancy groups only (required there). */
  minHealthy?: number;
}

/** A dependency in the shape of the GraphQL `DependencyInput`: `from` needs `to`. */
export interface DepSpec {
  from: string;
  to: string;
  type: DependencyType;
  strength: DependencyStrength;
}

export interface Enterprise {
  cis: CiSpec[];
  dependencies: DepSpec[];
}

/** One write's worth: CIs and dependencies whose endpoints were sent in earlier or the same batches. */
export interface EnterpriseBatch {
  cis: CiSpec[];
  dependencies: DepSpec[];
}

/**
 * Components with known positions in the graph, for blast-radius and
 * root-cause benchmarks that need a small, a medium and a huge impact.
 */
export interface BenchKeys {
  /** The Kubernetes workload of a rarely called service: a small blast radius. */
  leaf: string;
  /** The core service of a mid-ranked domain: called within its domain and now and then from others. */
  midTier: string;
  /** The internal DNS: nearly every service resolves names through it. */
  shared: string;
}

const { HARD, SOFT } = DependencyStrength;
const T = DependencyType;

// ---------------------------------------------------------------------------------------------------
// Vocabulary of names. Fixed lists keep keys readable; suffixes keep them unique at any size.
// ---------------------------------------------------------------------------------------------------

const DOMAIN_WORDS = [
  'payments', 'checkout', 'orders', 'catalog', 'search', 'pricing', 'inventory', 'fulfilment',
  'shipping', 'returns', 'customer-accounts', 'loyalty', 'marketing', 'recommendations', 'reviews',
  'support', 'billing', 'invoicing', 'tax', 'fraud', 'identity-verification', 'notifications',
  'content', 'media', 'analytics', 'reporting', 'finance', 'payroll', 'people', 'procurement',
  'supplier-portal', 'warehouse', 'logistics', 'store-operations', 'point-of-sale', 'mobile',
  'partner-api', 'compliance', 'risk', 'treasury',
];
const APP_WORDS = [
  'web', 'mobile-backend', 'engine', 'backoffice', 'hub', 'console', 'batch', 'connector', 'studio',
  'ledger', 'tracker', 'planner',
];
/** Role of the j-th service of an application; 0 is its core. */
const SERVICE_ROLES = ['core', 'worker', 'adapter', 'scheduler', 'sync', 'projector', 'notifier', 'importer'];
const BUSINESS_SERVICE_WORDS = ['operations', 'self-service', 'partner-integration', 'reporting'];
const TOPIC_WORDS = ['events', 'commands', 'changes', 'audit', 'dead-letter'];
const REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1'];
const ZONE_LETTERS = ['a', 'b', 'c'];
const LANGUAGES = ['java', 'go', 'typescript', 'python', 'kotlin', 'dotnet'];
const INSTANCE_TYPES = ['m6i.large', 'm6i.xlarge', 'c6i.2xlarge', 'r6i.xlarge'];

const MAX_APPS = 6;
const MAX_SERVICES_PER_APP = SERVICE_ROLES.length;

// Keys of the shared platform, referenced from every domain.
const SHARED = {
  dns: 'dns:internal',
  dnsGroup: 'rg:dns-resolvers',
  idp: 'idp:corp-sso',
  vault: 'svc:platform-vault',
  config: 'svc:platform-config',
  flags: 'svc:platform-feature-flags',
  gateway: 'svc:platform-api-gateway',
  observability: 'saas:observability',
  audit: 'mq:platform.audit-log',
  kafka: 'rg:kafka',
  edge: 'rg:edge-load-balancers',
  ca: 'cert:internal-ca',
  prodAccount: 'acct:production',
  sharedAccount: 'acct:shared-services',
} as const;

// ---------------------------------------------------------------------------------------------------
// Plan: how many of everything, decided before anything is emitted, so CI counts are exact
// and any domain can be regenerated (or referenced) on its own.
// ---------------------------------------------------------------------------------------------------

interface ClusterPlan {
  name: string;
  region: number;
}

type Compute = 'k8s' | 'nested' | 'vm';

interface ServiceProfile {
  compute: Compute;
  api: boolean;
  database: boolean;
  cache: boolean;
}

interface DomainShape {
  index: number;
  name: string;
  tier: CriticalityTier;
  cluster: number;
  /** Services per application (length = number of applications). */
  apps: number[];
  businessServices: number;
  topics: number;
  dedicatedDatabase: boolean;
  /** Offset of each application's first service in the domain's flat service list. */
  appOffsets: number[];
  serviceCount: number;
}

interface Plan {
  seed: number;
  cis: number;
  regions: string[];
  clusters: ClusterPlan[];
  nodesPerZone: number;
  hostsPerZone: number;
  sharedDatabaseClusters: number;
  kafkaBrokers: number;
  domains: DomainShape[];
  /** Vault secrets that top the count up to exactly `cis`. */
  filler: number;
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

function totalOf(options: EnterpriseOptions): number {
  const total = options.cis ?? SIZE_CIS[options.size ?? 'S'];
  if (total === undefined) throw new Error(`unknown size '${String(options.size)}'; expected one of ${Object.keys(SIZE_CIS).join(', ')}`);
  if (!Number.isInteger(total) || total < MIN_CIS) throw new Error(`cis must be a whole number of at least ${MIN_CIS}, got ${total}`);
  return total;
}

function domainName(index: number): string {
  const word = DOMAIN_WORDS[index % DOMAIN_WORDS.length];
  const round = Math.floor(index / DOMAIN_WORDS.length);
  return round === 0 ? word : `${word}-${round + 1}`;
}

function pickTier(rng: Rng): CriticalityTier {
  const r = rng.next();
  if (r < 0.2) return CriticalityTier.TIER_1;
  if (r < 0.5) return CriticalityTier.TIER_2;
  if (r < 0.8) return CriticalityTier.TIER_3;
  return CriticalityTier.TIER_4;
}

function domainShape(seed: number, index: number, clusterCount: number): DomainShape {
  const rng = new Rng(hashInts(seed, index, 0x5a9e));
  const appCount = rng.int(2, MAX_APPS);
  const apps = Array.from({ length: appCount }, () => rng.int(3, MAX_SERVICES_PER_APP));
  const businessServices = Math.min(rng.int(2, BUSINESS_SERVICE_WORDS.length), appCount);
  const topics = rng.int(2, TOPIC_WORDS.length);
  const dedicatedDatabase = rng.chance(0.5);
  const tier = index === 0 ? CriticalityTier.TIER_1 : pickTier(rng);
  const cluster = rng.int(0, clusterCount - 1);
  return withOffsets({ index, name: domainName(index), tier, cluster, apps, businessServices, topics, dedicatedDatabase, appOffsets: [], serviceCount: 0 });
}

function withOffsets(shape: DomainShape): DomainShape {
  const appOffsets: number[] = [];
  let offset = 0;
  for (const count of shape.apps) {
    appOffsets.push(offset);
    offset += count;
  }
  return { ...shape, appOffsets, serviceCount: offset };
}

const NESTED_SHARE: Record<CriticalityTier, number> = {
  TIER_1: 0.3,
  TIER_2: 0.1,
  TIER_3: 0.03,
  TIER_4: 0.02,
};

/**
 * What a service is made of. Drawn from the service's own stream, so other
 * domains can tell whether it exposes an API without generating its domain.
 */
function serviceProfile(seed: number, domain: DomainShape, app: number, role: number): ServiceProfile {
  const rng = new Rng(hashInts(seed, domain.index, app, role, 0x5e7c));
  const r = rng.next();
  // The last service of the first application, the one least called, always runs as one plain
  // workload: that workload is the documented leaf.
  const leaf = app === 0 && role === domain.apps[0] - 1;
  const compute: Compute = leaf ? 'k8s' : r < NESTED_SHARE[domain.tier] ? 'nested' : r < NESTED_SHARE[domain.tier] + 0.15 ? 'vm' : 'k8s';
  const api = role === 0 || rng.chance(0.25);
  const database = rng.chance(0.4);
  const cache = rng.chance(0.2);
  return { compute, api, database, cache };
}

function serviceCiCount(profile: ServiceProfile): number {
  const compute = profile.compute === 'nested' ? 1 + ZONE_LETTERS.length * 3 : 1;
  return 1 + compute + Number(profile.api) + Number(profile.database) + Number(profile.cache);
}

function domainCiCount(seed: number, shape: DomainShape): number {
  let count = 1 + shape.businessServices + shape.apps.length + 1 /* namespace */ + 1 /* certificate */ + shape.topics;
  if (shape.dedicatedDatabase) count += 1 + ZONE_LETTERS.length * 2;
  shape.apps.forEach((services, app) => {
    for (let role = 0; role < services; role++) count += serviceCiCount(serviceProfile(seed, shape, app, role));
  });
  return count;
}

/** Drops services from the end until the domain fits in `budget` CIs; null if even one app with two services does not. */
function shrinkToFit(seed: number, shape: DomainShape, budget: number): DomainShape | null {
  let current = shape;
  for (;;) {
    if (domainCiCount(seed, current) <= budget) return current;
    const apps = [...current.apps];
    apps[apps.length - 1] -= 1;
    if (apps[apps.length - 1] < 2) apps.pop();
    if (apps.length === 0) return null;
    current = withOffsets({ ...current, apps, businessServices: Math.min(current.businessServices, apps.length) });
  }
}

function makePlan(options: EnterpriseOptions): Plan {
  const total = totalOf(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const regionCount = total < 5_000 ? 2 : 3;
  const regions = REGIONS.slice(0, regionCount);
  const clusterCount = clamp(Math.round(Math.sqrt(total) / 40), 2, 12);
  const clusters = Array.from({ length: clusterCount }, (_, i) => ({
    name: `prod-${regions[i % regionCount].replace(/-/g, '')}-${Math.floor(i / regionCount) + 1}`,
    region: i % regionCount,
  }));
  const plan: Plan = {
    seed,
    cis: total,
    regions,
    clusters,
    nodesPerZone: clamp(2 + Math.round(total / 25_000), 2, 20),
    hostsPerZone: clamp(Math.ceil(total / 4_000), 2, 200),
    sharedDatabaseClusters: clamp(Math.ceil(total / 20_000), 2, 40),
    kafkaBrokers: total >= 50_000 ? 5 : 3,
    domains: [],
    filler: 0,
  };
  const counter = new CountingSink();
  emitShared(plan, counter);
  let remaining = total - counter.cis;
  if (remaining < 0) throw new Error(`cis ${total} is too small for the shared platform alone (${counter.cis})`);
  // Small enterprises still get several domains (the bench keys need three): no domain takes more than a quarter.
  const largestDomain = Math.floor(remaining / 4);
  for (let index = 0; ; index++) {
    const shape = shrinkToFit(seed, domainShape(seed, index, clusterCount), Math.min(remaining, largestDomain));
    if (!shape) break;
    plan.domains.push(shape);
    remaining -= domainCiCount(seed, shape);
  }
  if (plan.domains.length < 3) throw new Error(`cis ${total} leaves room for fewer than 3 business domains`);
  plan.filler = remaining;
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Emission
// ---------------------------------------------------------------------------------------------------

interface Sink {
  readonly wantCis: boolean;
  readonly wantDependencies: boolean;
  ci(spec: CiSpec): void;
  dependency(spec: DepSpec): void;
}

class CountingSink implements Sink {
  readonly wantCis = true;
  cis = 0;
  dependencies = 0;
  constructor(readonly wantDependencies = false) {}
  ci(): void {
    this.cis++;
  }
  dependency(): void {
    this.dependencies++;
  }
}

class CollectingSink implements Sink {
  readonly cis: CiSpec[] = [];
  readonly dependencies: DepSpec[] = [];
  constructor(readonly wantCis: boolean, readonly wantDependencies: boolean) {}
  ci(spec: CiSpec): void {
    this.cis.push(spec);
  }
  dependency(spec: DepSpec): void {
    this.dependencies.push(spec);
  }
}

/**
 * All dependencies of one consumer are declared through one of these, in one
 * place, so a pair is never emitted twice and never points at itself.
 */
class Needs {
  private readonly seen = new Set<string>();
  constructor(private readonly sink: Sink, private readonly from: string) {}

  on(to: string, type: DependencyType, strength: DependencyStrength = HARD): void {
    if (to === this.from || this.seen.has(to)) return;
    this.seen.add(to);
    if (this.sink.wantDependencies) this.sink.dependency({ from: this.from, to, type, strength });
  }
}

function title(words: string): string {
  return words
    .split(/[-./]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

interface CiFields {
  tags?: string[];
  attributes?: Record<string, AttributeValue>;
  criticality?: CriticalityTier;
  revenuePerHour?: number;
  usersAffected?: number;
  minHealthy?: number;
}

/** Declares a CI and returns the place to declare what it needs. */
function declare(sink: Sink, key: string, kind: CIKind, name: string, owner: string, environment: string, fields: CiFields = {}): Needs {
  if (sink instanceof CountingSink) {
    sink.cis++;
  } else if (sink.wantCis) {
    const spec: CiSpec = { key, kind, name, owner, environment, tags: fields.tags ?? [], attributes: fields.attributes ?? {} };
    if (fields.criticality !== undefined) spec.criticality = fields.criticality;
    if (fields.revenuePerHour !== undefined) spec.revenuePerHour = fields.revenuePerHour;
    if (fields.usersAffected !== undefined) spec.usersAffected = fields.usersAffected;
    if (fields.minHealthy !== undefined) spec.minHealthy = fields.minHealthy;
    sink.ci(spec);
  }
  return new Needs(sink, key);
}

/** A redundancy group over `members`, needing `minHealthy` of them. */
function group(sink: Sink, key: string, name: string, owner: string, environment: string, minHealthy: number, members: string[]): void {
  const needs = declare(sink, key, CIKind.REDUNDANCY_GROUP, name, owner, environment, {
    minHealthy,
    attributes: { members: members.length },
  });
  for (const member of members) needs.on(member, T.HAS_MEMBER);
}

const zoneKey = (region: string, letter: string) => `zone:${region}${letter}`;
const clusterKey = (cluster: ClusterPlan) => `k8s:${cluster.name}`;
const meshKey = (cluster: ClusterPlan) => `svc:mesh-${cluster.name}`;
const hostKey = (zone: string, index: number) => `host:hv-${zone}-${index + 1}`;
const sharedDatabaseKey = (index: number) => `rg:shared-postgres-${index + 1}`;
const backupsKey = (region: string) => `storage:backups-${region}`;

/** The platform every domain stands on: network, zones, DNS, identity, clusters, brokers, shared databases. */
function emitShared(plan: Plan, sink: Sink): void {
  const env = 'shared';
  declare(sink, SHARED.prodAccount, CIKind.CLOUD_ACCOUNT, 'Production cloud account', 'team-cloud', env);
  declare(sink, SHARED.sharedAccount, CIKind.CLOUD_ACCOUNT, 'Shared services cloud account', 'team-cloud', env);
  const edgeMembers: string[] = [];
  const resolvers: string[] = [];
  plan.regions.forEach((region) => {
    declare(sink, `region:${region}`, CIKind.REGION, region, 'team-cloud', env);
    const switches = [1, 2].map((i) => `net:core-${region}-switch-${i}`);
    for (const sw of switches) {
      declare(sink, sw, CIKind.NETWORK_DEVICE, `Core switch ${sw.slice(-1)} (${region})`, 'team-network', env, {
        tags: ['core-network'],
        attributes: { vendor: 'arista', model: '7280R3' },
      });
    }
    group(sink, `rg:core-switches-${region}`, `Core switches ${region}`, 'team-network', env, 1, switches);
    const vpc = declare(sink, `net:vpc-${region}`, CIKind.NETWORK, `Production VPC ${region}`, 'team-network', env, {
      attributes: { cidr: `10.${REGIONS.indexOf(region)}.0.0/16` },
    });
    vpc.on(`rg:core-switches-${region}`, T.ROUTES_THROUGH);
    vpc.on(SHARED.prodAccount, T.DEPLOYED_IN);
    for (const letter of ZONE_LETTERS) {
      const zone = declare(sink, zoneKey(region, letter), CIKind.ZONE, `${region}${letter}`, 'team-cloud', env);
      zone.on(`region:${region}`, T.DEPLOYED_IN);
      zone.on(`net:vpc-${region}`, T.ROUTES_THROUGH);
      for (let h = 0; h < plan.hostsPerZone; h++) {
        declare(sink, hostKey(`${region}${letter}`, h), CIKind.HOST, `Hypervisor ${h + 1} in ${region}${letter}`, 'team-compute', env, {
          attributes: { cores: 64, memoryGb: 512 },
        }).on(zoneKey(region, letter), T.DEPLOYED_IN);
      }
    }
    declare(sink, backupsKey(region), CIKind.STORAGE, `Database backups ${region}`, 'team-dba', env, { attributes: { retentionDays: 35 } }).on(
      SHARED.prodAccount,
      T.DEPLOYED_IN,
    );
    const lb = declare(sink, `lb:edge-${region}`, CIKind.LOAD_BALANCER, `Edge load balancer ${region}`, 'team-network', env, { tags: ['internet-facing'] });
    lb.on(`net:vpc-${region}`, T.ROUTES_THROUGH);
    edgeMembers.push(`lb:edge-${region}`);
    for (const i of [1, 2]) {
      const letter = ZONE_LETTERS[i - 1];
      const vm = `vm:dns-${region}-${i}`;
      declare(sink, vm, CIKind.VM, `DNS resolver VM ${i} (${region})`, 'team-network', env, { attributes: { instanceType: 'c6i.large' } }).on(
        zoneKey(region, letter),
        T.DEPLOYED_IN,
      );
      const resolver = `dns:resolver-${region}-${i}`;
      declare(sink, resolver, CIKind.DNS, `DNS resolver ${i} (${region})`, 'team-network', env).on(vm, T.RUNS_ON);
      resolvers.push(resolver);
    }
  });
  group(sink, SHARED.edge, 'Edge load balancers', 'team-network', env, 1, edgeMembers);
  group(sink, SHARED.dnsGroup, 'Internal DNS resolvers', 'team-network', env, Math.max(1, resolvers.length / 2), resolvers);
  declare(sink, SHARED.dns, CIKind.DNS, 'Internal DNS', 'team-network', env, { tags: ['tier-0'] }).on(SHARED.dnsGroup, T.USES);
  declare(sink, SHARED.ca, CIKind.CERTIFICATE, 'Internal certificate authority', 'team-security', env, { tags: ['tier-0'] });

  // Stateful platform pieces: three nodes, one per zone of the first region, on their own hosts or VMs.
  const home = plan.regions[0];
  const triplet = (prefix: string, kind: CIKind, owner: string, label: string, on: 'vm' | 'host') =>
    ZONE_LETTERS.map((letter) => {
      const computeKey = `${on}:${prefix}-${home}${letter}`;
      if (on === 'vm') {
        declare(sink, computeKey, CIKind.VM, `${label} VM ${home}${letter}`, owner, env, { attributes: { instanceType: 'm6i.xlarge' } }).on(
          zoneKey(home, letter),
          T.DEPLOYED_IN,
        );
      } else {
        declare(sink, computeKey, CIKind.HOST, `${label} host ${home}${letter}`, owner, env).on(zoneKey(home, letter), T.DEPLOYED_IN);
      }
      const node = `${kind === CIKind.IDENTITY_PROVIDER ? 'idp' : 'svc'}:${prefix}-node-${home}${letter}`;
      declare(sink, node, kind, `${label} node ${home}${letter}`, owner, env).on(computeKey, T.RUNS_ON);
      return node;
    });
  group(sink, 'rg:idp-nodes', 'Identity provider nodes', 'team-identity', env, 1, triplet('sso', CIKind.IDENTITY_PROVIDER, 'team-identity', 'SSO', 'vm'));
  const idp = declare(sink, SHARED.idp, CIKind.IDENTITY_PROVIDER, 'Corporate single sign-on', 'team-identity', env, { tags: ['tier-0'] });
  idp.on('rg:idp-nodes', T.RUNS_ON);
  idp.on(SHARED.dns, T.RESOLVES_VIA);
  idp.on(sharedDatabaseKey(0), T.STORES_DATA_IN);
  group(sink, 'rg:vault-nodes', 'Vault nodes', 'team-security', env, 2, triplet('vault', CIKind.SERVICE, 'team-security', 'Vault', 'vm'));
  const vault = declare(sink, SHARED.vault, CIKind.SERVICE, 'Secrets vault', 'team-security', env, { tags: ['tier-0'] });
  vault.on('rg:vault-nodes', T.RUNS_ON);
  vault.on(SHARED.dns, T.RESOLVES_VIA);
  declare(sink, SHARED.observability, CIKind.SAAS, 'Observability (logs, metrics, traces)', 'team-sre', env, {
    attributes: { vendor: 'observability-saas' },
  });

  const brokers = Array.from({ length: plan.kafkaBrokers }, (_, i) => {
    const letter = ZONE_LETTERS[i % ZONE_LETTERS.length];
    const host = `host:kafka-${i + 1}`;
    declare(sink, host, CIKind.HOST, `Kafka host ${i + 1}`, 'team-messaging', env).on(zoneKey(home, letter), T.DEPLOYED_IN);
    const broker = `mq:kafka-broker-${i + 1}`;
    declare(sink, broker, CIKind.QUEUE, `Kafka broker ${i + 1}`, 'team-messaging', env, { attributes: { version: '3.7' } }).on(host, T.RUNS_ON);
    return broker;
  });
  group(sink, SHARED.kafka, 'Kafka cluster', 'team-messaging', env, Math.ceil(plan.kafkaBrokers / 2), brokers);
  declare(sink, SHARED.audit, CIKind.QUEUE, 'Platform audit log topic', 'team-security', env).on(SHARED.kafka, T.HOSTED_ON);

  for (let c = 0; c < plan.sharedDatabaseClusters; c++) {
    const region = plan.regions[c % plan.regions.length];
    const nodes = ZONE_LETTERS.map((letter) => {
      const host = `host:pg-${c + 1}-${region}${letter}`;
      declare(sink, host, CIKind.HOST, `Postgres host ${c + 1} ${region}${letter}`, 'team-dba', env, { attributes: { cores: 32, memoryGb: 256 } }).on(
        zoneKey(region, letter),
        T.DEPLOYED_IN,
      );
      const node = `db:shared-postgres-${c + 1}-${region}${letter}`;
      declare(sink, node, CIKind.DATABASE, `Shared Postgres ${c + 1} node ${region}${letter}`, 'team-dba', env, {
        attributes: { engine: 'postgresql', version: '16' },
      }).on(host, T.RUNS_ON);
      return node;
    });
    group(sink, sharedDatabaseKey(c), `Shared Postgres cluster ${c + 1}`, 'team-dba', env, 2, nodes);
  }

  plan.clusters.forEach((cluster) => {
    const region = plan.regions[cluster.region];
    const zoneGroups = ZONE_LETTERS.map((letter) => {
      const vms = Array.from({ length: plan.nodesPerZone }, (_, i) => {
        const vm = `vm:k8s-${cluster.name}-${letter}${i + 1}`;
        declare(sink, vm, CIKind.VM, `${cluster.name} node ${letter}${i + 1}`, 'team-kubernetes', env, { attributes: { instanceType: 'm6i.2xlarge' } }).on(
          zoneKey(region, letter),
          T.DEPLOYED_IN,
        );
        return vm;
      });
      const zoneGroup = `rg:k8s-${cluster.name}-nodes-${region}${letter}`;
      group(sink, zoneGroup, `${cluster.name} nodes in ${region}${letter}`, 'team-kubernetes', env, 1, vms);
      return zoneGroup;
    });
    group(sink, `rg:k8s-${cluster.name}-nodes`, `${cluster.name} node pools`, 'team-kubernetes', env, 2, zoneGroups);
    const k8s = declare(sink, clusterKey(cluster), CIKind.KUBERNETES_CLUSTER, `Kubernetes ${cluster.name}`, 'team-kubernetes', env, {
      attributes: { version: '1.30', region },
    });
    k8s.on(`rg:k8s-${cluster.name}-nodes`, T.RUNS_ON);
    k8s.on(SHARED.prodAccount, T.DEPLOYED_IN);
    declare(sink, meshKey(cluster), CIKind.SERVICE, `Service mesh control plane ${cluster.name}`, 'team-kubernetes', env).on(clusterKey(cluster), T.RUNS_ON);
  });

  // Platform services on the first cluster.
  const platformCluster = plan.clusters[0];
  const namespace = `k8s:${platformCluster.name}/platform`;
  declare(sink, namespace, CIKind.KUBERNETES_NAMESPACE, `${platformCluster.name}/platform`, 'team-platform', env).on(clusterKey(platformCluster), T.DEPLOYED_IN);
  const platform: [string, string][] = [
    [SHARED.config, 'Configuration service'],
    [SHARED.flags, 'Feature flags'],
    [SHARED.gateway, 'API gateway'],
  ];
  for (const [key, name] of platform) {
    const workload = `${namespace}/deployment/${key.slice('svc:platform-'.length)}`;
    declare(sink, workload, CIKind.KUBERNETES_WORKLOAD, workload.slice(4), 'team-platform', env).on(namespace, T.DEPLOYED_IN);
    const needs = declare(sink, key, CIKind.SERVICE, name, 'team-platform', env, { tags: ['platform'] });
    needs.on(workload, T.RUNS_ON);
    needs.on(SHARED.dns, T.RESOLVES_VIA);
    needs.on(SHARED.vault, T.SECURED_BY);
  }
}

function serviceName(seed: number, shape: DomainShape, app: number, role: number): string {
  return `${appWord(seed, shape, app)}-${SERVICE_ROLES[role]}`;
}

function appWord(seed: number, shape: DomainShape, app: number): string {
  return APP_WORDS[(hashInts(seed, shape.index, 0xa9) + app) % APP_WORDS.length];
}

const serviceKey = (shape: DomainShape, name: string) => `svc:${shape.name}/${name}`;
const apiKey = (shape: DomainShape, name: string) => `api:${shape.name}/${name}`;
const databaseKey = (shape: DomainShape, name: string) => `db:${shape.name}/${name}`;
const topicKey = (shape: DomainShape, topic: number) => `mq:${shape.name}.${TOPIC_WORDS[topic]}`;
const businessServiceKey = (shape: DomainShape, index: number) => `bs:${shape.name}-${BUSINESS_SERVICE_WORDS[index]}`;
const workloadKey = (plan: Plan, shape: DomainShape, name: string) => `k8s:${plan.clusters[shape.cluster].name}/${shape.name}/deployment/${name}`;

function revenueFor(tier: CriticalityTier, rng: Rng): { revenuePerHour: number; usersAffected: number } {
  switch (tier) {
    case CriticalityTier.TIER_1:
      return { revenuePerHour: rng.int(50, 500) * 1_000, usersAffected: rng.int(100, 2_000) * 1_000 };
    case CriticalityTier.TIER_2:
      return { revenuePerHour: rng.int(10, 100) * 1_000, usersAffected: rng.int(10, 300) * 1_000 };
    case CriticalityTier.TIER_3:
      return { revenuePerHour: rng.int(1, 20) * 1_000, usersAffected: rng.int(100, 20_000) };
    default:
      return { revenuePerHour: rng.int(0, 20) * 100, usersAffected: rng.int(5, 500) };
  }
}

/**
 * One business domain: its business function, business services,
 * applications and services with everything under them that is theirs alone.
 * Every random draw happens whatever the sink keeps, so the CIs and the
 * dependencies of a domain come out the same in one pass or in two.
 */
function emitDomain(plan: Plan, shape: DomainShape, sink: Sink): void {
  const { seed } = plan;
  const rng = new Rng(hashInts(seed, shape.index, 0xd0));
  const owner = `team-${shape.name}`;
  const env = 'production';
  const cluster = plan.clusters[shape.cluster];
  const region = plan.regions[cluster.region];
  const namespace = `k8s:${cluster.name}/${shape.name}`;
  const cert = `cert:${shape.name}`;
  const domainTags = shape.tier === CriticalityTier.TIER_1 ? ['tier-1'] : [];
  const profiles = shape.apps.map((services, app) => Array.from({ length: services }, (_, role) => serviceProfile(seed, shape, app, role)));

  // Business layer.
  const money = revenueFor(shape.tier, rng);
  const bf = declare(sink, `bf:${shape.name}`, CIKind.BUSINESS_FUNCTION, title(shape.name), owner, env, {
    tags: domainTags,
    criticality: shape.tier,
    ...money,
  });
  for (let b = 0; b < shape.businessServices; b++) bf.on(businessServiceKey(shape, b), T.USES);
  if (shape.index > 0 && rng.chance(0.25)) {
    const other = plan.domains[rng.skewedIndex(shape.index, 2)];
    bf.on(businessServiceKey(other, 0), T.USES, rng.chance(0.5) ? HARD : SOFT);
  }
  for (let b = 0; b < shape.businessServices; b++) {
    const share = 1 / shape.businessServices;
    const bs = declare(sink, businessServiceKey(shape, b), CIKind.BUSINESS_SERVICE, `${title(shape.name)} ${title(BUSINESS_SERVICE_WORDS[b])}`, owner, env, {
      tags: domainTags,
      criticality: shape.tier,
      revenuePerHour: Math.round(money.revenuePerHour * share),
      usersAffected: Math.round(money.usersAffected * share),
    });
    for (let app = b; app < shape.apps.length; app += shape.businessServices) {
      bs.on(`app:${shape.name}-${appWord(seed, shape, app)}`, T.COMPOSED_OF);
    }
    if (rng.chance(0.3)) bs.on(`app:${shape.name}-${appWord(seed, shape, rng.int(0, shape.apps.length - 1))}`, T.USES, SOFT);
  }

  // Applications.
  shape.apps.forEach((services, app) => {
    const customerFacing = rng.chance(0.5);
    const word = appWord(seed, shape, app);
    const needs = declare(sink, `app:${shape.name}-${word}`, CIKind.APPLICATION, `${title(shape.name)} ${title(word)}`, owner, env, {
      tags: customerFacing ? ['customer-facing', ...domainTags] : domainTags,
      attributes: { repository: `git/${shape.name}/${word}` },
    });
    for (let role = 0; role < services; role++) {
      const name = serviceName(seed, shape, app, role);
      if (profiles[app][role].api) needs.on(apiKey(shape, name), T.COMPOSED_OF);
      needs.on(serviceKey(shape, name), T.COMPOSED_OF);
    }
    if (customerFacing) {
      needs.on(SHARED.edge, T.ROUTES_THROUGH);
      needs.on(cert, T.SECURED_BY);
      needs.on(SHARED.idp, T.AUTHENTICATES_VIA);
    }
  });

  // What the domain owns beside its services.
  declare(sink, namespace, CIKind.KUBERNETES_NAMESPACE, `${cluster.name}/${shape.name}`, owner, env).on(clusterKey(cluster), T.DEPLOYED_IN);
  declare(sink, cert, CIKind.CERTIFICATE, `${shape.name}.internal certificate`, owner, env, { attributes: { issuer: 'internal-ca' } }).on(
    SHARED.ca,
    T.USES,
  );
  for (let t = 0; t < shape.topics; t++) {
    declare(sink, topicKey(shape, t), CIKind.QUEUE, `${shape.name}.${TOPIC_WORDS[t]} topic`, owner, env, { attributes: { partitions: 12 } }).on(
      SHARED.kafka,
      T.HOSTED_ON,
    );
  }
  const dedicated = `rg:${shape.name}-postgres`;
  if (shape.dedicatedDatabase) {
    const nodes = ZONE_LETTERS.map((letter) => {
      const vm = `vm:${shape.name}-postgres-${letter}`;
      declare(sink, vm, CIKind.VM, `${title(shape.name)} Postgres VM ${region}${letter}`, owner, env, { attributes: { instanceType: 'r6i.xlarge' } }).on(
        zoneKey(region, letter),
        T.DEPLOYED_IN,
      );
      const node = `db:${shape.name}-postgres-${letter}`;
      declare(sink, node, CIKind.DATABASE, `${title(shape.name)} Postgres node ${region}${letter}`, owner, env, {
        attributes: { engine: 'postgresql', version: '15' },
      }).on(vm, T.RUNS_ON);
      return node;
    });
    group(sink, dedicated, `${title(shape.name)} Postgres cluster`, owner, env, 2, nodes);
  }

  // Services and what is theirs alone.
  const withDatabase: string[] = [];
  shape.apps.forEach((services, app) => {
    for (let role = 0; role < services; role++) {
      const profile = profiles[app][role];
      const name = serviceName(seed, shape, app, role);
      const key = serviceKey(shape, name);
      const position = shape.appOffsets[app] + role;
      const svc = declare(sink, key, CIKind.SERVICE, `${title(shape.name)} ${title(name)}`, owner, env, {
        tags: domainTags,
        attributes: { language: rng.pick(LANGUAGES), replicas: profile.compute === 'nested' ? 6 : rng.int(1, 4) },
      });

      // Compute.
      if (profile.compute === 'k8s') {
        const workload = workloadKey(plan, shape, name);
        const w = declare(sink, workload, CIKind.KUBERNETES_WORKLOAD, workload.slice(4), owner, env, { attributes: { kind: 'Deployment' } });
        w.on(namespace, T.DEPLOYED_IN);
        w.on(meshKey(cluster), T.ROUTES_THROUGH);
        svc.on(workload, T.RUNS_ON);
      } else if (profile.compute === 'vm') {
        const vm = `vm:${shape.name}-${name}`;
        const host = hostKey(`${region}${rng.pick(ZONE_LETTERS)}`, rng.int(0, plan.hostsPerZone - 1));
        declare(sink, vm, CIKind.VM, `${title(shape.name)} ${title(name)} VM`, owner, env, { attributes: { instanceType: rng.pick(INSTANCE_TYPES) } }).on(
          host,
          T.HOSTED_ON,
        );
        svc.on(vm, T.RUNS_ON);
      } else {
        const zoneGroups = ZONE_LETTERS.map((letter) => {
          const vms = [1, 2].map((i) => {
            const vm = `vm:${shape.name}-${name}-${letter}${i}`;
            declare(sink, vm, CIKind.VM, `${title(shape.name)} ${title(name)} VM ${letter}${i}`, owner, env, {
              attributes: { instanceType: rng.pick(INSTANCE_TYPES) },
            }).on(zoneKey(region, letter), T.DEPLOYED_IN);
            return vm;
          });
          const zoneGroup = `rg:${shape.name}/${name}-${region}${letter}`;
          group(sink, zoneGroup, `${title(name)} replicas in ${region}${letter}`, owner, env, 1, vms);
          return zoneGroup;
        });
        const replicas = `rg:${shape.name}/${name}-replicas`;
        group(sink, replicas, `${title(name)} replicas`, owner, env, 2, zoneGroups);
        svc.on(replicas, T.RUNS_ON);
      }

      // Interface, data.
      if (profile.api) {
        const api = declare(sink, apiKey(shape, name), CIKind.API, `${title(shape.name)} ${title(name)} API`, owner, env, { attributes: { style: 'rest' } });
        api.on(key, T.USES);
        if (rng.chance(0.6)) api.on(SHARED.gateway, T.ROUTES_THROUGH);
        if (rng.chance(0.5)) api.on(cert, T.SECURED_BY);
      }
      if (profile.database) {
        const db = databaseKey(shape, name);
        const databaseCluster = shape.dedicatedDatabase && rng.chance(0.6) ? dedicated : sharedDatabaseKey(rng.int(0, plan.sharedDatabaseClusters - 1));
        const database = declare(sink, db, CIKind.DATABASE, `${title(shape.name)} ${title(name)} database`, owner, env, { attributes: { engine: 'postgresql' } });
        database.on(databaseCluster, T.HOSTED_ON);
        svc.on(db, T.STORES_DATA_IN);
        withDatabase.push(db);
        database.on(backupsKey(region), T.USES, SOFT);
      }
      if (profile.cache) {
        const cache = `cache:${shape.name}/${name}`;
        declare(sink, cache, CIKind.CACHE, `${title(shape.name)} ${title(name)} cache`, owner, env, { attributes: { engine: 'redis' } }).on(
          namespace,
          T.DEPLOYED_IN,
        );
        svc.on(cache, T.USES, rng.chance(0.5) ? HARD : SOFT);
      }
      if (withDatabase.length > 1 && rng.chance(0.15)) svc.on(rng.pick(withDatabase), T.READS_FROM, rng.chance(0.6) ? SOFT : HARD);

      // Calls: mostly earlier services of the domain (their cores are hubs), some into hub domains.
      const calls = rng.int(3, 11);
      for (let c = 0; c < calls; c++) {
        const soft = rng.chance(0.1);
        const target = callTarget(plan, shape, app, role, position, rng);
        if (!target) continue;
        const targetName = serviceName(seed, target.shape, target.app, target.role);
        const viaApi = serviceProfile(seed, target.shape, target.app, target.role).api && rng.chance(0.7);
        svc.on(viaApi ? apiKey(target.shape, targetName) : serviceKey(target.shape, targetName), T.CALLS, soft ? SOFT : HARD);
      }
      // A few deliberate two-service cycles: an app's core and its worker call each other.
      if (app === 0 && shape.index % 3 === 0 && role <= 1) {
        svc.on(serviceKey(shape, serviceName(seed, shape, 0, 1 - role)), T.CALLS);
      }

      // Messaging.
      if (rng.chance(0.5)) svc.on(topicKey(shape, rng.int(0, shape.topics - 1)), T.PUBLISHES_TO);
      if (rng.chance(0.4)) {
        const source = rng.chance(0.7) ? shape : plan.domains[rng.skewedIndex(plan.domains.length, 2)];
        svc.on(topicKey(source, rng.int(0, source.topics - 1)), T.CONSUMES_FROM);
      }

      // The shared platform, under most services.
      if (rng.chance(0.95)) svc.on(SHARED.dns, T.RESOLVES_VIA);
      if (rng.chance(0.65)) svc.on(SHARED.idp, T.AUTHENTICATES_VIA);
      if (rng.chance(0.55)) svc.on(SHARED.vault, T.SECURED_BY);
      if (rng.chance(0.3)) svc.on(SHARED.config, T.CONFIGURED_BY);
      if (rng.chance(0.35)) svc.on(SHARED.flags, T.CONFIGURED_BY, SOFT);
      if (rng.chance(0.6)) svc.on(SHARED.observability, T.USES, SOFT);
      if (rng.chance(0.15)) svc.on(SHARED.audit, T.PUBLISHES_TO, SOFT);
    }
  });
}

interface ServiceRef {
  shape: DomainShape;
  app: number;
  role: number;
}

function callTarget(plan: Plan, shape: DomainShape, app: number, role: number, position: number, rng: Rng): ServiceRef | null {
  if (rng.chance(0.3) || position === 0) {
    // Only into earlier domains, skewed to the first (the hubs): across domains the call graph stays
    // layered, as real ones mostly are, instead of melting into one giant cycle.
    if (shape.index === 0) return null;
    const other = plan.domains[rng.skewedIndex(shape.index, 2.5)];
    const targetApp = rng.skewedIndex(other.apps.length, 2);
    return { shape: other, app: targetApp, role: rng.skewedIndex(other.apps[targetApp], 2.5) };
  }
  if (role > 0 && rng.chance(0.5)) return { shape, app, role: rng.skewedIndex(role, 2) };
  // Any earlier service of the domain, skewed towards the first (the domain's core).
  const target = rng.skewedIndex(position, 2);
  let targetApp = 0;
  while (targetApp + 1 < shape.apps.length && shape.appOffsets[targetApp + 1] <= target) targetApp++;
  return { shape, app: targetApp, role: target - shape.appOffsets[targetApp] };
}

/** Secrets in the vault that make the CI count come out exact. */
function emitFiller(plan: Plan, sink: Sink): void {
  for (let i = 0; i < plan.filler; i++) {
    declare(sink, `secret:platform/credential-${i + 1}`, CIKind.SECRET, `Platform credential ${i + 1}`, 'team-security', 'shared').on(
      SHARED.vault,
      T.HOSTED_ON,
    );
  }
}

/** Emits the blocks one at a time: the shared platform, each domain, the filler. */
function* blocks(plan: Plan, wantCis: boolean, wantDependencies: boolean): Generator<EnterpriseBatch> {
  const emitters: ((sink: Sink) => void)[] = [
    (sink) => emitShared(plan, sink),
    ...plan.domains.map((shape) => (sink: Sink) => emitDomain(plan, shape, sink)),
    (sink) => emitFiller(plan, sink),
  ];
  for (const emit of emitters) {
    const sink = new CollectingSink(wantCis, wantDependencies);
    emit(sink);
    yield { cis: sink.cis, dependencies: sink.dependencies };
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

/** Generates the whole enterprise in memory. Comfortable up to L (100,000 CIs); for XL prefer `enterpriseBatches`. */
export function generateEnterprise(options: EnterpriseOptions = {}): Enterprise {
  const plan = makePlan(options);
  const cis: CiSpec[] = [];
  const dependencies: DepSpec[] = [];
  for (const block of blocks(plan, true, true)) {
    for (const ci of block.cis) cis.push(ci);
    for (const dependency of block.dependencies) dependencies.push(dependency);
  }
  return { cis, dependencies };
}

/**
 * The same enterprise as `generateEnterprise`, as write batches of at most
 * `batchSize` items without holding the whole graph: a first pass yields the
 * CIs, a second pass regenerates the domains and yields the dependencies, so
 * every endpoint exists before an edge names it. Memory stays at one domain
 * plus one batch, whatever the size.
 */
export function* enterpriseBatches(options: EnterpriseOptions, batchSize: number): Generator<EnterpriseBatch> {
  checkBatchSize(batchSize);
  const plan = makePlan(options);
  let cis: CiSpec[] = [];
  for (const block of blocks(plan, true, false)) {
    for (const ci of block.cis) {
      cis.push(ci);
      if (cis.length === batchSize) {
        yield { cis, dependencies: [] };
        cis = [];
      }
    }
  }
  if (cis.length) yield { cis, dependencies: [] };
  let dependencies: DepSpec[] = [];
  for (const block of blocks(plan, false, true)) {
    for (const dependency of block.dependencies) {
      dependencies.push(dependency);
      if (dependencies.length === batchSize) {
        yield { cis: [], dependencies };
        dependencies = [];
      }
    }
  }
  if (dependencies.length) yield { cis: [], dependencies };
}

/** Write batches of at most `batchSize` items: all CIs first, then all dependencies. */
export function* batches(enterprise: Enterprise, batchSize: number): Generator<EnterpriseBatch> {
  checkBatchSize(batchSize);
  for (let i = 0; i < enterprise.cis.length; i += batchSize) {
    yield { cis: enterprise.cis.slice(i, i + batchSize), dependencies: [] };
  }
  for (let i = 0; i < enterprise.dependencies.length; i += batchSize) {
    yield { cis: [], dependencies: enterprise.dependencies.slice(i, i + batchSize) };
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a whole number of at least 1, got ${batchSize}`);
}

/** How many CIs and dependencies `generateEnterprise` would return, without keeping any of them. */
export function countEnterprise(options: EnterpriseOptions = {}): { cis: number; dependencies: number } {
  const plan = makePlan(options);
  const counter = new CountingSink(true);
  emitShared(plan, counter);
  for (const shape of plan.domains) emitDomain(plan, shape, counter);
  emitFiller(plan, counter);
  return { cis: counter.cis, dependencies: counter.dependencies };
}

/**
 * Keys with known roles for a given size and seed, computed from the plan
 * alone (nothing is generated): a leaf workload, a mid-tier service and the
 * shared DNS. They exist in every enterprise this module generates.
 */
export function benchKeys(options: EnterpriseOptions = {}): BenchKeys {
  const plan = makePlan(options);
  const domains = plan.domains;
  // Neither domain is the last one, which may have been shrunk to fit the CI count.
  const leafDomain = domains[domains.length - 2];
  const midDomain = domains[Math.max(1, Math.floor(domains.length / 3))];
  return {
    leaf: workloadKey(plan, leafDomain, serviceName(plan.seed, leafDomain, 0, leafDomain.apps[0] - 1)),
    midTier: serviceKey(midDomain, serviceName(plan.seed, midDomain, 0, 0)),
    shared: SHARED.dns,
  };
}

/**
 * `benchKeys` of each size at DEFAULT_SEED, written out so reports and docs
 * can name them; a unit test keeps them equal to what the generator makes.
 */
export const BENCH_KEYS: Readonly<Record<EnterpriseSize, BenchKeys>> = Object.freeze({
  S: { leaf: 'k8s:prod-useast1-1/returns/deployment/web-projector', midTier: 'svc:catalog/backoffice-core', shared: 'dns:internal' },
  M: { leaf: 'k8s:prod-euwest1-1/notifications-3/deployment/mobile-backend-adapter', midTier: 'svc:point-of-sale/console-core', shared: 'dns:internal' },
  L: { leaf: 'k8s:prod-euwest1-1/partner-api-24/deployment/console-scheduler', midTier: 'svc:treasury-8/planner-core', shared: 'dns:internal' },
  XL: { leaf: 'k8s:prod-eucentral1-4/analytics-245/deployment/tracker-notifier', midTier: 'svc:content-82/ledger-core', shared: 'dns:internal' },
});

/** Facts about a generated enterprise, for tests, the CLI and benchmark reports. */
export interface EnterpriseStats {
  cis: number;
  dependencies: number;
  softShare: number;
  byKind: Partial<Record<CIKind, number>>;
  redundancyGroups: number;
  /** Redundancy groups that have another redundancy group as a member. */
  nestedRedundancyGroups: number;
  /** Keys with the most dependents, most first. */
  topFanIn: { key: string; dependents: number }[];
}

export function enterpriseStats(enterprise: Enterprise): EnterpriseStats {
  const byKind: Partial<Record<CIKind, number>> = {};
  const kindOf = new Map<string, CIKind>();
  for (const ci of enterprise.cis) {
    byKind[ci.kind] = (byKind[ci.kind] ?? 0) + 1;
    kindOf.set(ci.key, ci.kind);
  }
  const fanIn = new Map<string, number>();
  const nested = new Set<string>();
  let soft = 0;
  for (const d of enterprise.dependencies) {
    if (d.strength === SOFT) soft++;
    fanIn.set(d.to, (fanIn.get(d.to) ?? 0) + 1);
    if (d.type === T.HAS_MEMBER && kindOf.get(d.to) === CIKind.REDUNDANCY_GROUP) nested.add(d.from);
  }
  const topFanIn = [...fanIn]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([key, dependents]) => ({ key, dependents }));
  return {
    cis: enterprise.cis.length,
    dependencies: enterprise.dependencies.length,
    softShare: enterprise.dependencies.length ? soft / enterprise.dependencies.length : 0,
    byKind,
    redundancyGroups: byKind[CIKind.REDUNDANCY_GROUP] ?? 0,
    nestedRedundancyGroups: nested.size,
    topFanIn,
  };
}

// ---------------------------------------------------------------------------------------------------
// Topology file
// ---------------------------------------------------------------------------------------------------

const lower = (value: string) => value.toLowerCase();
/** JSON strings and flow collections are valid YAML, and quoting every key keeps odd characters safe. */
const quote = (value: string) => JSON.stringify(value);

function ciLines(ci: CiSpec): string[] {
  const lines = [`  - key: ${quote(ci.key)}`, `    kind: ${lower(ci.kind)}`, `    name: ${quote(ci.name)}`, `    owner: ${quote(ci.owner)}`, `    environment: ${quote(ci.environment)}`];
  if (ci.tags.length) lines.push(`    tags: ${JSON.stringify(ci.tags)}`);
  if (Object.keys(ci.attributes).length) lines.push(`    attributes: ${JSON.stringify(ci.attributes)}`);
  if (ci.criticality !== undefined) lines.push(`    criticality: ${lower(ci.criticality)}`);
  if (ci.revenuePerHour !== undefined) lines.push(`    revenuePerHour: ${ci.revenuePerHour}`);
  if (ci.usersAffected !== undefined) lines.push(`    usersAffected: ${ci.usersAffected}`);
  if (ci.minHealthy !== undefined) lines.push(`    minHealthy: ${ci.minHealthy}`);
  return lines;
}

function dependsOnEntry(d: DepSpec): string {
  // Group membership carries no strength in topology files: minHealthy decides.
  return d.type === T.HAS_MEMBER
    ? `{ key: ${quote(d.to)}, type: has_member }`
    : `{ key: ${quote(d.to)}, type: ${lower(d.type)}, strength: ${lower(d.strength)} }`;
}

function header(name: string, description: string): string[] {
  return [
    '# Generated by bench/generate.ts (src/synthetic/enterprise-generator.ts); do not edit by hand.',
    `apiVersion: svcmap/v1`,
    'kind: Topology',
    'metadata:',
    `  name: ${name}`,
    `  description: ${quote(description)}`,
    '  currency: EUR',
    '  owner: team-architecture',
  ];
}

/** The enterprise as a topology file (the `seeds/` format): each CI with its `dependsOn` list. */
export function toTopologyYaml(enterprise: Enterprise, name = 'generated-enterprise'): string {
  return [...topologyYamlChunks(enterprise, name)].join('');
}

/** `toTopologyYaml` in pieces of about a thousand CIs, for writing large files to a stream. */
export function* topologyYamlChunks(enterprise: Enterprise, name = 'generated-enterprise'): Generator<string> {
  const description = `Synthetic enterprise of ${enterprise.cis.length} CIs and ${enterprise.dependencies.length} dependencies`;
  yield [...header(name, description), 'cis:'].join('\n') + '\n';
  const needs = new Map<string, DepSpec[]>();
  for (const d of enterprise.dependencies) {
    const list = needs.get(d.from);
    if (list) list.push(d);
    else needs.set(d.from, [d]);
  }
  let chunk: string[] = [];
  for (const ci of enterprise.cis) {
    chunk.push(...ciLines(ci));
    const list = needs.get(ci.key);
    if (list) {
      chunk.push('    dependsOn:');
      for (const d of list) chunk.push(`      - ${dependsOnEntry(d)}`);
    }
    if (chunk.length >= 10_000) {
      yield chunk.join('\n') + '\n';
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n';
}

/**
 * A topology file written from `enterpriseBatches`, never holding the whole
 * graph: CIs without `dependsOn`, then the top-level `dependencies` list
 * (the same file format). For XL.
 */
export function* streamedTopologyYamlChunks(options: EnterpriseOptions, name = 'generated-enterprise'): Generator<string> {
  const total = totalOf(options);
  yield [...header(name, `Synthetic enterprise of ${total} CIs`), 'cis:'].join('\n') + '\n';
  let inDependencies = false;
  for (const batch of enterpriseBatches(options, 5_000)) {
    if (batch.cis.length) yield batch.cis.flatMap(ciLines).join('\n') + '\n';
    if (batch.dependencies.length) {
      const lines = inDependencies ? [] : ['dependencies:'];
      inDependencies = true;
      for (const d of batch.dependencies) {
        lines.push(
          d.type === T.HAS_MEMBER
            ? `  - { from: ${quote(d.from)}, to: ${quote(d.to)}, type: has_member }`
            : `  - { from: ${quote(d.from)}, to: ${quote(d.to)}, type: ${lower(d.type)}, strength: ${lower(d.strength)} }`,
        );
      }
      yield lines.join('\n') + '\n';
    }
  }
}
