import { randomUUID } from 'node:crypto';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { resolveScenario, simulate, type SimulationProgress } from '@podium/contest-model';
import { createSimulationPool, type SimulationPool } from '@podium/contest-model/node';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobRun, OrphanedJob } from '../jobs/queue.js';
import {
  ClusterService,
  type ClusterMessage,
  type ClusterOrigin,
} from '../database/cluster/cluster.service.js';
import type { CreateSimulation } from './dto/simulation.dto.js';
import { SIMULATION_QUEUE } from './simulation-queue.js';
import {
  simulationRequestOf,
  simulationView,
  type SimulationListener,
  type SimulationUpdate,
  type SimulationView,
} from './simulation-view.js';
import { SimulationsRepository } from './simulations.repository.js';

export type { SimulationListener, SimulationUpdate, SimulationView } from './simulation-view.js';
export { LEASE_SECONDS, SIMULATION_QUEUE } from './simulation-queue.js';

/** Worker threads of the simulation pool (see `simulations.module.ts`). */
export const SIMULATION_WORKERS = Symbol('SIMULATION_WORKERS');

/** Progress is pushed and stored at most this often (and always at a phase's start and end). */
const PROGRESS_INTERVAL_MS = 200;
/** A running simulation's process reads its state this often, to notice a cancel it missed. */
const STATE_CHECK_MS = 1_000;

/** Why this process stops a run of its own: the run's job then goes back to the queue. */
const STOPPING = new Error('the server is stopping');
const CANCELLED = new Error('cancelled');

interface Running {
  readonly id: string;
  readonly abort: AbortController;
  progress: SimulationProgress;
}

/**
 * Runs simulations on a long-lived pool of worker threads, so the event loop stays free. Who runs
 * what is the job system's ({@link SIMULATION_QUEUE}): each process runs one simulation at a
 * time, taking the oldest queued job, so with several processes any idle one takes the next run,
 * in the order they were asked. State, progress and result live in the `simulations` row;
 * listeners (the socket gateway) hear every change of state and the progress, from this process
 * and, through {@link ClusterService}, from the others. A cancel works from any process; a run
 * whose process died is queued again once its lease is found gone ({@link LEASE_SECONDS}).
 */
@Injectable()
export class SimulationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulationsService.name);
  private readonly listeners = new Set<SimulationListener>();
  /** The latest progress of the simulation this process runs (stored progress is throttled). */
  private current: Running | null = null;
  private pool: SimulationPool | null = null;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly simulations: SimulationsRepository,
    private readonly contests: ContestRecordsService,
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
    this.current?.abort.abort(STOPPING);
    await this.closePool();
  }

  /** Listens to state changes and progress of every simulation; returns the unsubscribe. */
  onProgress(listener: SimulationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async create(
    body: CreateSimulation,
    createdBy: string,
  ): Promise<{ id: string; state: 'queued' }> {
    const request = await simulationRequestOf(body, this.contests);
    const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
    const progress: SimulationProgress = {
      phase: 'forecast',
      trialsDone: 0,
      trialsTotal: scenario.trials,
    };
    // The row and its job commit together: no run without a job, no job without a run.
    const record = await this.dataSource.transaction(async (manager) => {
      const inserted = await this.simulations.insert({
        id: randomUUID(),
        request,
        progress,
        createdBy,
        createdAt: this.clock.now(),
        manager,
      });
      await this.jobs.send(SIMULATION_QUEUE, { simulationId: inserted.id }, { manager });
      return inserted;
    });
    this.emit({ id: record.id, state: 'queued', progress }, 'local');
    this.cluster.publish({ kind: 'simulation-queued' });
    this.jobs.wake(SIMULATION_QUEUE);
    return { id: record.id, state: 'queued' };
  }

  async get(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    const view = simulationView(record, this.current);
    if (record.state !== 'done') return view;
    const text = await this.simulations.resultText(id);
    return { ...view, result: text === null ? null : (JSON.parse(text) as unknown) };
  }

  async list(limit = 100): Promise<SimulationView[]> {
    const records = await this.simulations.list(limit);
    return records.map((record) => simulationView(record, this.current));
  }

  /**
   * Cancels a queued or running simulation, from any process. A run of this process stops at
   * once: its worker threads are terminated (a block in progress is not waited for) and the next
   * queued run gets a fresh pool. A run of another process is recorded cancelled here, and that
   * process stops its workers when it hears so (or when it next reads the run's state). A queued
   * run's job finds the run cancelled when it comes, and does nothing.
   */
  async cancel(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    if (record.state === 'done' || record.state === 'failed') {
      throw new ConflictException(`simulation ${id} is already ${record.state}`);
    }
    const running = this.current?.id === id ? this.current : null;
    if (running !== null) {
      running.abort.abort(CANCELLED);
      await this.closePool();
    }
    await this.end(id, { state: 'cancelled', progress: running?.progress });
    if (running === null && record.state === 'running')
      this.cluster.publish({ kind: 'simulation-cancel', id });
    return this.get(id);
  }

  private onRemote(message: ClusterMessage): void {
    if (message.kind === 'simulation') this.emit(message.update, 'remote');
    else if (message.kind === 'simulation-queued' || message.kind === 'reconnected')
      this.jobs.wake(SIMULATION_QUEUE);
    else if (message.kind === 'simulation-cancel') this.stopLocal(message.id);
  }

  /** Stops this process's run of `id`, if it runs it (cancelled elsewhere, or its lease lost). */
  private stopLocal(id: string): void {
    const running = this.current;
    if (running?.id !== id || running.abort.signal.aborted) return;
    running.abort.abort(CANCELLED);
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
      ? await this.simulations.interrupt(id, job.retryCount + 1, this.clock.now(), manager)
      : await this.simulations.requeue(id, manager);
    if (!changed) return;
    const state = job.final ? 'failed' : 'queued';
    this.logger.warn(`simulation ${id}: its process stopped answering; now ${state}`);
    const record = await this.simulations.find(id, manager);
    if (record) this.emit({ id, state, progress: record.progress }, 'local');
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
    if (!(await this.simulations.start(id, this.clock.now()))) return;
    const stopped = await this.run(id, job.signal);
    if (stopped === null) return;
    // Stopping, or the lease lost: the run goes back to the queue for the job's retry (if the
    // database is away, the reaper does it once the lease is seen gone). The job's last try ends
    // here too: the run fails rather than stay queued with no job.
    const final = job.retryCount >= job.retryLimit;
    const changed = final
      ? await this.simulations.interrupt(id, job.retryCount + 1, this.clock.now())
      : await this.simulations.requeue(id);
    const record = changed ? await this.simulations.find(id) : null;
    if (record) this.emit({ id, state: record.state, progress: record.progress }, 'local');
    if (changed && !final) this.cluster.publish({ kind: 'simulation-queued' });
    throw stopped instanceof Error ? stopped : new Error(String(stopped));
  }

  /**
   * Runs a simulation this process was given (it is `running` in the table). Answers null when
   * it ended (done, failed, or cancelled — the cancel records that), else why it stopped
   * unfinished: {@link STOPPING}, or the job's own abort reason (its lease was lost).
   */
  private async run(id: string, jobSignal: AbortSignal): Promise<unknown> {
    const running: Running = {
      id,
      abort: new AbortController(),
      progress: { phase: 'forecast', trialsDone: 0, trialsTotal: 0 },
    };
    // Current from here on, so a cancel arriving while the run starts finds it.
    this.current = running;
    const onJobAbort = () => {
      running.abort.abort(jobSignal.reason);
      void this.closePool();
    };
    jobSignal.addEventListener('abort', onJobAbort, { once: true });
    const unfinished = () => {
      const reason: unknown = running.abort.signal.reason;
      return reason === CANCELLED ? null : reason;
    };
    const stateCheck = setInterval(() => {
      this.simulations.state(id).then(
        (state) => {
          if (state !== 'running') this.stopLocal(id);
        },
        (error: unknown) =>
          this.logger.warn(`simulation ${id}: reading its state failed: ${String(error)}`),
      );
    }, STATE_CHECK_MS);
    stateCheck.unref();
    try {
      if (jobSignal.aborted) onJobAbort();
      const request = await this.simulations.request(id);
      if (request === null) return null;
      const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
      running.progress = { phase: 'forecast', trialsDone: 0, trialsTotal: scenario.trials };
      if (running.abort.signal.aborted) return unfinished();
      this.logger.log(`simulation ${id} claimed by this process`);
      this.emit({ id, state: 'running', progress: running.progress }, 'local');
      let storedAt = 0;
      const onProgress = (progress: SimulationProgress) => {
        const phaseChanged = progress.phase !== running.progress.phase;
        // A phase's first finished block is always shown (leading edge), so the bar moves as soon
        // as there is something to show, however fast the phase's start notice came before it.
        const firstBlock = running.progress.trialsDone === 0 && progress.trialsDone > 0;
        running.progress = progress;
        const now = Date.now();
        const last = progress.trialsDone === progress.trialsTotal;
        if (!phaseChanged && !firstBlock && !last && now - storedAt < PROGRESS_INTERVAL_MS) return;
        storedAt = now;
        this.emit({ id, state: 'running', progress }, 'local');
        void this.simulations.saveProgress(id, progress).catch((error: unknown) => {
          this.logger.warn(`progress of simulation ${id} not stored: ${String(error)}`);
        });
      };
      const result = await simulate(request.file, {
        scenario: request.scenario,
        remedies: request.remedies,
        signal: running.abort.signal,
        onProgress,
        executor: this.poolExecutor(),
      });
      if (running.abort.signal.aborted) return unfinished();
      await this.end(id, {
        state: 'done',
        progress: running.progress,
        resultJson: JSON.stringify(result),
      });
      return null;
    } catch (error) {
      if (running.abort.signal.aborted) return unfinished(); // cancel() records a cancel's end
      this.logger.error(`simulation ${id} failed: ${String(error)}`);
      await this.end(id, {
        state: 'failed',
        progress: running.progress,
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    } finally {
      clearInterval(stateCheck);
      jobSignal.removeEventListener('abort', onJobAbort);
      if (this.current === running) this.current = null;
    }
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

  private async end(
    id: string,
    end: {
      state: 'done' | 'failed' | 'cancelled';
      progress?: SimulationProgress | undefined;
      resultJson?: string;
      error?: string;
    },
  ): Promise<void> {
    const record = await this.simulations.find(id);
    if (record === null) return;
    const progress = end.progress ?? record.progress;
    const ended = await this.simulations.finish(id, {
      state: end.state,
      progress,
      resultJson: end.resultJson,
      error: end.error,
      at: this.clock.now(),
    });
    if (ended) this.emit({ id, state: end.state, progress }, 'local');
  }

  /** Tells the listeners; what happened here is also told to the other processes. */
  private emit(update: SimulationUpdate, origin: ClusterOrigin): void {
    if (origin === 'local') this.cluster.publish({ kind: 'simulation', update });
    for (const listener of this.listeners) {
      try {
        listener(update, origin);
      } catch (error) {
        this.logger.error(`a simulation listener failed: ${String(error)}`);
      }
    }
  }
}
