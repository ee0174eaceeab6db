import { describe, expect, it, jest } from '@jest/globals';
import { HttpException, Logger, type ExecutionContext } from '@nestjs/common';
import { AccessGuard, NOT_IN_TABLE } from './access.guard.js';
import type { AuthService } from './auth.service.js';
import type { AppConfig } from '../config/config.js';
import type { ClusterService } from '../database/cluster/cluster.service.js';
import { principalOf } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { RateLimitedException } from './rate-limited.exception.js';
import { RateLimits } from './rate-limiter.js';
import { ROUTE_RATE_LIMITS } from './route-rate-limits.js';

function context(method: string, url: string, authorization?: string) {
  const request = {
    method,
    ip: '10.0.0.1',
    headers: authorization === undefined ? {} : { authorization },
    routeOptions: { url },
  };
  const headers = new Map<string, string>();
  const reply = {
    header: (name: string, value: string) => {
      headers.set(name, value);
      return reply;
    },
  };
  const sut = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context: sut, request, headers };
}

const apiKey: Principal = { kind: 'apiKey', apiKeyId: 'k1', name: 'CRM', scopes: ['events:write'] };

function guard(resolved: Principal | null) {
  const resolve = jest.fn<AuthService['resolve']>();
  resolve.mockResolvedValue(resolved as Awaited<ReturnType<AuthService['resolve']>>);
  // In-memory counters (no REDIS_URL), under a name of their own.
  const limits = new RateLimits(
    { redisUrl: null } as AppConfig,
    {
      databaseIdentity: () => 'guard-spec',
    } as unknown as ClusterService,
  );
  return { sut: new AccessGuard({ resolve } as unknown as AuthService, limits), resolve };
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpException) return error.getStatus();
    throw error;
  }
  return 200;
}

describe(AccessGuard.name, () => {
  it('closes a route missing from the table to everyone, and says so in the log', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { sut } = guard(apiKey);
    const { context: ctx } = context('POST', '/api/not-in-the-table', 'Bearer pdk_x');
    await expect(sut.canActivate(ctx)).rejects.toMatchObject({
      status: 403,
      response: { message: expect.stringContaining(NOT_IN_TABLE) },
    });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('POST /api/not-in-the-table'));
    logged.mockRestore();
  });

  it('answers 401 with WWW-Authenticate when credentials are missing or bad', async () => {
    const missing = context('GET', '/api/users');
    expect(await statusOf(guard(null).sut.canActivate(missing.context))).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const bad = context('GET', '/api/users', 'Bearer pds_unknown');
    expect(await statusOf(guard(null).sut.canActivate(bad.context))).toBe(401);
  });

  it('ignores bad credentials on a public route and hands the principal to the controller', async () => {
    const publicRoute = context('GET', '/api/health', 'Bearer pds_unknown');
    await expect(guard(null).sut.canActivate(publicRoute.context)).resolves.toBe(true);
    expect(principalOf(publicRoute.request)).toEqual({ kind: 'anonymous' });
    const events = context('POST', '/api/events', 'Bearer pdk_x');
    await expect(guard(apiKey).sut.canActivate(events.context)).resolves.toBe(true);
    expect(principalOf(events.request)).toBe(apiKey);
  });

  it('answers HEAD from the GET entry', async () => {
    const head = context('HEAD', '/api/health');
    await expect(guard(null).sut.canActivate(head.context)).resolves.toBe(true);
  });

  it('limits POST /api/events per principal as configured, with Retry-After', async () => {
    const budget = ROUTE_RATE_LIMITS['POST /api/events'];
    if (budget === undefined) throw new Error('POST /api/events has no rate limit');
    const { sut, resolve } = guard(apiKey);
    for (let i = 0; i < budget.limit; i += 1) {
      await sut.canActivate(context('POST', '/api/events', 'Bearer pdk_x').context);
    }
    const error = await sut
      .canActivate(context('POST', '/api/events', 'Bearer pdk_x').context)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedException);
    expect((error as RateLimitedException).getStatus()).toBe(429);
    expect((error as RateLimitedException).retryAfterSeconds).toBeGreaterThan(0);
    // Another key has its own budget.
    resolve.mockResolvedValueOnce({ ...apiKey, apiKeyId: 'k2' });
    await expect(
      sut.canActivate(context('POST', '/api/events', 'Bearer pdk_y').context),
    ).resolves.toBe(true);
  });
});
