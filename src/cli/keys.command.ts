import { ApiKeyRepository } from '../auth/api-key.repository';
import { ApiKeysService } from '../auth/api-keys.service';
import { Role } from '../auth/roles';
import { Clock } from '../common/clock';
import { loadConfig } from '../common/config/app-config';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { SchemaService } from '../common/neo4j/schema.service';
import { FlagSpec, ParsedArgs, UsageError, noMoreArguments, stringFlag } from './cli-args';

export const KEYS_USAGE = `svcmap keys create --name NAME --role reader|architect|discovery|admin [--sources aws:*,k8s:prod]
svcmap keys list [--all]
svcmap keys revoke NAME

Talks to Neo4j directly (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD; without NEO4J_URI the
embedded development database at bolt://127.0.0.1:$SVCMAP_NEO4J_PORT, default 7687), so an
operator can always recover access, for example after losing the admin key.`;

const ACTION_FLAGS: Record<string, readonly FlagSpec[]> = {
  create: [{ name: 'name', value: 'NAME' }, { name: 'role', value: 'ROLE' }, { name: 'sources', value: 'PATTERNS' }],
  list: [{ name: 'all' }],
  revoke: [],
};

/** The flags of `svcmap keys ACTION`; for an action that does not exist, every action's. */
export function keysFlags(action: string | undefined): { command: string; flags: FlagSpec[] } {
  const own = action !== undefined && Object.prototype.hasOwnProperty.call(ACTION_FLAGS, action) ? ACTION_FLAGS[action] : undefined;
  return own ? { command: `svcmap keys ${action}`, flags: [...own] } : { command: 'svcmap keys', flags: Object.values(ACTION_FLAGS).flat() };
}

/**
 * `svcmap keys ...`: manages API keys with the same service the API uses, so
 * the rules (names, roles, sources, hashing) are one and the same.
 */
export async function keysCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const [, action, name] = args.positional;
  if (!action || !Object.prototype.hasOwnProperty.call(ACTION_FLAGS, action)) throw new UsageError(KEYS_USAGE);
  noMoreArguments(args, action === 'revoke' ? 3 : 2, action === 'revoke' ? 'svcmap keys revoke takes one key name' : `svcmap keys ${action} takes only flags`);
  const config = loadConfig(process.env, { neo4jUri: `bolt://127.0.0.1:${process.env.SVCMAP_NEO4J_PORT || 7687}` });
  const neo4j = new Neo4jService({ ...config, neo4j: { ...config.neo4j, startupWaitMs: 3_000 } });
  try {
    try {
      await neo4j.waitUntilAvailable();
    } catch {
      throw new UsageError(`cannot reach Neo4j at ${config.neo4j.uri}: start the service (npm start) or set NEO4J_URI`);
    }
    await new SchemaService(neo4j).apply();
    const keys = new ApiKeysService(new ApiKeyRepository(neo4j), new Clock(), config);
    const actor = { name: `cli:${process.env.USER ?? 'operator'}`, person: true };
    switch (action) {
      case 'create': {
        const role = stringFlag(args, 'role')?.toUpperCase() as Role;
        const sources = stringFlag(args, 'sources')?.split(',').map((s) => s.trim()).filter(Boolean);
        const { key, secret } = await keys.create({ name: stringFlag(args, 'name'), role, sources }, actor);
        out(`created API key '${key.name}' (${key.role}${key.sources.length ? `, sources ${key.sources.join(',')}` : ''})`);
        out(`secret (shown only now): ${secret}`);
        return 0;
      }
      case 'list': {
        const all = await keys.list(args.flags.has('all'));
        out(['NAME', 'ROLE', 'SOURCES', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'].join('\t'));
        for (const k of all) {
          out([k.name, k.role, k.sources.join(',') || '-', k.prefix, k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-'].join('\t'));
        }
        return 0;
      }
      case 'revoke': {
        if (!name) throw new UsageError('svcmap keys revoke NAME: the key name is missing');
        const key = await keys.revoke(name);
        out(`revoked API key '${key.name}' at ${key.revokedAt}`);
        return 0;
      }
      default:
        throw new UsageError(KEYS_USAGE);
    }
  } finally {
    await neo4j.onApplicationShutdown();
  }
}
