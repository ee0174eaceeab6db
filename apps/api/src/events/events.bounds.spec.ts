import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { exampleContestFile } from '../../../../tests/support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { call, createAdminApp, type Issues } from '../../../../tests/support/http.js';
import type { TestApp } from '../../../../tests/support/app.js';

describe('POST /api/events money bounds', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url));
    const created = await call(sut.url, 'POST', '/api/contests', {
      token,
      body: await exampleContestFile(),
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const sale = (externalId: string, fields: Record<string, unknown>) => ({
    type: 'sale',
    externalId,
    source: 'bounds',
    participantId: 'p1',
    occurredAt: '2026-03-02T10:00:00Z',
    amountMinor: 1_000,
    marginMinor: 200,
    ...fields,
  });

  it('refuses amounts past 10^15, a margin above the amount and an endless quantity, writing nothing', async () => {
    const answer = await call<Issues>(sut.url, 'POST', '/api/events', {
      token,
      body: [
        sale('ok', {}),
        sale('swapped', { amountMinor: 200, marginMinor: 1_000 }),
        sale('huge', { amountMinor: 1_000_000_000_000_001, marginMinor: 0 }),
        sale('loss', { marginMinor: -1_000_000_000_000_001 }),
        sale('units', { quantity: 1e12 }),
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue) => issue.path)).toEqual([
      '[1].marginMinor',
      '[2].amountMinor',
      '[3].marginMinor',
      '[4].quantity',
    ]);
    expect(answer.body.issues[0]?.message).toContain('must not be above amountMinor');
    const [{ count }] = (await sut.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM events WHERE source = 'bounds'`)) as [
      { count: number },
    ];
    expect(count).toBe(0);
  });

  it('takes the largest amounts allowed, and a loss-making deal', async () => {
    const answer = await call(sut.url, 'POST', '/api/events', {
      token,
      body: [
        sale('max', { amountMinor: 1_000_000_000_000_000, marginMinor: 1_000_000_000_000_000 }),
        sale('negative', { amountMinor: 1_000, marginMinor: -1_000_000_000_000_000 }),
      ],
    });
    expect(answer.status).toBe(201);
  });
});
