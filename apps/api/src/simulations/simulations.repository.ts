import { Injectable } from '@nestjs/common';
import type {
  ContestFile,
  SimulationEndState,
  SimulationProgress,
  SimulationScenario,
  SimulationState,
} from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';

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

/**
 * One run of a simulation, as the process running it knows it: the start it wrote. A run that
 * was taken back (its lease lost) and started again has another start, so the writes of a run
 * that no longer holds the row find nothing to change (see `heldBy`).
 */
export interface RunToken {
  readonly startedAt: Date;
}

/**
 * The row is held by the run whose start is the parameter `param` (by any run when it is null: a
 * cancel, or the reaper).
 */
const heldBy = (param: string) =>
  `(${param}::timestamptz IS NULL OR started_at = ${param}::timestamptz)`;

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
    manager?: EntityManager;
  }): Promise<SimulationRecord> {
    const { request } = run;
    const rows = await queryRows<SimulationRow>(
      run.manager ?? this.dataSource.manager,
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

  async find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SimulationRecord | null> {
    const rows = await queryRows<SimulationRow>(
      manager,
      `SELECT ${COLUMNS} FROM simulations WHERE id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The stored result as the simulator serialized it (a `json` column keeps the text). */
  async resultText(id: string): Promise<string | null> {
    const rows = await queryRows<{ result: string | null }>(
      this.dataSource,
      'SELECT result::text AS result FROM simulations WHERE id = $1',
      [id],
    );
    return rows[0]?.result ?? null;
  }

  async request(id: string): Promise<SimulationRequest | null> {
    const rows = await queryRows<{
      contest_id: string | null;
      file: ContestFile;
      scenario: Partial<SimulationScenario>;
      remedies: boolean;
    }>(
      this.dataSource,
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
    const rows = await queryRows<SimulationRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM simulations ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /**
   * Marks a queued run running, as the job system hands it to this process; false when it is no
   * longer queued (cancelled meanwhile, or already run): then there is nothing to run.
   */
  async start(id: string, at: Date): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE simulations SET state = 'running', started_at = $2
          WHERE id = $1 AND state = 'queued'
        RETURNING id`,
      [id, at],
    );
    return rows.length > 0;
  }

  /** The run's state alone: a running process asks it to notice a cancel it did not hear. */
  async state(id: string): Promise<SimulationState | null> {
    const rows = await queryRows<{ state: SimulationState }>(
      this.dataSource,
      'SELECT state FROM simulations WHERE id = $1',
      [id],
    );
    return rows[0]?.state ?? null;
  }

  /**
   * A running run goes back to the queue (its process stopped; the job system runs it again);
   * false when it is no longer running. Given `run`, only while that run holds the row.
   */
  async requeue(
    id: string,
    { manager = this.dataSource.manager, run }: { manager?: EntityManager; run?: RunToken } = {},
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE simulations SET state = 'queued', started_at = NULL
          WHERE id = $1 AND state = 'running' AND ${heldBy('$2')}
        RETURNING id`,
      [id, run?.startedAt ?? null],
    );
    return rows.length > 0;
  }

  /**
   * A run interrupted as often as it may be fails (a run that kills its process must not kill
   * every process in turn). Given `run`, only while that run holds the row.
   */
  async interrupt(
    id: string,
    times: number,
    at: Date,
    { manager = this.dataSource.manager, run }: { manager?: EntityManager; run?: RunToken } = {},
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE simulations SET state = 'failed', finished_at = $3,
            error = 'interrupted: the server running it stopped ' || $2 || ' times; run it again'
          WHERE id = $1 AND state IN ('queued', 'running') AND ${heldBy('$4')}
        RETURNING id`,
      [id, times, at, run?.startedAt ?? null],
    );
    return rows.length > 0;
  }

  /**
   * Runs left unfinished with no job to run them (queued or running when the job system took
   * over from the table's own queue), put back in the queue; answers their ids.
   */
  async requeueJobless(queue: string, manager: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE simulations s SET state = 'queued', started_at = NULL
          WHERE s.state IN ('queued', 'running')
            AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1
                             AND j.state < 'completed' AND j.data->>'simulationId' = s.id::text)
        RETURNING s.id`,
      [queue],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Stores the progress of the run `run`; false when that run no longer holds the row (it was
   * cancelled, ended, or taken back and perhaps started again by another process).
   */
  async saveProgress(id: string, progress: SimulationProgress, run: RunToken): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE simulations SET progress = $3
        WHERE id = $1 AND state = 'running' AND ${heldBy('$2')}
      RETURNING id`,
      [id, run.startedAt, JSON.stringify(progress)],
    );
    return rows.length > 0;
  }

  /**
   * Ends a run that has not ended yet; false when it already had. Given `end.run` (the run ends
   * itself), only while that run holds the row; a cancel ends it whoever runs it.
   */
  async finish(
    id: string,
    end: {
      state: SimulationEndState;
      progress: SimulationProgress;
      resultJson?: string | undefined;
      error?: string | undefined;
      at: Date;
      run?: RunToken | undefined;
    },
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE simulations
          SET state = $2, progress = $3, result = $4::json, error = $5, finished_at = $6
        WHERE id = $1 AND state IN ('queued', 'running') AND ${heldBy('$7')}
        RETURNING id`,
      [
        id,
        end.state,
        JSON.stringify(end.progress),
        end.resultJson ?? null,
        end.error ?? null,
        end.at,
        end.run?.startedAt ?? null,
      ],
    );
    return rows.length > 0;
  }
}
