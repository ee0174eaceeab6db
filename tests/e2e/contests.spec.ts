import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  evaluate,
  parseContestFile,
  turnoverAtPlanRate,
  type ContestEvent,
  type ContestFile,
  type PrizeResult,
} from '@podium/contest-model';
import type { TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { call as callApi, createAdminApp } from '../support/http.js';
import { repoRoot } from '../support/process.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

const examplePath = path.join(repoRoot, 'libs/contest-model/examples/spring-sprint.json');

/**
 * The example with its participants and events renamed `<owner>-…`. Events are stored once for
 * every contest and launching a contest links the stored events of its participants, so each
 * test renames the example after itself: its events reach only its own contests, and it passes
 * alone, in any order and beside the others.
 */
async function example(owner: string): Promise<ContestFile> {
  const parsed = parseContestFile(JSON.parse(await fs.readFile(examplePath, 'utf8')));
  if (!parsed.success) throw new Error('the example no longer validates');
  const file = parsed.data;
  const rename = (id: string) => `${owner}-${id}`;
  return {
    ...file,
    participants: file.participants.map((participant) => ({
      ...participant,
      id: rename(participant.id),
    })),
    events: file.events.map((event) => ({
      ...event,
      externalId: rename(event.externalId),
      participantId: rename(event.participantId),
      ...(event.type === 'reversal'
        ? { reversesExternalId: rename(event.reversesExternalId) }
        : {}),
    })),
  };
}

interface Http {
  status: number;
  body: Record<string, unknown> & { [key: string]: unknown };
}

/** A contest's life over HTTP: created from a file, launched, fed events, closed. */
describe('contests and events', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  async function call(method: string, url: string, body?: unknown): Promise<Http> {
    const answer = await callApi<Http['body'] | null>(sut.url, method, url, { token, body });
    return { status: answer.status, body: answer.body ?? {} };
  }

  async function rowCount(table: string): Promise<number> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
      return Number(result.rows[0]?.count);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url, {}, { clock }));
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  // The closing test moves the clock past the period; every test starts inside it.
  beforeEach(() => clock.set('2026-03-10T12:00:00Z'));

  /** Creates a draft of the example renamed after `owner`: its participants then exist. */
  async function draftOf(owner: string, name?: string): Promise<{ id: string; file: ContestFile }> {
    const file = await example(owner);
    const created = await call('POST', '/api/contests', name ? { ...file, name } : file);
    expect(created.status).toBe(201);
    return { id: created.body.id as string, file };
  }

  it('gives the same fund, ranking and points as evaluate of the same file', async () => {
    const file = await example('same');
    const created = await call('POST', '/api/contests', file);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), state: 'draft' });
    const id = created.body.id as string;

    await expect(
      call('POST', `/api/contests/${id}/launch`, LAUNCH_PAST_GATE),
    ).resolves.toMatchObject({
      status: 200,
      body: { state: 'live' },
    });
    const posted = await call('POST', '/api/events', file.events);
    expect(posted.status).toBe(201);

    const standings = await call('GET', `/api/contests/${id}/standings`);
    expect(standings.status).toBe(200);
    const expected = evaluate(file);
    // 14 events: one repeats crm-9, one happened at the period's end (exclusive).
    expect(standings.body.seq).toBe(12);
    expect(standings.body.fundMinor).toBe(expected.fundMinor);
    expect(standings.body.fundMinor).toBe(18_000_000);
    expect(standings.body.prizes).toEqual(expected.prizes);
    expect(standings.body.standings).toEqual(expected.standings);
    // The locked third place says how much more margin above plan it needs, and about how much
    // turnover that is at the plan's margin rate (the plan totals travel with the answer).
    const [, , third] = standings.body.prizes as PrizeResult[];
    expect(third).toMatchObject({ unlocked: false, missingAboveplanMarginMinor: 7_500_000 });
    expect(third?.missingTurnoverMinor).toBe(
      turnoverAtPlanRate({
        marginMinor: 7_500_000,
        planMarginMinor: standings.body.planMarginMinor as number,
        planTurnoverMinor: standings.body.planTurnoverMinor as number,
      }),
    );
    expect(third?.missingTurnoverMinor).toBeGreaterThan(7_500_000);
  });

  it('freezes the rules once live and records who changed what', async () => {
    const { id, file } = await draftOf('frozen', 'Frozen');
    await call('POST', `/api/contests/${id}/launch`, LAUNCH_PAST_GATE);
    const replaced = await call('PUT', `/api/contests/${id}`, file);
    expect(replaced.status).toBe(409);
    expect(String(replaced.body.message)).toContain('frozen');
    const renamed = await call('PATCH', `/api/contests/${id}`, { name: 'Spring sprint, renamed' });
    expect(renamed).toMatchObject({
      status: 200,
      body: { name: 'Spring sprint, renamed', state: 'live' },
    });
    const audit = await call('GET', `/api/contests/${id}/audit`);
    expect((audit.body as unknown as { action: string }[]).map((entry) => entry.action)).toEqual([
      'created',
      'launched',
      'updated',
    ]);
  });

  it('answers a repeated event as the first time, and 409 for the same key with another payload', async () => {
    await draftOf('idem');
    const event: ContestEvent = {
      type: 'sale',
      source: 'crm',
      externalId: 'idem-1',
      participantId: 'idem-p1',
      occurredAt: '2026-03-05T10:00:00Z',
      amountMinor: 100_00,
      marginMinor: 20_00,
      isNewClient: false,
      quantity: 1,
    };
    const first = await call('POST', '/api/events', event);
    const again = await call('POST', '/api/events', event);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await call('POST', '/api/events', { ...event, amountMinor: 999_00 });
    expect(other.status).toBe(409);
    expect((other.body as { code?: string }).code).toBe('payload_mismatch');
    expect(other.body.issues).toEqual([
      { path: 'externalId', message: expect.stringContaining('different payload') },
    ]);
  });

  it('rejects a batch with bad items by index and field and writes nothing of it', async () => {
    await draftOf('batch');
    const before = await rowCount('events');
    const good = {
      type: 'lead',
      source: 'crm',
      externalId: 'batch-ok',
      participantId: 'batch-p1',
      occurredAt: '2026-03-05T10:00:00Z',
    };
    const answer = await call('POST', '/api/events', [
      good,
      { ...good, externalId: 'batch-2', amountMinor: 5 },
      { ...good, externalId: 'batch-3', participantId: 'nobody' },
      { ...good, externalId: 'batch-4', occurredAt: 'yesterday' },
    ]);
    expect(answer.status).toBe(400);
    const paths = (answer.body.issues as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['[1]', '[2].participantId', '[3].occurredAt']));
    expect(paths.some((p) => p.startsWith('[0]'))).toBe(false);
    expect(await rowCount('events')).toBe(before);
  });

  it("names a single event's fields without an index, and a batch of one with it", async () => {
    await draftOf('fields');
    const bad = {
      type: 'lead',
      source: 'crm',
      externalId: 'one',
      participantId: 'fields-p1',
      occurredAt: 'soon',
    };
    const single = await call('POST', '/api/events', bad);
    expect(single.status).toBe(400);
    expect((single.body.issues as { path: string }[]).map((issue) => issue.path)).toEqual([
      'occurredAt',
    ]);
    const batch = await call('POST', '/api/events', [bad]);
    expect((batch.body.issues as { path: string }[]).map((issue) => issue.path)).toEqual([
      '[0].occurredAt',
    ]);
  });

  it('stores an event outside every contest period and counts it nowhere', async () => {
    await draftOf('outside');
    const answer = await call('POST', '/api/events', {
      type: 'sale',
      source: 'crm',
      externalId: 'outside-1',
      participantId: 'outside-p1',
      occurredAt: '2025-01-05T10:00:00Z',
      amountMinor: 1_000_000_00,
      marginMinor: 500_000_00,
    });
    expect(answer).toMatchObject({ status: 201, body: { externalId: 'outside-1', contests: [] } });
  });

  it('closes after the grace period with frozen standings, checkpoints and the report', async () => {
    const { id, file } = await draftOf('close', 'To close');
    // Stored before the launch: the file's 14 events (12 counted) and one more sale of its p1.
    expect((await call('POST', '/api/events', file.events)).status).toBe(201);
    const extra = await call('POST', '/api/events', {
      type: 'sale',
      source: 'crm',
      externalId: 'close-extra-1',
      participantId: 'close-p1',
      occurredAt: '2026-03-05T10:00:00Z',
      amountMinor: 100_00,
      marginMinor: 20_00,
      isNewClient: false,
      quantity: 1,
    });
    expect(extra.status).toBe(201);
    const approved = await call('PUT', `/api/contests/${id}/scenario`, {
      scenario: { uplift: 0.1, correlation: 0.3, trials: 1000, seed: 7 },
      baselineMarginMinor: 210_000_000,
      verdict: 'balanced',
    });
    expect(approved.status).toBe(200);
    // Approved as balanced: the launch gate lets it through without an override.
    expect((await call('POST', `/api/contests/${id}/launch`)).status).toBe(200);
    // Launching links the events stored earlier (the 12 of the file and the extra sale).
    const feed = await call('GET', `/api/contests/${id}/events?limit=500`);
    const counted = (feed.body as unknown as { seq: number; event: ContestEvent }[]).reverse();
    expect(counted.map((entry) => entry.seq)).toEqual(counted.map((_, index) => index + 1));
    expect(counted).toHaveLength(13);
    const expected = evaluate({ ...file, events: counted.map((entry) => entry.event) });

    clock.set('2026-04-01T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();
    await expect(call('GET', `/api/contests/${id}`)).resolves.toMatchObject({
      body: { state: 'closing' },
    });
    const checkpoints = await call('GET', `/api/contests/${id}/checkpoints`);
    expect(checkpoints.body).toEqual([
      expect.objectContaining({
        number: 1,
        boundary: '2026-04-01T00:00:00.000Z',
        publishedAt: null,
      }),
    ]);
    await expect(call('POST', `/api/contests/${id}/checkpoints/1/publish`)).resolves.toMatchObject({
      status: 200,
      body: { number: 1, publishedAt: expect.any(String) },
    });

    clock.set('2026-04-04T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();
    const report = await call('GET', `/api/contests/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      fundMinor: expected.fundMinor,
      prizesPaidMinor: expected.prizesPaidMinor,
      roi: expected.roi,
      baselineMarginMinor: 210_000_000,
      incrementalMarginMinor: expected.actualMarginMinor - 210_000_000,
    });
    expect(expected.actualMarginMinor).toBe(245_000_000 + 20_00);
    const final = await call('GET', `/api/contests/${id}/standings`);
    expect(final.body.seq).toBe(13);
    // Final standings are frozen without "what it takes": the race is over.
    const withoutWhatItTakes = evaluate(
      { ...file, events: counted.map((entry) => entry.event) },
      { whatItTakes: false },
    );
    expect(final.body.standings).toEqual(withoutWhatItTakes.standings);
  });
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } =
  await import('../../apps/api/src/contests/lifecycle.service.js');
