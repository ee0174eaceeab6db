import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../database/cluster/advisory-lock.js';
import { returned } from '../database/sql.js';
import { Lease, reapOrphans, type LeasedQueue } from './lease.js';
import type { JobHandler, QueueDefinition, WorkOptions } from './queue.js';

/** The database pg-boss keeps its jobs in: the application's own. */
export const JOBS_DATABASE_URL = Symbol('JOBS_DATABASE_URL');

/** pg-boss's tables live in this schema, created and migrated by pg-boss itself on start. */
export const JOBS_SCHEMA = 'pgboss';
/** How often a process looks for orphaned runs of leased queues (one process at a time does). */
const REAP_MS = 2_000;
/** How long a stopping process waits for the runs in progress before failing them (retried). */
const STOP_TIMEOUT_MS = 30_000;
/** Connections of pg-boss per process: its workers' polls, sends and maintenance share them. */
const POOL_SIZE = 4;

/** Options of one job when it is sent. */
export interface SendOptions {
  /** Sends in this transaction: the job exists if and only if the caller's writes commit. */
  readonly manager?: EntityManager;
  /** With a `singleton` queue: at most one job of this key queued or running at once. */
  readonly singletonKey?: string;
  readonly startAfter?: Date;
}

/** pg-boss runs its statements through this when a job is sent in a TypeORM transaction. */
function executor(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({
      rows: returned(await manager.query(text, values)),
    }),
  };
}

/**
 * The one job system: queued and scheduled work of every capability runs on pg-boss (jobs in
 * PostgreSQL, taken with SKIP LOCKED, retried with backoff, singleton queues, cron schedules).
 * Capabilities declare a queue with `defineQueue`, call `work` for it when the application
 * starts and `send` (or `schedule`) to add jobs. The library's own maintenance fails runs that
 * outlive their queue's `expireInSeconds` (the process died), and they are retried elsewhere;
 * leased queues (long runs) are taken over sooner, see `lease.ts`.
 */
@Injectable()
export class JobsService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  /**
   * pg-boss's connections, in a pool of ours rather than its own: an ended pg pool leaves the
   * callers still waiting for a connection pending forever, and a pg-boss worker whose last poll
   * waits there never stops (its process would not exit). Stopping drains this pool first.
   */
  private readonly pool: pg.Pool;
  private readonly workers = new Map<string, string[]>();
  private readonly leased = new Map<string, LeasedQueue>();
  /** Runs in progress in this process: aborted when it stops. */
  private readonly running = new Set<AbortController>();
  private reaper: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(JOBS_DATABASE_URL) databaseUrl: string,
    private readonly dataSource: DataSource,
  ) {
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      application_name: 'podium-jobs',
      max: POOL_SIZE,
    });
    // An idle connection the server ended (a restart): the pool replaces it on the next use.
    this.pool.on('error', (error) => this.logger.warn(`job system: ${error.message}`));
    const pool = this.pool;
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
      schema: JOBS_SCHEMA,
      // Expired runs (their process died) are failed, and so retried, within this many seconds.
      maintenanceIntervalSeconds: 15,
    });
    // Unhandled, an `error` event would end the process; they are the database being away.
    this.boss.on('error', (error: Error) => this.logger.warn(`job system: ${error.message}`));
  }

  /** Creates or migrates pg-boss's schema (under its own advisory lock: replicas start at once). */
  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  onApplicationBootstrap(): void {
    this.reaper = setInterval(() => void this.reap(), REAP_MS);
    this.reaper.unref();
  }

  /**
   * After the capabilities' `onModuleDestroy` (they stop what must not finish) and before the
   * database connections close: the runs in progress end, then pg-boss stops.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.reaper) clearInterval(this.reaper);
    for (const controller of this.running) controller.abort(new Error('the server is stopping'));
    await this.boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
    // The statements still queued or running (the workers' last polls, a failed run's record)
    // finish on an open pool, so that every worker sees it is stopped and ends; then it closes.
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (
      (this.pool.waitingCount > 0 || this.pool.idleCount < this.pool.totalCount) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.pool.end();
  }

  /**
   * Creates the queue (or brings its settings up to date) and runs its jobs in this process,
   * `concurrency` at a time. Call it from `onApplicationBootstrap`.
   */
  async work<T extends object>(
    queue: QueueDefinition<T>,
    options: WorkOptions<T>,
    handler: JobHandler<T>,
  ): Promise<void> {
    const { settings } = queue;
    const definition: PgBoss.Queue = {
      name: queue.name,
      policy: settings.policy,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: settings.backoff,
      expireInSeconds: settings.expireInSeconds,
    };
    // One process at a time: replicas that start together create the same queues.
    await withAdvisoryLock(this.dataSource, ADVISORY_LOCKS.jobQueues, async () => {
      await this.boss.createQueue(queue.name, definition);
      await this.boss.updateQueue(queue.name, definition);
    });
    if (settings.lease) {
      this.leased.set(queue.name, {
        name: queue.name,
        graceSeconds: settings.lease.graceSeconds,
        onOrphan: options.onOrphan as LeasedQueue['onOrphan'],
      });
    }
    const ids: string[] = [];
    for (let worker = 0; worker < (options.concurrency ?? 1); worker += 1) {
      let id = '';
      id = await this.boss.work<T>(
        queue.name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
        },
        async ([job]) => {
          try {
            if (job !== undefined) await this.run(queue, job, handler);
          } finally {
            // A worker that found a job looks for the next one at once, not after its interval.
            this.boss.notifyWorker(id);
          }
        },
      );
      ids.push(id);
    }
    this.workers.set(queue.name, ids);
  }

  /** Adds a job; answers its id, or null when a singleton key already has one. */
  async send<T extends object>(
    queue: QueueDefinition<T>,
    data: T,
    options: SendOptions = {},
  ): Promise<string | null> {
    return this.boss.send(queue.name, data, {
      ...(options.manager ? { db: executor(options.manager) } : {}),
      ...(options.singletonKey === undefined ? {} : { singletonKey: options.singletonKey }),
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
    });
  }

  /**
   * Sends `data` to the queue on a cron schedule (`key` names one schedule among several of the
   * queue, e.g. one per integration). Every process may call it: the schedule is stored once and
   * pg-boss sends each due job once.
   */
  async schedule<T extends object>(
    queue: QueueDefinition<T>,
    cron: string,
    data: T,
    options: { key?: string; tz?: string } = {},
  ): Promise<void> {
    await this.boss.schedule(queue.name, cron, data, {
      ...(options.key === undefined ? {} : { singletonKey: options.key }),
      ...(options.tz === undefined ? {} : { tz: options.tz }),
    });
  }

  async unschedule<T extends object>(queue: QueueDefinition<T>): Promise<void> {
    await this.boss.unschedule(queue.name);
  }

  /** This process's workers of the queue look for jobs now rather than at their next poll. */
  wake<T extends object>(queue: QueueDefinition<T>): void {
    for (const id of this.workers.get(queue.name) ?? []) this.boss.notifyWorker(id);
  }

  /** Takes back runs of leased queues whose process died; answers how many. */
  async reap(): Promise<number> {
    if (this.stopping || this.leased.size === 0) return 0;
    try {
      return await reapOrphans(this.dataSource, [...this.leased.values()], (name, id, manager) =>
        this.boss.fail(name, id, { message: 'its process stopped' }, { db: executor(manager) }),
      );
    } catch (error) {
      this.logger.warn(`looking for orphaned jobs failed: ${String(error)}`);
      return 0;
    }
  }

  private async run<T extends object>(
    queue: QueueDefinition<T>,
    job: PgBoss.JobWithMetadata<T>,
    handler: JobHandler<T>,
  ): Promise<void> {
    const controller = new AbortController();
    if (this.stopping) throw new Error('the server is stopping');
    this.running.add(controller);
    const lease = queue.settings.lease ? await Lease.take(this.dataSource, job.id) : null;
    try {
      if (lease !== null) {
        // Taken back meanwhile (this run started so late the reaper saw it as orphaned): the
        // job is someone else's now.
        if (!lease.held) return;
        const current = await this.boss.getJobById<T>(queue.name, job.id);
        if (current?.state !== 'active' || current.retryCount !== job.retryCount) return;
        lease.watch(() => controller.abort(new Error('the run lost its lease')));
      }
      await handler({
        id: job.id,
        data: job.data,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        signal: controller.signal,
      });
    } finally {
      this.running.delete(controller);
      await lease?.release();
    }
  }
}
