import { beforeAll, describe, expect, it } from '@jest/globals';
import { useAdminApi } from '../../../../tests/support/admin-api.js';
import { issuePaths } from '../../../../tests/support/http.js';
import { HistoryController } from './history.controller.js';

describe(HistoryController.name, () => {
  const api = useAdminApi();
  const { call } = api;

  async function historyRows(): Promise<unknown[]> {
    const { rows } = await api.db.query(
      'SELECT * FROM participant_history ORDER BY participant_id, month',
    );
    return rows;
  }

  beforeAll(async () => {
    const created = await call(
      'PUT',
      '/participants',
      ['h1', 'h2', 'h3'].map((id) => ({ id, name: id.toUpperCase() })),
    );
    expect(created.status).toBe(200);
  });

  describe('PUT and GET /api/participants/:id/history', () => {
    it('replaces every month and answers them oldest first, in the contest file shape', async () => {
      const months = [
        {
          month: '2026-02',
          turnoverMinor: 480_000_000,
          marginMinor: 96_000_000,
          deals: 12,
          newClients: 2,
          leads: 30,
          products: { X: { turnoverMinor: 1_000, units: 2 } },
          counters: { calls: 140 },
        },
        { month: '2025-12', turnoverMinor: Number.MAX_SAFE_INTEGER, marginMinor: -5_000 },
      ];
      const put = await call('PUT', '/participants/h1/history', months);
      expect(put).toEqual({ status: 200, body: [months[1], months[0]] });
      await expect(call('GET', '/participants/h1/history')).resolves.toEqual(put);

      const replaced = await call('PUT', '/participants/h1/history', [
        { month: '2026-03', turnoverMinor: 1, marginMinor: 0 },
      ]);
      expect(replaced.body).toEqual([{ month: '2026-03', turnoverMinor: 1, marginMinor: 0 }]);
      await expect(call('GET', '/participants/h1')).resolves.toMatchObject({
        body: { historyMonths: ['2026-03'] },
      });
      await expect(call('PUT', '/participants/h1/history', [])).resolves.toEqual({
        status: 200,
        body: [],
      });
    });

    it('answers 404 for an unknown participant', async () => {
      await expect(call('GET', '/participants/nobody/history')).resolves.toMatchObject({
        status: 404,
      });
      await expect(call('PUT', '/participants/nobody/history', [])).resolves.toMatchObject({
        status: 404,
      });
    });

    it('keeps the stored months and names every bad month by index and field', async () => {
      const stored = [{ month: '2026-01', turnoverMinor: 10, marginMinor: 2 }];
      await call('PUT', '/participants/h2/history', stored);
      const answer = await call('PUT', '/participants/h2/history', [
        { month: '2026-13', turnoverMinor: 1, marginMinor: 1 },
        { month: '2026-02', turnoverMinor: 2 ** 53, marginMinor: 1 },
        { month: '2026-03', turnoverMinor: -1, marginMinor: 1.5 },
        { month: '2026-04', turnoverMinor: 1, marginMinor: 1, deals: 3_000_000_000, leads: -1 },
        { month: '2026-05', turnoverMinor: '100', marginMinor: 1, visits: 3 },
        { month: '2026-04', turnoverMinor: 1, marginMinor: 1 },
        { month: '2026-06', marginMinor: 1 },
      ]);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual([
        '[0].month',
        '[1].turnoverMinor',
        '[2].marginMinor',
        '[2].turnoverMinor',
        '[3].deals',
        '[3].leads',
        '[4]',
        '[4].turnoverMinor',
        '[5].month',
        '[6].turnoverMinor',
      ]);
      await expect(call('GET', '/participants/h2/history')).resolves.toEqual({
        status: 200,
        body: stored,
      });
    });
  });

  describe('PUT /api/history (bulk)', () => {
    it('writes months of several participants, overwriting the same month and keeping others', async () => {
      await call('PUT', '/participants/h3/history', [
        { month: '2025-01', turnoverMinor: 7, marginMinor: 7 },
        { month: '2025-02', turnoverMinor: 8, marginMinor: 8 },
      ]);
      const answer = await call('PUT', '/history', [
        { participantId: 'h3', month: '2025-02', turnoverMinor: 80, marginMinor: 16, deals: 4 },
        { participantId: 'h3', month: '2025-03', turnoverMinor: 90, marginMinor: 18 },
        { participantId: 'h2', month: '2025-03', turnoverMinor: 5, marginMinor: 1 },
      ]);
      expect(answer).toEqual({ status: 200, body: { created: 2, updated: 1 } });
      await expect(call('GET', '/participants/h3/history')).resolves.toEqual({
        status: 200,
        body: [
          { month: '2025-01', turnoverMinor: 7, marginMinor: 7 },
          { month: '2025-02', turnoverMinor: 80, marginMinor: 16, deals: 4 },
          { month: '2025-03', turnoverMinor: 90, marginMinor: 18 },
        ],
      });
    });

    it('writes nothing when one row is bad, naming each by index and field', async () => {
      const before = await historyRows();
      const answer = await call('PUT', '/history', [
        { participantId: 'h1', month: '2024-01', turnoverMinor: 1, marginMinor: 1 },
        { participantId: 'h1', month: '2024-02', turnoverMinor: 1.5, marginMinor: 1 },
        { participantId: '', month: '2024-03', turnoverMinor: 1, marginMinor: 1 },
        { participantId: 'h1', month: '2024-01', turnoverMinor: 2, marginMinor: 2 },
        { month: '2024-04', turnoverMinor: 1, marginMinor: 1 },
      ]);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual([
        '[1].turnoverMinor',
        '[2].participantId',
        '[3].month',
        '[4].participantId',
      ]);
      await expect(historyRows()).resolves.toEqual(before);
    });

    it('answers 400 naming `[i].participantId` for every unknown participant, writing nothing', async () => {
      const before = await historyRows();
      const answer = await call('PUT', '/history', [
        { participantId: 'h1', month: '2024-05', turnoverMinor: 1, marginMinor: 1 },
        { participantId: 'ghost', month: '2024-05', turnoverMinor: 1, marginMinor: 1 },
        { participantId: 'h2', month: '2024-05', turnoverMinor: 1, marginMinor: 1 },
        { participantId: 'ghost', month: '2024-06', turnoverMinor: 1, marginMinor: 1 },
      ]);
      expect(answer).toMatchObject({
        status: 400,
        body: {
          issues: [
            { path: '[1].participantId', message: 'unknown participant "ghost"' },
            { path: '[3].participantId', message: 'unknown participant "ghost"' },
          ],
        },
      });
      await expect(historyRows()).resolves.toEqual(before);
    });

    it('takes 10,000 rows at once and refuses 10,001', async () => {
      const participants = Array.from({ length: 100 }, (_, index) => ({
        id: `load-${index}`,
        name: `Load ${index}`,
      }));
      expect((await call('PUT', '/participants', participants)).status).toBe(200);
      const rows = participants.flatMap(({ id }, index) =>
        Array.from({ length: 100 }, (_, month) => ({
          participantId: id,
          month: `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`,
          turnoverMinor: 1_000_000 + index * 1_000 + month,
          marginMinor: 200_000 + month,
          deals: month % 7,
        })),
      );
      const answer = await call('PUT', '/history', rows);
      expect(answer).toEqual({ status: 200, body: { created: 10_000, updated: 0 } });
      const { rows: stored } = await api.db.query<{ n: number; sum: string }>(
        `SELECT count(*)::int AS n, sum(turnover_minor)::text AS sum FROM participant_history
          WHERE participant_id LIKE 'load-%'`,
      );
      const expectedSum = rows.reduce((sum, row) => sum + row.turnoverMinor, 0);
      expect(stored[0]).toEqual({ n: 10_000, sum: String(expectedSum) });

      const tooMany = await call('PUT', '/history', [
        ...rows,
        { participantId: 'h1', month: '1999-01', turnoverMinor: 1, marginMinor: 1 },
      ]);
      expect(tooMany.status).toBe(400);
      expect(issuePaths(tooMany)).toEqual(['(root)']);
    });
  });
});
