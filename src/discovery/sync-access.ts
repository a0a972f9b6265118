import { Role, sourceAllowed } from '../auth/roles';
import { Actor } from '../common/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { keyProblem } from '../common/validation/text-rules';

/**
 * Who may write a source through syncs. The guard lets these roles reach the
 * sync mutations; the source itself is checked here, once it is known.
 */
export const SYNC_WRITER_ROLES = [Role.ARCHITECT, Role.DISCOVERY, Role.ADMIN];

/** Topology kept as code is applied as a full sync of a source of its own, which architects may write. */
export const TOPOLOGY_FILE_SOURCES = ['topology-file:*'];

export function maySync(actor: Actor, source: string): boolean {
  switch (actor.role) {
    case Role.ADMIN:
      return true;
    case Role.DISCOVERY:
      return sourceAllowed(actor.sources ?? [], source);
    case Role.ARCHITECT:
      return sourceAllowed(TOPOLOGY_FILE_SOURCES, source);
    default:
      return false;
  }
}

export function assertMaySync(actor: Actor, source: string): void {
  if (maySync(actor, source)) return;
  const allowed = actor.role === Role.ARCHITECT ? TOPOLOGY_FILE_SOURCES : (actor.sources ?? []);
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    `The key '${actor.name}' may not sync the source '${source}'${allowed.length ? `; it may sync ${allowed.join(', ')}` : ''}`,
    { source },
  );
}

/** Source names and scopes follow the CI key rules: 1-256 characters, no whitespace or control characters. */
export function assertSourceAndScope(source: unknown, scope: unknown): void {
  const problems = [];
  const sourceIssue = keyProblem(source);
  if (sourceIssue) problems.push({ path: 'source', message: `${sourceIssue} (a source name such as aws:123456789012 or k8s:prod-eu)` });
  if (scope !== null && scope !== undefined) {
    const scopeIssue = keyProblem(scope);
    if (scopeIssue) problems.push({ path: 'scope', message: scopeIssue });
  }
  if (problems.length) throw DomainError.badInput(problems);
}
