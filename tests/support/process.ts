import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const apiMain = path.join(repoRoot, 'apps/api/dist/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The built API (`apps/api/dist/main.js`) as a child process, with its output collected. */
export class ApiProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string | undefined>) {
    // The child gets exactly the configuration the test gives it, not the runner's.
    const owned = new Set(['DATABASE_URL', 'PORT', 'PODIUM_DATA_DIR', 'PODIUM_DEMO', 'REDIS_URL']);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !owned.has(name)),
    );
    this.child = spawn(process.execPath, [apiMain], {
      cwd: repoRoot,
      env: { ...inherited, LOG_LEVEL: 'info', ...env } as NodeJS.ProcessEnv,
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** JSON log lines printed so far. */
  logs(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Polls `url` until it answers 200, or fails after `timeoutMs` with what the process printed. */
export async function waitForHealthy(
  url: string,
  api: ApiProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.child.exitCode !== null) {
      throw new Error(`the API exited with ${api.child.exitCode}: ${api.stderr}${api.stdout}`);
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become healthy: ${api.stderr}${api.stdout.slice(-2000)}`);
}

/** Anything with `on`/`off`: a socket.io client (typed or not), an EventEmitter. */
type Listenable = {
  on: (...args: never[]) => unknown;
  off: (...args: never[]) => unknown;
};

/**
 * Resolves with the first `event` whose payload matches, or rejects after `timeoutMs`. The default
 * only tells "never comes" from "comes late": the events waited for follow a request within the
 * server's 100 ms coalescing window, and a busy machine may stretch that many times over.
 */
export function waitForEvent<T>(
  emitter: Listenable,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<T> {
  // Typed socket.io clients only accept their own event names; the caller names a real one.
  const socket = emitter as unknown as {
    on(event: string, listener: (payload: T) => void): unknown;
    off(event: string, listener: (payload: T) => void): unknown;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
