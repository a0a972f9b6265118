import { Attributes } from '../common/graphql/json-object.scalar';
import { CIKind, CIStatus, CriticalityTier, DependencyStrength, DependencyType } from './topology.vocabulary';

/** The editable fields of a configuration item, as stored. */
export interface CiFields {
  kind: CIKind;
  name: string;
  description: string | null;
  owner: string | null;
  environment: string | null;
  tags: string[];
  attributes: Attributes;
  criticality: CriticalityTier | null;
  revenuePerHour: number | null;
  usersAffected: number | null;
  minHealthy: number | null;
}

export const CI_FIELD_NAMES: readonly (keyof CiFields)[] = [
  'kind',
  'name',
  'description',
  'owner',
  'environment',
  'tags',
  'attributes',
  'criticality',
  'revenuePerHour',
  'usersAffected',
  'minHealthy',
];

/**
 * What discovery syncs (src/discovery) keep on a CI or dependency, passed
 * through as stored so the discovery feature can show provenance and status.
 */
export interface SyncProvenanceProps {
  /** Claims of each (source, scope), as JSON (see discovery/claims.ts). */
  claimsJson: string | null;
  /** Values that lost to precedence, as JSON (see discovery/precedence.ts). */
  overriddenJson: string | null;
  staleSince: string | null;
  /** CIs only: identifiers such as `arn:...` and the other keys (aliases) that name it. */
  identifiers: string[];
  aliases: string[];
}

/** A configuration item as the repository returns it. */
export interface CiRecord extends CiFields {
  key: string;
  status: CIStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  createdByPerson: boolean;
  /** Fields a person set last (null on CIs written before this was kept: then every field of a person-created CI counts). */
  personFields?: string[] | null;
  sync?: SyncProvenanceProps;
}

/**
 * What business impact is scored on, and what an answer says of a business CI without reading
 * its whole record (a wide blast radius reaches thousands): the whole record is read only when
 * a query selects more (BusinessImpactResolver).
 */
export type BusinessCi = Pick<CiRecord, 'key' | 'kind' | 'name' | 'criticality' | 'revenuePerHour' | 'usersAffected'>;

/** A patch for one CI: a field left undefined keeps its value; null clears it. */
export type CiPatch = { key: string; kind: CIKind; expectedVersion?: number } & Partial<Omit<CiFields, 'kind'>>;

export interface DependencyFields {
  type: DependencyType;
  strength: DependencyStrength;
}

export interface DependencyRecord extends DependencyFields {
  from: string;
  to: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  createdBy?: string | null;
  updatedBy?: string | null;
  createdByPerson?: boolean;
  /** ACTIVE unless discovery marked it STALE or RETIRED. */
  status?: CIStatus;
  sync?: SyncProvenanceProps;
}

/** A dependency with both endpoints' records, so field resolvers need no further query. */
export interface DependencyWithEnds extends DependencyRecord {
  consumer: CiRecord;
  provider: CiRecord;
}

export interface CiFilter {
  kinds?: CIKind[];
  search?: string;
  owner?: string;
  environment?: string;
  tags?: string[];
  statuses?: CIStatus[];
}

/** One field that a write changed, for the caller and for history. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}
