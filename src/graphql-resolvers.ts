import { AlertsResolver } from './alerts/alerts.resolver';
import { ApiKeyResolver } from './auth/api-key.resolver';
import { CiDiscoveryResolver, DependencyDiscoveryResolver, ProvenanceResolver } from './discovery/provenance.resolver';
import { SyncResolver } from './discovery/sync.resolver';
import { HistoryResolver } from './history/history.resolver';
import { BlastRadiusResolver, ImpactedCiResolver } from './impact/impact.resolver';
import { RootCauseResolver } from './root-cause/root-cause.resolver';
import { CiResolver } from './topology/ci.resolver';

/**
 * Every resolver class of the API. The committed SDL under schema/ is
 * generated from this list; a test checks it against the running app, so a
 * resolver missing here fails the build.
 */
export const GRAPHQL_RESOLVERS: Function[] = [AlertsResolver, ApiKeyResolver, BlastRadiusResolver, CiDiscoveryResolver, CiResolver, DependencyDiscoveryResolver, HistoryResolver, ImpactedCiResolver, ProvenanceResolver, RootCauseResolver, SyncResolver];
