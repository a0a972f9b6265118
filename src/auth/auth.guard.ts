import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from '../common/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { ApiKeysService } from './api-keys.service';
import { PUBLIC_ROUTE, REQUIRED_ROLES, Role } from './roles';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/**
 * Applied to every GraphQL operation and HTTP route. Secure by default: a
 * handler that declares neither roles nor @Public() is refused, so a new
 * endpoint cannot be left open by omission.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const request = this.requestOf(context);
    request.actor ??= await this.keys.authenticate(headerValue(request.headers.authorization));
    const actor = request.actor;
    if (!required?.length) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This operation declares no role and is closed to everyone');
    }
    if (!required.includes(actor.role as Role)) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `This operation needs the role ${required.join(' or ')}; the key '${actor.name}' has the role ${actor.role}`,
        { requiredRoles: required },
      );
    }
    return true;
  }

  private requestOf(context: ExecutionContext): AuthenticatedRequest {
    if (context.getType<string>() === 'graphql') {
      return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
    }
    return context.switchToHttp().getRequest<AuthenticatedRequest>();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
