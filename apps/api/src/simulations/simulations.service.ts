import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  resolveScenario,
  simulate,
  simulationIssues,
  type ContestFile,
  type SimulationProgress,
} from '@podium/contest-model';
import { createSimulationPool, type SimulationPool } from '@podium/contest-model/node';
import { CLOCK, type Clock } from '../common/clock.js';
import { validationError } from '../common/validation/zod-validation.pipe.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import {
  ClusterService,
  type ClusterMessage,
  type ClusterOrigin,
} from '../database/cluster/cluster.service.js';
import type { CreateSimulation } from './dto/simulation.dto.js';
import {
  SimulationsRepository,
  type SimulationRecord,
  type SimulationRequest,
  type SimulationState,
} from './simulations.repository.js';

/** Worker threads of the simulation pool (see `simulations.module.ts`). */
export const SIMULATION_WORKERS = Symbol('SIMULATION_WORKERS');

/** What `onProgress` listeners get: the socket gateway forwards it to `simulation:<id>`. */
export interface SimulationUpdate {
  id: string;
  state: SimulationState;
  progress: SimulationProgress;
}

/** `origin`: `local` when this process made the change, `remote` when another one did. */
export type SimulationListener = (update: SimulationUpdate, origin: ClusterOrigin) => void;

/** `GET /api/simulations/:id` (the list leaves `result` out). */
export interface SimulationView {
  id: string;
  state: SimulationState;
  contestId: string | null;
  progress: SimulationProgress;
  result?: unknown;
  error?: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Progress is pushed and stored at most this often (and always at a phase's start and end). */
const PROGRESS_INTERVAL_MS = 200;
/** A running simulation's process renews its lease this often… */
export const HEARTBEAT_MS = 1_000;
/** …and a run whose lease is older than this is taken back from a process that died. */
export const LEASE_SECONDS = 10;
/** How often each process looks for queued runs (a missed notice) and for orphaned ones. */
const POLL_MS = 2_000;
/** A run interrupted this many times fails instead of going back to the queue. */
const MAX_ATTEMPTS = 3;

interface Running {
  readonly id: string;
  readonly abort: AbortController;
  progress: SimulationProgress;
}

/**
 * Runs simulations on a long-lived pool of worker threads, so the event loop stays free. The
 * queue is the `simulations` table: each process runs one simulation at a time, claiming the
 * oldest queued one (FOR UPDATE SKIP LOCKED), so with several processes any idle one takes the
 * next run, in the order they were asked. State, progress and result live in PostgreSQL;
 * listeners (the socket gateway) hear every change of state and the progress, from this process
 * and, through {@link ClusterService}, from the others. A cancel works from any process; a run
 * whose process died is queued again once its lease ({@link LEASE_SECONDS}) expires.
 */
@Injectable()
export class SimulationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SimulationsService.name);
  private readonly listeners = new Set<SimulationListener>();
  /** The latest progress of the simulation this process runs (stored progress is throttled). */
  private current: Running | null = null;
  private pool: SimulationPool | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(
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

  onApplicationBootstrap(): void {
    this.pollTimer = setInterval(() => void this.poll(), POLL_MS);
    this.pollTimer.unref();
    this.drain();
  }

  /**
   * On shutdown the pool stops; the run in progress goes back to the queue (another process, or
   * this one after a restart, runs it again) and the queued runs stay queued.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.pollTimer) clearInterval(this.pollTimer);
    const running = this.current;
    running?.abort.abort(new Error('the server is stopping'));
    await this.closePool();
    if (running !== null) {
      await this.simulations
        .requeue(running.id, this.cluster.instanceId)
        .then((requeued) => {
          if (!requeued) return;
          this.emit({ id: running.id, state: 'queued', progress: running.progress }, 'local');
          this.cluster.publish({ kind: 'simulation-queued' });
        })
        .catch((error: unknown) =>
          this.logger.warn(`simulation ${running.id} not requeued: ${String(error)}`),
        );
    }
    await this.draining;
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
    const request = await this.requestOf(body);
    const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
    const progress: SimulationProgress = {
      phase: 'forecast',
      trialsDone: 0,
      trialsTotal: scenario.trials,
    };
    const record = await this.simulations.insert({
      id: randomUUID(),
      request,
      progress,
      createdBy,
      createdAt: this.clock.now(),
    });
    this.emit({ id: record.id, state: 'queued', progress }, 'local');
    this.cluster.publish({ kind: 'simulation-queued' });
    this.drain();
    return { id: record.id, state: 'queued' };
  }

  async get(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    const view = this.view(record);
    if (record.state !== 'done') return view;
    const text = await this.simulations.resultText(id);
    return { ...view, result: text === null ? null : (JSON.parse(text) as unknown) };
  }

  async list(limit = 100): Promise<SimulationView[]> {
    const records = await this.simulations.list(limit);
    return records.map((record) => this.view(record));
  }

  /**
   * Cancels a queued or running simulation, from any process. A run of this process stops at
   * once: its worker threads are terminated (a block in progress is not waited for) and the next
   * queued run gets a fresh pool. A run of another process is recorded cancelled here, and that
   * process stops its workers when it hears so (or at its next heartbeat, which finds the run no
   * longer its own).
   */
  async cancel(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    if (record.state === 'done' || record.state === 'failed') {
      throw new ConflictException(`simulation ${id} is already ${record.state}`);
    }
    const running = this.current?.id === id ? this.current : null;
    if (running !== null) {
      running.abort.abort(new Error('cancelled'));
      await this.closePool();
    }
    await this.end(id, { state: 'cancelled', progress: running?.progress });
    if (running === null && record.state === 'running')
      this.cluster.publish({ kind: 'simulation-cancel', id });
    return this.get(id);
  }

  private onRemote(message: ClusterMessage): void {
    if (message.kind === 'simulation') this.emit(message.update, 'remote');
    else if (message.kind === 'simulation-queued' || message.kind === 'reconnected') this.drain();
    else if (message.kind === 'simulation-cancel') this.stopLocal(message.id);
  }

  /** Stops this process's run of `id`, if it runs it (cancelled elsewhere, or its lease lost). */
  private stopLocal(id: string): void {
    const running = this.current;
    if (running?.id !== id || running.abort.signal.aborted) return;
    running.abort.abort(new Error('cancelled'));
    void this.closePool();
  }

  /** Takes back the runs of dead processes, then claims queued work if idle. */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const reclaimed = await this.simulations.reclaimOrphans(
        LEASE_SECONDS,
        MAX_ATTEMPTS,
        this.clock.now(),
      );
      for (const { id, state } of reclaimed) {
        this.logger.warn(`simulation ${id}: its process stopped answering; now ${state}`);
        const record = await this.simulations.find(id);
        if (record) this.emit({ id, state, progress: record.progress }, 'local');
      }
      if (reclaimed.some((run) => run.state === 'queued'))
        this.cluster.publish({ kind: 'simulation-queued' });
    } catch (error) {
      this.logger.warn(`looking for orphaned simulations failed: ${String(error)}`);
    }
    this.drain();
  }

  private async requestOf(body: CreateSimulation): Promise<SimulationRequest> {
    let file: ContestFile;
    let contestId: string | null = null;
    if (body.contestId !== undefined) {
      const contest = await this.contests.find(body.contestId);
      if (contest === null) throw new NotFoundException(`no contest ${body.contestId}`);
      contestId = contest.id;
      // The simulator reads no events: a contest's rules and participants are what it needs.
      file = { ...(contest.frozenFile ?? contest.definition), events: [] };
    } else {
      file = body.file as ContestFile;
    }
    const issues = simulationIssues(file);
    if (issues.length > 0) {
      throw validationError(
        issues.map((issue) => ({
          path: body.file === undefined ? issue.path : `file.${issue.path}`,
          message: issue.message,
        })),
      );
    }
    try {
      resolveScenario({ file, overrides: body.scenario });
    } catch (error) {
      // The overrides are validated by the schema; only a stored contest's scenario can get here.
      throw new BadRequestException(error instanceof Error ? error.message : String(error));
    }
    return { contestId, file, scenario: body.scenario ?? {}, remedies: body.remedies ?? true };
  }

  /** Claims and runs queued simulations, one at a time, until none is left. */
  private drain(): void {
    if (this.stopped) return;
    if (this.draining !== null) {
      this.drainAgain = true; // a run queued while the loop was finding none
      return;
    }
    this.drainAgain = false;
    this.draining = (async () => {
      while (!this.stopped) {
        const id = await this.simulations.claimNext(this.cluster.instanceId, this.clock.now());
        if (id === null) break;
        await this.run(id).catch((error: unknown) => {
          this.logger.error(`simulation ${id} could not be recorded: ${String(error)}`);
        });
      }
    })()
      .catch((error: unknown) => this.logger.warn(`claiming a simulation failed: ${String(error)}`))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) this.drain();
      });
  }

  /** Runs a simulation this process has claimed (it is `running` in the table). */
  private async run(id: string): Promise<void> {
    const running: Running = {
      id,
      abort: new AbortController(),
      progress: { phase: 'forecast', trialsDone: 0, trialsTotal: 0 },
    };
    // Current from here on, so a cancel arriving while the run starts finds it.
    this.current = running;
    const heartbeat = setInterval(() => {
      this.simulations.heartbeat(id, this.cluster.instanceId).then(
        (mine) => {
          if (!mine) this.stopLocal(id);
        },
        (error: unknown) =>
          this.logger.warn(`simulation ${id}: heartbeat failed: ${String(error)}`),
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const request = await this.simulations.request(id);
      if (request === null) return;
      const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
      running.progress = { phase: 'forecast', trialsDone: 0, trialsTotal: scenario.trials };
      if (running.abort.signal.aborted) return;
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
      await this.end(id, {
        state: 'done',
        progress: running.progress,
        resultJson: JSON.stringify(result),
        claimedBy: this.cluster.instanceId,
      });
    } catch (error) {
      if (running.abort.signal.aborted) return; // cancel() or shutdown records the end
      this.logger.error(`simulation ${id} failed: ${String(error)}`);
      await this.end(id, {
        state: 'failed',
        progress: running.progress,
        error: error instanceof Error ? error.message : String(error),
        claimedBy: this.cluster.instanceId,
      });
    } finally {
      clearInterval(heartbeat);
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
      claimedBy?: string;
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
      claimedBy: end.claimedBy,
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

  private view(record: SimulationRecord): SimulationView {
    const progress =
      this.current?.id === record.id && record.state === 'running'
        ? this.current.progress
        : record.progress;
    return {
      id: record.id,
      state: record.state,
      contestId: record.contestId,
      progress,
      ...(record.error === null ? {} : { error: record.error }),
      createdBy: record.createdBy,
      createdAt: record.createdAt.toISOString(),
      startedAt: record.startedAt?.toISOString() ?? null,
      finishedAt: record.finishedAt?.toISOString() ?? null,
    };
  }
}
