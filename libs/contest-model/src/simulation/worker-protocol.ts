import type { ContestFile } from '../rules/contest-file.schema.js';
import {
  buildSamplingModel,
  type ForecastCondition,
  type SamplingModel,
  type SimulationScenario,
} from './sampling-model.js';
import type { SimulationExecutor, SimulationJob } from './simulate.js';
import { blockCount, simulateBlock, type BlockResult } from './trial-block.js';

/**
 * Messages between a simulation pool and its workers, the same for Node worker threads and
 * browser Web Workers. A job's file travels with its first block to each worker, which keeps the
 * compiled model under the job's key.
 */
export type WorkerRequest =
  | {
      type: 'block';
      key: string;
      job?:
        | {
            file: ContestFile;
            scenario: SimulationScenario;
            condition?: ForecastCondition | undefined;
          }
        | undefined;
      block: number;
    }
  | { type: 'forget'; key: string };

export type WorkerResponse =
  | { type: 'block'; key: string; result: BlockResult }
  | { type: 'error'; key: string; block: number; message: string };

/** How many compiled models a worker keeps (the forecast and its remedies). */
const MODEL_CACHE = 8;

/** The worker side: answers one request (the worker entry posts the answer back). */
export function createWorkerHandler(): (request: WorkerRequest) => WorkerResponse | null {
  const models = new Map<string, SamplingModel>();
  return (request) => {
    if (request.type === 'forget') {
      models.delete(request.key);
      return null;
    }
    try {
      let model = models.get(request.key);
      if (model === undefined) {
        if (request.job === undefined) throw new Error(`unknown job ${request.key}`);
        model = buildSamplingModel(request.job);
        models.set(request.key, model);
        if (models.size > MODEL_CACHE) models.delete(models.keys().next().value as string);
      }
      return {
        type: 'block',
        key: request.key,
        result: simulateBlock({ model, block: request.block }),
      };
    } catch (error) {
      return {
        type: 'error',
        key: request.key,
        block: request.block,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };
}

/** The buffers of a response, to transfer instead of copy. */
export function transferables(response: WorkerResponse | null): ArrayBuffer[] {
  if (response?.type !== 'block') return [];
  return Object.values(response.result)
    .filter((value): value is Float64Array | Uint8Array => ArrayBuffer.isView(value))
    .map((view) => view.buffer as ArrayBuffer);
}

/** One worker as the pool sees it (a Node worker thread or a browser Web Worker, adapted). */
export interface WorkerPort {
  post(request: WorkerRequest): void;
  /** Registers the one listener for the worker's answers and failures. */
  listen(handlers: {
    response: (response: WorkerResponse) => void;
    error: (error: Error) => void;
  }): void;
}

/**
 * An executor that spreads blocks over workers: each idle worker takes the next block (a job's
 * blocks in order, jobs in order). Results are keyed by block, so the outcome is the same with
 * any number of workers. On abort the queue is dropped and the run rejects at once; blocks
 * already running finish and are ignored (terminate the workers to stop them sooner).
 */
export function createPoolExecutor({
  ports,
}: {
  ports: readonly WorkerPort[];
}): SimulationExecutor {
  if (ports.length === 0) throw new RangeError('a pool needs at least one worker');
  type Active = {
    job: SimulationJob;
    index: number;
    results: BlockResult[];
    remaining: number;
  };
  let current: {
    queue: { active: Active; block: number }[];
    byKey: Map<string, Active>;
    settle: (error: Error | null) => void;
    onBlock: ((job: SimulationJob, result: BlockResult) => void) | undefined;
  } | null = null;
  const idle: WorkerPort[] = [...ports];
  const sent = new Map<WorkerPort, Set<string>>(ports.map((port) => [port, new Set()]));

  const dispatch = () => {
    const run = current;
    if (run === null) return;
    while (idle.length > 0 && run.queue.length > 0) {
      const port = idle.shift() as WorkerPort;
      const { active, block } = run.queue.shift() as { active: Active; block: number };
      const known = sent.get(port) as Set<string>;
      const first = !known.has(active.job.key);
      known.add(active.job.key);
      port.post({
        type: 'block',
        key: active.job.key,
        block,
        job: first
          ? {
              file: active.job.file,
              scenario: active.job.scenario,
              condition: active.job.condition,
            }
          : undefined,
      });
    }
  };

  for (const port of ports) {
    port.listen({
      response: (response) => {
        idle.push(port);
        const run = current;
        const active = run?.byKey.get(response.key);
        if (run === null || active === undefined) {
          dispatch();
          return;
        }
        if (response.type === 'error') {
          run.settle(new Error(`simulation block ${response.block} failed: ${response.message}`));
          return;
        }
        active.results[response.result.block] = response.result;
        active.remaining -= 1;
        run.onBlock?.(active.job, response.result);
        if ([...run.byKey.values()].every((each) => each.remaining === 0)) run.settle(null);
        else dispatch();
      },
      error: (error) => {
        current?.settle(error);
      },
    });
  }

  return {
    run(jobs, { signal, onBlock }) {
      if (current !== null)
        return Promise.reject(new Error('the pool is already running a simulation'));
      signal?.throwIfAborted();
      return new Promise<BlockResult[][]>((resolve, reject) => {
        const actives = jobs.map((job, index): Active => ({
          job,
          index,
          results: [],
          remaining: blockCount(job.scenario.trials),
        }));
        const abort = () => {
          settle(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        const settle = (error: Error | null) => {
          if (current === null) return;
          current = null;
          signal?.removeEventListener('abort', abort);
          for (const port of ports) {
            const known = sent.get(port) as Set<string>;
            for (const job of jobs) {
              if (known.delete(job.key)) port.post({ type: 'forget', key: job.key });
            }
          }
          if (error === null) resolve(actives.map((active) => active.results));
          else reject(error);
        };
        current = {
          queue: actives.flatMap((active) =>
            Array.from({ length: active.remaining }, (_value, block) => ({ active, block })),
          ),
          byKey: new Map(actives.map((active) => [active.job.key, active])),
          settle,
          onBlock,
        };
        signal?.addEventListener('abort', abort, { once: true });
        if (actives.every((active) => active.remaining === 0)) settle(null);
        else dispatch();
      });
    },
  };
}
