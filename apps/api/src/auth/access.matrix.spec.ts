import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { adminToken, request } from '../../../../tests/support/http.js';
import { connectLive } from '../../../../tests/support/live.js';
import { LifecycleService } from '../contests/lifecycle.service.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { DisplaysService } from '../displays/displays.service.js';
import { UsersService } from '../users/users.service.js';
import {
  BAD_CREDENTIALS,
  DENIED_BY_TABLE,
  NOT_AUTHENTICATED,
  NOT_IN_TABLE,
} from './access.guard.js';
import { ACCESS_TABLE, isAllowed, routeKey } from './access-table.js';
import { AuthService } from './auth.service.js';
import { ANONYMOUS, USER_ROLES, type Principal } from './principal.js';
import { RouteRegistry, type RegisteredRoute } from './route-registry.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

/** One kind of caller: how it authenticates and what principal the table should see. */
interface Caller {
  readonly name: string;
  /** A fresh Authorization header per call (logout ends the session it is called with). */
  readonly header: () => Promise<string | null>;
  /** What the table is checked against; null: credentials that must be refused (401). */
  readonly principal: Principal | null;
}

type Outcome = 'allowed' | 'unauthenticated' | 'forbidden';

function expected(key: string, caller: Caller): Outcome {
  const allowed = ACCESS_TABLE[key];
  // A route without an entry is closed to everyone (the test above names it).
  if (allowed === undefined) return 'forbidden';
  if (allowed.includes('anonymous')) return 'allowed';
  if (caller.principal === null || caller.principal.kind === 'anonymous') return 'unauthenticated';
  return isAllowed(allowed, caller.principal) ? 'allowed' : 'forbidden';
}

/** What the guard did, told by status and the guard's own messages (a service's 403 is not it). */
function observed(status: number, body: unknown): Outcome {
  const message =
    typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : '';
  if (status === 401 && (message === NOT_AUTHENTICATED || message === BAD_CREDENTIALS)) {
    return 'unauthenticated';
  }
  if (status === 403 && (message.includes(DENIED_BY_TABLE) || message.includes(NOT_IN_TABLE))) {
    return 'forbidden';
  }
  return 'allowed';
}

/** A concrete URL for a template: every parameter a well-formed id nothing has. */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, (_match, name: string) =>
    name === 'place' || name === 'number' ? '1' : randomUUID(),
  );
}

describe('the access table', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let routes: readonly RegisteredRoute[];
  const callers: Caller[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url);
    routes = sut.app.get(RouteRegistry).routes;

    const dataSource = sut.app.get(DataSource);
    await dataSource.query("INSERT INTO participants (id, name) VALUES ('p-matrix', 'Matrix')");
    const users = sut.app.get(UsersService);
    const auth = sut.app.get(AuthService);
    for (const role of USER_ROLES) {
      const user = await users.create({
        email: `${role}@matrix.test`,
        password: 'matrix-password',
        role,
        participantId: role === 'seller' ? 'p-matrix' : null,
      });
      const principal = await auth.resolve((await auth.createSession(user.id)).token);
      callers.push({
        name: role,
        header: async () => `Bearer ${(await auth.createSession(user.id)).token}`,
        principal,
      });
    }
    const display = await sut.app
      .get(DisplaysService)
      .create({ name: 'TV', contestIds: [] }, ANONYMOUS);
    const key = await sut.app
      .get(ApiKeysService)
      .create({ name: 'CRM', scopes: ['events:write'] }, ANONYMOUS);
    callers.push(
      {
        name: 'display',
        header: () => Promise.resolve(`Bearer ${display.token}`),
        principal: await auth.resolve(display.token),
      },
      {
        name: 'apiKey',
        header: () => Promise.resolve(`Bearer ${key.key}`),
        principal: await auth.resolve(key.key),
      },
      { name: 'anonymous', header: () => Promise.resolve(null), principal: ANONYMOUS },
    );

    // Credentials that must not work anywhere a principal is needed.
    const revokedDisplay = await sut.app
      .get(DisplaysService)
      .create({ name: 'Old TV', contestIds: [] }, ANONYMOUS);
    await sut.app.get(DisplaysService).revoke(revokedDisplay.id);
    const revokedKey = await sut.app
      .get(ApiKeysService)
      .create({ name: 'Old CRM', scopes: ['events:write'] }, ANONYMOUS);
    await sut.app.get(ApiKeysService).revoke(revokedKey.id);
    const admin = callers[0]?.principal;
    if (admin?.kind !== 'user') throw new Error('the admin caller comes first');
    const expired = await auth.createSession(admin.userId, -1_000);
    for (const [name, token] of [
      ['expired session', expired.token],
      ['revoked display', revokedDisplay.token],
      ['revoked API key', revokedKey.key],
      ['unknown session', `pds_${'x'.repeat(43)}`],
      ['garbage', 'not-a-token'],
    ] as const) {
      callers.push({ name, header: () => Promise.resolve(`Bearer ${token}`), principal: null });
    }
    callers.push({
      name: 'malformed header',
      header: () => Promise.resolve('Basic YWRtaW46YWRtaW4='),
      principal: null,
    });
  });

  async function call(
    route: RegisteredRoute,
    authorization: string | null,
  ): Promise<{ status: number; text: string; body: unknown }> {
    const hasBody = !['GET', 'DELETE', 'HEAD', 'OPTIONS'].includes(route.method);
    const response = await fetch(`${sut.url}${concrete(route.url)}`, {
      method: route.method,
      headers: {
        ...(authorization !== null && { authorization }),
        ...(hasBody && { 'content-type': 'application/json' }),
      },
      ...(hasBody && { body: '{}' }),
    });
    const text = await response.text();
    try {
      return { status: response.status, text, body: JSON.parse(text) as unknown };
    } catch {
      return { status: response.status, text: text.slice(0, 200), body: null };
    }
  }

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('knows every route, including those left out of the OpenAPI document', async () => {
    const keys = routes.map((route) => routeKey(route.method, route.url));
    expect(keys).toEqual(
      expect.arrayContaining(['GET /api/health', 'GET /api/openapi.json', 'POST /api/auth/login']),
    );
    const document = (await (await fetch(`${sut.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) =>
        routeKey(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1')),
      ),
    );
    expect(keys).toEqual(expect.arrayContaining(documented));
  });

  it('opens the reconciliation to admins and managers, a clawback decision to directors and admins', () => {
    expect(ACCESS_TABLE['GET /api/integrations/:id/reconciliation']).toEqual(['admin', 'manager']);
    expect(ACCESS_TABLE['POST /api/contests/:id/clawbacks/:clawbackId']).toEqual([
      'admin',
      'director',
    ]);
    const keys = routes.map((route) => routeKey(route.method, route.url));
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/integrations/:id/reconciliation',
        'POST /api/contests/:id/clawbacks/:clawbackId',
      ]),
    );
  });

  it('opens the unsubscribe links of e-mail to anyone (the signed token is the authority)', () => {
    expect(ACCESS_TABLE['GET /api/unsubscribe/:token']).toEqual(['anonymous']);
    expect(ACCESS_TABLE['POST /api/unsubscribe/:token']).toEqual(['anonymous']);
    const keys = routes.map((route) => routeKey(route.method, route.url));
    expect(keys).toEqual(
      expect.arrayContaining(['GET /api/unsubscribe/:token', 'POST /api/unsubscribe/:token']),
    );
  });

  it("opens a participant's Telegram link and notification settings to admins, managers and sellers (their own: in the service), group chats and the outbox to admins, the webhook to Telegram", () => {
    const operatorsAndSellers = ['admin', 'manager', 'seller'];
    for (const key of [
      'POST /api/participants/:id/telegram-link',
      'DELETE /api/participants/:id/telegram-link',
      'GET /api/participants/:id/notification-settings',
      'PUT /api/participants/:id/notification-settings',
    ]) {
      expect(ACCESS_TABLE[key]).toEqual(operatorsAndSellers);
    }
    for (const key of [
      'POST /api/telegram/chats/link',
      'GET /api/telegram/chats',
      'DELETE /api/telegram/chats/:chatId',
      'PUT /api/telegram/chats/:chatId/settings',
      'GET /api/notifications',
      'POST /api/notifications/:id/retry',
    ]) {
      expect(ACCESS_TABLE[key]).toEqual(['admin']);
    }
    expect(ACCESS_TABLE['POST /api/telegram/webhook']).toEqual(['anonymous']);
    const keys = routes.map((route) => routeKey(route.method, route.url));
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/participants/:id/telegram-link',
        'POST /api/telegram/chats/link',
        'POST /api/telegram/webhook',
        'GET /api/notifications',
      ]),
    );
  });

  it('has an entry for every route the API registers', () => {
    const missing = routes
      .map((route) => routeKey(route.method, route.url))
      .filter((key) => ACCESS_TABLE[key] === undefined);
    expect(missing).toEqual([]);
  });

  it('refuses exactly whom the table refuses, on every route, for every kind of caller', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const key = routeKey(route.method, route.url);
      // The callers of one route in parallel: the whole walk stays a few seconds.
      await Promise.all(
        callers.map(async (caller) => {
          const { status, text, body } = await call(route, await caller.header());
          const want = expected(key, caller);
          const got = observed(status, body);
          // An allowed call may fail on its junk input (400, 404, 409, 415…) but never crash.
          if (got !== want || status >= 500) {
            mismatches.push(`${key} as ${caller.name}: want ${want}, got ${status} ${text}`);
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
    expect(routes.length * callers.length).toBeGreaterThan(100);
  });
});

/**
 * The table lets a seller (and a display) call the per-contest read routes; which contests they
 * may read is the services' rule (`canReadContest`): a seller their own launched contests, a
 * display its assigned launched ones, never a draft, everything else a 404 as if it did not
 * exist. Every per-contest route the table opens to them is walked, so a new one is covered.
 */
describe('the access table, per contest', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let routes: readonly RegisteredRoute[];
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
  const contests = { own: '', foreign: '', draft: '' };
  const viewers: { name: string; token: string; principal: Principal }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: 'admin@matrix.test', adminPassword: 'matrix-password' },
      { clock },
    );
    routes = sut.app.get(RouteRegistry).routes;
    const admin = await adminToken(sut);
    const file = await exampleContestFile();
    const create = async (name: string, participantIds: readonly string[], launch: boolean) => {
      const body = {
        ...file,
        name,
        events: [],
        // Two months: checkpoint 1 (1 March) exists while the contest is live.
        period: { start: '2026-02-01', end: '2026-04-01' },
        participants: participantIds.map((id, index) => ({
          ...(file.participants[index] as (typeof file.participants)[number]),
          id,
          name: id,
        })),
      };
      const created = await request(sut.url, 'POST', '/api/contests', { token: admin, body });
      const { id } = (await created.json()) as { id: string };
      if (launch)
        await request(sut.url, 'POST', `/api/contests/${id}/launch`, {
          token: admin,
          body: LAUNCH_PAST_GATE,
        });
      return id;
    };
    contests.own = await create('Own', ['p-seller', 'p-other'], true);
    contests.foreign = await create('Foreign', ['p-other', 'p-third'], true);
    contests.draft = await create('Draft', ['p-seller', 'p-other'], false);
    await sut.app.get(LifecycleService).tick();
    for (const id of [contests.own, contests.foreign]) {
      const published = await request(
        sut.url,
        'POST',
        `/api/contests/${id}/checkpoints/1/publish`,
        {
          token: admin,
        },
      );
      expect(published.status).toBe(200);
    }

    const auth = sut.app.get(AuthService);
    const seller = await sut.app.get(UsersService).create({
      email: 'seller@matrix.test',
      password: 'matrix-password',
      role: 'seller',
      participantId: 'p-seller',
    });
    const link = await request(sut.url, 'POST', '/api/participants/p-seller/personal-link', {
      token: admin,
    });
    const display = await sut.app
      .get(DisplaysService)
      .create({ name: 'TV', contestIds: [contests.own, contests.draft] }, ANONYMOUS);
    for (const [name, token] of [
      ['seller', (await auth.createSession(seller.id)).token],
      ['personal link', ((await link.json()) as { token: string }).token],
      ['display', display.token],
    ] as const) {
      const principal = await auth.resolve(token);
      if (principal === null) throw new Error(`${name}: no principal`);
      viewers.push({ name, token, principal });
    }
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  /** A URL of the template for this contest: checkpoint 1, CSV, prize place 1. */
  function of(url: string, contestId: string): string {
    return url.replace(/:(\w+)/g, (_match, name: string) =>
      name === 'id'
        ? contestId
        : name === 'format'
          ? 'csv'
          : name === 'number' || name === 'place'
            ? '1'
            : randomUUID(),
    );
  }

  it('answers each seller, personal link and display only for the contests they may read', async () => {
    const perContest = routes.filter((route) => {
      const allowed = ACCESS_TABLE[routeKey(route.method, route.url)] ?? [];
      // Anonymous routes (the prize image, read by <img>) are not per-viewer.
      return (
        route.method === 'GET' &&
        route.url.startsWith('/api/contests/:id') &&
        !allowed.includes('anonymous') &&
        viewers.some((viewer) => isAllowed(allowed, viewer.principal))
      );
    });
    expect(perContest.length).toBeGreaterThanOrEqual(5);
    const readable: Record<string, readonly string[]> = {
      seller: [contests.own],
      'personal link': [contests.own],
      display: [contests.own],
    };
    const wrong: string[] = [];
    for (const viewer of viewers) {
      for (const route of perContest) {
        if (!isAllowed(ACCESS_TABLE[routeKey(route.method, route.url)] ?? [], viewer.principal))
          continue;
        for (const [which, id] of Object.entries(contests)) {
          const response = await request(sut.url, 'GET', of(route.url, id), {
            token: viewer.token,
          });
          await response.arrayBuffer();
          const want = readable[viewer.name]?.includes(id) ? 200 : 404;
          if (response.status !== want)
            wrong.push(
              `${route.url} (${which}) as ${viewer.name}: want ${want}, got ${response.status}`,
            );
        }
      }
      const listed = await request(sut.url, 'GET', '/api/contests', { token: viewer.token });
      const ids = ((await listed.json()) as { id: string }[]).map((contest) => contest.id);
      if (JSON.stringify(ids) !== JSON.stringify(readable[viewer.name]))
        wrong.push(`GET /api/contests as ${viewer.name}: got ${ids.length} contests`);
      const socket = await connectLive(sut.url, viewer.token);
      try {
        for (const [which, id] of Object.entries(contests)) {
          const ack = await socket.emitWithAck('subscribe', { contestId: id });
          if (ack.ok !== (readable[viewer.name]?.includes(id) ?? false))
            wrong.push(`subscribe (${which}) as ${viewer.name}: ${ack.ok ? 'ok' : ack.error}`);
        }
      } finally {
        socket.disconnect();
      }
    }
    expect(wrong).toEqual([]);
  });
});
