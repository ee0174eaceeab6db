import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { FakeSmtp } from '../../../../tests/support/fake-smtp.js';
import { call, createAdminApp } from '../../../../tests/support/http.js';
import {
  launchMonthContest,
  numberedSale,
  threeSellers,
} from '../../../../tests/support/live-contest.js';
import { notificationDefaults } from '../config/config.js';
import { MailDigestService } from './mail-digest.service.js';

/**
 * The daily digest by e-mail on a real database and a local SMTP server: one message a day to
 * each participant with an e-mail, in their language, with their rank, points and what it takes.
 */
describe(MailDigestService.name, () => {
  let database: TestDatabase;
  let smtp: FakeSmtp;
  let sut: TestApp;
  let token: string;
  let contestId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await FakeSmtp.start();
    ({ sut, token } = await createAdminApp(database.url, {
      mail: { smtpUrl: smtp.url(), from: 'podium@test.local' },
      // No quiet hours, no schedule: the test writes the digest itself.
      notifications: {
        ...notificationDefaults(),
        quietHours: { start: 0, end: 0 },
        digestAt: null,
      },
      publicUrl: 'https://podium.example.com',
    }));
    contestId = await launchMonthContest(sut.url, token, 'Digest sprint', threeSellers('dg'));
    for (const [participantId, email] of [
      ['dg0', 'dg0@test.local'],
      ['dg1', 'dg1@test.local'],
    ]) {
      const user = await call(sut.url, 'POST', '/api/users', {
        token,
        body: { email, password: 'digest-password', role: 'seller', participantId },
      });
      expect(user.status).toBe(201);
    }
    await sut.app.get(DataSource).query("UPDATE participants SET language = 'en' WHERE id = 'dg1'");
    const sale = numberedSale('crm', 'digest', 'dg');
    // dg0: 3,000.00 of turnover, dg1: 1,000.00 (n mod 3 picks the seller).
    const posted = await call(sut.url, 'POST', '/api/events', {
      token,
      body: [sale(0, { amountMinor: 300_000 }), sale(1, { amountMinor: 100_000 })],
    });
    expect(posted.status).toBe(201);
    // The live standings have counted both sales.
    for (;;) {
      const standings = await call<{ standings: { participantId: string; rank: number }[] }>(
        sut.url,
        'GET',
        `/api/contests/${contestId}/standings`,
        { token },
      );
      if (standings.body.standings.find((row) => row.participantId === 'dg0')?.rank === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await sut?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('writes one digest a day to each participant with an e-mail, and sends it once', async () => {
    const now = new Date();
    const day = new Intl.DateTimeFormat('en-CA', {
      timeZone: notificationDefaults().timeZone,
    }).format(now);
    const digests = sut.app.get(MailDigestService);
    expect(await digests.send(now)).toBe(2);
    // A retried or doubled run writes nothing new.
    expect(await digests.send(now)).toBe(2);
    const rows = await sut.app
      .get(DataSource)
      .query<{ email: string; language: string }[]>(
        "SELECT email, language FROM notifications WHERE kind = 'dailyDigest' ORDER BY email",
      );
    expect(rows).toEqual([
      { email: 'dg0@test.local', language: 'ru' },
      { email: 'dg1@test.local', language: 'en' },
    ]);

    await smtp.waitFor((received) => received.length === 2);
    const [first, ...moreFirst] = smtp.to('dg0@test.local');
    expect(moreFirst).toEqual([]);
    expect(first?.parsed.subject).toBe(`Ваш рейтинг на ${day}`);
    const ru = (first?.parsed.text ?? '').replace(/\u00a0/g, ' ');
    expect(ru).toContain('«Digest sprint»');
    expect(ru).toMatch(/Место\s+1 из 3/);
    expect(ru).toMatch(/Призовое место\s+вы на призовом месте/);
    expect(ru).not.toContain('До следующего места');
    expect(ru).toContain(`https://podium.example.com/m/${contestId}`);

    const [second, ...moreSecond] = smtp.to('dg1@test.local');
    expect(moreSecond).toEqual([]);
    expect(second?.parsed.subject).toBe(`Your standing on ${day}`);
    const en = second?.parsed.text ?? '';
    expect(en).toMatch(/Place\s+2 of 3/);
    // 3,000.00 and 1,000.00 of a 100,000.00 plan: 3 and 1 points, 2 to catch up.
    expect(en).toMatch(/To the next place\s+\+2\b/);
    expect(en).toMatch(/To a prize place\s+\+2\b/);
    expect(en).toMatch(/Stop these e-mails: https:\/\/podium\.example\.com\/api\/unsubscribe\//);
    expect(smtp.to('dg2@test.local')).toEqual([]);
  });
});
