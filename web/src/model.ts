/** Plain data the app draws: what the GraphQL API answers, trimmed to what the map needs. */

export type ImpactState = 'DOWN' | 'DEGRADED';
export type Strength = 'HARD' | 'SOFT';

export interface MapNode {
  key: string;
  name: string;
  kind: string;
  owner?: string | null;
  environment?: string | null;
  status?: string;
  minHealthy?: number | null;
  criticality?: string | null;
}

export interface MapEdge {
  from: string;
  to: string;
  type: string;
  /** Empty when the edge was inferred from an impact chain and its strength is not known here. */
  strength: Strength | '';
}

export interface Graph {
  nodes: MapNode[];
  edges: MapEdge[];
}

export interface ImpactedNode {
  key: string;
  kind: string;
  state: ImpactState;
  distance: number;
  chain: string[];
  reason: string;
  ci?: { name: string; owner?: string | null } | null;
}

export interface BusinessImpact {
  ci: { key: string; name: string; kind: string; criticality?: string | null };
  state: ImpactState;
  score: number;
  priority: string;
  distance: number;
  chain: string[];
  reason: string;
}

/** A whole blast-radius answer with every page of `impacted` gathered. */
export interface BlastAnswer {
  failedKeys: string[];
  score: number;
  priority: string;
  depthLimited: boolean;
  totals: { impacted: number; down: number; degraded: number };
  businessImpacts: BusinessImpact[];
  impacted: ImpactedNode[];
}

export const EDIT_ROLES = ['ARCHITECT', 'ADMIN'];

/** Whether a key of this role may edit CIs and dependencies (the API refuses the others with FORBIDDEN). */
export function canEdit(role: string | undefined): boolean {
  return !!role && EDIT_ROLES.includes(role);
}
