import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { repoRoot } from '../../../../tests/support/process.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { dataSourceOptions } from '../database/data-source.js';
import { JobsService } from './jobs.service.js';
import { defineQueue, type OrphanedJob, type QueueSettings } from './queue.js';

/** One API process's job system: its own pool and its own pg-boss, on the shared database. */
class Process {
  readonly jobs: JobsService;

  private constructor(
    url: string,
    private readonly dataSource: DataSource,
  ) {
    this.jobs = new JobsService(url, dataSource);
  }

  static async start(url: string): Promise<Process> {
    const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
    const process = new Process(url, dataSource);
    await process.jobs.onModuleInit();
    process.jobs.onApplicationBootstrap();
    return process;
  }

  async stop(): Promise<void> {
    await this.jobs.beforeApplicationShutdown();
    await this.dataSource.destroy();
  }
}

const settings: QueueSettings = {
  retryLimit: 3,
  retryDelaySeconds: 1,
  backoff: true,
  expireInSeconds: 60,
  policy: 'standard',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(20);
}

/** The job system on a real PostgreSQL, with two processes sharing it. */
describe('jobs', () => {
  let database: TestDatabase;
  let a: Process;
  let b: Process;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two processes starting together: pg-boss creates its schema once.
    [a, b] = await Promise.all([Process.start(database.url), Process.start(database.url)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database.drop();
  });

  it('creates the same new queues in two processes at once', async () => {
    // Replicas starting together: each declares every queue as it bootstraps.
    for (let n = 0; n < 10; n += 1) {
      const queue = defineQueue<{ n: number }>(`test-created-${n}`, settings);
      await Promise.all([
        a.jobs.work(queue, {}, async () => undefined),
        b.jobs.work(queue, {}, async () => undefined),
      ]);
    }
  });

  it('retries a failing job after a backoff that doubles, then completes it', async () => {
    const queue = defineQueue<{ n: number }>('test-retry', settings);
    const runs: { at: number; retryCount: number }[] = [];
    await a.jobs.work(queue, {}, async (run) => {
      runs.push({ at: Date.now(), retryCount: run.retryCount });
      if (runs.length < 3) throw new Error(`try ${runs.length} fails`);
    });
    await a.jobs.send(queue, { n: 1 });
    a.jobs.wake(queue);
    await until(() => runs.length === 3);
    expect(runs.map((run) => run.retryCount)).toEqual([0, 1, 2]);
    // 1–2 s after the first failure, 2–4 s after the second.
    expect((runs[1]?.at ?? 0) - (runs[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect((runs[2]?.at ?? 0) - (runs[1]?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    await sleep(2_500);
    expect(runs).toHaveLength(3);
  });

  it('runs each job once when two processes take from the same queue', async () => {
    const queue = defineQueue<{ n: number }>('test-shared', settings);
    const runs: { n: number; by: string }[] = [];
    for (const [name, process] of [
      ['a', a],
      ['b', b],
    ] as const) {
      await process.jobs.work(queue, { concurrency: 3 }, async (run) => {
        await sleep(5);
        runs.push({ n: run.data.n, by: name });
      });
    }
    const count = 60;
    await Promise.all(Array.from({ length: count }, (_, n) => a.jobs.send(queue, { n })));
    a.jobs.wake(queue);
    b.jobs.wake(queue);
    await until(() => runs.length >= count);
    await sleep(2_000); // a job run twice would show meanwhile
    expect(runs.map((run) => run.n).sort((x, y) => x - y)).toEqual(
      Array.from({ length: count }, (_, n) => n),
    );
  });

  it('takes a leased run over from a process whose lock is gone, and runs it once more', async () => {
    const queue = defineQueue<{ n: number }>('test-leased', {
      ...settings,
      retryDelaySeconds: 0,
      backoff: false,
      lease: { graceSeconds: 1 },
    });
    const orphans: OrphanedJob<{ n: number }>[] = [];
    const runs: { by: string; retryCount: number }[] = [];
    let releaseDead: () => void = () => undefined;
    const deadEnds = new Promise<void>((resolve) => {
      releaseDead = resolve;
    });
    // Both processes' reapers look for orphans; the product's record would follow here.
    const onOrphan = async (_manager: unknown, job: OrphanedJob<{ n: number }>) => {
      orphans.push(job);
    };
    // A: takes the job and hangs, as a process frozen before it was killed.
    await a.jobs.work(queue, { onOrphan }, async (run) => {
      runs.push({ by: 'a', retryCount: run.retryCount });
      await deadEnds;
    });
    await a.jobs.send(queue, { n: 7 });
    a.jobs.wake(queue);
    await until(() => runs.length === 1);
    await b.jobs.work(queue, { onOrphan }, async (run) => {
      runs.push({ by: 'b', retryCount: run.retryCount });
    });
    // Alive, A keeps its run however long it takes.
    await sleep(2_500);
    await expect(b.jobs.reap()).resolves.toBe(0);
    expect(runs).toEqual([{ by: 'a', retryCount: 0 }]);
    // A's lease connection ends, as when the process is killed: the lock goes with it.
    const admin = new DataSource(dataSourceOptions(database.url));
    await admin.initialize();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
    } finally {
      await admin.destroy();
    }
    await until(() => runs.length === 2);
    expect(runs[1]).toEqual({ by: 'b', retryCount: 1 });
    expect(orphans).toEqual([
      { id: expect.any(String), data: { n: 7 }, retryCount: 0, retryLimit: 3, final: false },
    ]);
    releaseDead();
    await sleep(2_000);
    expect(runs).toHaveLength(2);
  });
});

/**
 * A process stops with its workers' polls still waiting for one of pg-boss's connections: the
 * built job system in a child process, which exits by itself only if nothing of pg-boss is left
 * running (a worker whose poll never got a connection would keep polling for its stop forever).
 */
describe('stopping the job system', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    // A child still running is the defect: it is ended before its database is dropped.
    if (child?.exitCode === null) child.kill('SIGKILL');
    await database.drop();
  });

  it('lets every poll finish, so that the process exits on its own', async () => {
    const dist = (file: string) =>
      JSON.stringify(pathToFileURL(path.join(repoRoot, 'apps/api/dist', file)).href);
    const script = `
      import { DataSource } from 'typeorm';
      import { JobsService } from ${dist('jobs/jobs.service.js')};
      import { defineQueue } from ${dist('jobs/queue.js')};
      import { dataSourceOptions } from ${dist('database/data-source.js')};
      const url = process.env.DATABASE_URL;
      const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
      const jobs = new JobsService(url, dataSource);
      await jobs.onModuleInit();
      jobs.onApplicationBootstrap();
      const queue = defineQueue('test-stop', ${JSON.stringify(settings)});
      // Three times as many workers as connections, all polling at once as the stop begins.
      await jobs.work(queue, { concurrency: 12 }, async () => undefined);
      jobs.wake(queue);
      await jobs.beforeApplicationShutdown();
      await dataSource.destroy();
      console.log('stopped');
    `;
    const running = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: database.url },
    });
    child = running;
    let output = '';
    running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => running.on('exit', resolve));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: 'stopped' });
  }, 120_000);
});
