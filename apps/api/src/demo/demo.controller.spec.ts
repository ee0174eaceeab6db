import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, login, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { request } from '../../../../tests/support/http.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { ForecastsRepository } from '../forecasts/forecasts.repository.js';
import { UsersService } from '../users/users.service.js';
import type { DemoEntryView } from './dto/demo-entry.dto.js';

const PUBLIC_URL = 'https://podium.example.com';

describe('GET /api/demo in demo mode', () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, { demo: true, publicUrl: PUBLIC_URL });
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('answers every demo sign-in, each of which signs in with the role it names', async () => {
    const response = await request(sut.url, 'GET', '/api/demo');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const entry = (await response.json()) as DemoEntryView;
    expect(entry.accounts.map((account) => [account.email, account.role])).toEqual([
      ['admin@demo.local', 'admin'],
      ['director@demo.local', 'director'],
      ['manager@demo.local', 'manager'],
      ['seller@demo.local', 'seller'],
    ]);
    for (const account of entry.accounts) {
      const token = await login(sut.url, account);
      const me = await request(sut.url, 'GET', '/api/auth/me', { token });
      expect(await me.json()).toMatchObject({ kind: 'user', user: { role: account.role } });
    }
  });

  it('builds the TV and phone links on the public URL, and both open', async () => {
    const { tvUrl, phoneUrl } = (await (
      await request(sut.url, 'GET', '/api/demo')
    ).json()) as DemoEntryView;
    expect(tvUrl).toBe(`${PUBLIC_URL}/tv/demo`);
    expect(phoneUrl).toBe(`${PUBLIC_URL}/m/p/pdp_demo`);
    const display = await request(sut.url, 'GET', '/api/auth/me', {
      token: tvUrl.split('/').pop() ?? '',
    });
    expect(display.status).toBe(200);
    const opened = await request(sut.url, 'POST', '/api/personal-links/open', {
      body: { token: decodeURIComponent(phoneUrl.split('/').pop() ?? '') },
    });
    expect(opened.status).toBe(200);
  });

  it('has the half-year contest forecast by its launch, on the deals posted before it', async () => {
    const contests = await sut.app.get(ContestRecordsService).list({ states: ['live'] });
    const marathon = contests.find((contest) => contest.name === 'Полугодовой марафон');
    if (marathon === undefined) throw new Error('the half-year demo contest is missing');
    const forecasts = sut.app.get(ForecastsRepository, { strict: false });
    let latest = await forecasts.latest(marathon.id);
    while (latest === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = await forecasts.latest(marathon.id);
    }
    expect(latest.seq).toBeGreaterThan(0);
    expect(latest.figures.fund.meanMinor).toBeGreaterThan(0);
    expect(latest.figures.prizes.length).toBeGreaterThan(1);
    for (const prize of latest.figures.prizes) expect(prize.pUnlocked).toBeGreaterThan(0);
    expect(marathon.scenario?.['pAllPrizesFunded']).toEqual(expect.any(Number));

    // Its history starts with the period: a point a week before the launch's.
    let history = await forecasts.history(marathon.id);
    while (history.length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      history = await forecasts.history(marathon.id);
    }
    const days = history.map((point) => point.day);
    expect(new Set(days).size).toBe(days.length);
    expect([...days].sort()).toEqual(days);
    // The last is the launch's (or a later one's): the latest of the contest, of today.
    const current = history.at(-1);
    expect(current?.day).toBe((await forecasts.latest(marathon.id))?.day);
    for (const point of history.slice(0, -1)) {
      expect(point.asOf.getTime()).toBeLessThan(current?.asOf.getTime() ?? 0);
      expect(point.seq).toBeLessThanOrEqual(current?.seq ?? 0);
      expect(point.asOf.getTime()).toBeGreaterThan(marathon.periodStart.getTime());
    }
  });

  it('leaves out a demo account that was removed or given another role', async () => {
    const users = sut.app.get(UsersService);
    const manager = (await users.list()).find((user) => user.email === 'manager@demo.local');
    if (manager === undefined) throw new Error('the demo manager is missing');
    await users.update(manager.id, { role: 'director' });
    const entry = (await (await request(sut.url, 'GET', '/api/demo')).json()) as DemoEntryView;
    expect(entry.accounts.map((account) => account.email)).not.toContain('manager@demo.local');
    expect(entry.accounts).toHaveLength(3);
  });
});

describe('GET /api/demo outside demo mode', () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, { demo: false });
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('is a 404 that hands out nothing', async () => {
    const response = await request(sut.url, 'GET', '/api/demo');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('accounts');
  });
});
