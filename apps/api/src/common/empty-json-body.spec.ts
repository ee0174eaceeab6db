import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { adminToken, call, createAdminApp } from '../../../../tests/support/http.js';
import { AuthService } from '../auth/auth.service.js';
import { LifecycleService } from '../contests/lifecycle.service.js';
import { UsersService } from '../users/users.service.js';

/**
 * Sends exactly what many HTTP clients send on a bodiless POST or DELETE: `content-type:
 * application/json` and `content-length: 0` (fetch would leave the length out), or a given body.
 */
function raw(
  url: string,
  method: string,
  path: string,
  token: string,
  body = '',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('an empty body sent as application/json', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  async function draft(name: string): Promise<string> {
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token: admin,
      body: { ...(await exampleContestFile()), name },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('is no body on launch and close', async () => {
    const id = await draft('Launched with an empty JSON body');
    // Without a body there is no override: the launch gate stops it, with its 409, not a 400.
    const gated = await raw(sut.url, 'POST', `/api/contests/${id}/launch`, admin);
    expect(gated.status).toBe(409);
    expect(JSON.parse(gated.text)).toMatchObject({ code: 'not_simulated' });
    const approved = await call(sut.url, 'PUT', `/api/contests/${id}/scenario`, {
      token: admin,
      body: {
        scenario: { uplift: 0.1, correlation: 0.3, trials: 1000, seed: 1 },
        verdict: 'balanced',
      },
    });
    expect(approved.status).toBe(200);
    const launched = await raw(sut.url, 'POST', `/api/contests/${id}/launch`, admin);
    expect(launched).toEqual({ status: 200, text: expect.stringContaining('"state":"live"') });

    clock.set('2026-04-01T00:00:01Z');
    await sut.app.get(LifecycleService).tick();
    const closed = await raw(sut.url, 'POST', `/api/contests/${id}/close`, admin);
    expect(closed).toEqual({ status: 200, text: expect.stringContaining('"state":"closed"') });
    clock.set('2026-03-10T12:00:00Z');
  });

  it('is no body on logout', async () => {
    const token = await adminToken(sut);
    const answer = await raw(sut.url, 'POST', '/api/auth/logout', token);
    expect(answer.status).toBeLessThan(300);
    await expect(sut.app.get(AuthService).resolve(token)).resolves.toBeNull();
  });

  it('is no body on a DELETE', async () => {
    const user = await sut.app.get(UsersService).create({
      email: 'leaving@test.local',
      password: 'a long enough password',
      role: 'manager',
      participantId: null,
    });
    const answer = await raw(sut.url, 'DELETE', `/api/users/${user.id}`, admin);
    expect(answer.status).toBeLessThan(300);
    const rows: unknown[] = await sut.app
      .get(DataSource)
      .query('SELECT 1 FROM users WHERE id = $1', [user.id]);
    expect(rows).toEqual([]);
  });

  it('still refuses a body that is not JSON, and blank space is not an empty body', async () => {
    const id = await draft('Malformed body');
    for (const body of ['{', 'not json', '   ']) {
      const answer = await raw(sut.url, 'POST', `/api/contests/${id}/launch`, admin, body);
      expect(answer.status).toBe(400);
    }
    const contest = await call<{ state: string }>(sut.url, 'GET', `/api/contests/${id}`, {
      token: admin,
    });
    expect(contest.body.state).toBe('draft');
  });

  it('is still a 400 where a route needs a body', async () => {
    const answer = await raw(sut.url, 'POST', '/api/contests', admin);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      issues: [{ path: '(root)', message: expect.stringContaining('expected object') }],
    });
  });
});
