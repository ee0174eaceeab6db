import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Issues } from '../../../../tests/support/http.js';
import {
  launchMonthContest,
  numberedSale,
  threeSellers,
} from '../../../../tests/support/live-contest.js';
import { StandingsService } from '../standings/standings.service.js';

const sale = numberedSale('batch', 'b', 'b');

/**
 * A batch is stored by one statement that is also its commit: all of it, or nothing when one item
 * names an unknown participant or reuses a stored key with another payload. The live standings
 * apply what it stored without reading it back, and agree with a rebuild from the log.
 */
describe('POST /api/events batches', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let contestId: string;

  const post = <T>(body: unknown) => call<T>(sut.url, 'POST', '/api/events', { token, body });
  const stored = async (): Promise<{ events: number; lastSeq: number }> => {
    const [row] = (await sut.app.get(DataSource).query(
      `SELECT (SELECT count(*)::int FROM events WHERE source = 'batch') AS events,
              (SELECT last_seq::int FROM contests WHERE id = $1) AS "lastSeq"`,
      [contestId],
    )) as [{ events: number; lastSeq: number }];
    return row;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    contestId = await launchMonthContest(sut.url, token, 'Batches', threeSellers('b'));
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('stores a batch and answers each event with its sequence number', async () => {
    const answer = await post<{ events: { externalId: string; contests: { seq: number }[] }[] }>([
      sale(1),
      sale(2),
      sale(3),
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.events.map((event) => event.externalId)).toEqual(['b-1', 'b-2', 'b-3']);
    const seqs = answer.body.events.map((event) => event.contests[0]?.seq ?? 0);
    expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3]);
    // The same batch again: every event already stored with the same payload.
    const again = await post([sale(1), sale(2), sale(3)]);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(answer.body);
    await expect(stored()).resolves.toEqual({ events: 3, lastSeq: 3 });
  });

  it('stores nothing of a batch when one item reuses a stored key with another payload', async () => {
    const answer = await post<Issues>([sale(10), sale(2, { amountMinor: 5_000 }), sale(11)]);
    expect(answer.status).toBe(409);
    expect((answer.body as { code?: string }).code).toBe('payload_mismatch');
    expect(answer.body.issues).toEqual([
      { path: '[1].externalId', message: expect.stringContaining('different payload') },
    ]);
    await expect(stored()).resolves.toEqual({ events: 3, lastSeq: 3 });
  });

  it('stores nothing of a batch when one item names an unknown participant', async () => {
    const answer = await post<Issues>([sale(20), sale(21, { participantId: 'nobody' })]);
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([
      {
        path: '[1].participantId',
        message: 'unknown participant "nobody"',
        code: 'unknownParticipant',
      },
    ]);
    await expect(stored()).resolves.toEqual({ events: 3, lastSeq: 3 });
  });

  it('names an unknown participant with the other issues of a bad batch', async () => {
    const answer = await post<Issues>([
      sale(30, { amountMinor: -1 }),
      sale(31, { participantId: 'nobody' }),
      sale(32),
      sale(32, { amountMinor: 7_000 }),
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue) => issue.path)).toEqual([
      '[0].amountMinor',
      '[1].participantId',
      '[3].externalId',
    ]);
    await expect(stored()).resolves.toEqual({ events: 3, lastSeq: 3 });
  });

  it('keeps live standings equal to a rebuild from the log', async () => {
    const batches = Array.from({ length: 4 }, (_, batch) =>
      Array.from({ length: 50 }, (_, n) => sale(100 + batch * 50 + n)),
    );
    // Batches and single events at once: commits interleave, each handed to the standings.
    const answers = await Promise.all([
      ...batches.map((batch) => post(batch)),
      ...Array.from({ length: 20 }, (_, n) => post(sale(1_000 + n, { isNewClient: true }))),
    ]);
    expect(answers.map((answer) => answer.status).filter((status) => status !== 201)).toEqual([]);
    const live = await sut.app.get(StandingsService).snapshot(contestId);
    expect(live?.seq).toBe(3 + 200 + 20);

    const rebuilt = await createTestApp(database.url);
    try {
      const fromLog = await rebuilt.app.get(StandingsService).snapshot(contestId);
      expect(fromLog).toEqual(live);
    } finally {
      await rebuilt.close();
    }
  });
});
