import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { call } from '../support/http.js';

/**
 * How updates reach the bot: with two API processes on one database exactly one long-polls
 * (Telegram refuses a second getUpdates with 409), and the other takes over when it stops; with
 * `TELEGRAM_WEBHOOK` the API sets its webhook with a secret and takes only calls carrying it.
 */
describe('Telegram updates', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let fake: FakeTelegram;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    fake = await FakeTelegram.start();
    await db.query("INSERT INTO participants (id, name) VALUES ('pp1', 'Polly'), ('pp2', 'Webb')");
  });

  afterAll(async () => {
    await fake?.close();
    await db?.end();
    await database?.drop();
  });

  const config = (overrides: Record<string, unknown> = {}) => ({
    adminEmail: TEST_ADMIN.email,
    adminPassword: TEST_ADMIN.password,
    telegram: { token: fake.token, apiRoot: fake.url, webhook: false },
    ...overrides,
  });

  it('has exactly one of two processes poll, and the other take over when it stops', async () => {
    const first = await createTestApp(database.url, config());
    let second: TestApp | null = null;
    try {
      await fake.waitFor(() => fake.calls.includes('getUpdates'));
      second = await createTestApp(database.url, config());
      const token = await login(second.url);
      const link = await call<{ code: string }>(
        second.url,
        'POST',
        '/api/participants/pp1/telegram-link',
        {
          token,
        },
      );
      expect(link.status).toBe(201);
      // The second process has tried to lead at least once meanwhile (it tries every 5 s).
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // Both running all along: never two getUpdates at once.
      expect(fake.conflicts).toBe(0);
      await first.close();
      fake.userSays(601, `/start ${link.body.code}`);
      await fake.waitFor(() => fake.delivered(601).length === 1, 60_000);
      expect(fake.delivered(601)[0]?.text).toContain('Polly');
    } finally {
      await first.close().catch(() => undefined);
      await second?.close();
    }
  });

  it('sets a webhook with a secret token and handles only calls that carry it', async () => {
    const sut = await createTestApp(
      database.url,
      config({
        publicUrl: 'https://podium.example.com',
        telegram: { token: fake.token, apiRoot: fake.url, webhook: true },
      }),
    );
    try {
      await fake.waitFor(() => fake.webhookUrl !== null);
      expect(fake.webhookUrl).toBe('https://podium.example.com/api/telegram/webhook');
      const secret = createHash('sha256').update(`podium-webhook:${fake.token}`).digest('hex');
      expect(fake.webhookSecret).toBe(secret);
      const token = await login(sut.url);
      const link = await call<{ code: string }>(
        sut.url,
        'POST',
        '/api/participants/pp2/telegram-link',
        {
          token,
        },
      );
      const update = fake.updateFor(602, `/start ${link.body.code}`);
      const forged = await call(sut.url, 'POST', '/api/telegram/webhook', {
        body: update,
        headers: { 'x-telegram-bot-api-secret-token': 'not-the-secret' },
      });
      expect(forged.status).toBe(401);
      const missing = await call(sut.url, 'POST', '/api/telegram/webhook', { body: update });
      expect(missing.status).toBe(401);
      expect(fake.delivered(602)).toHaveLength(0);
      const real = await call(sut.url, 'POST', '/api/telegram/webhook', {
        body: update,
        headers: { 'x-telegram-bot-api-secret-token': secret },
      });
      expect(real.status).toBe(200);
      await fake.waitFor(() => fake.delivered(602).length === 1);
      expect(fake.delivered(602)[0]?.text).toContain('Webb');
      const linked = await db.query(
        'SELECT participant_id FROM telegram_chats WHERE chat_id = 602',
      );
      expect(linked.rows).toEqual([{ participant_id: 'pp2' }]);
    } finally {
      await sut.close();
    }
  });
});
