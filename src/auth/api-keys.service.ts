import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../common/config/app-config';
import { DomainError, FieldProblem } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { textProblem } from '../common/validation/text-rules';
import { ApiKeyRecord, ApiKeyRepository } from './api-key.repository';
import { Role } from './roles';

export const KEY_PREFIX = 'svcmap_';
const NAME = /^[A-Za-z0-9][\w.:@-]{0,99}$/;
const SOURCE_PATTERN = /^[^\s\p{C}]{1,256}$/u;
/** How long a verified key is trusted before Neo4j is asked again; bounds how long a revoked key keeps working. */
const CACHE_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newSecret(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export interface CreatedKey {
  key: ApiKeyRecord;
  /** The secret itself; shown once, never stored. */
  secret: string;
}

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new Map<string, { record: ApiKeyRecord | null; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Secure by default, yet two commands to a working service: the first start
   * with no keys creates an admin key (SVCMAP_BOOTSTRAP_ADMIN_KEY, or a new
   * random one printed once).
   */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.repository.countActive()) > 0) return;
    const given = this.config.auth.bootstrapAdminKey;
    if (!(await this.repository.claimBootstrap(this.clock.now().toISOString(), randomUUID()))) return;
    const { secret } = await this.create({ name: 'bootstrap-admin', role: Role.ADMIN, sources: [] }, { name: 'system', person: false }, given);
    if (given) {
      this.logger.log('Created the first admin API key "bootstrap-admin" from SVCMAP_BOOTSTRAP_ADMIN_KEY');
      return;
    }
    const banner = [
      '',
      '================================================================================',
      ' svcmap: first start, no API keys yet. The admin API key (shown only now):',
      `   ${secret}`,
      ' Send it as  Authorization: Bearer <key>.  More keys: svcmap keys create',
      '================================================================================',
      '',
    ].join('\n');
    process.stdout.write(banner + '\n');
  }

  async create(
    input: { name: unknown; role: Role; sources?: unknown },
    actor: Actor,
    secret: string = newSecret(),
  ): Promise<CreatedKey> {
    const sources = (input.sources ?? []) as string[];
    const problems: FieldProblem[] = [];
    if (typeof input.name !== 'string' || !NAME.test(input.name)) {
      problems.push({ path: 'name', message: 'must be 1-100 letters, digits or . _ : @ -, starting with a letter or digit' });
    }
    if (!Object.values(Role).includes(input.role)) problems.push({ path: 'role', message: `must be one of ${Object.values(Role).join(', ')}` });
    if (!Array.isArray(sources) || sources.length > 100) problems.push({ path: 'sources', message: 'must be a list of at most 100 source patterns' });
    else sources.forEach((s, i) => {
      if (typeof s !== 'string' || !SOURCE_PATTERN.test(s)) problems.push({ path: `sources[${i}]`, message: 'must be a source name or pattern without whitespace, e.g. aws:*' });
    });
    if (input.role === Role.DISCOVERY && Array.isArray(sources) && sources.length === 0) {
      problems.push({ path: 'sources', message: 'a DISCOVERY key needs at least one source pattern, e.g. aws:* or *' });
    }
    if (secret.length < 24 || textProblem(secret, 512)) problems.push({ path: 'secret', message: 'must be at least 24 characters without control characters' });
    if (problems.length) throw DomainError.badInput(problems);
    const record = await this.repository.create({
      id: randomUUID(),
      name: input.name as string,
      role: input.role,
      sources: input.role === Role.DISCOVERY ? sources : [],
      prefix: secret.slice(0, KEY_PREFIX.length + 6),
      createdAt: this.clock.now().toISOString(),
      createdBy: actor.name,
      hash: hashKey(secret),
    });
    if (!record) throw DomainError.conflict(`An API key named '${input.name as string}' exists already; revoke it or pick another name`, { field: 'name' });
    return { key: record, secret };
  }

  list(includeRevoked = false): Promise<ApiKeyRecord[]> {
    return this.repository.list(includeRevoked);
  }

  async revoke(name: string): Promise<ApiKeyRecord> {
    const record = await this.repository.revoke(name, this.clock.now().toISOString());
    if (!record) throw DomainError.notFound(`No API key is named '${name}'`, { field: 'name' });
    this.cache.clear();
    return record;
  }

  /** The caller behind an `Authorization: Bearer <key>` header; throws UNAUTHENTICATED when there is none or it is not valid. */
  async authenticate(header: string | undefined): Promise<Actor> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An API key is required: send it as Authorization: Bearer <key>');
    }
    const hash = hashKey(match[1]);
    const now = Date.now();
    let cached = this.cache.get(hash);
    if (!cached || cached.until < now) {
      cached = { record: await this.repository.findActiveByHash(hash), until: now + CACHE_MS };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, cached);
    }
    const record = cached.record;
    if (!record) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is not valid or has been revoked');
    this.noteUse(record);
    return { name: record.name, role: record.role, person: record.role !== Role.DISCOVERY, sources: record.sources };
  }

  private noteUse(record: ApiKeyRecord): void {
    const now = Date.now();
    if ((this.touched.get(record.id) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(record.id, now);
    this.repository.touch(record.id, this.clock.now().toISOString()).catch(() => undefined);
  }
}
