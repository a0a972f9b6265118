import { Clock } from '../common/clock';
import { AppConfig, loadConfig } from '../common/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ApiKeyRecord, ApiKeyRepository } from './api-key.repository';
import { ApiKeysService, hashKey } from './api-keys.service';
import { Role } from './roles';

/** An in-memory stand-in for the repository, so the service's rules are tested alone. */
class FakeRepository {
  keys: (ApiKeyRecord & { hash: string })[] = [];
  claimed = false;
  async countActive() {
    return this.keys.filter((k) => !k.revokedAt).length;
  }
  async claimBootstrap() {
    if (this.claimed) return false;
    this.claimed = true;
    return true;
  }
  async create(key: ApiKeyRecord & { hash: string }) {
    if (this.keys.some((k) => k.name === key.name)) return null;
    const record = { ...key, revokedAt: null, lastUsedAt: null };
    this.keys.push(record);
    return record;
  }
  async findActiveByHash(hash: string) {
    return this.keys.find((k) => k.hash === hash && !k.revokedAt) ?? null;
  }
  async revoke(name: string, at: string) {
    const key = this.keys.find((k) => k.name === name);
    if (key) key.revokedAt = at;
    return key ?? null;
  }
  async list() {
    return this.keys;
  }
  async touch() {}
}

function service(env: Record<string, string> = {}): { keys: ApiKeysService; repo: FakeRepository; config: AppConfig } {
  const repo = new FakeRepository();
  const config = loadConfig({ NEO4J_URI: 'bolt://localhost:1', ...env });
  return { keys: new ApiKeysService(repo as unknown as ApiKeyRepository, new Clock(), config), repo, config };
}

describe('ApiKeysService', () => {
  let written = '';
  beforeEach(() => {
    written = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((written += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('on a first start with no keys, creates an admin key and prints its secret once', async () => {
    const { keys, repo } = service();
    await keys.onApplicationBootstrap();
    expect(repo.keys).toHaveLength(1);
    expect(repo.keys[0]).toMatchObject({ name: 'bootstrap-admin', role: Role.ADMIN });
    const secret = /svcmap_\S+/.exec(written)![0];
    expect(repo.keys[0].hash).toBe(hashKey(secret));
    await keys.onApplicationBootstrap();
    expect(repo.keys).toHaveLength(1);
  });

  it('takes the first admin secret from SVCMAP_BOOTSTRAP_ADMIN_KEY and prints nothing', async () => {
    const secret = 'a-very-long-automation-secret-0123456789';
    const { keys, repo } = service({ SVCMAP_BOOTSTRAP_ADMIN_KEY: secret });
    await keys.onApplicationBootstrap();
    expect(repo.keys[0].hash).toBe(hashKey(secret));
    expect(written).not.toContain(secret);
    expect(await keys.authenticate(`Bearer ${secret}`)).toMatchObject({ name: 'bootstrap-admin', role: Role.ADMIN });
  });

  it('creates nothing when another replica won the bootstrap', async () => {
    const { keys, repo } = service();
    repo.claimed = true;
    await keys.onApplicationBootstrap();
    expect(repo.keys).toHaveLength(0);
  });

  it('names each bad field of a new key', async () => {
    const { keys } = service();
    const error = await keys.create({ name: 'has space', role: 'BOSS' as Role, sources: ['ok', 'not ok'] }, { name: 't', person: true }).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error.details.problems as { path: string }[]).map((p) => p.path)).toEqual(['name', 'role', 'sources[1]']);
  });

  it('marks discovery keys as not a person, and refuses malformed headers', async () => {
    const { keys } = service();
    const { secret } = await keys.create({ name: 'aws-job', role: Role.DISCOVERY, sources: ['aws:*'] }, { name: 't', person: true });
    expect(await keys.authenticate(`Bearer ${secret}`)).toEqual({ name: 'aws-job', role: Role.DISCOVERY, person: false, sources: ['aws:*'] });
    await expect(keys.authenticate(secret)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(keys.authenticate(undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
