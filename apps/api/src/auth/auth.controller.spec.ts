import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { CLUSTER_CHANNEL, ClusterService } from '../database/cluster/cluster.service.js';
import { UsersService } from '../users/users.service.js';
import { DEMO_ADMIN } from './access.bootstrap.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { loginViewSchema } from './dto/auth.dto.js';

const ADMIN = { email: 'Boss@Example.com', password: 'correct horse battery' };

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Only Date moves by hand (the limiter's clock); sockets and the database keep real timers. */
function onlyDateByHand(): void {
  jest.useFakeTimers({
    now: Date.now(),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe(AuthController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      // The tests speak as several clients behind one proxy (X-Forwarded-For).
      trustedProxies: ['127.0.0.1'],
    });
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  async function login(body: unknown, ip = '10.1.1.1') {
    return post(`${sut.url}/api/auth/login`, body, { 'x-forwarded-for': ip });
  }

  it('creates the configured first admin at start, with an Argon2id hash', async () => {
    const rows: { email: string; role: string; password_hash: string }[] = await sut.app
      .get(DataSource)
      .query('SELECT email, role, password_hash FROM users');
    expect(rows).toEqual([
      {
        email: 'boss@example.com',
        role: 'admin',
        password_hash: expect.stringMatching(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/),
      },
    ]);
  });

  it('logs in with e-mail and password and answers a bearer token that works', async () => {
    const response = await login(ADMIN);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; expiresAt: string };
    expect(body).toEqual({
      token: expect.stringMatching(/^pds_[\w-]{43}$/),
      expiresAt: expect.any(String),
      user: {
        id: expect.any(String),
        email: 'boss@example.com',
        role: 'admin',
        participantId: null,
      },
    });
    expect(loginViewSchema.parse(body)).toEqual(body);
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);

    const me = await fetch(`${sut.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: 'user', user: { role: 'admin' } });

    // The session row holds the token's SHA-256, not the token.
    const stored: { count: number }[] = await sut.app
      .get(DataSource)
      .query(
        "SELECT count(*)::int AS count FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
        [body.token],
      );
    expect(stored).toEqual([{ count: 1 }]);
  });

  it('answers the same 401 for an unknown e-mail and a wrong password', async () => {
    const unknown = await login(
      { email: 'nobody@example.com', password: ADMIN.password },
      '10.2.2.2',
    );
    const wrong = await login({ email: ADMIN.email, password: 'not the password' }, '10.2.2.2');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('names the field of a malformed login', async () => {
    const response = await login({ email: 'not-an-email', password: 'x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'email' }] });
  });

  it('after 10 failures per e-mail and address answers 429 with Retry-After, even to the right password', async () => {
    const email = 'target@example.com';
    await sut.app
      .get(UsersService)
      .create({ email, password: 'target password', role: 'manager', participantId: null });
    for (let i = 0; i < 10; i += 1) {
      expect((await login({ email, password: `guess ${i}` }, '10.3.3.3')).status).toBe(401);
    }
    const blocked = await login({ email, password: 'target password' }, '10.3.3.3');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    // The owner elsewhere is not locked out.
    expect((await login({ email, password: 'target password' }, '10.4.4.4')).status).toBe(200);
  });

  it('slows a flood of wrong guesses from many addresses, keeping the owner out a minute at most', async () => {
    const email = 'flooded@example.com';
    const owner = { email, password: 'owner password' };
    await sut.app.get(UsersService).create({ ...owner, role: 'manager', participantId: null });
    onlyDateByHand();
    try {
      const waits: number[] = [];
      let checked = 0;
      // Ten minutes of one guess a second, each from an address of its own.
      for (let second = 0; second < 600; second += 1) {
        const response = await login(
          { email, password: `guess ${second}` },
          `10.9.${Math.floor(second / 200)}.${second % 200}`,
        );
        if (response.status === 429) waits.push(Number(response.headers.get('retry-after')));
        else {
          expect(response.status).toBe(401);
          checked += 1;
        }
        jest.setSystemTime(Date.now() + 1_000);
      }
      // Slowed down: most guesses never reached the password check…
      expect(checked).toBeLessThan(60);
      // …and nobody was told to wait more than a minute.
      expect(Math.max(...waits)).toBeGreaterThan(0);
      expect(Math.max(...waits)).toBeLessThanOrEqual(60);

      const first = await login(owner, '10.8.8.8');
      if (first.status === 429) {
        const wait = Number(first.headers.get('retry-after'));
        expect(wait).toBeLessThanOrEqual(60);
        jest.setSystemTime(Date.now() + wait * 1_000);
        expect((await login(owner, '10.8.8.8')).status).toBe(200);
      } else {
        expect(first.status).toBe(200);
      }
    } finally {
      jest.useRealTimers();
    }
  });

  it('lets one of a burst of parallel guesses reach the password check once an account waits', async () => {
    const email = 'burst@example.com';
    await sut.app
      .get(UsersService)
      .create({ email, password: 'burst password', role: 'manager', participantId: null });
    onlyDateByHand();
    try {
      for (let attempt = 0; attempt < 11; attempt += 1) {
        const response = await login({ email, password: `guess ${attempt}` }, `10.7.0.${attempt}`);
        expect(response.status).toBe(401);
      }
      // Whatever wait that earned is over: the guessers all try at once.
      jest.setSystemTime(Date.now() + 60_000);
      const burst = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          login({ email, password: `burst ${index}` }, `10.7.1.${index}`).then(
            (response) => response.status,
          ),
        ),
      );
      expect(burst.filter((status) => status === 401)).toHaveLength(1);
      expect(burst.filter((status) => status === 429)).toHaveLength(19);
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs out: the token stops working', async () => {
    const { token } = (await (await login(ADMIN)).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    // Used first, so this process has it resolved (cached) when the session ends.
    expect((await fetch(`${sut.url}/api/auth/me`, { headers })).status).toBe(200);
    const logout = await fetch(`${sut.url}/api/auth/logout`, { method: 'POST', headers });
    expect(logout.status).toBe(204);
    const me = await fetch(`${sut.url}/api/auth/me`, { headers });
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('stops a used token as soon as another process says its session ended', async () => {
    const { token } = (await (await login(ADMIN)).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const me = await fetch(`${sut.url}/api/auth/me`, { headers });
    expect(me.status).toBe(200);
    // What another API process does on logout: delete the session, then send the notice.
    const dataSource = sut.app.get(DataSource);
    const [session] = (await dataSource.query(
      "DELETE FROM sessions WHERE token_hash = sha256(convert_to($1, 'UTF8')) RETURNING id",
      [token],
    )) as [{ id: string }[], number];
    const id = session[0]?.id;
    expect(id).toBeDefined();
    const heard = new Promise<void>((resolve) => {
      const stop = sut.app.get(ClusterService).subscribe((message, origin) => {
        if (message.kind === 'principals' && origin === 'remote') {
          stop();
          resolve();
        }
      });
    });
    await dataSource.query('SELECT pg_notify($1, $2)', [
      CLUSTER_CHANNEL,
      JSON.stringify({
        from: 'another-process',
        message: { kind: 'principals', of: { kind: 'session', id } },
      }),
    ]);
    await heard;
    // Well inside the cache's TTL: only the notice can have stopped it.
    expect((await fetch(`${sut.url}/api/auth/me`, { headers })).status).toBe(401);
  });

  it('refuses an expired session', async () => {
    const [admin] = await sut.app.get(UsersService).list();
    if (admin === undefined) throw new Error('no admin');
    const { token } = await sut.app.get(AuthService).createSession(admin.id, -1);
    const me = await fetch(`${sut.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(401);
  });

  it('applies a role change to open sessions at once', async () => {
    const users = sut.app.get(UsersService);
    const director = await users.create({
      email: 'director@example.com',
      password: 'director password',
      role: 'director',
      participantId: null,
    });
    const { token } = await sut.app.get(AuthService).createSession(director.id);
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${sut.url}/api/users`, { headers })).status).toBe(403);
    await users.update(director.id, { role: 'admin' });
    expect((await fetch(`${sut.url}/api/users`, { headers })).status).toBe(200);
  });

  it('sends security headers, a same-origin CSP and no CORS headers by default', async () => {
    const response = await fetch(`${sut.url}/api/health`, {
      headers: { origin: 'https://evil.example.com' },
    });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the first admin in demo mode', () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      demo: true,
      corsOrigins: ['https://crm.example.com'],
    });
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('is admin@demo.local / demo, and the demo TV token works', async () => {
    const response = await post(`${sut.url}/api/auth/login`, DEMO_ADMIN);
    expect(response.status).toBe(200);
    const me = await fetch(`${sut.url}/api/auth/me`, { headers: { authorization: 'Bearer demo' } });
    expect(me.status).toBe(200);
    // The demo seeding assigns its contests to the demo TV.
    expect(await me.json()).toMatchObject({
      kind: 'display',
      display: { name: 'Demo TV', contestIds: expect.any(Array) },
    });
  });

  it('is not created again, nor a second admin, at the next start', async () => {
    const again = await createTestApp(database.url, { demo: true });
    await again.close();
    const rows: unknown[] = await sut.app
      .get(DataSource)
      .query("SELECT 1 FROM users WHERE role = 'admin'");
    expect(rows).toHaveLength(1);
  });

  it('answers CORS only to the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${sut.url}/api/events`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight('https://crm.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.example.com');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('revokes the demo TV once demo mode is off', async () => {
    const production = await createTestApp(database.url, { demo: false });
    try {
      const me = await fetch(`${production.url}/api/auth/me`, {
        headers: { authorization: 'Bearer demo' },
      });
      expect(me.status).toBe(401);
    } finally {
      await production.close();
    }
  });
});
