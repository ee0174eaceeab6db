import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { FakeSmtp } from '../../../../tests/support/fake-smtp.js';
import { notificationDefaults } from '../config/config.js';
import type { OutboxMessage } from '../notifications/outbox.repository.js';
import { OutboxRepository } from '../notifications/outbox.repository.js';
import { OutboxService } from '../notifications/outbox.service.js';
import { MAIL_INTERRUPTED } from './mail-sender.service.js';

/** Minutes after midnight now in the company's time zone. */
function localMinute(timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

const digest = (email: string, key: string): OutboxMessage => ({
  kind: 'dailyDigest',
  channel: 'email',
  email,
  language: 'en',
  payload: {
    participantName: 'Anna',
    date: '2026-12-06',
    contests: [
      {
        contestName: 'Sprint',
        rank: 2,
        participants: 10,
        points: 50,
        toNextPlace: 3,
        holdsPrize: true,
        toPrize: null,
        pPrize: 0.6,
        url: 'http://podium.test/m',
      },
    ],
    subject: 'Your standing on 2026-12-06',
  },
  idempotencyKey: key,
});

/**
 * The e-mail sender on a real database and a local SMTP server: what it does with each row of
 * the outbox's e-mail channel.
 */
describe('the e-mail sender', () => {
  let database: TestDatabase;
  let smtp: FakeSmtp;
  let sut: TestApp;
  let outbox: OutboxRepository;
  const timeZone = notificationDefaults().timeZone;

  const stateOf = async (key: string) => {
    const [row] = await sut.app
      .get(DataSource)
      .query<
        { state: string; attempts: number; last_error: string | null; next_attempt_at: Date }[]
      >(
        'SELECT state, attempts, last_error, next_attempt_at FROM notifications WHERE idempotency_key = $1',
        [key],
      );
    return row;
  };
  const enqueue = (messages: OutboxMessage[]) =>
    sut.app
      .get(DataSource)
      .transaction((manager) => sut.app.get(OutboxService).enqueue(manager, messages));
  async function settled(key: string, done: (state: string) => boolean) {
    for (;;) {
      const row = await stateOf(key);
      if (row !== undefined && done(row.state)) return row;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await FakeSmtp.start();
    const now = localMinute(timeZone);
    sut = await createTestApp(database.url, {
      mail: { smtpUrl: smtp.url(), from: 'podium@test.local' },
      // Quiet from an hour ago to an hour from now: the digest waits, the results do not.
      notifications: {
        ...notificationDefaults(),
        quietHours: { start: (now + 1380) % 1440, end: (now + 60) % 1440 },
      },
    });
    outbox = sut.app.get(OutboxRepository);
  });

  afterAll(async () => {
    await sut?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('holds the digest through quiet hours, rendered nowhere and counted as no attempt', async () => {
    await enqueue([digest('quiet@test.local', 'digest:quiet')]);
    // The sender holds it until the quiet hours end, about an hour from now.
    let held: Awaited<ReturnType<typeof stateOf>> = await settled('digest:quiet', () => true);
    while (held !== undefined && held.next_attempt_at.getTime() < Date.now() + 30 * 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      held = await stateOf('digest:quiet');
    }
    expect(held).toMatchObject({ state: 'queued', attempts: 0 });
    expect(held?.next_attempt_at.getTime()).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
    expect(smtp.to('quiet@test.local')).toEqual([]);
  });

  it('fails a message left sending by a process that died, and never sends it by itself', async () => {
    // As a killed sender leaves it: marked sending (one attempt), never marked sent.
    await sut.app.get(DataSource).transaction(async (manager) => {
      await outbox.insert(manager, [
        { ...digest('lost@test.local', 'report:lost'), kind: 'finalReport' },
      ]);
      await manager.query(
        "UPDATE notifications SET state = 'sending', attempts = 1 WHERE idempotency_key = 'report:lost'",
      );
    });
    // The next drain (a new message wakes one) judges it.
    await enqueue([
      {
        ...digest('late@test.local', 'results:late'),
        kind: 'contestClosed',
        payload: { contestId: '00000000-0000-0000-0000-000000000000', participantId: 'nobody' },
      },
    ]);
    const lost = await settled('report:lost', (state) => state !== 'sending');
    expect(lost).toMatchObject({ state: 'failed', attempts: 1, last_error: MAIL_INTERRUPTED });
    expect(smtp.to('lost@test.local')).toEqual([]);
    // A message that cannot be rendered any more (nobody has the address) fails at once.
    const late = await settled('results:late', (state) => state !== 'queued');
    expect(late?.state).toBe('failed');
    expect(late?.last_error).toContain('late@test.local');
  });

  it('skips an address whose kind is switched off, whatever the case it is written in', async () => {
    await outbox.setSwitch('email:off@test.local', 'contestClosed', false);
    await enqueue([
      {
        ...digest('OFF@test.local', 'results:off'),
        kind: 'contestClosed',
        payload: { contestId: '00000000-0000-0000-0000-000000000000', participantId: 'x' },
      },
    ]);
    const skipped = await settled('results:off', (state) => state !== 'queued');
    expect(skipped).toMatchObject({ state: 'skipped', attempts: 0 });
    expect(skipped?.last_error).toContain('switched off');
  });
});
