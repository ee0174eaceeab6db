import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { OrphanedJob } from './queue.js';

/** A leased run checks its connection (and so its lock) this often. */
const WATCH_MS = 1_000;

/** The advisory lock key of a job's run: a 64-bit hash of its id. */
const LOCK_KEY = `hashtextextended('podium-job:' || $1, 0)`;

/** A leased queue as the reaper sees it. */
export interface LeasedQueue {
  readonly name: string;
  readonly graceSeconds: number;
  readonly onOrphan?:
    | ((manager: EntityManager, job: OrphanedJob<Record<string, unknown>>) => Promise<void>)
    | undefined;
}

/**
 * The lease of a long run: a session advisory lock on a connection of its own, held for as long
 * as the run. PostgreSQL drops the lock the moment the connection ends — the process was killed,
 * or lost the database — so whether a run's process is alive is asked of PostgreSQL, with no
 * heartbeat written and no clock compared.
 */
export class Lease {
  private timer: NodeJS.Timeout | null = null;
  private ping: Promise<void> | null = null;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly jobId: string,
    /** False when the reaper holds the lock: the run was taken back before it began. */
    readonly held: boolean,
  ) {}

  static async take(dataSource: DataSource, jobId: string): Promise<Lease> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows: { held: boolean }[] = await runner.query(
        `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS held`,
        [jobId],
      );
      return new Lease(runner, jobId, rows[0]?.held === true);
    } catch (error) {
      await runner.release();
      throw error;
    }
  }

  /** Calls `onLost` once if the lease's connection fails (the lock went with it). */
  watch(onLost: () => void): void {
    this.timer = setInterval(() => {
      // One query at a time on the lease's connection (pg queues, but warns of, overlapping ones).
      if (this.ping !== null) return;
      this.ping = this.runner.query('SELECT 1').then(
        () => {
          this.ping = null;
        },
        () => {
          this.ping = null;
          this.stop();
          onLost();
        },
      );
    }, WATCH_MS);
    this.timer.unref();
  }

  async release(): Promise<void> {
    this.stop();
    await this.ping;
    try {
      if (this.held)
        await this.runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [this.jobId]);
    } catch {
      // The connection is gone, and the lock with it.
    } finally {
      await this.runner.release();
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * Runs of leased queues that are active in pg-boss, started more than their grace ago, and whose
 * lock nobody holds: their process died. Each is handed to its queue's `onOrphan` and failed
 * through `fail` — pg-boss retries it (or fails it for good when no retry is left) — in one
 * transaction, which holds the run's lock meanwhile so it cannot start again under the reaper.
 * One process reaps at a time (a transaction lock). Answers how many runs were taken back.
 */
export async function reapOrphans(
  dataSource: DataSource,
  queues: readonly LeasedQueue[],
  fail: (queue: string, id: string, manager: EntityManager) => Promise<unknown>,
): Promise<number> {
  return dataSource.transaction(async (manager) => {
    const [reaper] = (await manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended('podium-jobs-reaper', 0)) AS mine`,
    )) as { mine: boolean }[];
    if (reaper?.mine !== true) return 0;
    let reaped = 0;
    for (const queue of queues) {
      const stale: {
        id: string;
        data: Record<string, unknown>;
        retry_count: number;
        retry_limit: number;
      }[] = await manager.query(
        `SELECT id, data, retry_count, retry_limit FROM pgboss.job
          WHERE name = $1 AND state = 'active'
            AND started_on < now() - make_interval(secs => $2)`,
        [queue.name, queue.graceSeconds],
      );
      for (const row of stale) {
        const [lock] = (await manager.query(
          `SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS free`,
          [row.id],
        )) as { free: boolean }[];
        if (lock?.free !== true) continue; // its process holds it: alive
        await queue.onOrphan?.(manager, {
          id: row.id,
          data: row.data,
          retryCount: row.retry_count,
          retryLimit: row.retry_limit,
          final: row.retry_count >= row.retry_limit,
        });
        await fail(queue.name, row.id, manager);
        reaped += 1;
      }
    }
    return reaped;
  });
}
