// A Node worker thread of the simulation pool: answers WorkerRequests with the core's handler.
import { parentPort } from 'node:worker_threads';
import { createWorkerHandler, transferables, type WorkerRequest } from '@podium/contest-model';

const port = parentPort;
if (port === null) throw new Error('simulation-worker runs as a worker thread');
const handle = createWorkerHandler();
port.on('message', (request: WorkerRequest) => {
  const response = handle(request);
  if (response !== null) port.postMessage(response, transferables(response));
});
