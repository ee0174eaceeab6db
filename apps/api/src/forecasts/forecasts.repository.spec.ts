import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { dataSourceOptions } from '../database/data-source.js';
import { ForecastsRepository, type ForecastFigures } from './forecasts.repository.js';

function figures(pAllPrizesFunded: number): ForecastFigures {
  return {
    elapsedFraction: 0.5,
    final: false,
    trials: 1_000,
    fund: { meanMinor: 100, p10Minor: 50, p50Minor: 100, p90Minor: 150 },
    pAllPrizesFunded,
    prizes: [{ place: 1, league: null, title: 'Trip', costMinor: 100, pUnlocked: 0.5 }],
    participants: [{ participantId: 'p1', pFirst: 1, pPrize: 1, expectedRank: 1 }],
    pace: { planMarginToDateMinor: 10, actualMarginMinor: 12, projectedMarginP50Minor: 30 },
  };
}

/** Storage of forecasts on the real PostgreSQL: the latest, a day's latest, a checkpoint's. */
describe(ForecastsRepository.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: ForecastsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    sut = new ForecastsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  async function contest(): Promise<string> {
    const [row] = (await dataSource.query(
      `INSERT INTO contests (name, currency, period_start, period_end, rules, created_by)
       VALUES ('C', 'RUB', '2026-06-01', '2026-12-01', '{}', 'test') RETURNING id`,
    )) as { id: string }[];
    if (!row) throw new Error('no contest');
    return row.id;
  }

  const at = (iso: string) => new Date(iso);
  const stored = (
    contestId: string,
    seq: number,
    asOf: string,
    chance: number,
    checkpoint: number | null = null,
  ) =>
    sut.store({
      contestId,
      seq,
      asOf: at(asOf),
      computedAt: at(asOf),
      checkpoint,
      figures: figures(chance),
    });

  it('answers none before the first, then the latest', async () => {
    const id = await contest();
    await expect(sut.latest(id)).resolves.toBeNull();
    await expect(stored(id, 3, '2026-06-02T10:00:00Z', 0.4)).resolves.toBe(true);
    await expect(stored(id, 5, '2026-06-02T11:00:00Z', 0.6)).resolves.toBe(true);
    await expect(sut.latest(id)).resolves.toMatchObject({
      contestId: id,
      seq: 5,
      day: '2026-06-02',
      asOf: at('2026-06-02T11:00:00Z'),
      checkpoint: null,
      figures: figures(0.6),
    });
  });

  it('never lets the latest go back: an older seq, or the same seq as of earlier, is not stored', async () => {
    const id = await contest();
    await stored(id, 7, '2026-06-03T10:00:00Z', 0.7);
    await expect(stored(id, 6, '2026-06-03T12:00:00Z', 0.1)).resolves.toBe(false);
    await expect(stored(id, 7, '2026-06-03T09:00:00Z', 0.1)).resolves.toBe(false);
    await expect(sut.latest(id)).resolves.toMatchObject({
      seq: 7,
      figures: { pAllPrizesFunded: 0.7 },
    });
    // The same seq later (time passed without events) is newer.
    await expect(stored(id, 7, '2026-06-03T13:00:00Z', 0.65)).resolves.toBe(true);
    await expect(sut.latest(id)).resolves.toMatchObject({
      seq: 7,
      figures: { pAllPrizesFunded: 0.65 },
    });
  });

  it('keeps one forecast per day, the day’s latest, and every published checkpoint’s', async () => {
    const id = await contest();
    await stored(id, 1, '2026-06-04T08:00:00Z', 0.1);
    await stored(id, 2, '2026-06-04T20:00:00Z', 0.2);
    await stored(id, 3, '2026-06-05T00:30:00Z', 0.3, 1);
    await stored(id, 4, '2026-06-05T09:00:00Z', 0.4);
    await stored(id, 5, '2026-06-05T23:59:59Z', 0.5);
    await stored(id, 6, '2026-06-06T01:00:00Z', 0.6);

    const history = await sut.history(id);
    expect(history.map(({ day, seq, checkpoint }) => ({ day, seq, checkpoint }))).toEqual([
      { day: '2026-06-04', seq: 2, checkpoint: null },
      { day: '2026-06-05', seq: 3, checkpoint: 1 },
      { day: '2026-06-05', seq: 5, checkpoint: null },
      { day: '2026-06-06', seq: 6, checkpoint: null },
    ]);
    const [{ count }] = (await dataSource.query(
      'SELECT count(*)::int AS count FROM contest_forecasts WHERE contest_id = $1',
      [id],
    )) as [{ count: number }];
    expect(count).toBe(4);
  });

  it('adds a past day to the history, never as the latest and never over a kept day', async () => {
    const id = await contest();
    const past = (seq: number, asOf: string, chance: number) =>
      sut.storePast({
        contestId: id,
        seq,
        asOf: at(asOf),
        computedAt: at('2026-06-20T12:00:00Z'),
        checkpoint: null,
        figures: figures(chance),
      });
    // Nothing as of later yet: a past day would become the latest.
    await expect(past(3, '2026-06-08T23:59:59Z', 0.3)).resolves.toBe(false);
    await stored(id, 10, '2026-06-20T12:00:00Z', 0.9);
    await expect(past(3, '2026-06-08T23:59:59Z', 0.3)).resolves.toBe(true);
    await expect(past(6, '2026-06-15T23:59:59Z', 0.6)).resolves.toBe(true);
    await expect(past(4, '2026-06-08T12:00:00Z', 0.4)).resolves.toBe(false);
    await expect(past(11, '2026-06-16T23:59:59Z', 0.1)).resolves.toBe(false);
    await expect(sut.latest(id)).resolves.toMatchObject({ seq: 10 });
    expect((await sut.history(id)).map(({ day, seq }) => [day, seq])).toEqual([
      ['2026-06-08', 3],
      ['2026-06-15', 6],
      ['2026-06-20', 10],
    ]);
  });

  it('keeps each contest’s forecasts apart', async () => {
    const a = await contest();
    const b = await contest();
    await stored(a, 9, '2026-06-07T10:00:00Z', 0.9);
    await stored(b, 1, '2026-06-07T11:00:00Z', 0.1);
    await expect(sut.latest(a)).resolves.toMatchObject({ seq: 9 });
    await expect(sut.history(b)).resolves.toHaveLength(1);
  });

  it('lets one holder of a contest’s forecast lock at a time compute it', async () => {
    const id = await contest();
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const first = sut.exclusively(id, false, () => holding.then(() => 'first'));
    // Until the first holds the lock, a try may still get it: wait for the first to hold it.
    for (;;) {
      const [{ held }] = (await dataSource.query(
        "SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND granted",
      )) as [{ held: number }];
      if (held > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect(sut.exclusively(id, false, () => Promise.resolve('second'))).resolves.toEqual({
      locked: false,
    });
    const waiting = sut.exclusively(id, true, () => Promise.resolve('third'));
    release();
    await expect(first).resolves.toEqual({ locked: true, value: 'first' });
    await expect(waiting).resolves.toEqual({ locked: true, value: 'third' });
    const other = await contest();
    await expect(sut.exclusively(other, false, () => Promise.resolve('free'))).resolves.toEqual({
      locked: true,
      value: 'free',
    });
  });
});
