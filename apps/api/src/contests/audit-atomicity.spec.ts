import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import pg from 'pg';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Answer } from '../../../../tests/support/http.js';
import { createCanvas, encodePng, fill } from '../demo/png.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

/**
 * Every audited action writes its audit row in the same transaction as the action: when the
 * audit row cannot be written, the action is not done either. A trigger makes the audit insert
 * of one action fail, and each test proves the action left nothing behind.
 */
describe('an audited action and its audit row', () => {
  let database: TestDatabase;
  let db: pg.Client;
  let sut: TestApp;
  let admin: string;
  let contestId: string;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> =>
    call<T>(sut.url, method, `/api${path}`, { token: admin, body });

  /** From now on, the audit row of `action` cannot be written. */
  async function auditFails(action: string): Promise<void> {
    await db.query(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
    await db.query('DROP TRIGGER IF EXISTS refuse_audit ON contest_audit');
    await db.query(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON contest_audit FOR EACH ROW
       WHEN (NEW.action = '${action}') EXECUTE FUNCTION refuse_audit()`,
    );
  }

  const count = async (sql: string): Promise<number> =>
    Number((await db.query<{ count: string }>(sql, [contestId])).rows[0]?.count);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    const file: ContestFile = { ...(await exampleContestFile()), events: [] };
    const created = await api<{ id: string }>('POST', '/contests', file);
    expect(created.status).toBe(201);
    contestId = created.body.id;
    expect((await api('POST', `/contests/${contestId}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);
    // Past the end of the period: closing (corrections still apply) with checkpoint 1 frozen.
    clock.set('2026-04-01T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();
    const contest = await api<{ state: string }>('GET', `/contests/${contestId}`);
    expect(contest.body.state).toBe('closing');
  });

  afterAll(async () => {
    await sut?.close();
    await db?.end();
    await database?.drop();
  });

  it('a correction is not stored when its audit row fails', async () => {
    await auditFails('correction');
    const events = async () =>
      (await count('SELECT count(*) FROM contest_events WHERE contest_id = $1')) +
      Number((await db.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count);
    const before = await events();
    const answer = await api('POST', `/contests/${contestId}/corrections`, {
      kind: 'sale',
      participantId: 'p1',
      occurredAt: '2026-03-06T10:00:00Z',
      amountMinor: 500_000,
      marginMinor: 100_000,
      reason: 'forgotten deal',
    });
    expect(answer.status).toBe(500);
    expect(await events()).toBe(before);
  });

  it('a checkpoint is not published when its audit row fails', async () => {
    await auditFails('checkpoint-published');
    const answer = await api('POST', `/contests/${contestId}/checkpoints/1/publish`);
    expect(answer.status).toBe(500);
    await expect(
      count('SELECT count(*) FROM checkpoints WHERE contest_id = $1 AND published_at IS NOT NULL'),
    ).resolves.toBe(0);
  });

  it('a prize image is not stored when its audit row fails', async () => {
    await auditFails('prize-image');
    const canvas = createCanvas(32, 24);
    fill(canvas, (x, y) => [x * 8, y * 10, 64, 255]);
    const answer = await call(sut.url, 'PUT', `/api/contests/${contestId}/prizes/1/image`, {
      token: admin,
      raw: encodePng(canvas),
      headers: { 'content-type': 'image/png' },
    });
    expect(answer.status).toBe(500);
    await expect(count('SELECT count(*) FROM prize_images WHERE contest_id = $1')).resolves.toBe(0);
  });

  it('each action goes through once its audit row can be written', async () => {
    await db.query('DROP TRIGGER refuse_audit ON contest_audit');
    const published = await api('POST', `/contests/${contestId}/checkpoints/1/publish`);
    expect(published.status).toBe(200);
    const audit = await db.query<{ action: string }>(
      'SELECT action FROM contest_audit WHERE contest_id = $1 ORDER BY id',
      [contestId],
    );
    expect(audit.rows.map((row) => row.action)).toEqual([
      'created',
      'launched',
      'checkpoint',
      'clock',
      'checkpoint-published',
    ]);
  });
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } = await import('./lifecycle.service.js');
