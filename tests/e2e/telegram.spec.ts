import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { notificationDefaults } from '../../apps/api/src/config/config.js';
import type { TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { BOT_USERNAME, FakeTelegram } from '../support/fake-telegram.js';
import { call, createAdminApp } from '../support/http.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Five sellers, three prizes: with no sales yet the first three (by the tie-break) hold them. */
function contestFile() {
  return {
    name: 'Telegram sprint',
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
    participants: [1, 2, 3, 4, 5].map((n) => ({
      id: `tg${n}`,
      name: `Seller ${n}`,
      plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
    })),
  };
}

/**
 * The acceptance of the Telegram bot against a fake Bot API server: a link code sent as
 * `/start <code>` from chat 777 links it; a sale that moves the seller into a prize place sends
 * chat 777 one message naming the new rank within 15 s; the same sale again sends nothing.
 */
describe('Telegram notifications', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let fake: FakeTelegram;
  let sut: TestApp;
  let token: string;
  let contestId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    fake = await FakeTelegram.start();
    ({ sut, token } = await createAdminApp(database.url, {
      telegram: { token: fake.token, apiRoot: fake.url, webhook: false },
      notifications: {
        ...notificationDefaults(),
        quietHours: { start: 0, end: 0 },
        digestAt: null,
      },
    }));
    const created = await call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token,
      body: contestFile(),
    });
    expect(created.status).toBe(201);
    contestId = created.body.id;
    const launched = await call(sut.url, 'POST', `/api/contests/${contestId}/launch`, {
      token,
      body: LAUNCH_PAST_GATE,
    });
    expect(launched.status).toBe(200);
  });

  afterAll(async () => {
    await sut?.close();
    await fake?.close();
    await db?.end();
    await database?.drop();
  });

  it('links chat 777 with /start <code>, answering a welcome that names the seller and the contest', async () => {
    const link = await call<{ url: string; code: string }>(
      sut.url,
      'POST',
      '/api/participants/tg5/telegram-link',
      { token },
    );
    expect(link.status).toBe(201);
    expect(link.body.url).toBe(`https://t.me/${BOT_USERNAME}?start=${link.body.code}`);
    expect(link.body.code).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

    fake.userSays(777, `/start ${link.body.code}`);
    await fake.waitFor(() => fake.delivered(777).length === 1);
    const [welcome] = fake.delivered(777);
    expect(welcome?.text).toContain('Seller 5');
    expect(welcome?.text).toContain('Telegram sprint');
    const linked = await db.query('SELECT participant_id FROM telegram_chats WHERE chat_id = 777');
    expect(linked.rows).toEqual([{ participant_id: 'tg5' }]);

    // The code is single-use: another chat cannot use it again.
    fake.userSays(778, `/start ${link.body.code}`);
    await fake.waitFor(() => fake.delivered(778).length === 1);
    expect(fake.delivered(778)[0]?.text).toMatch(/Код не подошёл/);
    const other = await db.query('SELECT 1 FROM telegram_chats WHERE chat_id = 778');
    expect(other.rows).toEqual([]);
  });

  it('sends exactly one message naming the new rank when a sale moves the seller into a prize place, and nothing for the same sale again', async () => {
    const sale = {
      type: 'sale',
      source: 'crm',
      externalId: 'tg-deal-1',
      participantId: 'tg5',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      amountMinor: 20_000_000,
      marginMinor: 4_000_000,
    };
    const before = fake.delivered(777).length;
    const posted = Date.now();
    const first = await call(sut.url, 'POST', '/api/events', { token, body: sale });
    expect(first.status).toBe(201);
    await fake.waitFor(() => fake.delivered(777).length > before, 15_000);
    const message = fake.delivered(777)[before];
    expect((message?.at ?? Infinity) - posted).toBeLessThan(15_000);
    expect(message?.text).toContain('Telegram sprint');
    expect(message?.text).toMatch(/на 1-м месте/);

    const again = await call(sut.url, 'POST', '/api/events', { token, body: sale });
    expect(again.status).toBe(200);
    // Longer than the projector's and the sender's cycles together: nothing more comes.
    await sleep(6_000);
    expect(fake.delivered(777)).toHaveLength(before + 1);
    const rows = await db.query(
      `SELECT kind, state FROM notifications WHERE chat_id = 777 ORDER BY id`,
    );
    expect(rows.rows).toEqual([{ kind: 'prizePlaceEntered', state: 'sent' }]);
  });

  /** Links `chatId` to the participant through a code and /start; waits for the welcome. */
  async function linkChat(chatId: number, participantId: string): Promise<void> {
    const link = await call<{ code: string }>(
      sut.url,
      'POST',
      `/api/participants/${participantId}/telegram-link`,
      { token },
    );
    expect(link.status).toBe(201);
    fake.userSays(chatId, `/start ${link.body.code}`);
    await fake.waitFor(() => fake.delivered(chatId).length === 1);
  }

  function saleOf(participantId: string, externalId: string, amountMinor: number) {
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

  it('waits for retry_after when Telegram answers 429, then delivers once', async () => {
    await linkChat(780, 'tg4');
    fake.failNext('780', { kind: 'retryAfter', seconds: 2 });
    const posted = await call(sut.url, 'POST', '/api/events', {
      token,
      body: saleOf('tg4', 'tg-deal-429', 15_000_000),
    });
    expect(posted.status).toBe(201);
    await fake.waitFor(() => fake.delivered(780).length === 2);
    const refused = fake.sent.find((message) => message.chatId === '780' && message.status === 429);
    const delivered = fake.delivered(780)[1];
    expect(refused).toBeDefined();
    expect((delivered?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    // The outcome is recorded once Telegram has answered.
    for (let tries = 0; ; tries += 1) {
      const rows = await db.query(
        "SELECT state, attempts FROM notifications WHERE chat_id = 780 AND kind = 'prizePlaceEntered'",
      );
      if (rows.rows[0]?.state !== 'sending') {
        expect(rows.rows).toEqual([{ state: 'sent', attempts: 1 }]);
        break;
      }
      if (tries > 300) throw new Error('the outcome was never recorded');
      await sleep(100);
    }
  });

  it('marks a chat that blocked the bot (403) and skips its messages', async () => {
    await linkChat(781, 'tg3');
    fake.failNext('781', { kind: 'blocked' });
    const posted = await call(sut.url, 'POST', '/api/events', {
      token,
      body: saleOf('tg3', 'tg-deal-403', 12_000_000),
    });
    expect(posted.status).toBe(201);
    await fake.waitFor((sent) =>
      sent.some((message) => message.chatId === '781' && message.status === 403),
    );
    for (let tries = 0; ; tries += 1) {
      const chat = await db.query('SELECT blocked_at FROM telegram_chats WHERE chat_id = 781');
      const rows = await db.query(
        'SELECT state, last_error FROM notifications WHERE chat_id = 781',
      );
      if (chat.rows[0]?.blocked_at != null && rows.rows[0]?.state === 'skipped') {
        expect(rows.rows[0]?.last_error).toMatch(/bot was blocked by the user/);
        break;
      }
      if (tries > 300) throw new Error('the chat was never marked blocked');
      await sleep(100);
    }
    expect(fake.delivered(781)).toHaveLength(1);
  });

  it('answers /rank, /top and /rules, and /stop unlinks the chat', async () => {
    const before = fake.delivered(777).length;
    fake.userSays(777, '/rank');
    await fake.waitFor(() => fake.delivered(777).length === before + 1);
    expect(fake.delivered(777)[before]?.text).toMatch(/«Telegram sprint»: 1-е место из 5/);
    fake.userSays(777, '/top');
    await fake.waitFor(() => fake.delivered(777).length === before + 2);
    expect(fake.delivered(777)[before + 1]?.text).toMatch(/«Telegram sprint»:\n1\. Seller 5 — /);
    fake.userSays(777, '/rules');
    await fake.waitFor(() => fake.delivered(777).length === before + 3);
    const rules = fake.delivered(777)[before + 2]?.text ?? '';
    expect(rules).toMatch(/1\. Период: /);
    expect(rules).toMatch(/3\. Фонд — 30% маржи сверх плана/);
    fake.userSays(777, '/stop');
    await fake.waitFor(() => fake.delivered(777).length === before + 4);
    expect(fake.delivered(777)[before + 3]?.text).toMatch(/отключён/);
    const linked = await db.query('SELECT 1 FROM telegram_chats WHERE chat_id = 777');
    expect(linked.rows).toEqual([]);
  });
});
