import type { EntityManager } from 'typeorm';

/** How a queue retries and how long one run may take; pg-boss keeps these per queue. */
export interface QueueSettings {
  /** Runs after the first one, when a run throws (or its process died). */
  readonly retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) for each later one when `backoff`. */
  readonly retryDelaySeconds: number;
  readonly backoff: boolean;
  /**
   * The longest a run may take. A run still active after this is failed (and retried) by the
   * library's maintenance: it is how a job whose process died is taken over when the queue has no
   * lease (see `lease`).
   */
  readonly expireInSeconds: number;
  /**
   * `singleton`: at most one job of the queue runs at a time (per `singletonKey` when given);
   * `short`: at most one job waits to start (a send while one waits adds nothing), for a queue
   * whose one job does all that is due (a drain; the drain itself keeps runs apart);
   * `standard`: no such limit.
   */
  readonly policy: 'standard' | 'singleton' | 'short';
  /**
   * A leased queue's runs hold a lock on a connection of their own for as long as they run; a
   * run whose lock is gone (its process died or lost the database) is taken over after
   * `graceSeconds` instead of after `expireInSeconds`. For long runs (simulations).
   */
  readonly lease?: { readonly graceSeconds: number } | undefined;
}

/**
 * A queue and the shape of its jobs' data: one value both the producer (`JobsService.send`) and
 * the consumer (`JobsService.work`) name, so they cannot disagree on the data's type.
 */
export interface QueueDefinition<T extends object> {
  readonly name: string;
  readonly settings: QueueSettings;
  /** Never set: it carries `T` for the type checker. */
  readonly __data?: T;
}

export function defineQueue<T extends object>(
  name: string,
  settings: QueueSettings,
): QueueDefinition<T> {
  return { name, settings };
}

/** One run of a job, as its handler sees it. */
export interface JobRun<T extends object> {
  readonly id: string;
  readonly data: T;
  /** Runs of this job before this one (failed ones, or ones whose process died). */
  readonly retryCount: number;
  readonly retryLimit: number;
  /**
   * Aborted when this run must stop: the process is stopping, or (leased queues) the run's lock
   * was lost. A handler that ends because of it should throw, so the job is retried.
   */
  readonly signal: AbortSignal;
}

/** What a leased queue's owner is told when a run of its is taken from a process that died. */
export interface OrphanedJob<T extends object> {
  readonly id: string;
  readonly data: T;
  readonly retryCount: number;
  readonly retryLimit: number;
  /** True when no retry is left: the job fails for good. */
  readonly final: boolean;
}

export interface WorkOptions<T extends object> {
  /** Jobs this process runs at once (one worker each); 1 when not given. */
  readonly concurrency?: number;
  /** How often an idle worker looks for due jobs (≥ 0.5 s); `wake` shortens the wait. */
  readonly pollingIntervalSeconds?: number;
  /**
   * Leased queues: called in the transaction that takes an orphaned run back (before the library
   * retries or fails it), so the product's own record follows.
   */
  readonly onOrphan?: (manager: EntityManager, job: OrphanedJob<T>) => Promise<void>;
}

export type JobHandler<T extends object> = (run: JobRun<T>) => Promise<void>;
