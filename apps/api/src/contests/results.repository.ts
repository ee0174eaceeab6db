import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';

export interface CheckpointRecord {
  readonly id: string;
  readonly contestId: string;
  readonly number: number;
  readonly boundary: string;
  readonly seq: number;
  readonly standings: unknown;
  readonly createdAt: string;
  readonly publishedAt: string | null;
  readonly publishedBy: string | null;
}

/** Checkpoints (frozen monthly standings) and the final result of a closed contest. */
@Injectable()
export class ResultsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertCheckpoint(
    manager: EntityManager,
    checkpoint: {
      contestId: string;
      number: number;
      boundary: Date;
      seq: number;
      standings: unknown;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO checkpoints (contest_id, number, boundary, seq, standings) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (contest_id, number) DO NOTHING`,
      [
        checkpoint.contestId,
        checkpoint.number,
        checkpoint.boundary,
        checkpoint.seq,
        JSON.stringify(checkpoint.standings),
      ],
    );
  }

  async checkpoints(
    contestId: string,
    { withStandings }: { withStandings: boolean },
  ): Promise<CheckpointRecord[]> {
    const rows = await queryRows<{
      id: string;
      contest_id: string;
      number: number;
      boundary: Date;
      seq: string;
      standings: unknown;
      created_at: Date;
      published_at: Date | null;
      published_by: string | null;
    }>(
      this.dataSource,
      `SELECT id, contest_id, number, boundary, seq, ${withStandings ? 'standings' : 'NULL AS standings'},
         created_at, published_at, published_by
       FROM checkpoints WHERE contest_id = $1 ORDER BY number`,
      [contestId],
    );
    return rows.map((row) => ({
      id: row.id,
      contestId: row.contest_id,
      number: row.number,
      boundary: row.boundary.toISOString(),
      seq: safeInteger(row.seq, 'seq'),
      standings: row.standings,
      createdAt: row.created_at.toISOString(),
      publishedAt: row.published_at?.toISOString() ?? null,
      publishedBy: row.published_by,
    }));
  }

  /** Publishes the checkpoint (once: a second call keeps the first date); false if none. */
  async publishCheckpoint(
    manager: EntityManager,
    contestId: string,
    number: number,
    actor: string,
  ): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `UPDATE checkpoints SET published_at = COALESCE(published_at, now()), published_by = COALESCE(published_by, $3)
       WHERE contest_id = $1 AND number = $2 RETURNING id`,
      [contestId, number, actor],
    );
    return rows.length > 0;
  }

  async insertResult(
    manager: EntityManager,
    result: { contestId: string; seq: number; standings: unknown; report: unknown },
  ): Promise<void> {
    await manager.query(
      'INSERT INTO contest_results (contest_id, seq, standings, report) VALUES ($1, $2, $3, $4)',
      [
        result.contestId,
        result.seq,
        JSON.stringify(result.standings),
        JSON.stringify(result.report),
      ],
    );
  }

  async result(
    contestId: string,
  ): Promise<{ seq: number; standings: unknown; report: unknown; closedAt: string } | null> {
    const rows = await queryRows<{
      seq: string;
      standings: unknown;
      report: unknown;
      closed_at: Date;
    }>(
      this.dataSource,
      'SELECT seq, standings, report, closed_at FROM contest_results WHERE contest_id = $1',
      [contestId],
    );
    const row = rows[0];
    return row
      ? {
          seq: safeInteger(row.seq, 'seq'),
          standings: row.standings,
          report: row.report,
          closedAt: row.closed_at.toISOString(),
        }
      : null;
  }
}
