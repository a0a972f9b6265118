import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from '../actor';

export const ANONYMOUS_ACTOR: Actor = { name: 'anonymous', person: true };

/** The caller of a GraphQL operation, as the authentication layer put it on the request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = GqlExecutionContext.create(context).getContext<{ req?: { actor?: Actor } }>().req;
  return request?.actor ?? ANONYMOUS_ACTOR;
});
