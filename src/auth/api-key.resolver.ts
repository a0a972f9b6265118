import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/actor';
import { CurrentActor } from '../common/graphql/current-actor.decorator';
import { ApiKeyRecord } from './api-key.repository';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyInput } from './dto/api-key.input';
import { ApiKey, Caller, CreatedApiKey } from './models/api-key.model';
import { AdminOnly, CanRead, Role } from './roles';

function toModel(record: ApiKeyRecord): ApiKey {
  return Object.assign(new ApiKey(), {
    ...record,
    createdAt: new Date(record.createdAt),
    revokedAt: record.revokedAt ? new Date(record.revokedAt) : null,
    lastUsedAt: record.lastUsedAt ? new Date(record.lastUsedAt) : null,
  });
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @CanRead()
  @Query(() => Caller, { description: 'Who the API key of this request belongs to, and what it may do.' })
  me(@CurrentActor() actor: Actor): Caller {
    return { name: actor.name, role: actor.role as Role, sources: actor.sources ?? [] };
  }

  @AdminOnly()
  @Query(() => [ApiKey], { description: 'API keys, by name. Admin only.' })
  async apiKeys(
    @Args('includeRevoked', { type: () => Boolean, nullable: true, description: 'Also list revoked keys.' }) includeRevoked: boolean | null,
  ): Promise<ApiKey[]> {
    return (await this.keys.list(includeRevoked ?? false)).map(toModel);
  }

  @AdminOnly()
  @Mutation(() => CreatedApiKey, { description: 'Creates an API key; its secret is in the answer and nowhere else. Admin only.' })
  async createApiKey(
    @Args('input', { type: () => ApiKeyInput, description: 'Name, role and, for discovery keys, sources.' }) input: ApiKeyInput,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedApiKey> {
    const { key, secret } = await this.keys.create(input, actor);
    return { key: toModel(key), secret };
  }

  @AdminOnly()
  @Mutation(() => ApiKey, { description: 'Revokes an API key at once (within 5 seconds on every replica). Admin only.' })
  async revokeApiKey(@Args('name', { description: 'The key name.' }) name: string): Promise<ApiKey> {
    return toModel(await this.keys.revoke(name));
  }
}
