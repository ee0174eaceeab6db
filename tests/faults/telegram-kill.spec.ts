import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { Api, launchContest, liveContestFile, sleep } from './harness.js';

/** Quiet hours around now, in UTC: the first process holds every message it would send. */
function quietNow(): string {
  const hour = new Date().getUTCHours();
  const pad = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  return `${pad(hour - 1)}-${pad(hour + 2)}`;
}

/**
 * `kill -9` of the API after it committed a sale that moves a linked seller into a prize place
 * and before the message was delivered: after the restart, the message arrives exactly once.
 * The first process runs inside quiet hours, so it cannot deliver before it is killed whatever
 * the machine's speed; the restarted one runs without them, and sends what the first one held.
 */
describe('kill -9 between a notification fact and its delivery', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let fake: FakeTelegram;
  let api: Api;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    fake = await FakeTelegram.start();
    api = await Api.create(database.url);
  });

  afterAll(async () => {
    await api.stop();
    await fake.close();
    await db.end();
    await database.drop();
  });

  it('delivers the message exactly once after the restart', async () => {
    api.env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      PODIUM_TIME_ZONE: 'UTC',
      PODIUM_QUIET_HOURS: quietNow(),
      PODIUM_DIGEST_TIME: 'off',
      // Every line, so that the check of the token below reads all there is.
      LOG_LEVEL: 'debug',
    };
    await api.start();
    let token = await api.login();
    const file = liveContestFile(5);
    const contestId = await launchContest(api, token, file);

    const link = await api.request('POST', '/api/participants/p5/telegram-link', token);
    expect(link.status).toBe(201);
    const { code } = (await link.json()) as { code: string };
    fake.userSays(777, `/start ${code}`);
    await fake.waitFor(() => fake.delivered(777).length === 1, 60_000);

    const sale = {
      type: 'sale',
      source: 'crm',
      externalId: 'kill-deal-1',
      participantId: 'p5',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      amountMinor: 60_000_000,
      marginMinor: 12_000_000,
    };
    const posted = await api.request('POST', '/api/events', token, sale);
    expect(posted.status).toBe(201);
    // The outbox row is committed (the projector ran), and the first process's drain has held it
    // until its quiet hours end: the restart below, without quiet hours, must judge it again.
    for (let tries = 0; ; tries += 1) {
      const rows = await db.query<{ state: string; held: boolean }>(
        `SELECT state, next_attempt_at > now() + interval '30 minutes' AS held
           FROM notifications WHERE chat_id = 777 AND kind = 'prizePlaceEntered'`,
      );
      if (rows.rows[0]?.held === true) {
        expect(rows.rows).toEqual([{ state: 'queued', held: true }]);
        break;
      }
      if (tries > 600) throw new Error(`never held: ${JSON.stringify(rows.rows)}`);
      await sleep(100);
    }
    // The bot's token is never logged.
    expect(`${api.process?.stdout ?? ''}${api.process?.stderr ?? ''}`).not.toContain(
      fake.token.split(':')[1],
    );
    await api.kill();
    expect(fake.delivered(777)).toHaveLength(1);

    api.env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      PODIUM_QUIET_HOURS: 'off',
      PODIUM_DIGEST_TIME: 'off',
    };
    await api.start();
    await fake.waitFor(() => fake.delivered(777).length === 2, 60_000);
    expect(fake.delivered(777)[1]?.text).toMatch(/на 1-м месте/);
    // The same sale again after the restart: still nothing more.
    token = await api.login();
    const again = await api.request('POST', '/api/events', token, sale);
    expect(again.status).toBe(200);
    await sleep(6_000);
    expect(fake.delivered(777)).toHaveLength(2);
    const rows = await db.query(
      "SELECT state FROM notifications WHERE chat_id = 777 AND kind = 'prizePlaceEntered'",
    );
    expect(rows.rows).toEqual([{ state: 'sent' }]);
    expect(contestId).toBeTruthy();
  });

  it('delivers once when killed right after the commit, before any message is written', async () => {
    // Chat 777 is linked; a second seller enters a prize place and is killed at once.
    let token = await api.login();
    const link = await api.request('POST', '/api/participants/p4/telegram-link', token);
    const { code } = (await link.json()) as { code: string };
    fake.userSays(779, `/start ${code}`);
    await fake.waitFor(() => fake.delivered(779).length === 1, 60_000);
    await api.stop();
    api.env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      PODIUM_TIME_ZONE: 'UTC',
      PODIUM_QUIET_HOURS: quietNow(),
      PODIUM_DIGEST_TIME: 'off',
    };
    await api.start();
    token = await api.login();
    const posted = await api.request('POST', '/api/events', token, {
      type: 'sale',
      source: 'crm',
      externalId: 'kill-deal-2',
      participantId: 'p4',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      amountMinor: 40_000_000,
      marginMinor: 8_000_000,
    });
    expect(posted.status).toBe(201);
    await api.kill();
    expect(fake.delivered(779)).toHaveLength(1);
    api.env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      PODIUM_QUIET_HOURS: 'off',
      PODIUM_DIGEST_TIME: 'off',
    };
    await api.start();
    await fake.waitFor(() => fake.delivered(779).length === 2, 60_000);
    await sleep(6_000);
    expect(fake.delivered(779)).toHaveLength(2);
    expect(fake.delivered(779)[1]?.text).toMatch(/в призах/);
  });

  it('never sends twice a message whose process died during its sendMessage', async () => {
    let token = await api.login();
    const link = await api.request('POST', '/api/participants/p3/telegram-link', token);
    const { code } = (await link.json()) as { code: string };
    fake.userSays(781, `/start ${code}`);
    await fake.waitFor(() => fake.delivered(781).length === 1, 60_000);
    // Telegram receives the next message to 781 and the process dies before the answer.
    fake.failNext('781', { kind: 'stall' });
    const posted = await api.request('POST', '/api/events', token, {
      type: 'sale',
      source: 'crm',
      externalId: 'kill-deal-3',
      participantId: 'p3',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      amountMinor: 50_000_000,
      marginMinor: 10_000_000,
    });
    expect(posted.status).toBe(201);
    await fake.waitFor(
      (sent) => sent.some((message) => message.chatId === '781' && message.status === 0),
      60_000,
    );
    const before = await db.query('SELECT state FROM notifications WHERE chat_id = 781');
    expect(before.rows).toEqual([{ state: 'sending' }]);
    await api.kill();

    await api.start();
    token = await api.login();
    for (let tries = 0; ; tries += 1) {
      const rows = await db.query<{ state: string; last_error: string | null }>(
        'SELECT state, last_error FROM notifications WHERE chat_id = 781',
      );
      if (rows.rows[0]?.state === 'failed') {
        expect(rows.rows[0]?.last_error).toMatch(/interrupted while sending/);
        break;
      }
      if (tries > 600) throw new Error(`never given up: ${JSON.stringify(rows.rows)}`);
      await sleep(100);
    }
    // At most once: the message reached Telegram once (the stalled call) and is not sent again.
    await sleep(4_000);
    expect(fake.sent.filter((message) => message.chatId === '781')).toHaveLength(2);
    // An admin may send it anyway.
    const [row] = (
      await db.query<{ id: string }>('SELECT id FROM notifications WHERE chat_id = 781')
    ).rows;
    const retried = await api.request('POST', `/api/notifications/${row?.id}/retry`, token);
    expect(retried.status).toBe(200);
    await fake.waitFor(() => fake.delivered(781).length === 2, 60_000);
  });
});
