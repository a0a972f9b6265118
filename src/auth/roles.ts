import { SetMetadata } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';

/** What an API key may do. Each operation names the roles that may call it. */
export enum Role {
  READER = 'READER',
  ARCHITECT = 'ARCHITECT',
  DISCOVERY = 'DISCOVERY',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What an API key may do.',
  valuesMap: {
    READER: { description: 'Queries only.' },
    ARCHITECT: { description: 'Queries and topology edits (CIs, dependencies, topology files).' },
    DISCOVERY: { description: 'Queries and syncs, limited to the sources the key allows.' },
    ADMIN: { description: 'Everything, including API keys.' },
  },
});

export const REQUIRED_ROLES = 'svcmap:requiredRoles';
export const PUBLIC_ROUTE = 'svcmap:public';

/** Any authenticated key may read. */
export const READ_ROLES = [Role.READER, Role.ARCHITECT, Role.DISCOVERY, Role.ADMIN];
export const EDIT_ROLES = [Role.ARCHITECT, Role.ADMIN];
export const SYNC_ROLES = [Role.DISCOVERY, Role.ADMIN];
export const ADMIN_ROLES = [Role.ADMIN];

/** The roles allowed to call an operation. An operation without this (or @Public) is refused. */
export const RequireRole = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
export const CanRead = () => RequireRole(...READ_ROLES);
export const CanEdit = () => RequireRole(...EDIT_ROLES);
export const CanSync = () => RequireRole(...SYNC_ROLES);
export const AdminOnly = () => RequireRole(...ADMIN_ROLES);

/** Open without a key: only health probes, which orchestrators call unauthenticated. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Source patterns such as `aws:*` or `k8s:prod-eu`: `*` matches any run of characters. */
export function sourceAllowed(patterns: readonly string[], source: string): boolean {
  return patterns.some((pattern) => {
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return regex.test(source);
  });
}
