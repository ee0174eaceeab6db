import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import {
  exampleContestFile,
  largeSimulationFile,
} from '../../../../tests/support/contest-files.js';
import { SimulationsService, type SimulationUpdate } from './simulations.service.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A running simulation's lease is a lock on a connection of its own: when that connection ends
 * (here it is terminated, as when the database drops it), the run stops, goes back to the queue
 * and runs again — not left `running` with nobody running it.
 */
describe('a simulation whose lease connection ends', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;

  async function call(method: string, url: string, body?: unknown) {
    const response = await fetch(`${sut.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    process.env.PODIUM_SIMULATION_WORKERS = '1';
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
    });
    token = await login(sut.url);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
    delete process.env.PODIUM_SIMULATION_WORKERS;
  });

  it('goes back to the queue and runs again', async () => {
    const updates: SimulationUpdate[] = [];
    sut.app.get(SimulationsService).onProgress((update) => updates.push(update));
    const created = await call('POST', '/api/simulations', {
      file: largeSimulationFile(await exampleContestFile()),
      scenario: { trials: 1_000_000 },
      remedies: false,
    });
    const id = created.id as string;
    const progressed = () =>
      updates.some(
        (update) =>
          update.id === id && update.state === 'running' && update.progress.trialsDone > 0,
      );
    while (!progressed()) await sleep(50);

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const ended = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(ended.rowCount).toBe(1);
      const seen = updates.length;
      // Queued again, then running again: the job's second run, which announces itself with no
      // trial done. The first run's progress may still arrive after the requeue until that run
      // hears it lost its lease, so a `running` with trials done is not the second run.
      const requeued = () =>
        updates.slice(seen).findIndex((update) => update.id === id && update.state === 'queued');
      while (requeued() < 0) await sleep(50);
      const rerun = () =>
        updates
          .slice(seen + requeued())
          .some(
            (update) =>
              update.id === id && update.state === 'running' && update.progress.trialsDone === 0,
          );
      while (!rerun()) await sleep(50);
      const jobs = await admin.query<{ state: string; retry_count: number }>(
        `SELECT state, retry_count FROM pgboss.job WHERE name = 'simulation'
           AND data->>'simulationId' = $1`,
        [id],
      );
      expect(jobs.rows).toEqual([{ state: 'active', retry_count: 1 }]);
    } finally {
      await admin.end();
    }
    await expect(call('POST', `/api/simulations/${id}/cancel`)).resolves.toMatchObject({
      state: 'cancelled',
    });
  });

  it('stops writing and telling its progress once another run holds its row', async () => {
    const updates: SimulationUpdate[] = [];
    sut.app.get(SimulationsService).onProgress((update) => updates.push(update));
    const created = await call('POST', '/api/simulations', {
      file: largeSimulationFile(await exampleContestFile()),
      scenario: { trials: 1_000_000 },
      remedies: false,
    });
    const id = created.id as string;
    while (
      !updates.some(
        (update) =>
          update.id === id && update.state === 'running' && update.progress.trialsDone > 0,
      )
    )
      await sleep(50);

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      // What a takeover leaves: the run was taken back (its lease seemed lost) and another
      // process started it again, with a start of its own and no trial done yet. This process's
      // run still holds its lease, so only the row can tell it that it is no longer its run.
      const taken = await admin.query(
        `UPDATE simulations
            SET started_at = started_at + interval '1 second',
                progress = jsonb_set(progress, '{trialsDone}', '0')
          WHERE id = $1 AND state = 'running'`,
        [id],
      );
      expect(taken.rowCount).toBe(1);
      const seen = updates.length;
      const rowProgress = async () =>
        (
          await admin.query<{ done: number }>(
            `SELECT (progress->>'trialsDone')::int AS done FROM simulations WHERE id = $1`,
            [id],
          )
        ).rows[0]?.done;
      // The old run stops: its job ends, as a run that finds its row gone ends it.
      const jobState = async () =>
        (
          await admin.query<{ state: string }>(
            `SELECT state FROM pgboss.job WHERE name = 'simulation' AND data->>'simulationId' = $1`,
            [id],
          )
        ).rows[0]?.state;
      const deadline = Date.now() + 5_000;
      while ((await jobState()) === 'active' && Date.now() < deadline) await sleep(50);
      // Long enough for several progress writes (every 200 ms) had the run gone on.
      await sleep(1_000);

      expect(await jobState()).toBe('completed');
      expect(await rowProgress()).toBe(0);
      expect(updates.slice(seen).filter((update) => update.id === id)).toEqual([]);
    } finally {
      await admin.end();
    }
    await expect(call('POST', `/api/simulations/${id}/cancel`)).resolves.toMatchObject({
      state: 'cancelled',
    });
  });
});
