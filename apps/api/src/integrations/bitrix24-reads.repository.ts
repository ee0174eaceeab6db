import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '../database/cluster/advisory-lock.js';
import { queryRows, safeInteger } from '../database/sql.js';

/** A Bitrix24 deal read (a `crm_fetch_jobs` row) as a run takes it. */
export interface FetchJob {
  readonly id: number;
  readonly integrationId: string;
  readonly dealId: string;
  readonly event: string;
  readonly attempts: number;
}

interface FetchRow {
  id: string;
  integration_id: string;
  deal_id: string;
  event: string;
  attempts: number;
}

const FETCH_COLUMNS = 'id, integration_id, deal_id, event, attempts';
/** A read's id as the second key of its lock (an int4: ids 2^31 apart share one, and wait). */
const lockKey = (id: string) => `(${id} % 2147483648)::int`;

function fetchJobOf(row: FetchRow): FetchJob {
  return {
    id: safeInteger(row.id, 'id'),
    integrationId: row.integration_id,
    dealId: row.deal_id,
    event: row.event,
    attempts: row.attempts,
  };
}

/**
 * The queue of Bitrix24 deal reads: a `crm_fetch_jobs` row per read, each run by a job of the
 * job system, and the product's record of it (attempts, last error, outcome). A row's
 * `attempts` counts the reads begun: 0 is a read nobody has begun.
 */
@Injectable()
export class Bitrix24ReadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a read of the deal to queue (in the caller's transaction, with its job); answers its
   * id, or null when a read nobody has begun yet already waits for the same deal.
   */
  async enqueueFetch(
    manager: EntityManager,
    job: { integrationId: string; dealId: string; event: string; now: Date },
  ): Promise<number | null> {
    // A read nobody has begun reads the deal's state as it is when it begins: a second one would
    // read the same. Reads already begun (possibly mid-read) do not absorb the new news.
    const rows = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO crm_fetch_jobs (integration_id, deal_id, event, received_at)
       SELECT $1, $2, $3, $4
       WHERE NOT EXISTS (SELECT 1 FROM crm_fetch_jobs
         WHERE integration_id = $1 AND deal_id = $2 AND state = 'pending' AND attempts = 0)
       RETURNING id`,
      [job.integrationId, job.dealId, job.event, job.now],
    );
    return rows[0] ? safeInteger(rows[0].id, 'id') : null;
  }

  /**
   * Pending reads with no job to run them (queued when the job system took over from the
   * table's own queue); answers their ids.
   */
  async joblessFetches(queue: string, manager: EntityManager): Promise<number[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT f.id FROM crm_fetch_jobs f
        WHERE f.state = 'pending'
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = $1
                           AND j.state < 'completed' AND (j.data->>'fetchId')::bigint = f.id)`,
      [queue],
    );
    return rows.map((row) => safeInteger(row.id, 'id'));
  }

  /**
   * Counts a try of a pending read and answers it; null when it is no longer pending. Waits while
   * another run has the read along with its own (`withOtherFetches`): it is done, or left
   * pending with its error, when that run is over.
   */
  async beginAttempt(id: number): Promise<FetchJob | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1, ${lockKey('$2::bigint')})`, [
        ADVISORY_LOCKS.bitrix24Reads,
        id,
      ]);
      const rows = await queryRows<FetchRow>(
        manager,
        `UPDATE crm_fetch_jobs SET attempts = attempts + 1
            WHERE id = $1 AND state = 'pending'
          RETURNING ${FETCH_COLUMNS}`,
        [id],
      );
      return rows[0] ? fetchJobOf(rows[0]) : null;
    });
  }

  /**
   * Takes up to `limit` other reads of the integration nobody has begun (of other deals than
   * `dealId`) and has them for as long as `work` runs: each is taken by one run only, its try
   * counted, and its own job waits meanwhile (`beginAttempt`), then finds it done, or pending
   * with its error and tries it again. A read nobody has begun is due (it has no backoff to wait
   * for). The lock goes with the connection: when this process dies, the reads are free again.
   * The newest first: the job system hands out the oldest jobs first, so the jobs of the reads
   * taken come up last, when their reads are long done, rather than wait for them.
   */
  async withOtherFetches<T>(
    integrationId: string,
    dealId: string,
    limit: number,
    work: (reads: FetchJob[]) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        // Locked before they are marked, so a read whose own job locked it first is left to it.
        // Not row locks: they would keep the applies from marking the reads done.
        const locked = await queryRows<{ id: string }>(
          runner.manager,
          `SELECT id FROM (SELECT id FROM crm_fetch_jobs
                            WHERE integration_id = $1 AND state = 'pending' AND attempts = 0
                              AND deal_id <> $2
                            ORDER BY id DESC LIMIT $3) AS fresh
            WHERE pg_try_advisory_xact_lock($4, ${lockKey('id')})`,
          [integrationId, dealId, limit, ADVISORY_LOCKS.bitrix24Reads],
        );
        const rows =
          locked.length === 0
            ? []
            : await queryRows<FetchRow>(
                this.dataSource,
                `UPDATE crm_fetch_jobs SET attempts = attempts + 1
                    WHERE id = ANY($1::bigint[]) AND state = 'pending' AND attempts = 0
                  RETURNING ${FETCH_COLUMNS}`,
                [locked.map((row) => row.id)],
              );
        return await work(rows.map(fetchJobOf));
      } finally {
        // Nothing was written on this connection: ending its transaction frees the reads.
        await runner.rollbackTransaction();
      }
    } finally {
      await runner.release();
    }
  }

  /** Gives back reads taken along whose call failed as a whole: as if nobody had begun them. */
  async giveBack(ids: readonly number[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE crm_fetch_jobs SET attempts = attempts - 1
        WHERE id = ANY($1::bigint[]) AND state = 'pending' AND attempts > 0`,
      [ids],
    );
  }

  /** Marks the read done in the apply's transaction; false when it was no longer pending. */
  async finishJob(manager: EntityManager, id: number, now: Date): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE crm_fetch_jobs SET state = 'done', finished_at = $2, last_error = NULL
          WHERE id = $1 AND state = 'pending'
        RETURNING id`,
      [id, now],
    );
    return rows.length > 0;
  }

  /** Records a try's error; the read's job tries it again (after its backoff when it failed). */
  async retryJob(id: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE crm_fetch_jobs SET last_error = $2 WHERE id = $1 AND state = 'pending'`,
      [id, error],
    );
  }

  async failJob(id: number, error: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE crm_fetch_jobs SET state = 'failed', last_error = $2, finished_at = $3
        WHERE id = $1 AND state = 'pending'`,
      [id, error, now],
    );
  }
}
