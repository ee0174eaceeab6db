import { DISPLAY_DEFAULTS } from '@podium/contest-model';
import { describe, expect, it } from '@jest/globals';
import { ACCESS_TABLE, isAllowed, routeKey, type Allowed } from './access-table.js';
import { ANONYMOUS, type Principal } from './principal.js';

const seller: Principal = {
  kind: 'user',
  userId: 'u1',
  email: 's@x.co',
  role: 'seller',
  participantId: 'p1',
  sessionId: 's1',
  expiresAt: new Date(),
};
const display: Principal = {
  kind: 'display',
  displayId: 'd1',
  name: 'TV',
  contestIds: [],
  settings: DISPLAY_DEFAULTS,
};
const key: Principal = { kind: 'apiKey', apiKeyId: 'k1', name: 'CRM', scopes: ['events:write'] };
const keyWithoutScopes = { ...key, scopes: [] } as Principal;

describe(isAllowed.name, () => {
  it('lets everyone through a public route', () => {
    for (const principal of [ANONYMOUS, seller, display, key]) {
      expect(isAllowed(['anonymous'], principal)).toBe(true);
    }
  });

  it('lets a user in by role only', () => {
    expect(isAllowed(['admin', 'seller'], seller)).toBe(true);
    expect(isAllowed(['admin', 'director'], seller)).toBe(false);
    expect(isAllowed(['admin'], ANONYMOUS)).toBe(false);
  });

  it('lets a display in only where displays are listed', () => {
    expect(isAllowed(['display'], display)).toBe(true);
    expect(isAllowed(['admin', 'seller'], display)).toBe(false);
  });

  it('lets an API key in only with the scope the route names', () => {
    const allowed: Allowed[] = ['admin', 'apiKey:events:write'];
    expect(isAllowed(allowed, key)).toBe(true);
    expect(isAllowed(allowed, keyWithoutScopes)).toBe(false);
    expect(isAllowed(['admin', 'display'], key)).toBe(false);
  });
});

describe(routeKey.name, () => {
  it('answers HEAD with the GET entry Fastify derives it from', () => {
    expect(routeKey('HEAD', '/api/health')).toBe('GET /api/health');
    expect(routeKey('POST', '/api/events')).toBe('POST /api/events');
  });
});

describe('ACCESS_TABLE', () => {
  it('keeps health, version, the OpenAPI document and login public', () => {
    for (const key of [
      'GET /api/health',
      'GET /api/version',
      'GET /api/openapi.json',
      'POST /api/auth/login',
    ]) {
      expect(ACCESS_TABLE[key]).toEqual(['anonymous']);
    }
  });

  it('keys every entry by a method and a route template under /api', () => {
    for (const key of Object.keys(ACCESS_TABLE)) {
      // A segment is static, a parameter, or a name and a format parameter (`standings.:format`).
      expect(key).toMatch(
        /^(GET|POST|PUT|PATCH|DELETE) \/api(\/[\w.-]+|\/:\w+|\/(?:[\w-]+|:\w+)\.:\w+)+$/,
      );
    }
  });

  it('leaves user and key administration to admins alone', () => {
    const admin = Object.entries(ACCESS_TABLE).filter(([key]) =>
      /^\w+ \/api\/(users|api-keys)/.test(key),
    );
    expect(admin.length).toBeGreaterThanOrEqual(7);
    for (const [, allowed] of admin) expect(allowed).toEqual(['admin']);
  });

  it('lets directors put their contests on TVs, and leaves revoking a display to admins', () => {
    const displays = Object.entries(ACCESS_TABLE).filter(([key]) =>
      /^\w+ \/api\/displays/.test(key),
    );
    expect(displays.length).toBeGreaterThanOrEqual(6);
    for (const [key, allowed] of displays) {
      expect([key, allowed]).toEqual([
        key,
        key === 'DELETE /api/displays/:id' ? ['admin'] : ['admin', 'director'],
      ]);
    }
  });
});
