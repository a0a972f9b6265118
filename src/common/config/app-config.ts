import { DomainError } from '../errors/domain-error';

/**
 * Every setting the service reads, parsed and checked once at start-up so a
 * typo in the environment stops the process with a clear message instead of
 * surfacing later as odd behaviour. Documented in the README's configuration table.
 */
export interface AppConfig {
  port: number;
  neo4j: {
    uri: string;
    username?: string;
    password?: string;
    database?: string;
    /** Per-transaction timeout sent with every query. */
    transactionTimeoutMs: number;
    /** How long a request waits for a connection before failing with UNAVAILABLE. */
    connectionAcquisitionTimeoutMs: number;
    /** How long start-up waits for Neo4j to answer. */
    startupWaitMs: number;
    /** auto: wide walks read the svcmap topology plugin's index when the server has it (docs/performance.md); off: always Cypher. */
    topologyIndex: 'auto' | 'off';
  };
  limits: {
    /** Most items in one mutation (CIs, dependencies or keys). */
    maxBatchSize: number;
    /** Largest page a list query returns. */
    maxPageSize: number;
    /** Largest request body accepted, in bytes. */
    maxBodyBytes: number;
    /** Deepest nesting of fields a GraphQL operation may have. */
    maxQueryDepth: number;
    /** Highest estimated cost of a GraphQL operation (see common/graphql/query-limits.ts). */
    maxQueryCost: number;
    /** Most aliased fields in one GraphQL operation (aliases let one request repeat a costly field). */
    maxAliases: number;
  };
  /** Topology file loaded when the graph is empty; empty string disables seeding. */
  seedFile: string;
  impact: {
    /** JSON overrides of the business impact weights (docs/impact.md); parsed by the impact feature at start-up. */
    weightsJson?: string;
    /** Hops a blast radius walks when the caller gives no maxDepth (never above maxDepth), and the most it may ask for. */
    defaultMaxDepth: number;
    maxDepth: number;
    /** Most CIs in one dependency map (upstream, serviceMap). */
    maxMapNodes: number;
  };
  rootCause: {
    /** Hops from alerting CIs down to the candidates considered. */
    depth: number;
    /** How long before the first alert a change counts as recent. */
    changeWindowMs: number;
  };
  auth: {
    /** The secret of the first admin key, created when no key exists; else one is generated and printed once. */
    bootstrapAdminKey?: string;
  };
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw DomainError.badInput([
      { path: name, message: `must be a whole number from ${min} to ${max}, got '${raw}'` },
    ]);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw DomainError.badInput([{ path: name, message: `must be one of ${allowed.join(', ')}, got '${raw}'` }]);
  }
  return raw as T;
}

const NEO4J_SCHEMES = ['neo4j', 'neo4j+s', 'neo4j+ssc', 'bolt', 'bolt+s', 'bolt+ssc'];

export function loadConfig(env: Env = process.env, defaults: { neo4jUri?: string } = {}): AppConfig {
  const uri = env.NEO4J_URI || defaults.neo4jUri || '';
  if (!uri) {
    throw DomainError.badInput([{ path: 'NEO4J_URI', message: 'is required' }]);
  }
  const scheme = uri.split('://')[0];
  if (!uri.includes('://') || !NEO4J_SCHEMES.includes(scheme)) {
    throw DomainError.badInput([
      { path: 'NEO4J_URI', message: `must start with one of ${NEO4J_SCHEMES.map((s) => s + '://').join(', ')}` },
    ]);
  }
  const defaultMaxDepth = integer(env, 'SVCMAP_BLAST_DEFAULT_DEPTH', 50, 1, 1000);
  const maxDepth = integer(env, 'SVCMAP_BLAST_MAX_DEPTH', 100, 1, 1000);
  if (defaultMaxDepth > maxDepth) {
    // Else every blast radius asked without maxDepth would fail, blaming a field the caller never sent.
    const given = (name: string, value: number) => (env[name] ? `${value}` : `${value}, its default`);
    throw DomainError.badInput([
      {
        path: 'SVCMAP_BLAST_DEFAULT_DEPTH',
        message: `must not exceed SVCMAP_BLAST_MAX_DEPTH: the default depth (${given('SVCMAP_BLAST_DEFAULT_DEPTH', defaultMaxDepth)}) is above the most a caller may ask for (${given('SVCMAP_BLAST_MAX_DEPTH', maxDepth)}); lower SVCMAP_BLAST_DEFAULT_DEPTH or raise SVCMAP_BLAST_MAX_DEPTH`,
      },
    ]);
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    neo4j: {
      uri,
      username: env.NEO4J_USERNAME || undefined,
      password: env.NEO4J_PASSWORD || undefined,
      database: env.NEO4J_DATABASE || undefined,
      transactionTimeoutMs: integer(env, 'SVCMAP_TX_TIMEOUT_MS', 30_000, 100, 3_600_000),
      connectionAcquisitionTimeoutMs: integer(env, 'SVCMAP_NEO4J_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
      startupWaitMs: integer(env, 'SVCMAP_NEO4J_STARTUP_WAIT_MS', 60_000, 0, 3_600_000),
      topologyIndex: oneOf(env, 'SVCMAP_TOPOLOGY_INDEX', ['auto', 'off'] as const, 'auto'),
    },
    limits: {
      maxBatchSize: integer(env, 'SVCMAP_MAX_BATCH', 5_000, 1, 100_000),
      maxPageSize: integer(env, 'SVCMAP_MAX_PAGE', 500, 1, 10_000),
      maxBodyBytes: integer(env, 'SVCMAP_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxQueryDepth: integer(env, 'SVCMAP_MAX_QUERY_DEPTH', 10, 2, 100),
      maxQueryCost: integer(env, 'SVCMAP_MAX_QUERY_COST', 10_000, 1, 1_000_000_000),
      maxAliases: integer(env, 'SVCMAP_MAX_ALIASES', 50, 0, 10_000),
    },
    seedFile: env.SVCMAP_SEED ?? '',
    impact: {
      weightsJson: env.SVCMAP_IMPACT_WEIGHTS || undefined,
      defaultMaxDepth,
      maxDepth,
      maxMapNodes: integer(env, 'SVCMAP_MAX_MAP_NODES', 5000, 10, 100_000),
    },
    rootCause: {
      depth: integer(env, 'SVCMAP_RCA_DEPTH', 10, 1, 100),
      changeWindowMs: integer(env, 'SVCMAP_RCA_CHANGE_WINDOW_MS', 24 * 3_600_000, 0, 30 * 24 * 3_600_000),
    },
    auth: { bootstrapAdminKey: env.SVCMAP_BOOTSTRAP_ADMIN_KEY || undefined },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
