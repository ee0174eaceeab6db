import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { adminToken, request } from '../../../../tests/support/http.js';
import { AuthService } from '../auth/auth.service.js';
import { isAssignedTo } from '../auth/principal.js';
import { DisplaysController } from './displays.controller.js';
import { DisplaysService } from './displays.service.js';

describe(DisplaysController.name, () => {
  let database: TestDatabase;
  let sut: TestApp;
  /** The bearer token of the first admin, sent with every call. */
  let token: string;
  let contests: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: 'admin@example.com',
      adminPassword: 'admin password',
    });
    const dataSource = sut.app.get(DataSource);
    const rows: { id: string }[] = await dataSource.query(
      `INSERT INTO contests (name, currency, period_start, period_end, rules, created_by)
         SELECT 'Contest ' || n, 'RUB', '2026-03-01', '2026-04-01', '{}', 'test'
           FROM generate_series(1, 3) AS n
         RETURNING id`,
    );
    contests = rows.map((row) => row.id);
    token = await adminToken(sut);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const call = (method: string, path: string, body?: unknown) =>
    request(sut.url, method, `/api/displays${path}`, { token, body });

  const meAs = (bearer: string) => request(sut.url, 'GET', '/api/auth/me', { token: bearer });

  it('creates a display whose token, shown once, is a read-only principal scoped to its contests', async () => {
    const created = await call('POST', '', {
      name: 'Lobby TV',
      contestIds: [contests[1], contests[0]],
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string };
    expect(body.token).toMatch(/^pdd_[\w-]{43}$/);

    const me = await meAs(body.token);
    expect(await me.json()).toMatchObject({
      kind: 'display',
      display: { name: 'Lobby TV', contestIds: [contests[1], contests[0]] },
    });
    const principal = await sut.app.get(AuthService).resolve(body.token);
    expect(principal !== null && isAssignedTo(principal, contests[0] ?? '')).toBe(true);
    expect(principal !== null && isAssignedTo(principal, contests[2] ?? '')).toBe(false);

    const list = await (await call('GET', '')).text();
    expect(list).toContain('Lobby TV');
    expect(list).not.toContain(body.token);
    // Read-only: the display cannot change anything, not even its own contests.
    const write = await request(sut.url, 'PUT', `/api/displays/${body.id}/contests`, {
      token: body.token,
      body: { contestIds: contests },
    });
    expect(write.status).toBe(403);
  });

  it('assigns exactly the given contests, and names a contest that does not exist', async () => {
    const { id, token } = (await (await call('POST', '', { name: 'Hall' })).json()) as {
      id: string;
      token: string;
    };
    const assigned = await call('PUT', `/${id}/contests`, { contestIds: [contests[2]] });
    expect(assigned.status).toBe(200);
    expect(await assigned.json()).toMatchObject({ contestIds: [contests[2]] });
    expect(await (await meAs(token)).json()).toMatchObject({
      display: { contestIds: [contests[2]] },
    });

    const unknown = await call('PUT', `/${id}/contests`, {
      contestIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      issues: [{ path: 'contestIds', code: 'unknownContest' }],
    });
  });

  it('revokes a display: its token stops working at once', async () => {
    const { id, token } = (await (await call('POST', '', { name: 'Old TV' })).json()) as {
      id: string;
      token: string;
    };
    expect((await meAs(token)).status).toBe(200);
    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect((await meAs(token)).status).toBe(401);
    expect((await call('DELETE', `/${id}`)).status).toBe(404);
    expect((await call('PUT', `/${id}/contests`, { contestIds: [] })).status).toBe(404);
  });

  it('ensures the demo display with the contests the demo seeding gives it', async () => {
    const displays = sut.app.get(DisplaysService);
    await displays.ensureDemoDisplay();
    expect(await (await meAs('demo')).json()).toMatchObject({ display: { contestIds: [] } });
    const assigned = await displays.ensureDemoDisplay([contests[0] ?? '']);
    expect(assigned.contestIds).toEqual([contests[0]]);
    // Ensuring again without contests keeps them.
    await displays.ensureDemoDisplay();
    expect(await (await meAs('demo')).json()).toMatchObject({
      display: { name: 'Demo TV', contestIds: [contests[0]] },
    });
  });
  it('brings the demo display back after a start outside demo mode revoked it', async () => {
    const displays = sut.app.get(DisplaysService);
    const first = await displays.ensureDemoDisplay();
    await displays.revokeDemoDisplay();
    expect((await meAs('demo')).status).toBe(401);
    const back = await displays.ensureDemoDisplay();
    expect(back.id).toBe(first.id);
    expect((await meAs('demo')).status).toBe(200);
  });
});
