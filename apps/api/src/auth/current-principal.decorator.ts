import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ANONYMOUS, type Principal } from './principal.js';

/** Request → principal, set by the guard. A WeakMap: nothing to declare on Fastify's request. */
const principals = new WeakMap<object, Principal>();

export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** The principal the guard resolved for this request (anonymous if it resolved none). */
export function principalOf(request: object): Principal {
  return principals.get(request) ?? ANONYMOUS;
}

/**
 * The caller of the current request, as the global guard resolved it:
 * `list(@CurrentPrincipal() principal: Principal)`.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    principalOf(context.switchToHttp().getRequest<object>()),
);
