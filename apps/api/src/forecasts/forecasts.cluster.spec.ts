import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { LiveForecastView } from '@podium/contest-model';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call } from '../../../../tests/support/http.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';
import { connectLive, type LiveClient } from '../../../../tests/support/live.js';
import { waitForEvent } from '../../../../tests/support/process.js';
import { StandingsService } from '../standings/standings.service.js';
import { ForecastsRepository } from './forecasts.repository.js';
import { ForecastsService } from './forecasts.service.js';

/**
 * Two API processes on one database (two apps in this test process, each with its own cluster
 * connection): a contest's forecast is computed once, by one of them, and the sockets of both get
 * it.
 */
describe('forecasts with two API processes', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  const clients: LiveClient[] = [];
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
  let admin: string;
  let contestId: string;
  let stores: () => number;

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let n = 0; n < 2; n += 1)
      apps.push(
        await createTestApp(
          database.url,
          {
            adminEmail: TEST_ADMIN.email,
            adminPassword: TEST_ADMIN.password,
            forecastIntervalSeconds: 1,
          },
          { clock },
        ),
      );
    const spies = apps.map((app) =>
      jest.spyOn(app.app.get(ForecastsRepository, { strict: false }), 'store'),
    );
    stores = () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    admin = await login(apps[0]?.url ?? '');
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    for (const app of apps) await app.close();
    await database.drop();
  });

  const [first, second] = [() => apps[0] as TestApp, () => apps[1] as TestApp];

  async function subscribed(app: TestApp, token: string): Promise<LiveClient> {
    const socket = await connectLive(app.url, token);
    clients.push(socket);
    const ack = await socket.emitWithAck('subscribe', { contestId });
    if (!ack.ok) throw new Error(ack.error);
    return socket;
  }

  /** Both processes have applied the contest's events and computed what they were asked. */
  async function settled(): Promise<void> {
    for (const app of apps) await app.app.get(StandingsService).catchUp(contestId);
    for (const app of apps) await app.app.get(ForecastsService).settled(contestId);
  }

  it('computes once at launch, in the launching process, and tells both processes’ sockets', async () => {
    const { events: _events, ...file } = await exampleContestFile();
    const created = await call<{ id: string }>(first().url, 'POST', '/api/contests', {
      token: admin,
      body: { ...file, period: { start: '2026-03-01', end: '2026-04-01' } },
    });
    expect(created.status).toBe(201);
    contestId = created.body.id;
    const display = await call<{ token: string }>(first().url, 'POST', '/api/displays', {
      token: admin,
      body: { name: 'Hall', contestIds: [contestId] },
    });
    expect(display.status).toBe(201);

    const launched = await call(first().url, 'POST', `/api/contests/${contestId}/launch`, {
      token: admin,
      body: LAUNCH_PAST_GATE,
    });
    expect(launched.status).toBe(200);
    await settled();
    expect(stores()).toBe(1);

    // Subscribed after the first: the next forecast reaches a TV on the other process and staff.
    const tv = await subscribed(second(), display.body.token);
    const staff = await subscribed(first(), admin);
    const onTv = waitForEvent<LiveForecastView>(tv, 'forecast', (f) => f.seq >= 1, 300_000);
    const onStaff = waitForEvent<LiveForecastView>(staff, 'forecast', (f) => f.seq >= 1, 300_000);

    clock.set('2026-03-10T12:00:05Z');
    const participantId = file.participants[0]?.id ?? '';
    const posted = await call(second().url, 'POST', '/api/events', {
      token: admin,
      body: {
        type: 'sale',
        source: 'crm',
        externalId: 'cluster-sale-1',
        participantId,
        occurredAt: '2026-03-05T10:00:00Z',
        amountMinor: 5_000_000,
        marginMinor: 1_000_000,
      },
    });
    expect(posted.status).toBe(201);
    const [onTvForecast, onStaffForecast] = await Promise.all([onTv, onStaff]);
    await settled();
    // Both processes heard the sale: one computed, the other found it counted.
    expect(stores()).toBe(2);
    expect(onTvForecast.approved).toBeNull();
    expect(onStaffForecast).toEqual({ ...onTvForecast, approved: onStaffForecast.approved });
    expect(onStaffForecast.approved).not.toBeNull();
    const latest = await call<LiveForecastView>(
      second().url,
      'GET',
      `/api/contests/${contestId}/forecast`,
      { token: admin },
    );
    expect(latest.body).toEqual(onStaffForecast);
  });
});
