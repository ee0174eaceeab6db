import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { createAdminApp, request } from '../../../../tests/support/http.js';
import {
  launchMonthContest,
  numberedSale,
  threeSellers,
} from '../../../../tests/support/live-contest.js';
import { EventsService } from './events.service.js';

const CONCURRENT = 60;
const sale = numberedSale('gc', 's', 'g');

/**
 * Single-event requests arriving together share a commit; each still gets its own answer: a bad
 * one (unknown participant, a key stored with another payload) fails alone, repeats answer 200,
 * and the contest's sequence stays gap-free.
 */
describe('group commit of single-event requests', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let contestId: string;

  const post = (path: string, body: unknown) => request(sut.url, 'POST', path, { token, body });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    contestId = await launchMonthContest(sut.url, token, 'Group commit', threeSellers('g'));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('answers each request on its own and keeps the sequence gap-free', async () => {
    // Stored before: the same key with another payload must be a 409, with the same a 200.
    expect((await post('/api/events', sale(1_000))).status).toBe(201);
    expect((await post('/api/events', sale(1_001))).status).toBe(201);

    const bodies: unknown[] = Array.from({ length: CONCURRENT }, (_, n) => sale(n));
    bodies.push(sale(1_000, { amountMinor: 500 })); // conflicts with a stored event
    bodies.push(sale(1_001)); // a repeat
    bodies.push(sale(10_000, { participantId: 'nobody' })); // unknown participant
    bodies.push(sale(10_001, { amountMinor: -1 })); // invalid
    bodies.push(sale(7)); // a repeat inside the same burst
    bodies.push(sale(8, { amountMinor: 990 })); // same key as another of the burst, other payload
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const response = await post('/api/events', body);
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown>,
        };
      }),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.slice(0, CONCURRENT).filter((status) => status !== 201 && status !== 200),
    ).toEqual([]);
    expect(statuses.slice(CONCURRENT)).toEqual([
      409,
      200,
      400,
      400,
      expect.any(Number),
      expect.any(Number),
    ]);
    expect(answers[CONCURRENT]?.body).toMatchObject({
      issues: [{ path: 'externalId' }],
    });
    expect(answers[CONCURRENT + 2]?.body).toMatchObject({
      issues: [{ path: 'participantId', message: 'unknown participant "nobody"' }],
    });
    expect(answers[CONCURRENT + 3]?.body).toMatchObject({ issues: [{ path: 'amountMinor' }] });
    // Of s-7 twice with one payload: one 201 and one 200. Of s-8 with two payloads: one stored,
    // the other a 409.
    const seven = [answers[7]?.status, answers[CONCURRENT + 4]?.status].sort();
    expect(seven).toEqual([200, 201]);
    const eight = [answers[8]?.status, answers[CONCURRENT + 5]?.status].sort();
    expect(eight).toEqual([201, 409]);

    // Every stored event once, in a gap-free sequence; the answers carry their seq.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ events: string; links: string; max: string }>(
      `SELECT (SELECT count(*) FROM events) AS events, count(*) AS links, max(seq) AS max
         FROM contest_events WHERE contest_id = $1`,
      [contestId],
    );
    await client.end();
    expect(Number(rows[0]?.events)).toBe(CONCURRENT + 2);
    expect(Number(rows[0]?.links)).toBe(CONCURRENT + 2);
    expect(Number(rows[0]?.max)).toBe(CONCURRENT + 2);
    const seqs = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => (answer.body.contests as { seq: number }[])[0]?.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    const standings = await request(sut.url, 'GET', `/api/contests/${contestId}/standings`, {
      token,
    });
    expect(((await standings.json()) as { seq: number }).seq).toBe(CONCURRENT + 2);
  });

  it('stores requests that arrive while a commit is in flight with one commit', async () => {
    const burst = 40;
    // One single-event request first: the group commit exists before the burst.
    expect((await post('/api/events', sale(29_999))).status).toBe(201);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // The contest row held: the groups in flight wait for its lock, and every request that
      // arrives meanwhile has to wait for them — the case group commit is for.
      await admin.query('BEGIN');
      await admin.query('SELECT 1 FROM contests WHERE id = $1 FOR UPDATE', [contestId]);
      const answers = Array.from({ length: burst }, (_, n) =>
        post('/api/events', sale(30_000 + n)),
      );
      const service = sut.app.get(EventsService) as unknown as {
        groupCommit: { unanswered: number } | null;
      };
      // Until every request is in (queued, or in a group waiting for the lock). Without a group
      // commit to hold them there is nothing to wait for: each request commits on its own.
      while (service.groupCommit !== null && service.groupCommit.unanswered < burst) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await admin.query('COMMIT');
      expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual(
        Array.from({ length: burst }, () => 201),
      );
      // Rows one transaction wrote share its id (xmin): the two groups that waited for the lock,
      // then one group for all that queued behind them (one more if the two drains interleave).
      const { rows } = await admin.query<{ commits: string; stored: string }>(
        `SELECT count(DISTINCT xmin::text) AS commits, count(*) AS stored
           FROM events WHERE external_id LIKE 's-3____'`,
      );
      expect(Number(rows[0]?.stored)).toBe(burst);
      expect(Number(rows[0]?.commits)).toBeLessThanOrEqual(4);
    } finally {
      await admin.end();
    }
  });

  it('stores the next request on a fresh connection after PostgreSQL dropped a held one', async () => {
    // The commit connections stay checked out between groups. When PostgreSQL cuts one while it
    // is idle (a restart, an administrator), node-postgres emits 'error' and TypeORM releases the
    // runner; the next group must open a fresh connection instead of using the released one
    // (on which the group fails, even with PostgreSQL back).
    const dataSource = sut.app.get(DataSource);
    // TypeORM's PostgresDriver lists the runners holding a connection; the Driver type hides it.
    const driver = dataSource.driver as unknown as { connectedQueryRunners: QueryRunner[] };
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    // Start from no held connection (the group commit lets its own go once idle).
    while (driver.connectedQueryRunners.length > 0) await pause();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      expect((await post('/api/events', sale(20_001))).status).toBe(201);
      // The contest row held: a group storing a new sale for it waits for the lock, so the
      // commit path stays busy and its idle release cannot hide the dropped connection.
      await admin.query('BEGIN');
      await admin.query('SELECT 1 FROM contests WHERE id = $1 FOR UPDATE', [contestId]);
      const blocked = post('/api/events', sale(20_000));
      for (;;) {
        const { rows } = await admin.query<{ waiting: string }>(
          `SELECT count(*) AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (Number(rows[0]?.waiting) > 0) break;
        await pause();
      }
      // A repeat needs no lock: a second group, done at once, leaves its connection held idle.
      expect((await post('/api/events', sale(20_001))).status).toBe(200);
      // The connection the group commit holds idle now (the blocked group holds the other one);
      // read from its private state, as nothing public names it.
      const service = sut.app.get(EventsService) as unknown as {
        groupCommit: { connections: QueryRunner[] } | null;
      };
      const held = service.groupCommit?.connections ?? [];
      expect(held.length).toBe(1);
      const idle = held[0] as QueryRunner;
      const [row] = (await idle.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];

      // PostgreSQL drops it (57P01, as on a restart); TypeORM releases the runner.
      await admin.query('SELECT pg_terminate_backend($1)', [row?.pid]);
      while (!idle.isReleased) await pause();

      const next = post('/api/events', sale(20_002));
      await admin.query('COMMIT');
      expect((await blocked).status).toBe(201);
      const answer = await next;
      expect({ status: answer.status, body: await answer.text() }).toEqual({
        status: 201,
        body: expect.stringContaining('"externalId":"s-20002"'),
      });
    } finally {
      await admin.end();
    }
  });
});
