import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** The caller of a GraphQL operation, as the auth guard put it on the request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = GqlExecutionContext.create(context).getContext<{ req?: { actor?: Actor } }>().req;
  if (!request?.actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An API key is required');
  return request.actor;
});
