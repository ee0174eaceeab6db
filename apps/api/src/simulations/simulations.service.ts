import { randomUUID } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
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
import { ContestsRepository } from '../contests/contests.repository.js';
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

export type SimulationListener = (update: SimulationUpdate) => void;

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

/**
 * Runs simulations one at a time on a long-lived pool of worker threads, so the event loop stays
 * free; the others wait in a queue, in the order they were asked. State, progress and result live
 * in PostgreSQL; listeners (the socket gateway) hear every change of state and the progress.
 */
@Injectable()
export class SimulationsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SimulationsService.name);
  private readonly listeners = new Set<SimulationListener>();
  private readonly queue: string[] = [];
  /** The latest progress of the running simulation (stored progress is throttled). */
  private current: { id: string; abort: AbortController; progress: SimulationProgress } | null =
    null;
  private pool: SimulationPool | null = null;
  private draining: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly simulations: SimulationsRepository,
    private readonly contests: ContestsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SIMULATION_WORKERS) private readonly workers: number,
  ) {}

  async onModuleInit(): Promise<void> {
    const failed = await this.simulations.failUnfinished(this.clock.now());
    if (failed > 0) this.logger.warn(`${failed} unfinished simulation(s) marked failed`);
  }

  /** On shutdown: the running and queued simulations fail (they can be run again), the pool stops. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    const unfinished = [...this.queue];
    this.queue.length = 0;
    const running = this.current;
    if (running !== null) {
      unfinished.unshift(running.id);
      running.abort.abort(new Error('the server is stopping'));
    }
    await this.closePool();
    await Promise.all(
      unfinished.map((id) =>
        this.end(id, {
          state: 'failed',
          progress: running?.id === id ? running.progress : undefined,
          error: 'interrupted: the server stopped before the simulation ended; run it again',
        }),
      ),
    );
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
    this.queue.push(record.id);
    this.emit({ id: record.id, state: 'queued', progress });
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
   * Cancels a queued or running simulation. A running one stops at once: its worker threads are
   * terminated (a block in progress is not waited for) and the next queued run gets a fresh pool.
   */
  async cancel(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    if (record.state === 'done' || record.state === 'failed') {
      throw new ConflictException(`simulation ${id} is already ${record.state}`);
    }
    const queued = this.queue.indexOf(id);
    if (queued >= 0) this.queue.splice(queued, 1);
    const running = this.current?.id === id ? this.current : null;
    if (running !== null) {
      running.abort.abort(new Error('cancelled'));
      await this.closePool();
    }
    await this.end(id, { state: 'cancelled', progress: running?.progress });
    return this.get(id);
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

  /** Runs the queue, one simulation at a time, until it is empty. */
  private drain(): void {
    if (this.draining !== null || this.stopped) return;
    this.draining = (async () => {
      for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift()) {
        if (this.stopped) break;
        await this.run(id).catch((error: unknown) => {
          this.logger.error(`simulation ${id} could not be recorded: ${String(error)}`);
        });
      }
    })().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.drain();
    });
  }

  private async run(id: string): Promise<void> {
    const running = {
      id,
      abort: new AbortController(),
      progress: { phase: 'forecast', trialsDone: 0, trialsTotal: 0 } as SimulationProgress,
    };
    // Current from here on, so a cancel arriving while the run starts finds it.
    this.current = running;
    try {
      const request = await this.simulations.request(id);
      if (request === null) return;
      const scenario = resolveScenario({ file: request.file, overrides: request.scenario });
      running.progress = { phase: 'forecast', trialsDone: 0, trialsTotal: scenario.trials };
      if (!(await this.simulations.markRunning(id, this.clock.now()))) return; // cancelled
      if (running.abort.signal.aborted) return;
      this.emit({ id, state: 'running', progress: running.progress });
      let storedAt = 0;
      const onProgress = (progress: SimulationProgress) => {
        const phaseChanged = progress.phase !== running.progress.phase;
        running.progress = progress;
        const now = Date.now();
        const last = progress.trialsDone === progress.trialsTotal;
        if (!phaseChanged && !last && now - storedAt < PROGRESS_INTERVAL_MS) return;
        storedAt = now;
        this.emit({ id, state: 'running', progress });
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
      });
    } catch (error) {
      if (running.abort.signal.aborted) return; // cancel() or shutdown records the end
      this.logger.error(`simulation ${id} failed: ${String(error)}`);
      await this.end(id, {
        state: 'failed',
        progress: running.progress,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
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
    if (ended) this.emit({ id, state: end.state, progress });
  }

  private emit(update: SimulationUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
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
