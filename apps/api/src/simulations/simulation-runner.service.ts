import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  resolveScenario,
  simulate,
  type SimulationEndState,
  type SimulationProgress,
} from '@podium/contest-model';
import { createSimulationPool, type SimulationPool } from '@podium/contest-model/node';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { ClusterService, type ClusterMessage } from '../database/cluster/cluster.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobRun, OrphanedJob } from '../jobs/queue.js';
import { SIMULATION_QUEUE } from './simulation-queue.js';
import { SimulationUpdates } from './simulation-updates.service.js';
import { SimulationsRepository, type RunToken } from './simulations.repository.js';

/** Worker threads of the simulation pool (see `simulations.module.ts`). */
export const SIMULATION_WORKERS = Symbol('SIMULATION_WORKERS');

/** Progress is pushed and stored at most this often (and always at a phase's start and end). */
const PROGRESS_INTERVAL_MS = 200;
/** A running simulation's process reads its state this often, to notice a cancel it missed. */
const STATE_CHECK_MS = 1_000;

/** Why this process stops a run of its own: the run's job then goes back to the queue. */
const STOPPING = new Error('the server is stopping');
const CANCELLED = new Error('cancelled');
/** The run's row is no longer this run's (taken back, perhaps run elsewhere): hands off. */
const NOT_HELD = new Error('the run no longer holds its row');

interface Running {
  readonly id: string;
  readonly abort: AbortController;
  progress: SimulationProgress;
}

/** How a run ends; `run` when the run ends itself (written only while it holds the row). */
export interface RunEnd {
  state: SimulationEndState;
  progress?: SimulationProgress | undefined;
  resultJson?: string;
  error?: string;
  run?: RunToken;
}

/**
 * Runs simulations on a long-lived pool of worker threads, so the event loop stays free. Who runs
 * what is the job system's ({@link SIMULATION_QUEUE}): each process runs one simulation at a
 * time, taking the oldest queued job, so with several processes any idle one takes the next run,
 * in the order they were asked. A run whose process died is queued again once its lease is found
 * gone; a run that no longer holds its row (its lease lost, the row taken back) stops at once and
 * writes and tells nothing more.
 */
@Injectable()
export class SimulationRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulationRunner.name);
  /** The latest progress of the simulation this process runs (stored progress is throttled). */
  private running: Running | null = null;
  private pool: SimulationPool | null = null;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly simulations: SimulationsRepository,
    private readonly updates: SimulationUpdates,
    private readonly cluster: ClusterService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SIMULATION_WORKERS) private readonly workers: number,
  ) {
    this.unsubscribe = cluster.subscribe((message, origin) => {
      if (origin === 'remote') this.onRemote(message);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work(
      SIMULATION_QUEUE,
      {
        concurrency: 1,
        pollingIntervalSeconds: 1,
        onOrphan: (manager, job) => this.onOrphan(manager, job),
      },
      (run) => this.runJob(run),
    );
    // Once, after the upgrade that moved the queue onto the job system: runs it had queued.
    // Replicas starting together may both send a job for a run; only one job finds it queued.
    await this.dataSource.transaction(async (manager) => {
      for (const simulationId of await this.simulations.requeueJobless(
        SIMULATION_QUEUE.name,
        manager,
      )) {
        await this.jobs.send(SIMULATION_QUEUE, { simulationId }, { manager });
      }
    });
  }

  /**
   * On shutdown the pool stops; the run in progress goes back to the queue (its handler records
   * so, and the job system retries the job: another process, or this one after a restart, runs
   * it again) and the queued runs stay queued.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.running?.abort.abort(STOPPING);
    await this.closePool();
  }

  /** The run this process is running, with its latest progress; null when it runs none. */
  current(): { readonly id: string; readonly progress: SimulationProgress } | null {
    return this.running;
  }

  /**
   * Stops this process's run of `id` for a cancel: its worker threads are terminated (a block in
   * progress is not waited for) and the next queued run gets a fresh pool. Answers the run's
   * latest progress, or null when this process does not run it.
   */
  async cancelHere(id: string): Promise<SimulationProgress | null> {
    const running = this.running?.id === id ? this.running : null;
    if (running === null) return null;
    running.abort.abort(CANCELLED);
    await this.closePool();
    return running.progress;
  }

  /** Ends a run not ended yet, and tells so (see {@link RunEnd} for who may end it). */
  async end(id: string, end: RunEnd): Promise<void> {
    const record = await this.simulations.find(id);
    if (record === null) return;
    const progress = end.progress ?? record.progress;
    const ended = await this.simulations.finish(id, {
      state: end.state,
      progress,
      resultJson: end.resultJson,
      error: end.error,
      at: this.clock.now(),
      run: end.run,
    });
    if (ended) this.updates.notify({ id, state: end.state, progress }, 'local');
  }

  private onRemote(message: ClusterMessage): void {
    if (message.kind === 'simulation-queued' || message.kind === 'reconnected')
      this.jobs.wake(SIMULATION_QUEUE);
    else if (message.kind === 'simulation-cancel') this.stopLocal(message.id, CANCELLED);
  }

  /** Stops this process's run of `id`, if it runs it (cancelled elsewhere, or no longer held). */
  private stopLocal(id: string, reason: Error): void {
    const running = this.running;
    if (running?.id !== id || running.abort.signal.aborted) return;
    running.abort.abort(reason);
    void this.closePool();
  }

  /**
   * A run of a process that died (in the job system's transaction that takes it back): queued
   * again, or failed once it was interrupted as often as it may be (`MAX_ATTEMPTS`).
   */
  private async onOrphan(
    manager: EntityManager,
    job: OrphanedJob<{ simulationId: string }>,
  ): Promise<void> {
    const id = job.data.simulationId;
    const changed = job.final
      ? await this.simulations.interrupt(id, job.retryCount + 1, this.clock.now(), { manager })
      : await this.simulations.requeue(id, { manager });
    if (!changed) return;
    const state = job.final ? 'failed' : 'queued';
    this.logger.warn(`simulation ${id}: its process stopped answering; now ${state}`);
    const record = await this.simulations.find(id, manager);
    if (record) this.updates.notify({ id, state, progress: record.progress }, 'local');
    if (!job.final) this.cluster.publish({ kind: 'simulation-queued' });
  }

  /**
   * A job of the queue: runs its simulation unless it is no longer queued (cancelled meanwhile).
   * Throws when the run stopped unfinished (this process is stopping, or lost the run's lease),
   * so the job system runs the job again.
   */
  private async runJob(job: JobRun<{ simulationId: string }>): Promise<void> {
    const id = job.data.simulationId;
    if (this.stopped) throw STOPPING;
    const run: RunToken = { startedAt: this.clock.now() };
    if (!(await this.simulations.start(id, run.startedAt))) return;
    const stopped = await this.run(id, run, job.signal);
    if (stopped === null) return;
    // Stopping, or the lease lost: the run goes back to the queue for the job's retry (if the
    // database is away, the reaper does it once the lease is seen gone). The job's last try ends
    // here too: the run fails rather than stay queued with no job.
    const final = job.retryCount >= job.retryLimit;
    const changed = final
      ? await this.simulations.interrupt(id, job.retryCount + 1, this.clock.now(), { run })
      : await this.simulations.requeue(id, { run });
    // No longer this run's (the reaper found the lease gone first and took the run back, or it
    // was cancelled meanwhile): the reaper retried the job already, and failing it again here
    // would spend a try of the next run.
    if (!changed) return;
    const record = await this.simulations.find(id);
    if (record)
      this.updates.notify({ id, state: record.state, progress: record.progress }, 'local');
    if (!final) this.cluster.publish({ kind: 'simulation-queued' });
    throw stopped instanceof Error ? stopped : new Error(String(stopped));
  }

  /**
   * Runs a simulation this process was given (it is `running` in the table, started by `run`).
   * Answers null when it ended (done, failed, cancelled — the cancel records that — or no longer
   * this run's), else why it stopped unfinished: {@link STOPPING}, or the job's own abort reason
   * (its lease was lost).
   */
  private async run(id: string, run: RunToken, jobSignal: AbortSignal): Promise<unknown> {
    const running: Running = {
      id,
      abort: new AbortController(),
      progress: { phase: 'forecast', trialsDone: 0, trialsTotal: 0 },
    };
    // Current from here on, so a cancel arriving while the run starts finds it.
    this.running = running;
    const onJobAbort = () => {
      running.abort.abort(jobSignal.reason);
      void this.closePool();
    };
    jobSignal.addEventListener('abort', onJobAbort, { once: true });
    const unfinished = () => {
      const reason: unknown = running.abort.signal.reason;
      return reason === CANCELLED || reason === NOT_HELD ? null : reason;
    };
    const stateCheck = setInterval(() => {
      this.simulations.state(id).then(
        (state) => {
          if (state !== 'running') this.stopLocal(id, CANCELLED);
        },
        (error: unknown) =>
          this.logger.warn(`simulation ${id}: reading its state failed: ${String(error)}`),
      );
    }, STATE_CHECK_MS);
    stateCheck.unref();
    // Progress is stored, then told, one write after the other: a write the row refuses (the
    // run no longer holds it) stops the run before anything more is told.
    let writes: Promise<void> = Promise.resolve();
    try {
      if (jobSignal.aborted) onJobAbort();
      const request = await this.simulations.request(id);
      if (request === null) return null;
      const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
      running.progress = { phase: 'forecast', trialsDone: 0, trialsTotal: scenario.trials };
      if (running.abort.signal.aborted) return unfinished();
      this.logger.log(`simulation ${id} claimed by this process`);
      this.updates.notify({ id, state: 'running', progress: running.progress }, 'local');
      let storedAt = 0;
      const onProgress = (progress: SimulationProgress) => {
        if (running.abort.signal.aborted) return;
        const phaseChanged = progress.phase !== running.progress.phase;
        // A phase's first finished block is always shown (leading edge), so the bar moves as soon
        // as there is something to show, however fast the phase's start notice came before it.
        const firstBlock = running.progress.trialsDone === 0 && progress.trialsDone > 0;
        running.progress = progress;
        const now = Date.now();
        const last = progress.trialsDone === progress.trialsTotal;
        if (!phaseChanged && !firstBlock && !last && now - storedAt < PROGRESS_INTERVAL_MS) return;
        storedAt = now;
        writes = writes
          .then(() => this.storeProgress(running, run, progress))
          .catch((error: unknown) =>
            this.logger.warn(`progress of simulation ${id} not told: ${String(error)}`),
          );
      };
      const result = await simulate(request.file, {
        scenario: request.scenario,
        remedies: request.remedies,
        signal: running.abort.signal,
        onProgress,
        executor: this.poolExecutor(),
      });
      await writes;
      if (running.abort.signal.aborted) return unfinished();
      await this.end(id, {
        state: 'done',
        progress: running.progress,
        resultJson: JSON.stringify(result),
        run,
      });
      return null;
    } catch (error) {
      await writes;
      if (running.abort.signal.aborted) return unfinished(); // cancel() records a cancel's end
      this.logger.error(`simulation ${id} failed: ${String(error)}`);
      await this.end(id, {
        state: 'failed',
        progress: running.progress,
        error: error instanceof Error ? error.message : String(error),
        run,
      });
      return null;
    } finally {
      clearInterval(stateCheck);
      jobSignal.removeEventListener('abort', onJobAbort);
      if (this.running === running) this.running = null;
    }
  }

  /**
   * Stores a run's progress and tells it, while the run goes on and holds its row: nothing once
   * its signal is aborted (cancelled, stopping, its lease lost), and a write the row refuses
   * stops the run. When the database is away the progress is told all the same.
   */
  private async storeProgress(
    running: Running,
    run: RunToken,
    progress: SimulationProgress,
  ): Promise<void> {
    if (running.abort.signal.aborted) return;
    let held = true;
    try {
      held = await this.simulations.saveProgress(running.id, progress, run);
    } catch (error) {
      this.logger.warn(`progress of simulation ${running.id} not stored: ${String(error)}`);
    }
    if (!held) {
      this.logger.warn(`simulation ${running.id}: no longer this run's; stopping it`);
      this.stopLocal(running.id, NOT_HELD);
      return;
    }
    if (running.abort.signal.aborted) return;
    this.updates.notify({ id: running.id, state: 'running', progress }, 'local');
  }

  private poolExecutor() {
    this.pool ??= createSimulationPool({ workers: this.workers });
    return this.pool.executor;
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}
