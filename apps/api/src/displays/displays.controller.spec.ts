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

  it('stores each display its language, slides, seconds per slide and sound, with defaults', async () => {
    const plain = await call('POST', '', { name: 'Defaults' });
    expect(plain.status).toBe(201);
    expect(await plain.json()).toMatchObject({
      language: 'ru',
      slides: ['leaderboard', 'prizes', 'deals'],
      slideSeconds: 20,
      sound: false,
    });

    const settings = {
      language: 'en',
      slides: ['deals', 'newcomers', 'leaderboard', 'contenders', 'rules'],
      slideSeconds: 7,
      sound: true,
    };
    const created = await call('POST', '', { name: 'Configured', ...settings });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string };
    expect(body).toMatchObject(settings);
    // The TV reads its own settings with its token.
    expect(await (await meAs(body.token)).json()).toMatchObject({
      kind: 'display',
      display: { id: body.id, name: 'Configured', ...settings },
    });
    const listed = (await (await call('GET', '')).json()) as { id: string }[];
    expect(listed.find((display) => display.id === body.id)).toMatchObject(settings);
  });

  it.each([
    ['language', { language: 'de' }, 'must be "ru" or "en"'],
    ['slides', { slides: [] }, 'must name at least one slide'],
    ['slides', { slides: ['leaderboard', 'leaderboard'] }, 'must not repeat a slide'],
    ['slides[1]', { slides: ['leaderboard', 'weather'] }, 'must be one of leaderboard'],
    ['slideSeconds', { slideSeconds: 4 }, 'must be at least 5'],
    ['slideSeconds', { slideSeconds: 601 }, 'must be at most 600'],
    ['slideSeconds', { slideSeconds: 7.5 }, 'must be a whole number of seconds'],
    ['sound', { sound: 'yes' }, 'must be true or false'],
  ])('refuses a bad %s with a 400 naming it and its rule: %j', async (path, field, message) => {
    const created = await call('POST', '', { name: 'Bad', ...field });
    expect(created.status).toBe(400);
    const issues = ((await created.json()) as { issues: { path: string; message: string }[] })
      .issues;
    expect(issues).toEqual([
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    ]);

    const { id } = (await (await call('POST', '', { name: 'Good' })).json()) as { id: string };
    const changed = await call('PATCH', `/${id}`, field);
    expect(changed.status).toBe(400);
    expect(await changed.json()).toMatchObject({ issues: [{ path }] });
  });

  it('changes a display with PATCH: only the given fields, seen by its TV at once', async () => {
    const { id, token } = (await (
      await call('POST', '', { name: 'Patch me', contestIds: [contests[0]] })
    ).json()) as { id: string; token: string };
    const changed = await call('PATCH', `/${id}`, {
      name: 'Canteen',
      slides: ['prizes', 'leaderboard'],
      sound: true,
    });
    expect(changed.status).toBe(200);
    const expected = {
      id,
      name: 'Canteen',
      contestIds: [contests[0]],
      language: 'ru',
      slides: ['prizes', 'leaderboard'],
      slideSeconds: 20,
      sound: true,
    };
    expect(await changed.json()).toMatchObject(expected);
    expect(await (await meAs(token)).json()).toMatchObject({ display: expected });

    const language = await call('PATCH', `/${id}`, { language: 'en', slideSeconds: 600 });
    expect(await language.json()).toMatchObject({ ...expected, language: 'en', slideSeconds: 600 });

    const nothing = await call('PATCH', `/${id}`, {});
    expect(nothing.status).toBe(400);
    const unknownField = await call('PATCH', `/${id}`, { contestIds: [] });
    expect(unknownField.status).toBe(400);
    expect(
      (await call('PATCH', '/00000000-0000-4000-8000-000000000000', { sound: true })).status,
    ).toBe(404);
    expect((await call('PATCH', '/not-an-id', { sound: true })).status).toBe(404);
  });

  it('reissues a display token: the new one works, the old one stops at once', async () => {
    const { id, token: old } = (await (
      await call('POST', '', { name: 'Lost link', contestIds: [contests[1]], language: 'en' })
    ).json()) as { id: string; token: string };
    expect((await meAs(old)).status).toBe(200);
    const reissued = await call('POST', `/${id}/token`);
    expect(reissued.status).toBe(200);
    const body = (await reissued.json()) as { id: string; token: string; url: string };
    expect(body).toMatchObject({
      id,
      name: 'Lost link',
      contestIds: [contests[1]],
      language: 'en',
    });
    expect(body.token).toMatch(/^pdd_[\w-]{43}$/);
    expect(body.token).not.toBe(old);
    expect(body.url).toContain(`/tv/${body.token}`);
    expect((await meAs(old)).status).toBe(401);
    expect(await (await meAs(body.token)).json()).toMatchObject({ display: { id } });
    expect((await call('POST', '/00000000-0000-4000-8000-000000000000/token')).status).toBe(404);
  });

  it('lets a director create, configure, assign and re-link displays, not revoke them', async () => {
    const director = await request(sut.url, 'POST', '/api/users', {
      token,
      body: { email: 'director@example.com', password: 'director password 1', role: 'director' },
    });
    expect(director.status).toBe(201);
    const { id: directorId } = (await director.json()) as { id: string };
    const directorToken = (await sut.app.get(AuthService).createSession(directorId)).token;
    const as = (method: string, path: string, body?: unknown) =>
      request(sut.url, method, `/api/displays${path}`, { token: directorToken, body });

    const created = await as('POST', '', { name: 'Sales floor', language: 'en' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await as('GET', '')).status).toBe(200);
    expect((await as('PATCH', `/${id}`, { slideSeconds: 30 })).status).toBe(200);
    expect((await as('PUT', `/${id}/contests`, { contestIds: [contests[2]] })).status).toBe(200);
    expect((await as('POST', `/${id}/token`)).status).toBe(200);
    expect((await as('DELETE', `/${id}`)).status).toBe(403);
  });

  it('ensures the demo display with the contests the demo seeding gives it', async () => {
    const displays = sut.app.get(DisplaysService);
    await displays.ensureDemoDisplay();
    // The demo TV shows the contenders' chances after the prizes.
    expect(await (await meAs('demo')).json()).toMatchObject({
      display: { contestIds: [], slides: ['leaderboard', 'prizes', 'contenders', 'deals'] },
    });
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
