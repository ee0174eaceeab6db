import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { resolveScenario, type SimulationProgress } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { CreateSimulation } from './dto/simulation.dto.js';
import { SIMULATION_QUEUE } from './simulation-queue.js';
import { SimulationRunner } from './simulation-runner.service.js';
import { SimulationUpdates } from './simulation-updates.service.js';
import {
  simulationRequestOf,
  simulationView,
  type SimulationListener,
  type SimulationView,
} from './simulation-view.js';
import { SimulationsRepository } from './simulations.repository.js';
import { conflictError } from '../common/http-errors.js';

export type { SimulationListener, SimulationUpdate, SimulationView } from './simulation-view.js';
export { LEASE_SECONDS, SIMULATION_QUEUE } from './simulation-queue.js';
export { SIMULATION_WORKERS } from './simulation-runner.service.js';

/**
 * Simulations as the API shows them: a run is asked for (a row and its job, queued), read, listed
 * and cancelled here, from any process. State, progress and result live in the `simulations`
 * row; running them is {@link SimulationRunner}'s, and telling listeners (the socket gateway) of
 * their changes {@link SimulationUpdates}'.
 */
@Injectable()
export class SimulationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly simulations: SimulationsRepository,
    private readonly contests: ContestRecordsService,
    private readonly cluster: ClusterService,
    private readonly runner: SimulationRunner,
    private readonly updates: SimulationUpdates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Listens to state changes and progress of every simulation; returns the unsubscribe. */
  onProgress(listener: SimulationListener): () => void {
    return this.updates.onProgress(listener);
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
    this.updates.notify({ id: record.id, state: 'queued', progress }, 'local');
    this.cluster.publish({ kind: 'simulation-queued' });
    this.jobs.wake(SIMULATION_QUEUE);
    return { id: record.id, state: 'queued' };
  }

  async get(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    const view = simulationView(record, this.runner.current());
    if (record.state !== 'done') return view;
    const text = await this.simulations.resultText(id);
    return { ...view, result: text === null ? null : (JSON.parse(text) as unknown) };
  }

  async list(limit = 100): Promise<SimulationView[]> {
    const records = await this.simulations.list(limit);
    const current = this.runner.current();
    return records.map((record) => simulationView(record, current));
  }

  /**
   * Cancels a queued or running simulation, from any process. A run of this process stops at
   * once. A run of another process is recorded cancelled here, and that process stops its
   * workers when it hears so (or when it next reads the run's state). A queued run's job finds
   * the run cancelled when it comes, and does nothing.
   */
  async cancel(id: string): Promise<SimulationView> {
    const record = await this.simulations.find(id);
    if (record === null) throw new NotFoundException(`no simulation ${id}`);
    if (record.state === 'done' || record.state === 'failed') {
      throw conflictError('simulation_state', `simulation ${id} is already ${record.state}`);
    }
    const progress = await this.runner.cancelHere(id);
    await this.runner.end(id, { state: 'cancelled', progress: progress ?? undefined });
    if (progress === null && record.state === 'running')
      this.cluster.publish({ kind: 'simulation-cancel', id });
    return this.get(id);
  }
}
