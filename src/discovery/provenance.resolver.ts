import { Context, GraphQLISODateTime, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { BatchLoader, loaderFor } from '../common/graphql/batch-loader';
import { CI, Dependency, Provenance } from '../topology/models/ci.model';
import { ScopeState, parseClaims, visibleClaims } from './claims';
import { OverriddenValue, SourceClaim } from './models/sync.model';
import { OverriddenValue as StoredOverridden } from './precedence';
import { SyncService } from './sync.service';

/**
 * The discovery side of CIs and dependencies: which sources report them,
 * values that lost to precedence, since when they are stale, and (for CIs)
 * identifiers and aliases.
 */
@Resolver(() => Provenance)
export class ProvenanceResolver {
  constructor(private readonly syncs: SyncService) {}

  @ResolveField(() => [SourceClaim], { description: 'The discovery sources (and scopes) that report it, and when each last did; by source.' })
  async sources(@Parent() provenance: Provenance, @Context() context: object): Promise<SourceClaim[]> {
    const claims = parseClaims(provenance.sync?.claimsJson);
    const keys = Object.keys(claims);
    if (!keys.length) return [];
    const loader = loaderFor(context, 'discovery.scopeStates', () => new BatchLoader<string, ScopeState | null>((k) => this.syncs.scopeStates(k), null));
    const states = new Map<string, ScopeState>();
    for (const key of keys) {
      const state = await loader.load(key);
      if (state) states.set(key, state);
    }
    return visibleClaims(claims, states).map((c) => Object.assign(new SourceClaim(), c, { lastSeenAt: new Date(c.lastSeenAt) }));
  }

  @ResolveField(() => [OverriddenValue], { description: 'Values sources (or a person) reported that lost to attribute precedence: one per field and source, oldest first.' })
  overridden(@Parent() provenance: Provenance): OverriddenValue[] {
    const json = provenance.sync?.overriddenJson;
    const values = json ? (JSON.parse(json) as StoredOverridden[]) : [];
    return values.map((o) => Object.assign(new OverriddenValue(), o, { at: new Date(o.at) }));
  }
}

@Resolver(() => CI)
export class CiDiscoveryResolver {
  @ResolveField(() => GraphQLISODateTime, { nullable: true, description: 'Since when no source reports it (STALE or RETIRED); null while ACTIVE.' })
  staleSince(@Parent() ci: CI & { sync?: { staleSince: string | null } }): Date | null {
    return ci.sync?.staleSince && ci.status !== 'ACTIVE' ? new Date(ci.sync.staleSince) : null;
  }

  @ResolveField(() => [String], { description: 'Other names of the same thing reported by sources (ARNs, UIDs, host names), sorted.' })
  identifiers(@Parent() ci: CI & { sync?: { identifiers: string[] } }): string[] {
    return ci.sync?.identifiers ?? [];
  }

  @ResolveField(() => [String], { description: 'Other keys that name this CI (a source reported it under them and it was identified by an identifier); `ci(key)` finds it by them too.' })
  aliases(@Parent() ci: CI & { sync?: { aliases: string[] } }): string[] {
    return ci.sync?.aliases ?? [];
  }
}

@Resolver(() => Dependency)
export class DependencyDiscoveryResolver {
  @ResolveField(() => GraphQLISODateTime, { nullable: true, description: 'Since when no source reports it (STALE or RETIRED); null while ACTIVE.' })
  staleSince(@Parent() dependency: Dependency): Date | null {
    const since = dependency.provenance?.sync?.staleSince;
    return since && dependency.status !== 'ACTIVE' ? new Date(since) : null;
  }
}
