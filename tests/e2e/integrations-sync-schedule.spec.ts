import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login } from '../support/app.js';
import {
  connectPortal,
  expectedPoints,
  listedDeal,
  standings,
  USERS,
  whileStopped,
} from '../support/bitrix24-sync.js';
import { CrmWorld } from '../support/crm.js';
import { FakeBitrix24 } from '../support/fake-bitrix24.js';
import { call } from '../support/http.js';

describe('Bitrix24 pull sync on its schedule', () => {
  // Scheduled syncs on, as in production; the fake portal is on 127.0.0.1.
  const world = new CrmWorld({ allowPrivateCrm: true, crmSyncSchedule: true });
  const portal = new FakeBitrix24();
  let id: string;
  const tokens: Record<'manager' | 'director' | 'seller', string> = {
    manager: '',
    director: '',
    seller: '',
  };

  const sync = () => world.admin('POST', `/api/integrations/${id}/sync`);
  const status = async () =>
    (await world.admin('GET', `/api/integrations/${id}`)).body.sync as Record<string, unknown>;

  beforeAll(async () => {
    await portal.start();
    await world.start();
    ({ id } = await connectPortal(world, portal.webhookUrl));
    for (const role of ['manager', 'director', 'seller'] as const) {
      const user = { email: `${role}@sync.test`, password: `a long ${role} password` };
      const created = await world.admin('POST', '/api/users', {
        ...user,
        role,
        ...(role === 'seller' ? { participantId: 'anna' } : {}),
      });
      expect(created.status).toBe(201);
      tokens[role] = await login(world.sut.url, user);
    }
  });

  afterAll(async () => {
    await world.stop();
    await portal.stop();
  });

  it('syncs after a restart on its own, and a sync asked for then changes nothing', async () => {
    const wonAt = (n: number) =>
      `${new Date(Date.parse('2026-03-03T07:00:00Z') + n * 3_600_000).toISOString().slice(0, 19)}Z`;
    await whileStopped(world, () => {
      for (let n = 0; n < 20; n += 1) {
        const user = n % 2 === 0 ? USERS.anna : USERS.boris;
        const amount = `${100_000 + n * 5_000}.00`;
        put(listedDeal(500 + n, { user, amount, wonAt: wonAt(n), modifiedAt: wonAt(n) }));
      }
      // Podium was down longer than the interval: whatever ran before, a sync is due.
      world.clock.set(new Date(world.clock.now().getTime() + 6 * 60_000).toISOString());
    });
    const schedules = await world.rows(
      `SELECT cron FROM pgboss.schedule WHERE name = 'crm-sync-due'`,
    );
    expect(schedules).toEqual([{ cron: '* * * * *' }]);
    const started = world.clock.now().toISOString();
    const done = await world.eventually(status, (sync) => sync.lastFinishedAt === started);
    expect(done).toMatchObject({ outcome: 'ok', read: 20, applied: 20, consecutiveFailures: 0 });
    const sales = await world.rows(
      `SELECT external_id, occurred_at FROM events WHERE source = 'bitrix24' ORDER BY external_id`,
    );
    expect(sales.map((row) => [row.external_id, (row.occurred_at as Date).toISOString()])).toEqual(
      Array.from({ length: 20 }, (_, n) => [`deal-${500 + n}`, new Date(wonAt(n)).toISOString()]),
    );
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));

    const now = await sync();
    expect(now.body).toMatchObject({ outcome: 'ok', failures: [] });
    expect(await world.rows(`SELECT 1 FROM events WHERE source = 'bitrix24'`)).toHaveLength(20);
    expect(await standings(world)).toEqual(await expectedPoints(world, [...portal.deals.values()]));
  });

  it('answers 409 while a sync of the integration runs', async () => {
    portal.hold();
    const calls = portal.calls.length;
    const first = sync();
    await portal.waitForCalls(calls + 1);
    const second = await sync();
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('sync_running');
    portal.release();
    expect((await first).status).toBe(200);
  });

  it('lets only the admin sync or read an integration, and staff read the alerts', async () => {
    for (const role of ['manager', 'director', 'seller'] as const) {
      const asked = await call(world.sut.url, 'POST', `/api/integrations/${id}/sync`, {
        token: tokens[role],
      });
      expect(asked.status).toBe(403);
      const read = await call(world.sut.url, 'GET', `/api/integrations/${id}`, {
        token: tokens[role],
      });
      expect(read.status).toBe(403);
      const alerts = await call(world.sut.url, 'GET', '/api/integrations/sync-alerts', {
        token: tokens[role],
      });
      expect(alerts.status).toBe(role === 'seller' ? 403 : 200);
    }
    const anonymous = await call(world.sut.url, 'POST', `/api/integrations/${id}/sync`, {});
    expect(anonymous.status).toBe(401);
    expect((await world.admin('POST', `/api/integrations/${randomUUID()}/sync`)).status).toBe(404);
    const signed = await world.admin('POST', '/api/integrations', {
      kind: 'webhook',
      name: '1C',
    });
    const refused = await world.admin('POST', `/api/integrations/${signed.body.id as string}/sync`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('kind');
  });

  it('takes the interval from the settings, 1 to 1440 minutes', async () => {
    const stored = (await world.admin('GET', `/api/integrations/${id}`)).body;
    const settings = stored.settings as Record<string, unknown>;
    const { portalWebhookUrl: _masked, ...kept } = settings;
    for (const minutes of [0, 1_441, 2.5]) {
      const refused = await world.admin('PATCH', `/api/integrations/${id}`, {
        settings: { ...kept, syncIntervalMinutes: minutes },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([
        expect.objectContaining({ path: 'settings.syncIntervalMinutes' }),
      ]);
    }
    const changed = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { ...kept, syncIntervalMinutes: 15 },
    });
    expect(changed.status).toBe(200);
    const sync = changed.body.sync as { lastStartedAt: string; nextDueAt: string };
    expect(changed.body.sync).toMatchObject({ intervalMinutes: 15 });
    expect(Date.parse(sync.nextDueAt) - Date.parse(sync.lastStartedAt)).toBe(15 * 60_000);
  });

  it('syncs no revoked integration', async () => {
    expect((await world.admin('DELETE', `/api/integrations/${id}`)).status).toBe(204);
    const refused = await sync();
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('revoked');
    expect(await status()).toMatchObject({ nextDueAt: null });
  });

  function put(deal: ReturnType<typeof listedDeal>) {
    portal.deals.set(deal.ID, deal);
  }
});
