import { Actor } from '../common/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Role, SYNC_ROLES, sourceAllowed } from '../auth/roles';
import { AlertSource } from './alerts.vocabulary';

/** Writing alerts is not reading: DISCOVERY keys (for the alert sources they allow) and ADMIN keys. */
export const ALERT_WRITE_ROLES: readonly Role[] = SYNC_ROLES;

/** The source name a DISCOVERY key must allow to write alerts through an intake, e.g. `alerts:alertmanager`. */
export function alertSourceName(source: AlertSource): string {
  return `alerts:${source}`;
}

/** Who the shared webhook secret stands for: a machine allowed to send alerts and nothing else. */
export const WEBHOOK_SECRET_ACTOR: Actor = {
  name: 'alert-webhook-secret',
  person: false,
  role: Role.DISCOVERY,
  sources: ['alerts:*'],
};

/** Throws FORBIDDEN unless the caller may write alerts through this source. */
export function assertMayWriteAlerts(actor: Actor, source: AlertSource): void {
  if (!ALERT_WRITE_ROLES.includes(actor.role as Role)) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `Sending alerts needs the role ${ALERT_WRITE_ROLES.join(' or ')}; the key '${actor.name}' has the role ${actor.role ?? 'none'}`,
      { requiredRoles: ALERT_WRITE_ROLES },
    );
  }
  const needed = alertSourceName(source);
  if (actor.role === Role.DISCOVERY && !sourceAllowed(actor.sources ?? [], needed)) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `The key '${actor.name}' may not send alerts through ${needed}: its sources are ${(actor.sources ?? []).join(', ') || 'none'}. A DISCOVERY key needs ${needed} or alerts:* among its sources`,
      { requiredSource: needed },
    );
  }
}
