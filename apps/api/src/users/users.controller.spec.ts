import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { request } from '../../../../tests/support/http.js';
import { AuthService } from '../auth/auth.service.js';
import { commonPasswordCount } from '../auth/password-policy.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

describe(UsersController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  /** The bearer token of the first admin, sent with every call. */
  let token: string;
  let adminId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: 'admin@example.com',
      adminPassword: 'admin password',
    });
    await sut.app
      .get(DataSource)
      .query("INSERT INTO participants (id, name) VALUES ('p1', 'Anna'), ('p2', 'Boris')");
    const [admin] = await sut.app.get(UsersService).list();
    if (admin === undefined) throw new Error('no first admin');
    adminId = admin.id;
    token = (await sut.app.get(AuthService).createSession(admin.id)).token;
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const call = (method: string, path: string, body?: unknown) =>
    request(sut.url, method, `/api/users${path}`, { token, body });

  it('creates a seller linked to a participant and lists users without password hashes', async () => {
    const created = await call('POST', '', {
      email: ' Anna@Example.com ',
      password: 'anna password',
      role: 'seller',
      participantId: 'p1',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      email: 'anna@example.com',
      role: 'seller',
      participantId: 'p1',
    });
    const list = await call('GET', '');
    const text = await list.text();
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('password');
    expect((JSON.parse(text) as unknown[]).length).toBe(2);
  });

  it.each([
    [{ email: 'x@example.com', password: 'long enough', role: 'seller' }, 400, 'participantId'],
    [
      { email: 'y@example.com', password: 'long enough', role: 'manager', participantId: 'p2' },
      400,
      'participantId',
    ],
    [
      { email: 'z@example.com', password: 'long enough', role: 'seller', participantId: 'nobody' },
      400,
      'participantId',
    ],
    [{ email: 'w@example.com', password: 'short', role: 'manager' }, 400, 'password'],
    [{ email: 'w@example.com', password: 'long enough', role: 'king' }, 400, 'role'],
    [{ email: 'anna@example.com', password: 'long enough', role: 'manager' }, 409, 'email'],
    [
      { email: 'anna2@example.com', password: 'long enough', role: 'seller', participantId: 'p1' },
      409,
      'participantId',
    ],
  ])('refuses %j with %i naming %s', async (body, status, path) => {
    const response = await call('POST', '', body);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({
      issues: [{ path }],
      ...(status === 409 ? { code: 'taken' } : {}),
    });
  });

  it.each([
    ['          ', 'must not be only whitespace', 'blankPassword'],
    ['\t \u00a0\n        ', 'must not be only whitespace', 'blankPassword'],
    ['iloveyou', 'is one of the most common passwords', 'commonPassword'],
    ['Password1', 'is one of the most common passwords', 'commonPassword'],
    ['qwertyuiop', 'is one of the most common passwords', 'commonPassword'],
  ])('refuses the password %j (%s) on create and on change', async (password, rule, code) => {
    const created = await call('POST', '', {
      email: 'weak@example.com',
      password,
      role: 'manager',
    });
    expect(created.status).toBe(400);
    expect(await created.json()).toMatchObject({
      issues: [{ path: 'password', message: expect.stringContaining(rule), code }],
    });
    const changed = await call('PATCH', `/${adminId}`, { password });
    expect(changed.status).toBe(400);
    expect(await changed.json()).toMatchObject({
      issues: [{ path: 'password', message: expect.stringContaining(rule), code }],
    });
    expect((await sut.app.get(UsersService).list()).map((user) => user.email)).not.toContain(
      'weak@example.com',
    );
    expect(commonPasswordCount).toBeGreaterThanOrEqual(10_000);
  });

  it('answers a too-short password with its code and the minimum, for the screen to say', async () => {
    const response = await call('POST', '', {
      email: 'short@example.com',
      password: 'short',
      role: 'manager',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      issues: [
        {
          path: 'password',
          message: 'must be at least 8 characters long',
          code: 'too_small',
          params: { kind: 'string', min: 8 },
        },
      ],
    });
  });

  it('signs a user out everywhere when an admin sets a new password', async () => {
    const user = await sut.app.get(UsersService).create({
      email: 'manager@example.com',
      password: 'first password',
      role: 'manager',
      participantId: null,
    });
    const { token } = await sut.app.get(AuthService).createSession(user.id);
    const me = () =>
      fetch(`${sut.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);
    const changed = await call('PATCH', `/${user.id}`, { password: 'second password' });
    expect(changed.status).toBe(200);
    expect((await me()).status).toBe(401);
  });

  it('unlinks the participant when a seller becomes a manager', async () => {
    const seller = await sut.app.get(UsersService).create({
      email: 'boris@example.com',
      password: 'boris password',
      role: 'seller',
      participantId: 'p2',
    });
    const response = await call('PATCH', `/${seller.id}`, { role: 'manager' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: 'manager', participantId: null });
  });

  it('keeps the last admin: no demotion, no deletion', async () => {
    const demote = await call('PATCH', `/${adminId}`, { role: 'director' });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ code: 'last_admin', issues: [{ path: 'role' }] });
    const deletion = await call('DELETE', `/${adminId}`);
    expect(deletion.status).toBe(409);
    expect(await deletion.json()).toMatchObject({ code: 'last_admin', issues: [{ path: 'id' }] });
  });

  it('deletes a user, and answers 404 for one that is not there', async () => {
    const user = await sut.app.get(UsersService).create({
      email: 'temp@example.com',
      password: 'temp password',
      role: 'director',
      participantId: null,
    });
    expect((await call('DELETE', `/${user.id}`)).status).toBe(204);
    expect((await call('DELETE', `/${user.id}`)).status).toBe(404);
    expect((await call('PATCH', '/not-a-uuid', { role: 'admin' })).status).toBe(404);
  });
});
