import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { BOT_USERNAME, FakeTelegram } from '../../../../tests/support/fake-telegram.js';
import { call } from '../../../../tests/support/http.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';
import { notificationDefaults } from '../config/config.js';
import { ForecastsService } from '../forecasts/forecasts.service.js';
import { DigestService } from './digest.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Four sellers in two teams, three prizes. */
function contestFile(name: string, prefix: string) {
  return {
    name,
    period: {
      start: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
      end: new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10),
    },
    funding: { fundShare: 0.3 },
    prizes: [
      { place: 1, title: 'Trip', costMinor: 5_000_000 },
      { place: 2, title: 'Phone', costMinor: 2_000_000 },
      { place: 3, title: 'Dinner', costMinor: 500_000 },
    ],
    criteria: [{ metric: 'turnover', basis: 'percentOfPlan', weight: 1 }],
    participants: [1, 2, 3, 4, 5, 6].map((n) => ({
      id: `${prefix}${n}`,
      name: `Seller ${prefix}${n}`,
      team: n % 2 === 0 ? 'North' : 'South',
      plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
    })),
  };
}

function sale(participantId: string, externalId: string, amountMinor: number) {
  return {
    type: 'sale',
    source: 'crm',
    externalId,
    participantId,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    amountMinor,
    marginMinor: Math.floor(amountMinor / 5),
  };
}

/**
 * The outbox, linking, switches and throttling on a real PostgreSQL, with the bot talking to a
 * fake Bot API server.
 */
describe('notifications', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let fake: FakeTelegram;
  let sut: TestApp;
  let token: string;

  async function linkChat(chatId: number, participantId: string): Promise<void> {
    const link = await call<{ code: string }>(
      sut.url,
      'POST',
      `/api/participants/${participantId}/telegram-link`,
      { token },
    );
    expect(link.status).toBe(201);
    const before = fake.delivered(chatId).length;
    fake.userSays(chatId, `/start ${link.body.code}`);
    await fake.waitFor(() => fake.delivered(chatId).length === before + 1);
  }

  async function launch(name: string, prefix: string): Promise<string> {
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token,
      body: contestFile(name, prefix),
    });
    expect(created.status).toBe(201);
    const launched = await call(sut.url, 'POST', `/api/contests/${created.body.id}/launch`, {
      token,
      body: LAUNCH_PAST_GATE,
    });
    expect(launched.status).toBe(200);
    return created.body.id;
  }

  async function rowsOf(chatId: number): Promise<{ kind: string; state: string }[]> {
    const rows = await db.query<{ kind: string; state: string }>(
      'SELECT kind, state FROM notifications WHERE chat_id = $1 ORDER BY id',
      [chatId],
    );
    return rows.rows;
  }

  /** Waits until the projector has caught up with every event of the contest. */
  async function projected(contestId: string): Promise<void> {
    for (let tries = 0; ; tries += 1) {
      const rows = await db.query<{ behind: boolean }>(
        `SELECT n.seq < c.last_seq AS behind FROM contests c
           JOIN notification_cursors n ON n.contest_id = c.id WHERE c.id = $1`,
        [contestId],
      );
      if (rows.rows[0]?.behind === false) return;
      if (tries > 600) throw new Error('the projector never caught up');
      await sleep(100);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    fake = await FakeTelegram.start();
    sut = await createTestApp(database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
      telegram: { token: fake.token, apiRoot: fake.url, webhook: false },
      notifications: {
        ...notificationDefaults(),
        quietHours: { start: 0, end: 0 },
        // The digest is sent by hand below, never by the clock in the middle of a test.
        digestAt: null,
        groupDealMinor: 30_000_000,
      },
      // The digest reads the latest forecast: one counting the sales comes a second after them.
      forecastIntervalSeconds: 1,
    });
    token = await login(sut.url);
  });

  afterAll(async () => {
    await sut?.close();
    await fake?.close();
    await db?.end();
    await database?.drop();
  });

  describe('the outbox', () => {
    const message = (key: string) => ({
      kind: 'prizeUnlocked' as const,
      channel: 'telegram' as const,
      chatId: '-1001',
      language: 'ru' as const,
      payload: { text: 'hello' },
      idempotencyKey: key,
    });

    it('writes nothing when the transaction of its fact rolls back', async () => {
      const outbox = sut.app.get(OutboxService);
      await expect(
        sut.app.get(DataSource).transaction(async (manager) => {
          await outbox.enqueue(manager, [message('rolled-back')]);
          throw new Error('the fact failed');
        }),
      ).rejects.toThrow('the fact failed');
      const rows = await db.query(
        "SELECT 1 FROM notifications WHERE idempotency_key = 'rolled-back'",
      );
      expect(rows.rows).toEqual([]);
    });

    it('writes a message once per idempotency key, with its delivery job in the same commit', async () => {
      const outbox = sut.app.get(OutboxService);
      const dataSource = sut.app.get(DataSource);
      const channels = await dataSource.transaction(async (manager) => {
        const first = await outbox.enqueue(manager, [message('once')]);
        // The delivery job is there, inside the transaction, before the commit.
        const jobs = (await manager.query(
          "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notify-telegram' AND state IN ('created', 'active', 'completed')",
        )) as { n: number }[];
        expect(jobs[0]?.n).toBeGreaterThan(0);
        return first;
      });
      expect(channels).toBe(1);
      const again = await dataSource.transaction((manager) =>
        outbox.enqueue(manager, [message('once')]),
      );
      expect(again).toBe(0);
      const rows = await db.query("SELECT state FROM notifications WHERE idempotency_key = 'once'");
      expect(rows.rows).toHaveLength(1);
      // Chat -1001 is linked to nobody: the sender skips it and says why.
      for (let tries = 0; ; tries += 1) {
        const row = await sut.app.get(OutboxRepository).recent({ limit: 10 });
        const once = row.find((record) => record.idempotencyKey === 'once');
        if (once?.state === 'skipped') {
          expect(once.lastError).toBe('the chat is not linked any more');
          break;
        }
        if (tries > 300) throw new Error(`never skipped: ${JSON.stringify(once)}`);
        await sleep(100);
      }
    });
  });

  describe('linking', () => {
    it('answers a t.me link for a participant, refuses an unknown one, and a seller for someone else', async () => {
      await launch('Linking', 'ln');
      const link = await call<{ url: string; code: string; expiresAt: string }>(
        sut.url,
        'POST',
        '/api/participants/ln1/telegram-link',
        { token },
      );
      expect(link.status).toBe(201);
      expect(link.body.url).toBe(`https://t.me/${BOT_USERNAME}?start=${link.body.code}`);
      const expires = Date.parse(link.body.expiresAt) - Date.now();
      expect(expires).toBeGreaterThan(23 * 3_600_000);
      expect(expires).toBeLessThanOrEqual(24 * 3_600_000);
      const stored = await db.query('SELECT code_hash FROM telegram_link_codes');
      expect(stored.rows.map((row: { code_hash: string }) => row.code_hash)).not.toContain(
        link.body.code,
      );

      const unknown = await call(sut.url, 'POST', '/api/participants/nobody/telegram-link', {
        token,
      });
      expect(unknown.status).toBe(404);

      const user = await call(sut.url, 'POST', '/api/users', {
        token,
        body: {
          email: 'ln2@test.local',
          password: 'a long seller password',
          role: 'seller',
          participantId: 'ln2',
        },
      });
      expect(user.status).toBe(201);
      const seller = await login(sut.url, {
        email: 'ln2@test.local',
        password: 'a long seller password',
      });
      const other = await call(sut.url, 'POST', '/api/participants/ln1/telegram-link', {
        token: seller,
      });
      expect(other.status).toBe(403);
      const own = await call(sut.url, 'POST', '/api/participants/ln2/telegram-link', {
        token: seller,
      });
      expect(own.status).toBe(201);
    });

    it("unlinks a participant's chats from Podium's side", async () => {
      await linkChat(5100, 'ln1');
      const unlinked = await call(sut.url, 'DELETE', '/api/participants/ln1/telegram-link', {
        token,
      });
      expect(unlinked.status).toBe(204);
      const rows = await db.query('SELECT 1 FROM telegram_chats WHERE chat_id = 5100');
      expect(rows.rows).toEqual([]);
      const again = await call(sut.url, 'DELETE', '/api/participants/ln1/telegram-link', { token });
      expect(again.status).toBe(404);
    });

    it('refuses an expired code, and a participant code sent in a group', async () => {
      const link = await call<{ code: string }>(
        sut.url,
        'POST',
        '/api/participants/ln3/telegram-link',
        {
          token,
        },
      );
      fake.userSays(-5001, `/start@${BOT_USERNAME} ${link.body.code}`);
      await fake.waitFor(() => fake.delivered(-5001).length === 1);
      expect(fake.delivered(-5001)[0]?.text).toMatch(/Код не подошёл/);
      // Misused in a group, the code is not spent: its participant's own chat still takes it.
      fake.userSays(5003, `/start ${link.body.code}`);
      await fake.waitFor(() => fake.delivered(5003).length === 1);
      expect(fake.delivered(5003)[0]?.text).toMatch(/Seller ln3/);

      const expired = await call<{ code: string }>(
        sut.url,
        'POST',
        '/api/participants/ln3/telegram-link',
        {
          token,
        },
      );
      await db.query("UPDATE telegram_link_codes SET expires_at = now() - interval '1 second'");
      fake.userSays(5002, `/start ${expired.body.code}`);
      await fake.waitFor(() => fake.delivered(5002).length === 1);
      expect(fake.delivered(5002)[0]?.text).toMatch(/истёк/);
      const linked = await db.query('SELECT 1 FROM telegram_chats WHERE chat_id IN (-5001, 5002)');
      expect(linked.rows).toEqual([]);
    });

    it('links a group chat to a team with /link, and tells it of deals above the threshold', async () => {
      const bad = await call<{ issues: { path: string }[] }>(
        sut.url,
        'POST',
        '/api/telegram/chats/link',
        {
          token,
          body: { team: '' },
        },
      );
      expect(bad.status).toBe(400);
      const code = await call<{ code: string; command: string }>(
        sut.url,
        'POST',
        '/api/telegram/chats/link',
        {
          token,
          body: { team: 'North' },
        },
      );
      expect(code.status).toBe(201);
      expect(code.body.command).toBe(`/link@${BOT_USERNAME} ${code.body.code}`);
      fake.userSays(-100200, code.body.command, { type: 'supergroup', title: 'North sales' });
      await fake.waitFor(() => fake.delivered(-100200).length === 1);
      expect(fake.delivered(-100200)[0]?.text).toContain('North');
      const groups = await call<{ chatId: string; title: string }[]>(
        sut.url,
        'GET',
        '/api/telegram/chats',
        {
          token,
        },
      );
      expect(groups.body).toEqual([
        expect.objectContaining({ chatId: '-100200', title: 'North sales', company: false }),
      ]);

      const contestId = await launch('Deals', 'dl');
      const small = await call(sut.url, 'POST', '/api/events', {
        token,
        body: sale('dl2', 'dl-small', 1_000_000),
      });
      const big = await call(sut.url, 'POST', '/api/events', {
        token,
        body: sale('dl4', 'dl-big', 40_000_000),
      });
      expect([small.status, big.status]).toEqual([201, 201]);
      await projected(contestId);
      await fake.waitFor(() =>
        fake.delivered(-100200).some((message) => message.text.includes('Seller dl4')),
      );
      expect(fake.delivered(-100200).filter((message) => message.text.includes('💰'))).toHaveLength(
        1,
      );

      const unlinked = await call(sut.url, 'DELETE', '/api/telegram/chats/-100200', { token });
      expect(unlinked.status).toBe(204);
      const gone = await call(sut.url, 'DELETE', '/api/telegram/chats/-100200', { token });
      expect(gone.status).toBe(404);
    });
  });

  describe('switches and throttling', () => {
    it('skips a kind switched off for the participant', async () => {
      const contestId = await launch('Switches', 'sw');
      await linkChat(6001, 'sw6');
      await sut.app.get(OutboxRepository).setSwitch('participant:sw6', 'prizePlaceEntered', false);
      await call(sut.url, 'POST', '/api/events', { token, body: sale('sw6', 'sw-1', 20_000_000) });
      await projected(contestId);
      for (let tries = 0; ; tries += 1) {
        const rows = await rowsOf(6001);
        if (rows.some((row) => row.state === 'skipped')) {
          expect(rows.filter((row) => row.kind === 'prizePlaceEntered')).toEqual([
            { kind: 'prizePlaceEntered', state: 'skipped' },
          ]);
          break;
        }
        if (tries > 300) throw new Error(`never skipped: ${JSON.stringify(rows)}`);
        await sleep(100);
      }
      expect(fake.delivered(6001)).toHaveLength(1);
    });

    it('tells a seller they were overtaken at most once an hour', async () => {
      const contestId = await launch('Overtaking', 'ov');
      await call(sut.url, 'POST', '/api/events', {
        token,
        body: sale('ov1', 'ov-lead', 50_000_000),
      });
      await projected(contestId);
      await linkChat(7001, 'ov1');
      // ov2, then ov3 pass ov1: two overtakings, one message.
      await call(sut.url, 'POST', '/api/events', { token, body: sale('ov2', 'ov-2', 60_000_000) });
      await projected(contestId);
      await call(sut.url, 'POST', '/api/events', { token, body: sale('ov3', 'ov-3', 70_000_000) });
      await projected(contestId);
      const overtaken = (await rowsOf(7001)).filter((row) => row.kind === 'overtaken');
      expect(overtaken).toHaveLength(1);
      await fake.waitFor(() =>
        fake.delivered(7001).some((message) => message.text.includes('Seller ov2')),
      );
    });
  });

  describe('prizes', () => {
    it('tells each participant once when the fund unlocks a prize', async () => {
      const contestId = await launch('Unlock', 'un');
      await linkChat(9101, 'un1');
      // 40,000,000 of margin against a plan of 12,000,000: a fund of 8,400,000 pays every prize.
      await call(sut.url, 'POST', '/api/events', { token, body: sale('un2', 'un-1', 200_000_000) });
      await projected(contestId);
      await call(sut.url, 'POST', '/api/events', { token, body: sale('un3', 'un-2', 1_000_000) });
      await projected(contestId);
      const unlocked = (await rowsOf(9101)).filter((row) => row.kind === 'prizeUnlocked');
      expect(unlocked).toHaveLength(3);
      await fake.waitFor(
        () => fake.delivered(9101).filter((message) => message.text.includes('🔓')).length === 3,
      );
      expect(
        fake
          .delivered(9101)
          .map((message) => message.text)
          .join('\n'),
      ).toMatch(/открыт приз за 1-е место: «Trip»/);
    });
  });

  describe('the pace', () => {
    it('sends one message a second to a chat, and the others in between', async () => {
      await linkChat(9001, 'ln4');
      await linkChat(9002, 'ln5');
      const outbox = sut.app.get(OutboxService);
      const messages = [1, 2, 3].flatMap((n) =>
        ['9001', '9002'].map((chatId) => ({
          kind: 'prizeUnlocked' as const,
          channel: 'telegram' as const,
          chatId,
          language: 'ru' as const,
          payload: { text: `pace ${n}` },
          idempotencyKey: `pace:${chatId}:${n}`,
        })),
      );
      await sut.app.get(DataSource).transaction((manager) => outbox.enqueue(manager, messages));
      await fake.waitFor(
        () => fake.delivered(9001).length === 4 && fake.delivered(9002).length === 4,
      );
      for (const chatId of [9001, 9002]) {
        const times = fake
          .delivered(chatId)
          .slice(1)
          .map((message) => message.at);
        expect(
          fake
            .delivered(chatId)
            .slice(1)
            .map((message) => message.text),
        ).toEqual(['pace 1', 'pace 2', 'pace 3']);
        // A second apart at the sender; the arrival allows for the network's jitter.
        expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(800);
        expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(800);
      }
      // The two chats were served side by side, not one after the other.
      const firstOf = (chatId: number) => fake.delivered(chatId)[1]?.at ?? 0;
      const lastOf = (chatId: number) => fake.delivered(chatId)[3]?.at ?? 0;
      expect(firstOf(9002)).toBeLessThan(lastOf(9001));
      expect(firstOf(9001)).toBeLessThan(lastOf(9002));
    });
  });

  describe('settings and the daily digest', () => {
    it('switches kinds and the language per participant, a seller only their own', async () => {
      const contestId = await launch('Settings', 'st');
      const read = await call<{ language: string; switches: Record<string, boolean> }>(
        sut.url,
        'GET',
        '/api/participants/st6/notification-settings',
        { token },
      );
      expect(read.status).toBe(200);
      expect(read.body.language).toBe('ru');
      expect(read.body.switches['overtaken']).toBe(true);
      const bad = await call<{ issues: { path: string }[] }>(
        sut.url,
        'PUT',
        '/api/participants/st6/notification-settings',
        { token, body: { language: 'de' } },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((issue) => issue.path)).toEqual(['language']);
      const updated = await call<{ language: string; switches: Record<string, boolean> }>(
        sut.url,
        'PUT',
        '/api/participants/st6/notification-settings',
        { token, body: { language: 'en', switches: { overtaken: false } } },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.language).toBe('en');
      expect(updated.body.switches['overtaken']).toBe(false);
      expect(updated.body.switches['prizePlaceEntered']).toBe(true);
      // The seller of the linking test (ln2) cannot read or change another's settings.
      const seller = await login(sut.url, {
        email: 'ln2@test.local',
        password: 'a long seller password',
      });
      const foreign = await call(sut.url, 'GET', '/api/participants/st6/notification-settings', {
        token: seller,
      });
      expect(foreign.status).toBe(403);
      const own = await call(sut.url, 'GET', '/api/participants/ln2/notification-settings', {
        token: seller,
      });
      expect(own.status).toBe(200);

      await linkChat(8001, 'st6');
      expect(fake.delivered(8001)[0]?.text).toMatch(/^Hello, Seller st6!/);
      await call(sut.url, 'POST', '/api/events', { token, body: sale('st6', 'st-1', 20_000_000) });
      await projected(contestId);
      await fake.waitFor(() => fake.delivered(8001).length === 2);
      expect(fake.delivered(8001)[1]?.text).toMatch(/you are now at rank 1 and in the prizes/);
    });

    it('writes the daily digest once a day for each linked seller, with their forecast chance', async () => {
      const contest = await db.query<{ id: string }>(
        "SELECT id FROM contests WHERE name = 'Settings'",
      );
      const contestId = contest.rows[0]?.id ?? '';
      // The chance is the one of the contest's latest live forecast (computed at launch).
      await sut.app.get(ForecastsService).settled(contestId);
      const latest = await call<{ participants: { participantId: string; pPrize: number }[] }>(
        sut.url,
        'GET',
        `/api/contests/${contestId}/forecast`,
        { token },
      );
      expect(latest.status).toBe(200);
      const chance = latest.body.participants.find((row) => row.participantId === 'st6')?.pPrize;
      expect(chance).toBeDefined();
      const digest = sut.app.get(DigestService);
      const now = new Date();
      await digest.send(now);
      await digest.send(now);
      const rows = await db.query<{ text: string }>(
        "SELECT payload->>'text' AS text FROM notifications WHERE chat_id = 8001 AND kind = 'dailyDigest'",
      );
      // st6 takes part in one live contest.
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]?.text).toMatch(/"Settings": you are at rank 1 of 6/);
      expect(rows.rows[0]?.text).toContain(
        `Forecast chance of a prize: ${Math.round((chance ?? 0) * 100)}%.`,
      );
    });
  });
});

describe('notifications without a bot', () => {
  let database: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
    });
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('answers 409 telegram_off for a link code while TELEGRAM_BOT_TOKEN is unset', async () => {
    const token = await login(sut.url);
    const answer = await call<{ code: string }>(sut.url, 'POST', '/api/telegram/chats/link', {
      token,
      body: { company: true },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('telegram_off');
  });
});
