import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MAIL_INTERRUPTED } from '../../apps/api/src/mail/mail-sender.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSmtp } from '../support/fake-smtp.js';
import { Api, launchContest, liveContestFile, sleep } from './harness.js';

const DIRECTOR = 'director@faults.local';

/** A port nothing listens on yet: taken by a server that is closed at once. */
async function freeSmtpPort(): Promise<number> {
  const probe = await FakeSmtp.start();
  await probe.close();
  return probe.port;
}

/**
 * `kill -9` of the API around the e-mail of a contest's close. Closed while the SMTP server is
 * down, the report waits in the outbox (its tries failing); killed then, the restarted process
 * delivers it exactly once. Killed while the SMTP server holds the message's DATA unanswered,
 * the restarted process does not send it again: it cannot know whether the server took it.
 */
describe('kill -9 around the e-mail of a close', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let api: Api;
  let smtp: FakeSmtp | null = null;

  const reportRows = async () =>
    (
      await db.query<{ state: string; attempts: number; last_error: string | null }>(
        "SELECT state, attempts, last_error FROM notifications WHERE kind = 'finalReport' AND email = $1",
        [DIRECTOR],
      )
    ).rows;

  async function until<T>(what: string, check: () => Promise<T | null>): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      const value = await check();
      if (value !== null) return value;
      if (tries > 1_200) throw new Error(`waited two minutes for ${what}`);
      await sleep(100);
    }
  }

  /** A running API with a director, and a contest closed by the close button. */
  async function closeContest(): Promise<void> {
    await api.start();
    const token = await api.login();
    const user = await api.request('POST', '/api/users', token, {
      email: DIRECTOR,
      password: 'director-password',
      role: 'director',
      participantId: null,
    });
    expect(user.status).toBe(201);
    const contestId = await launchContest(api, token, liveContestFile(3));
    // Its period and grace are over (the clock of a child process cannot be moved).
    await db.query("UPDATE contests SET state = 'closing' WHERE id = $1", [contestId]);
    const closed = await api.request('POST', `/api/contests/${contestId}/close`, token);
    expect(closed.status).toBe(200);
  }

  beforeEach(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    api = await Api.create(database.url);
  });

  afterEach(async () => {
    await api.stop();
    await smtp?.close();
    smtp = null;
    await db.end();
    await database.drop();
  });

  it('delivers the report exactly once after a kill -9 between the close and its delivery', async () => {
    const port = await freeSmtpPort();
    api.env = { SMTP_URL: `smtp://127.0.0.1:${port}`, PODIUM_MAIL_FROM: 'podium@faults.local' };
    await closeContest();
    // Committed with the close, tried and refused (nothing listens), waiting for its next try
    // at least 2 s away: a try in flight is `sending` with its attempt already counted, and a
    // kill then would leave it failed, which is another test's case.
    const waiting = await until('a failed try', async () => {
      const { rows } = await db.query<{ state: string; attempts: number }>(
        `SELECT state, attempts FROM notifications
          WHERE kind = 'finalReport' AND email = $1 AND state = 'queued' AND attempts >= 1
            AND next_attempt_at > now() + interval '2 seconds'`,
        [DIRECTOR],
      );
      return rows[0] ?? null;
    });
    expect(waiting.state).toBe('queued');
    await api.kill();

    smtp = await FakeSmtp.start({ port });
    await api.start();
    const server = smtp;
    await server.waitFor((received) => received.length === 1);
    // Long enough for a second copy to show: the probe runs every 2 s.
    await sleep(6_000);
    expect(server.to(DIRECTOR)).toHaveLength(1);
    expect(server.to(DIRECTOR)[0]?.parsed.attachments[0]?.filename).toMatch(/^report-.+\.csv$/);
    expect(await reportRows()).toEqual([
      expect.objectContaining({ state: 'sent', last_error: null }),
    ]);
  });

  it('does not send the report again when killed while the server held its DATA', async () => {
    smtp = await FakeSmtp.start({ holdData: true });
    api.env = {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      PODIUM_MAIL_FROM: 'podium@faults.local',
    };
    await closeContest();
    const server = smtp;
    await until('the DATA of the report', async () => (server.held.length === 1 ? true : null));
    expect(await reportRows()).toEqual([expect.objectContaining({ state: 'sending' })]);
    await api.kill();

    await api.start();
    const row = await until('the interrupted report to be judged', async () => {
      const [found] = await reportRows();
      return found !== undefined && found.state !== 'sending' ? found : null;
    });
    expect(row).toEqual({ state: 'failed', attempts: 1, last_error: MAIL_INTERRUPTED });
    await sleep(6_000);
    expect(server.held).toHaveLength(1);
    expect(server.received).toEqual([]);
  });
});
