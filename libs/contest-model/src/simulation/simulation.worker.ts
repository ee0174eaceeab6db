// The browser's simulation worker: `new Worker(new URL('…/simulation.worker.js', import.meta.url),
// { type: 'module' })`, wrapped as a WorkerPort for createPoolExecutor. Pure: no Node built-ins.
import { createWorkerHandler, transferables, type WorkerRequest } from './worker-protocol.js';

const handle = createWorkerHandler();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const response = handle(event.data);
  if (response !== null) self.postMessage(response, { transfer: transferables(response) });
};
