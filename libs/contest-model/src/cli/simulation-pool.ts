// Parallel simulation in Node: a pool of worker threads behind the core's pool executor. This is
// what a service calls: `runSimulation(file, { workers, signal, onProgress })`.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  blockCount,
  createPoolExecutor,
  resolveScenario,
  simulate,
  type ContestFile,
  type SimulateOptions,
  type SimulationExecutor,
  type SimulationResult,
  type WorkerPort,
  type WorkerResponse,
} from '@podium/contest-model';

const WORKER_URL = new URL('./simulation-worker.js', import.meta.url);

export interface SimulationPool {
  executor: SimulationExecutor;
  workers: number;
  /** Stops the worker threads (a running simulation rejects). */
  close(): Promise<void>;
}

/** Starts `workers` worker threads (default: the machine's available parallelism). */
export function createSimulationPool({ workers }: { workers?: number } = {}): SimulationPool {
  const count = workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`workers must be a positive integer, got ${count}`);
  }
  const threads = Array.from({ length: count }, () => new Worker(WORKER_URL));
  const ports = threads.map((thread): WorkerPort => ({
    post: (request) => {
      thread.postMessage(request);
    },
    listen: ({ response, error }) => {
      thread.on('message', (message: WorkerResponse) => {
        response(message);
      });
      thread.on('error', error);
      thread.on('exit', (code) => {
        if (code !== 0) error(new Error(`simulation worker exited with code ${code}`));
      });
    },
  }));
  return {
    executor: createPoolExecutor({ ports }),
    workers: count,
    close: async () => {
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}

export interface RunSimulationOptions extends Omit<SimulateOptions, 'executor'> {
  /** Worker threads; default min(available parallelism, number of blocks). */
  workers?: number | undefined;
}

/**
 * Simulates a validated contest file off the main thread: starts a pool, runs, stops it. On
 * abort the workers are terminated at once and the promise rejects with the signal's reason.
 */
export async function runSimulation(
  file: ContestFile,
  options: RunSimulationOptions = {},
): Promise<SimulationResult> {
  const { workers, ...rest } = options;
  const blocks = blockCount(resolveScenario({ file, overrides: rest.scenario }).trials);
  const pool = createSimulationPool({
    workers: workers ?? Math.max(1, Math.min(availableParallelism(), blocks)),
  });
  try {
    return await simulate(file, { ...rest, executor: pool.executor });
  } finally {
    await pool.close();
  }
}
