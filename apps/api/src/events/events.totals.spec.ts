import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Issues } from '../../../../tests/support/http.js';
import { monthContest } from '../../../../tests/support/live-contest.js';
import { LAUNCH_PAST_GATE } from '../../../../tests/support/launch-gate.js';

const OCCURRED_AT = new Date(Date.now() - 3_600_000).toISOString();
/** The largest amount of one event (MAX_EVENT_MINOR). */
const MAX_MINOR = 1_000_000_000_000_000;

const sale = (externalId: string, amountMinor: number, marginMinor = 0) => ({
  type: 'sale',
  source: 'totals',
  externalId,
  participantId: 't1',
  occurredAt: OCCURRED_AT,
  amountMinor,
  marginMinor,
});

/**
 * A live contest's totals are summed in JavaScript numbers: exact only up to
 * Number.MAX_SAFE_INTEGER. Events that would take the sales a contest counts past it are refused
 * with a 409 and nothing of them is stored, on the batch and the single-event route alike.
 */
describe('POST /api/events keeps contest totals exact', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;

  const storedCount = async () => {
    const [{ count }] = (await sut.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM events WHERE source = 'totals'`)) as [
      { count: number },
    ];
    return count;
  };

  /** A draft contest of one seller over the month around now. */
  const createContest = (name: string, seller: { id: string; name: string }) =>
    call<{ id: string }>(sut.url, 'POST', '/api/contests', {
      token,
      body: monthContest(name, [seller]),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    const created = await createContest('Totals', { id: 't1', name: 'Seller' });
    expect(created.status).toBe(201);
    const launched = await call(sut.url, 'POST', `/api/contests/${created.body.id}/launch`, {
      token,
      body: LAUNCH_PAST_GATE,
    });
    expect(launched.status).toBe(200);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('takes sales up to the largest exact total, then refuses the one past it', async () => {
    // 9 × 10^15 = 9,000,000,000,000,000: below 9,007,199,254,740,991.
    const upTo = await call(sut.url, 'POST', '/api/events', {
      token,
      body: Array.from({ length: 9 }, (_, n) => sale(`max-${n}`, MAX_MINOR)),
    });
    expect(upTo.status).toBe(201);

    // A loss counts by its size: |margin| 10^13 would pass the bound as much as an amount would.
    const batch = await call<Issues & { message: string }>(sut.url, 'POST', '/api/events', {
      token,
      body: [sale('small', 1_000), sale('loss', 1_000, -10_000_000_000_000)],
    });
    expect(batch.status).toBe(409);
    expect(batch.body.message).toContain('9,007,199,254,740,991');
    expect((batch.body as { code?: string }).code).toBe('totals_bound');
    expect(await storedCount()).toBe(9);

    const single = await call<Issues & { message: string }>(sut.url, 'POST', '/api/events', {
      token,
      body: sale('past', 10_000_000_000_000),
    });
    expect(single.status).toBe(409);
    expect(await storedCount()).toBe(9);

    // What still fits is stored and counted.
    const fits = await call(sut.url, 'POST', '/api/events', { token, body: sale('fits', 1_000) });
    expect(fits.status).toBe(201);
    expect(await storedCount()).toBe(10);
  });

  it('refuses to launch a contest whose stored events would pass the largest exact total', async () => {
    const created = await createContest('Totals at launch', { id: 't2', name: 'Other' });
    expect(created.status).toBe(201);
    // Ten maximal sales of a seller no live contest counts yet: stored, 10^16 in all.
    const stored = await call(sut.url, 'POST', '/api/events', {
      token,
      body: Array.from({ length: 10 }, (_, n) => ({
        ...sale(`t2-${n}`, MAX_MINOR),
        participantId: 't2',
      })),
    });
    expect(stored.status).toBe(201);

    const launched = await call<Issues & { message: string }>(
      sut.url,
      'POST',
      `/api/contests/${created.body.id}/launch`,
      { token, body: LAUNCH_PAST_GATE },
    );
    expect(launched.status).toBe(409);
    expect(launched.body.message).toContain('9,007,199,254,740,991');
    const contest = await call<{ state: string }>(
      sut.url,
      'GET',
      `/api/contests/${created.body.id}`,
      { token },
    );
    expect(contest.body.state).toBe('draft');
  });
});
