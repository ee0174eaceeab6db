import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { FakeTelegram } from '../../../../tests/support/fake-telegram.js';
import { call } from '../../../../tests/support/http.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';
import { notificationDefaults } from '../config/config.js';
import { StandingsNotifierService } from './standings-notifier.service.js';
import { LifecycleService } from '../contests/lifecycle.service.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Quiet hours around the real time now, in UTC (the sender reads the real clock). */
function quietAroundNow(): { start: number; end: number } {
  const hour = new Date().getUTCHours();
  return { start: ((hour + 23) % 24) * 60, end: ((hour + 2) % 24) * 60 };
}

/**
 * The messages of a contest's life, written in the transactions of its transitions: launched
 * (rules in three lines, prizes, the phone's address), a published month's results, the close
 * with its winners; quiet hours hold all but the last.
 */
describe('contest notices', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let fake: FakeTelegram;
  let sut: TestApp;
  let token: string;
  let contestId: string;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    call<T>(sut.url, method, `/api${path}`, { token, body });

  async function rowsOf(chatId: number) {
    const rows = await db.query<{ kind: string; state: string; held: boolean; text: string }>(
      `SELECT kind, state, next_attempt_at > now() + interval '10 minutes' AS held,
              payload->>'text' AS text
         FROM notifications WHERE chat_id = $1 ORDER BY id`,
      [chatId],
    );
    return rows.rows;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    fake = await FakeTelegram.start();
    sut = await createTestApp(
      database.url,
      {
        adminEmail: TEST_ADMIN.email,
        adminPassword: TEST_ADMIN.password,
        publicUrl: 'https://podium.example.com',
        telegram: { token: fake.token, apiRoot: fake.url, webhook: false },
        notifications: {
          ...notificationDefaults(),
          timeZone: 'UTC',
          quietHours: quietAroundNow(),
          digestAt: null,
        },
      },
      { clock },
    );
    token = await login(sut.url);
    const created = await api<{ id: string }>('POST', '/contests', {
      name: 'Весенний спринт',
      period: { start: '2026-03-01', end: '2026-04-30' },
      funding: { fundShare: 0.3 },
      prizes: [
        { place: 1, title: 'Поездка', costMinor: 5_000_000 },
        { place: 2, title: 'Телефон', costMinor: 2_000_000 },
      ],
      criteria: [{ metric: 'turnover', basis: 'percentOfPlan', weight: 1 }],
      participants: [1, 2, 3].map((n) => ({
        id: `cn${n}`,
        name: `Продавец ${n}`,
        plan: { turnoverMinor: 10_000_000, marginMinor: 2_000_000 },
      })),
    });
    expect(created.status).toBe(201);
    contestId = created.body.id;
  });

  afterAll(async () => {
    await sut?.close();
    await fake?.close();
    await db?.end();
    await database?.drop();
  });

  it('tells a linked seller of the launch, held by quiet hours', async () => {
    const link = await api<{ code: string }>('POST', '/participants/cn3/telegram-link');
    expect(link.status).toBe(201);
    // The bot's own answers are replies, not notifications: quiet hours do not hold them.
    fake.userSays(900, `/start ${link.body.code}`);
    await fake.waitFor(() => fake.delivered(900).length === 1);

    expect((await api('POST', `/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
    const rows = await rowsOf(900);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'contestLaunched', state: 'queued' });
    const text = rows[0]?.text ?? '';
    expect(text).toContain('Весенний спринт');
    expect(text).toMatch(/1\. Период: 2026-03-01/);
    expect(text).toMatch(/2\. Очки: /);
    expect(text).toMatch(/3\. Фонд — 30% маржи сверх плана/);
    expect(text).toContain('Поездка');
    expect(text).toContain('https://podium.example.com/m');
    // The sender holds it until the quiet hours end, without counting an attempt.
    for (let tries = 0; !(await rowsOf(900))[0]?.held; tries += 1) {
      if (tries > 300) throw new Error('the launch message was never held');
      await sleep(100);
    }
    expect(fake.delivered(900)).toHaveLength(1);
  });

  it("tells the month's results once when its checkpoint is published", async () => {
    const sale = await api('POST', '/events', {
      type: 'sale',
      source: 'crm',
      externalId: 'cn-sale-1',
      participantId: 'cn3',
      occurredAt: '2026-03-05T10:00:00Z',
      amountMinor: 5_000_000,
      marginMinor: 1_000_000,
    });
    expect(sale.status).toBe(201);
    // The sale puts cn3 in a prize place: told before the month's results, not whenever the
    // projector's timer comes (before or after the close, by the machine's speed).
    const notifier = sut.app.get(StandingsNotifierService);
    for (let tries = 0; ; tries += 1) {
      await notifier.project(contestId);
      const cursor = await db.query<{ behind: boolean }>(
        `SELECT n.seq < c.last_seq AS behind FROM contests c
           JOIN notification_cursors n ON n.contest_id = c.id WHERE c.id = $1`,
        [contestId],
      );
      if (cursor.rows[0]?.behind === false) break;
      if (tries > 600) throw new Error('the projector never caught up');
      await sleep(100);
    }
    clock.set('2026-04-02T12:00:00Z');
    await sut.app.get(LifecycleService).tick();
    expect((await api('POST', `/contests/${contestId}/checkpoints/1/publish`)).status).toBe(200);
    expect((await api('POST', `/contests/${contestId}/checkpoints/1/publish`)).status).toBe(200);
    const monthly = (await rowsOf(900)).filter((row) => row.kind === 'monthlyResult');
    expect(monthly).toHaveLength(1);
    expect(monthly[0]?.text).toMatch(/итоги месяца — март 2026/);
    expect(monthly[0]?.text).toMatch(/Вы на 1-м месте/);
    expect(monthly[0]?.text).toMatch(/1\. Продавец 3/);
  });

  it('tells the winners at the close, whatever the hour, to sellers and the company chat', async () => {
    const group = await api<{ command: string }>('POST', '/telegram/chats/link', { company: true });
    expect(group.status).toBe(201);
    fake.userSays(-100900, group.body.command, { type: 'supergroup', title: 'Everyone' });
    await fake.waitFor(() => fake.delivered(-100900).length === 1);
    clock.set('2026-05-02T12:00:00Z');
    await sut.app.get(LifecycleService).tick();
    expect((await api('POST', `/contests/${contestId}/close`)).status).toBe(200);
    await fake.waitFor(() => fake.delivered(900).length === 2);
    const closed = fake.delivered(900)[1];
    expect(closed?.text).toMatch(/Конкурс «Весенний спринт» завершён/);
    await fake.waitFor(() => fake.delivered(-100900).length === 2);
    expect(fake.delivered(-100900)[1]?.text).toMatch(/Конкурс «Весенний спринт» завершён/);
    const kinds = (await rowsOf(900)).map((row) => [row.kind, row.state]);
    expect(kinds).toEqual([
      ['contestLaunched', 'queued'],
      ['prizePlaceEntered', 'queued'],
      ['monthlyResult', 'queued'],
      ['contestClosed', 'sent'],
    ]);
  });
});
