import {
  createPoolExecutor,
  simulate,
  type ContestFile,
  type SimulationProgress,
  type SimulationResult,
  type SimulationState,
  type WorkerPort,
  type WorkerResponse,
} from '@podium/contest-model';

/** A run in the browser: not started, or a simulation's state (the browser queues nothing). */
export type RunStatus = 'idle' | Exclude<SimulationState, 'queued'>;

/** Workers per run: the cores the browser reports, one left for the page, at most four. */
function workerCount(): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, Math.min(4, cores - 1));
}

function startWorker(): { worker: Worker; port: WorkerPort } {
  const worker = new Worker(new URL('../sim.worker.ts', import.meta.url), { type: 'module' });
  const port: WorkerPort = {
    post: (request) => worker.postMessage(request),
    listen: ({ response, error }) => {
      worker.onmessage = (event: MessageEvent<WorkerResponse>) => response(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        error(new Error(event.message || 'the simulation worker failed'));
      };
    },
  };
  return { worker, port };
}

/**
 * One Monte Carlo run of the simulator in Web Workers: progress, cancel and the result. Workers
 * live for one run only, so cancelling terminates them at once instead of waiting for a block.
 */
export class SimRun {
  #status = $state<RunStatus>('idle');
  #progress = $state<SimulationProgress>({ phase: 'forecast', trialsDone: 0, trialsTotal: 0 });
  #result = $state.raw<SimulationResult | null>(null);
  /** The validated file the result was computed from, to save its scenario with the draft. */
  #file = $state.raw<ContestFile | null>(null);
  #error = $state<string | null>(null);
  #abort: AbortController | null = null;
  #workers: Worker[] = [];

  get status(): RunStatus {
    return this.#status;
  }

  get progress(): SimulationProgress {
    return this.#progress;
  }

  /** Share of the current phase done, 0..1 (1 once the run has finished). */
  get fraction(): number {
    if (this.#status === 'done') return 1;
    const { trialsDone, trialsTotal } = this.#progress;
    return trialsTotal === 0 ? 0 : trialsDone / trialsTotal;
  }

  get result(): SimulationResult | null {
    return this.#result;
  }

  get file(): ContestFile | null {
    return this.#file;
  }

  get error(): string | null {
    return this.#error;
  }

  async run(file: ContestFile): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    this.#status = 'running';
    this.#error = null;
    this.#progress = { phase: 'forecast', trialsDone: 0, trialsTotal: 0 };
    const started = Array.from({ length: workerCount() }, startWorker);
    this.#workers = started.map((each) => each.worker);
    try {
      const result = await simulate(file, {
        executor: createPoolExecutor({ ports: started.map((each) => each.port) }),
        signal: abort.signal,
        onProgress: (progress) => {
          if (this.#abort === abort) this.#progress = progress;
        },
      });
      if (this.#abort !== abort) return;
      this.#result = result;
      this.#file = file;
      this.#status = 'done';
    } catch (error) {
      if (this.#abort !== abort) return;
      if (abort.signal.aborted) this.#status = 'cancelled';
      else {
        this.#status = 'failed';
        this.#error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        this.#terminate();
      }
    }
  }

  cancel(): void {
    const abort = this.#abort;
    if (abort === null) return;
    this.#abort = null;
    abort.abort(new DOMException('cancelled', 'AbortError'));
    this.#terminate();
    this.#status = 'cancelled';
  }

  #terminate(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
  }
}
