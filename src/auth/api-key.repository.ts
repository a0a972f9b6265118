import { Injectable } from '@nestjs/common';
import { Neo4jService } from '../common/neo4j/neo4j.service';
import { Role } from './roles';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  sources: string[];
  prefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

function toRecord(p: Record<string, unknown>): ApiKeyRecord {
  return {
    id: p.id as string,
    name: p.name as string,
    role: p.role as Role,
    sources: (p.sources as string[]) ?? [],
    prefix: p.prefix as string,
    createdAt: p.createdAt as string,
    createdBy: (p.createdBy as string) ?? 'unknown',
    revokedAt: (p.revokedAt as string) ?? null,
    lastUsedAt: (p.lastUsedAt as string) ?? null,
  };
}

/** API keys live in Neo4j as `:ApiKey` nodes holding only a SHA-256 hash of the secret. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async findActiveByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.neo4j.read('auth.findKey', async (tx) => {
      const result = await tx.run('MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL RETURN properties(k) AS p', { hash });
      return result.records.length ? toRecord(result.records[0].get('p')) : null;
    });
  }

  async create(key: Omit<ApiKeyRecord, 'revokedAt' | 'lastUsedAt'> & { hash: string }): Promise<ApiKeyRecord | null> {
    return this.neo4j.write('auth.createKey', async (tx) => {
      const clash = await tx.run('MATCH (k:ApiKey {name: $name}) RETURN k.id AS id', { name: key.name });
      if (clash.records.length) return null;
      const result = await tx.run('CREATE (k:ApiKey) SET k = $key RETURN properties(k) AS p', { key });
      return toRecord(result.records[0].get('p'));
    });
  }

  async list(includeRevoked: boolean): Promise<ApiKeyRecord[]> {
    return this.neo4j.read('auth.listKeys', async (tx) => {
      const result = await tx.run(
        'MATCH (k:ApiKey) WHERE $includeRevoked OR k.revokedAt IS NULL RETURN properties(k) AS p ORDER BY k.name',
        { includeRevoked },
      );
      return result.records.map((r) => toRecord(r.get('p')));
    });
  }

  async revoke(name: string, at: string): Promise<ApiKeyRecord | null> {
    return this.neo4j.write('auth.revokeKey', async (tx) => {
      const result = await tx.run(
        'MATCH (k:ApiKey {name: $name}) SET k.revokedAt = coalesce(k.revokedAt, $at) RETURN properties(k) AS p',
        { name, at },
      );
      return result.records.length ? toRecord(result.records[0].get('p')) : null;
    });
  }

  async countActive(): Promise<number> {
    return this.neo4j.read('auth.countKeys', async (tx) => {
      const result = await tx.run('MATCH (k:ApiKey) WHERE k.revokedAt IS NULL RETURN count(k) AS n');
      return result.records[0].get('n') as number;
    });
  }

  /**
   * Claims the one-time bootstrap of the first admin key. Several replicas may
   * start at once; the MERGE lets exactly one of them create the key.
   */
  async claimBootstrap(at: string, token: string): Promise<boolean> {
    return this.neo4j.write('auth.claimBootstrap', async (tx) => {
      const result = await tx.run(
        `MERGE (b:ApiKeyBootstrap {id: 'first-admin-key'})
         ON CREATE SET b.at = $at, b.token = $token
         RETURN b.token = $token AS mine`,
        { at, token },
      );
      return result.records[0].get('mine') as boolean;
    });
  }

  async touch(id: string, at: string): Promise<void> {
    await this.neo4j.write('auth.touchKey', (tx) => tx.run('MATCH (k:ApiKey {id: $id}) SET k.lastUsedAt = $at', { id, at }));
  }
}
