import { Injectable } from '@nestjs/common';
import type { LiveForecastView } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCKS } from '../database/cluster/advisory-lock.js';
import { queryOne, queryRows, safeInteger } from '../database/sql.js';

/** What a forecast row keeps besides its keys: the figures every audience's view is cut from. */
export type ForecastFigures = Omit<
  LiveForecastView,
  'contestId' | 'seq' | 'asOf' | 'computedAt' | 'approved'
>;

export interface ForecastRecord {
  readonly contestId: string;
  readonly seq: number;
  readonly asOf: Date;
  /** The UTC calendar day of `asOf`, `YYYY-MM-DD`. */
  readonly day: string;
  readonly computedAt: Date;
  /** The published checkpoint this forecast was computed for, else null. */
  readonly checkpoint: number | null;
  readonly figures: ForecastFigures;
}

interface ForecastRow {
  contest_id: string;
  seq: string;
  as_of: Date;
  day: string;
  computed_at: Date;
  checkpoint: number | null;
  forecast: ForecastFigures;
}

const COLUMNS = `contest_id, seq, as_of, to_char(day, 'YYYY-MM-DD') AS day, computed_at, checkpoint,
                 forecast`;

function toRecord(row: ForecastRow): ForecastRecord {
  return {
    contestId: row.contest_id,
    seq: safeInteger(row.seq, 'seq'),
    asOf: row.as_of,
    day: row.day,
    computedAt: row.computed_at,
    checkpoint: row.checkpoint,
    figures: row.forecast,
  };
}

/** The UTC calendar day of an instant, as the `day` column keeps it. */
export function forecastDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Stored forecasts (`contest_forecasts`): the latest of each contest, the latest of each UTC day
 * and one per published checkpoint; older rows of a day go as a newer one is stored.
 */
@Injectable()
export class ForecastsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a forecast unless the contest has one of a higher seq, or of the same seq as of a
   * later instant (a slower computation finishing after a newer one): the latest never goes back.
   * Then prunes the day's older rows, except those kept for a checkpoint. Answers whether it was
   * stored.
   */
  async store(record: Omit<ForecastRecord, 'day'>): Promise<boolean> {
    const day = forecastDay(record.asOf);
    return this.dataSource.transaction(async (manager) => {
      const inserted = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO contest_forecasts (contest_id, seq, as_of, day, computed_at, checkpoint, forecast)
         SELECT $1, $2, $3, $4::date, $5, $6, $7::jsonb
          WHERE NOT EXISTS (
            SELECT 1 FROM contest_forecasts
             WHERE contest_id = $1 AND (seq > $2 OR (seq = $2 AND as_of > $3)))
         RETURNING id`,
        [
          record.contestId,
          record.seq,
          record.asOf,
          day,
          record.computedAt,
          record.checkpoint,
          JSON.stringify(record.figures),
        ],
      );
      if (inserted === null) return false;
      await manager.query(
        `DELETE FROM contest_forecasts
          WHERE contest_id = $1 AND day = $2::date AND checkpoint IS NULL AND id <> $3`,
        [record.contestId, day, inserted.id],
      );
      return true;
    });
  }

  /**
   * Stores a forecast of a past day for the history, if that day has none yet and a forecast as
   * of a later instant is stored (with its seq or a higher one): so it is never the latest.
   * Nothing is pruned.
   */
  async storePast(record: Omit<ForecastRecord, 'day'>): Promise<boolean> {
    const day = forecastDay(record.asOf);
    const inserted = await queryOne<{ id: string }>(
      this.dataSource.manager,
      `INSERT INTO contest_forecasts (contest_id, seq, as_of, day, computed_at, checkpoint, forecast)
       SELECT $1, $2, $3, $4::date, $5, NULL, $6::jsonb
        WHERE NOT EXISTS (
                SELECT 1 FROM contest_forecasts WHERE contest_id = $1 AND day = $4::date)
          AND EXISTS (
                SELECT 1 FROM contest_forecasts
                 WHERE contest_id = $1 AND as_of > $3 AND seq >= $2)
       RETURNING id`,
      [
        record.contestId,
        record.seq,
        record.asOf,
        day,
        record.computedAt,
        JSON.stringify(record.figures),
      ],
    );
    return inserted !== null;
  }

  /** The contest's latest forecast, or null before its first. */
  async latest(contestId: string): Promise<ForecastRecord | null> {
    const row = await queryOne<ForecastRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM contest_forecasts WHERE contest_id = $1
        ORDER BY seq DESC, as_of DESC LIMIT 1`,
      [contestId],
    );
    return row && toRecord(row);
  }

  /** Every kept forecast of the contest (a day's latest, a checkpoint's), oldest first. */
  async history(contestId: string): Promise<ForecastRecord[]> {
    const rows = await queryRows<ForecastRow>(
      this.dataSource.manager,
      `SELECT ${COLUMNS} FROM contest_forecasts WHERE contest_id = $1 ORDER BY as_of, seq`,
      [contestId],
    );
    return rows.map(toRecord);
  }

  /**
   * Runs `work` while this process holds the contest's forecast lock (a session advisory lock on
   * a connection of its own), so the processes on one database never compute one contest's
   * forecast at once. `wait`: waits for the lock; else answers `{ locked: false }` at once when
   * another process holds it.
   */
  async exclusively<T>(
    contestId: string,
    wait: boolean,
    work: () => Promise<T>,
  ): Promise<{ locked: true; value: T } | { locked: false }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const key = [ADVISORY_LOCKS.forecast, contestId];
      if (wait) await runner.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
      else {
        const lock = await queryOne<{ locked: boolean }>(
          runner,
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
          key,
        );
        if (lock?.locked !== true) return { locked: false };
      }
      try {
        return { locked: true, value: await work() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', key);
      }
    } finally {
      await runner.release();
    }
  }
}
