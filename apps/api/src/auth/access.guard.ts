import {
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_TABLE, isAllowed, routeKey, type Allowed } from './access-table.js';
import { AuthService } from './auth.service.js';
import { setPrincipal } from './current-principal.decorator.js';
import { ANONYMOUS, describePrincipal, type Principal } from './principal.js';
import { RateLimitedException } from './rate-limited.exception.js';
import { RateLimits, type RateLimit } from './rate-limiter.js';
import { ROUTE_RATE_LIMITS } from './route-rate-limits.js';

/** How the guard's refusals say who refused, so the matrix test can tell them from a service's. */
export const DENIED_BY_TABLE = 'may not call';
export const NOT_IN_TABLE = 'has no access-table entry';
export const NOT_AUTHENTICATED = 'authentication required';
export const BAD_CREDENTIALS = 'invalid or expired credentials';

function bearerToken(request: FastifyRequest): string | null | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match?.[1] ?? null;
}

function rateKey(principal: Principal, request: FastifyRequest): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'display':
      return `display:${principal.displayId}`;
    case 'apiKey':
      return `apiKey:${principal.apiKeyId}`;
    case 'anonymous':
      return `ip:${request.ip}`;
  }
}

/**
 * The one gate of the HTTP API (registered as APP_GUARD): resolves the principal from
 * `Authorization: Bearer`, then applies {@link ACCESS_TABLE}. A route without an entry is closed to
 * everyone (403, logged); missing or bad credentials on a closed route are 401; a principal the
 * entry does not list is 403. Public routes ignore bad credentials rather than fail on them.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  private readonly limiters: ReadonlyMap<string, RateLimit>;

  constructor(
    private readonly auth: AuthService,
    rateLimits: RateLimits,
  ) {
    this.limiters = new Map(
      Object.entries(ROUTE_RATE_LIMITS).map(([key, limit]) => [
        key,
        rateLimits.create(`route:${key}`, limit),
      ]),
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = routeKey(request.method, request.routeOptions.url ?? '(unmatched)');

    const allowed: readonly Allowed[] | undefined = ACCESS_TABLE[key];
    if (allowed === undefined) {
      this.logger.error(
        `no access-table entry for ${key}: refused (add it to auth/access-table.ts)`,
      );
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `${key} ${NOT_IN_TABLE}: nobody may call it yet`,
      });
    }

    const reply = http.getResponse<FastifyReply>();
    const principal = await this.authenticate(request, reply, allowed.includes('anonymous'));
    if (!isAllowed(allowed, principal)) {
      if (principal.kind === 'anonymous') throw unauthorized(reply, NOT_AUTHENTICATED);
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `${describePrincipal(principal)} ${DENIED_BY_TABLE} ${key}`,
      });
    }

    const limiter = this.limiters.get(key);
    if (limiter !== undefined) {
      const wait = await limiter.take(rateKey(principal, request));
      if (wait > 0) throw new RateLimitedException(wait);
    }

    setPrincipal(request, principal);
    return true;
  }

  private async authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    isPublic: boolean,
  ): Promise<Principal> {
    const token = bearerToken(request);
    if (token === undefined) return ANONYMOUS;
    const principal = token === null ? null : await this.auth.resolve(token);
    if (principal !== null) return principal;
    if (isPublic) return ANONYMOUS;
    throw unauthorized(reply, BAD_CREDENTIALS);
  }
}

/** A 401 that says how to authenticate (RFC 6750). */
function unauthorized(reply: FastifyReply, message: string): UnauthorizedException {
  reply.header('www-authenticate', 'Bearer realm="podium"');
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}
