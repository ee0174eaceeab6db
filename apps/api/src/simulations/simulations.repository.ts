import { Injectable } from '@nestjs/common';
import type { ContestFile, SimulationProgress, SimulationScenario } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { returned } from '../database/returned.js';

export const simulationStates = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type SimulationState = (typeof simulationStates)[number];

/** What a run was asked to do: enough to run it again. */
export interface SimulationRequest {
  contestId: string | null;
  file: ContestFile;
  scenario: Partial<SimulationScenario>;
  remedies: boolean;
}

export interface SimulationRecord {
  id: string;
  state: SimulationState;
  contestId: string | null;
  progress: SimulationProgress;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface SimulationRow {
  id: string;
  state: SimulationState;
  contest_id: string | null;
  progress: SimulationProgress;
  error: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const COLUMNS =
  'id, state, contest_id, progress, error, created_by, created_at, started_at, finished_at';

const toRecord = (row: SimulationRow): SimulationRecord => ({
  id: row.id,
  state: row.state,
  contestId: row.contest_id,
  progress: row.progress,
  error: row.error,
  createdBy: row.created_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

@Injectable()
export class SimulationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(run: {
    id: string;
    request: SimulationRequest;
    progress: SimulationProgress;
    createdBy: string;
    createdAt: Date;
  }): Promise<SimulationRecord> {
    const { request } = run;
    const rows: SimulationRow[] = await this.dataSource.query(
      `INSERT INTO simulations
         (id, state, contest_id, file, scenario, remedies, progress, created_by, created_at)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, $8)
       RETURNING ${COLUMNS}`,
      [
        run.id,
        request.contestId,
        JSON.stringify(request.file),
        JSON.stringify(request.scenario),
        request.remedies,
        JSON.stringify(run.progress),
        run.createdBy,
        run.createdAt,
      ],
    );
    return toRecord(rows[0] as SimulationRow);
  }

  async find(id: string): Promise<SimulationRecord | null> {
    const rows: SimulationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM simulations WHERE id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The stored result as the simulator serialized it (a `json` column keeps the text). */
  async resultText(id: string): Promise<string | null> {
    const rows: { result: string | null }[] = await this.dataSource.query(
      'SELECT result::text AS result FROM simulations WHERE id = $1',
      [id],
    );
    return rows[0]?.result ?? null;
  }

  async request(id: string): Promise<SimulationRequest | null> {
    const rows: {
      contest_id: string | null;
      file: ContestFile;
      scenario: Partial<SimulationScenario>;
      remedies: boolean;
    }[] = await this.dataSource.query(
      'SELECT contest_id, file, scenario, remedies FROM simulations WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row
      ? {
          contestId: row.contest_id,
          file: row.file,
          scenario: row.scenario,
          remedies: row.remedies,
        }
      : null;
  }

  /** Newest first, without results. */
  async list(limit: number): Promise<SimulationRecord[]> {
    const rows: SimulationRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM simulations ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /**
   * Claims the oldest queued run for this process (FOR UPDATE SKIP LOCKED: processes claiming at
   * once get different runs) and marks it running; null when nothing is queued.
   */
  async claimNext(instanceId: string, at: Date): Promise<string | null> {
    const rows = returned<{ id: string }>(
      await this.dataSource.query(
        `UPDATE simulations
          SET state = 'running', started_at = $2, claimed_by = $1, heartbeat_at = now(),
              attempts = attempts + 1
        WHERE id = (SELECT id FROM simulations WHERE state = 'queued'
                     ORDER BY queue_order FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id`,
        [instanceId, at],
      ),
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Renews the lease of a run this process runs (on PostgreSQL's clock, see
   * {@link reclaimOrphans}); false when it no longer does (cancelled).
   */
  async heartbeat(id: string, instanceId: string): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await this.dataSource.query(
        `UPDATE simulations SET heartbeat_at = now()
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'
        RETURNING id`,
        [id, instanceId],
      ),
    );
    return rows.length > 0;
  }

  /** A run this process stops without finishing (it is shutting down) goes back to the queue. */
  async requeue(id: string, instanceId: string): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await this.dataSource.query(
        `UPDATE simulations
          SET state = 'queued', claimed_by = NULL, heartbeat_at = NULL, started_at = NULL,
              attempts = greatest(attempts - 1, 0)
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'
        RETURNING id`,
        [id, instanceId],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Runs whose process died: their heartbeat is older than `leaseSeconds`. Each goes back to the
   * queue, or fails once it was tried `maxAttempts` times (a run that kills its process must not
   * kill every process in turn). Answers what became of them.
   *
   * One time source for the lease: PostgreSQL's `now()`, both where `heartbeat_at` is written
   * (claim, heartbeat) and where it is compared (here). A lease is an operational timeout between
   * processes, not contest time: the injected clock (`at`, a test's manual clock) only stamps
   * `started_at`/`finished_at` for people to read, and never takes part in the comparison — a
   * running row without a heartbeat (none is written so) counts as expired rather than falling
   * back to those stamps.
   */
  async reclaimOrphans(
    leaseSeconds: number,
    maxAttempts: number,
    at: Date,
  ): Promise<{ id: string; state: 'queued' | 'failed' }[]> {
    return returned(
      await this.dataSource.query(
        `WITH stale AS (
         SELECT id, attempts FROM simulations
          WHERE state = 'running'
            AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1))
          FOR UPDATE SKIP LOCKED
       )
       UPDATE simulations s
          SET state = CASE WHEN stale.attempts >= $2 THEN 'failed' ELSE 'queued' END,
              claimed_by = NULL, heartbeat_at = NULL,
              started_at = CASE WHEN stale.attempts >= $2 THEN s.started_at END,
              finished_at = CASE WHEN stale.attempts >= $2 THEN $3::timestamptz END,
              error = CASE WHEN stale.attempts >= $2
                THEN 'interrupted: the server running it stopped ' || stale.attempts || ' times; run it again'
              END
         FROM stale WHERE s.id = stale.id
        RETURNING s.id, s.state`,
        [leaseSeconds, maxAttempts, at],
      ),
    );
  }

  async saveProgress(id: string, progress: SimulationProgress): Promise<void> {
    await this.dataSource.query(
      `UPDATE simulations SET progress = $2 WHERE id = $1 AND state = 'running'`,
      [id, JSON.stringify(progress)],
    );
  }

  /** Ends a run that has not ended yet; false when it already had. */
  async finish(
    id: string,
    end: {
      state: Exclude<SimulationState, 'queued' | 'running'>;
      progress: SimulationProgress;
      resultJson?: string | undefined;
      error?: string | undefined;
      at: Date;
      /** When given, only while this process still holds the run (a reclaimed run is not ended). */
      claimedBy?: string | undefined;
    },
  ): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await this.dataSource.query(
        `UPDATE simulations
          SET state = $2, progress = $3, result = $4::json, error = $5, finished_at = $6,
              heartbeat_at = NULL
        WHERE id = $1 AND state IN ('queued', 'running')
          AND ($7::text IS NULL OR claimed_by = $7)
        RETURNING id`,
        [
          id,
          end.state,
          JSON.stringify(end.progress),
          end.resultJson ?? null,
          end.error ?? null,
          end.at,
          end.claimedBy ?? null,
        ],
      ),
    );
    return rows.length > 0;
  }
}
