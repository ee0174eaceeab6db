import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import pg from 'pg';
import type { TestApp } from '../../../../tests/support/app.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Answer } from '../../../../tests/support/http.js';
import { z } from 'zod';
import { ContestsController } from './contests.controller.js';
import { LifecycleService } from './lifecycle.service.js';
import {
  auditEntrySchema,
  contestDefinitionViewSchema,
  feedEventSchema,
} from './dto/contest-records.schema.js';
import { checkpointSchema, standingsSchema } from './dto/standings.schema.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

interface Refusal {
  message: string;
  issues?: { path: string; message: string }[];
}

/** What a refused request must leave behind: nothing. */
const WRITTEN = ['contest_audit', 'events', 'contest_events', 'checkpoints'] as const;

describe(ContestsController.name, () => {
  let database: TestDatabase;
  let db: pg.Client;
  let sut: TestApp;
  let admin: string;
  let file: ContestFile;
  /** Contest A counts p1…; contest B has sellers of its own (b1, b2) and the same period. */
  let contestA: string;
  let contestB: string;
  /** A sale of b1: counted by B only. */
  let eventOfB: number;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = Refusal>(method: string, path: string, body?: unknown): Promise<Answer<T>> =>
    call<T>(sut.url, method, `/api${path}`, { token: admin, body });

  /** Row counts of the written tables, in one statement (one pg client runs one query at a time). */
  async function counts(): Promise<Record<string, number>> {
    const result = await db.query<{ name: string; count: string }>(
      WRITTEN.map((table) => `SELECT '${table}' AS name, count(*) FROM ${table}`).join(
        ' UNION ALL ',
      ),
    );
    return Object.fromEntries(result.rows.map((row) => [row.name, Number(row.count)]));
  }

  async function launched(contest: ContestFile): Promise<string> {
    const created = await api<{ id: string }>('POST', '/contests', contest);
    expect(created.status).toBe(201);
    expect(
      (await api('POST', `/contests/${created.body.id}/launch`, LAUNCH_PAST_GATE)).status,
    ).toBe(200);
    return created.body.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    ({ sut, token: admin } = await createAdminApp(database.url, {}, { clock }));
    file = { ...(await exampleContestFile()), events: [] };
    contestA = await launched({ ...file, name: 'A' });
    contestB = await launched({
      ...file,
      name: 'B',
      participants: file.participants.slice(0, 2).map((participant, index) => ({
        ...participant,
        id: `b${index + 1}`,
        name: `B seller ${index + 1}`,
      })),
    });
    const sale = await api<{ contests: string[] }>('POST', '/events', {
      type: 'sale',
      source: 'crm',
      externalId: 'b-sale-1',
      participantId: 'b1',
      occurredAt: '2026-03-05T10:00:00Z',
      amountMinor: 1_000_000,
      marginMinor: 200_000,
    });
    expect(sale.status).toBe(201);
    const feed = await api<{ id: number }[]>('GET', `/contests/${contestB}/events`);
    eventOfB = (feed.body[0] as { id: number }).id;
  });

  afterAll(async () => {
    await sut?.close();
    await db?.end();
    await database?.drop();
  });

  describe('publishing a checkpoint', () => {
    it('that does not exist is a 404 and writes no audit row', async () => {
      const before = await counts();
      const answer = await api('POST', `/contests/${contestA}/checkpoints/5/publish`);
      expect(answer.status).toBe(404);
      expect(answer.body.message).toContain('checkpoint 5');
      expect(await counts()).toEqual(before);
    });
  });

  describe('a correction', () => {
    it('cannot reverse an event only another contest counts', async () => {
      const before = await counts();
      const answer = await api('POST', `/contests/${contestA}/corrections`, {
        kind: 'reverse',
        eventId: eventOfB,
        reason: 'wrong deal',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([
        {
          path: 'eventId',
          message: expect.stringContaining('not counted by this contest'),
          code: 'notCounted',
        },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('cannot add a sale of someone who is not in the contest', async () => {
      const before = await counts();
      const answer = await api('POST', `/contests/${contestA}/corrections`, {
        kind: 'sale',
        participantId: 'b1',
        occurredAt: '2026-03-06T10:00:00Z',
        amountMinor: 500_000,
        marginMinor: 100_000,
        reason: 'forgotten deal',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([
        {
          path: 'participantId',
          message: expect.stringContaining('not a participant'),
          code: 'unknownParticipant',
        },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('cannot add a sale outside the contest period', async () => {
      const before = await counts();
      const answer = await api('POST', `/contests/${contestA}/corrections`, {
        kind: 'sale',
        participantId: 'p1',
        occurredAt: '2026-04-02T10:00:00Z',
        amountMinor: 500_000,
        marginMinor: 100_000,
        reason: 'forgotten deal',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([
        {
          path: 'occurredAt',
          message: expect.stringContaining('period'),
          code: 'outsidePeriod',
          params: { from: expect.any(String), to: expect.any(String) },
        },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('still reverses an event of its own contest, audited there', async () => {
      const answer = await api<{ id: number }>('POST', `/contests/${contestB}/corrections`, {
        kind: 'reverse',
        eventId: eventOfB,
        reason: 'wrong deal',
      });
      expect(answer.status).toBe(201);
      const audit = await db.query<{ contest_id: string }>(
        "SELECT contest_id FROM contest_audit WHERE action = 'correction'",
      );
      expect(audit.rows).toEqual([{ contest_id: contestB }]);

      // The reversal itself cannot be reversed.
      const before = await counts();
      const again = await api('POST', `/contests/${contestB}/corrections`, {
        kind: 'reverse',
        eventId: answer.body.id,
        reason: 'undo',
      });
      expect(again.status).toBe(400);
      expect(again.body.issues).toEqual([
        { path: 'eventId', message: 'a reversal cannot be reversed', code: 'notReversible' },
      ]);
      expect(await counts()).toEqual(before);
    });
  });

  describe('the approved scenario', () => {
    const approval = {
      scenario: { uplift: 0.2, correlation: 0.1, trials: 500, seed: 9 },
      baselineMarginMinor: 1,
      verdict: 'balanced',
    };

    it('is frozen at launch like the rules', async () => {
      const before = await counts();
      const scenarioBefore = await db.query('SELECT scenario FROM contests WHERE id = $1', [
        contestA,
      ]);
      const answer = await api('PUT', `/contests/${contestA}/scenario`, approval);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'contest_state' });
      expect(answer.body.message).toMatch(/scenario.*frozen once launched/);
      expect(await counts()).toEqual(before);
      await expect(
        db.query('SELECT scenario FROM contests WHERE id = $1', [contestA]),
      ).resolves.toMatchObject({ rows: scenarioBefore.rows });
    });

    it('can still be approved on a draft', async () => {
      const draft = await api<{ id: string }>('POST', '/contests', { ...file, name: 'Draft' });
      const answer = await api<{ id: string }>(
        'PUT',
        `/contests/${draft.body.id}/scenario`,
        approval,
      );
      expect(answer.status).toBe(200);
    });
  });

  describe('answers', () => {
    /** The schema keeps only what it documents: a field it lacks or mistypes shows as a diff. */
    const asDocumented = (schema: z.ZodType, body: unknown) =>
      expect(schema.parse(body)).toEqual(body);

    it('are what the OpenAPI document says they are', async () => {
      // Past the March boundary: the clock's tick freezes B's first checkpoint.
      clock.set('2026-04-02T12:00:00Z');
      await sut.app.get(LifecycleService).tick();
      const read = async (path: string) => {
        const answer = await api<unknown>('GET', `/contests/${contestB}${path}`);
        expect(answer.status).toBe(200);
        return answer.body;
      };
      asDocumented(standingsSchema, await read('/standings'));
      const checkpoints = await read('/checkpoints');
      expect(checkpoints).not.toEqual([]);
      asDocumented(z.array(checkpointSchema), checkpoints);
      asDocumented(z.array(feedEventSchema).min(1), await read('/events'));
      asDocumented(z.array(auditEntrySchema).min(1), await read('/audit'));
      asDocumented(contestDefinitionViewSchema, await read('/file'));
    });
  });
});
