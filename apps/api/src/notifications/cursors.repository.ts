import { Injectable } from '@nestjs/common';
import { COUNTING_STATES } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows, safeInteger, type Queryable } from '../database/sql.js';

/** A participant's place as the last messages saw it: rank and prize place (null: none). */
export interface Place {
  readonly r: number;
  readonly p: number | null;
}

export interface Cursor {
  readonly seq: number;
  /** Null until first computed (see the migration). */
  readonly places: Record<string, Place> | null;
  /** The prize places (`place/league`) unlocked so far. */
  readonly unlocked: readonly string[];
}

/** The notification cursors of counting contests (how far standings became messages). */
@Injectable()
export class CursorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Starts (or restarts) a contest's cursor at its current `last_seq`, in the caller's
   * transaction: the launch's or the clock start's, after the backfill. What the contest counts
   * up to there is the baseline and tells nobody anything; every later event does.
   */
  async start(db: Queryable, contestId: string): Promise<void> {
    await db.query(
      `INSERT INTO notification_cursors (contest_id, seq, places)
       SELECT id, last_seq, NULL FROM contests WHERE id = $1
       ON CONFLICT (contest_id) DO UPDATE SET seq = excluded.seq, places = NULL, unlocked = '{}',
                                              updated_at = now()`,
      [contestId],
    );
  }

  /** Counting contests whose cursor is behind their log, or missing (launched before cursors). */
  async behind(): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource.manager,
      `SELECT c.id FROM contests c LEFT JOIN notification_cursors n ON n.contest_id = c.id
        WHERE c.state = ANY($1::text[]) AND (n.contest_id IS NULL OR n.seq < c.last_seq)`,
      [COUNTING_STATES],
    );
    return rows.map((row) => row.id);
  }

  /** Creates a missing cursor at the contest's current `last_seq` (contests launched before). */
  async ensure(contestId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notification_cursors (contest_id, seq, places)
       SELECT id, last_seq, NULL FROM contests WHERE id = $1
       ON CONFLICT (contest_id) DO NOTHING`,
      [contestId],
    );
  }

  /** Is any Telegram chat linked (and not blocked)? Without one, no standings message has a reader. */
  async anyRecipient(): Promise<boolean> {
    const row = await queryOne<{ one: number }>(
      this.dataSource.manager,
      'SELECT 1 AS one FROM telegram_chats WHERE blocked_at IS NULL LIMIT 1',
    );
    return row !== null;
  }

  /**
   * Moves the cursor to the contest's `last_seq` without reading the standings, its places to be
   * rebuilt from the log when someone can be told again: what changed while nobody was linked
   * is not told later.
   */
  async fastForward(contestId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_cursors n SET seq = c.last_seq, places = NULL, updated_at = now()
         FROM contests c
        WHERE n.contest_id = $1 AND c.id = n.contest_id AND n.seq < c.last_seq`,
      [contestId],
    );
  }

  /** The cursor, locked until the caller's transaction ends; null when there is none. */
  async lock(manager: EntityManager, contestId: string): Promise<Cursor | null> {
    const row = await queryOne<{
      seq: string;
      places: Record<string, Place> | null;
      unlocked: string[];
    }>(
      manager,
      `SELECT seq, places, unlocked::text[] AS unlocked FROM notification_cursors
        WHERE contest_id = $1 FOR UPDATE`,
      [contestId],
    );
    return row === null
      ? null
      : {
          seq: safeInteger(row.seq, 'notification_cursors.seq'),
          places: row.places,
          unlocked: row.unlocked,
        };
  }

  async advance(
    manager: EntityManager,
    contestId: string,
    cursor: { seq: number; places: Record<string, Place>; unlocked: readonly string[] },
  ): Promise<void> {
    await manager.query(
      `UPDATE notification_cursors SET seq = $2, places = $3::jsonb, unlocked = $4::text[],
              updated_at = now()
        WHERE contest_id = $1`,
      [contestId, cursor.seq, JSON.stringify(cursor.places), cursor.unlocked],
    );
  }
}
