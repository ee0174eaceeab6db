import { availableParallelism } from 'node:os';
import { Module } from '@nestjs/common';
import { z } from 'zod';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { SimulationsController } from './simulations.controller.js';
import { SimulationsRepository } from './simulations.repository.js';
import { SIMULATION_WORKERS, SimulationRunner } from './simulation-runner.service.js';
import { SimulationUpdates } from './simulation-updates.service.js';
import { SimulationsService } from './simulations.service.js';

const WORKERS_VARIABLE = 'PODIUM_SIMULATION_WORKERS';

/**
 * Worker threads of the simulation pool: `PODIUM_SIMULATION_WORKERS`, default min(2, cores) so a
 * simulation leaves the event loop's core some room. A bad value stops the start, naming it.
 */
export function simulationWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WORKERS_VARIABLE];
  if (raw === undefined || raw === '') return Math.min(2, availableParallelism());
  const parsed = z.coerce.number().int().min(1).max(64).safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${WORKERS_VARIABLE} must be an integer from 1 to 64, got "${raw}"`);
  }
  return parsed.data;
}

@Module({
  imports: [ContestRecordsModule],
  controllers: [SimulationsController],
  providers: [
    SimulationsService,
    SimulationRunner,
    SimulationUpdates,
    SimulationsRepository,
    { provide: SIMULATION_WORKERS, useFactory: () => simulationWorkers() },
  ],
  exports: [SimulationsService],
})
export class SimulationsModule {}
