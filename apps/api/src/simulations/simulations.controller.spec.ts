import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { simulate, simulationStates } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../../../../tests/support/app.js';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/database.js';
import { ManualClock } from '../../../../tests/support/clock.js';
import {
  exampleContestFile,
  largeSimulationFile,
} from '../../../../tests/support/contest-files.js';
import { JobsService } from '../jobs/jobs.service.js';
import { SimulationsService, type SimulationUpdate } from './simulations.service.js';

interface Http {
  status: number;
  text: string;
  body: Record<string, unknown> & { [key: string]: unknown };
}

/** Simulations over HTTP on a real PostgreSQL, run by worker threads. */
describe('simulations', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let service: SimulationsService;

  async function call(method: string, url: string, body?: unknown): Promise<Http> {
    const response = await fetch(`${sut.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? (JSON.parse(text) as Http['body']) : {} };
  }

  /** Polls until the run is in one of `states`; only the test's time limit ends the wait. */
  async function until(id: string, states: string[]): Promise<Http> {
    for (;;) {
      const response = await call('GET', `/api/simulations/${id}`);
      if (states.includes(response.body.state as string)) return response;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    process.env.PODIUM_SIMULATION_WORKERS = '2';
    database = await createTestDatabase();
    sut = await createTestApp(database.url, {
      adminEmail: TEST_ADMIN.email,
      adminPassword: TEST_ADMIN.password,
    });
    token = await login(sut.url);
    service = sut.app.get(SimulationsService);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
    delete process.env.PODIUM_SIMULATION_WORKERS;
  });

  it('runs a file to done, stores exactly what simulate gives for that seed, reports progress', async () => {
    const file = await exampleContestFile();
    const updates: SimulationUpdate[] = [];
    const unsubscribe = service.onProgress((update) => updates.push(update));
    const scenario = { trials: 1200, seed: 42 };
    const created = await call('POST', '/api/simulations', { file, scenario });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.any(String), state: 'queued' });
    const id = created.body.id as string;

    const done = await until(id, ['done', 'failed']);
    unsubscribe();
    expect(done.body).toMatchObject({
      id,
      state: 'done',
      contestId: null,
      createdBy: `user:${TEST_ADMIN.email}`,
      progress: { trialsDone: expect.any(Number), trialsTotal: expect.any(Number) },
    });
    expect(Date.parse(done.body.finishedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(done.body.createdAt as string),
    );
    const expected = await simulate(file, { scenario });
    expect(JSON.stringify(done.body.result)).toBe(JSON.stringify(expected));

    const mine = updates.filter((update) => update.id === id);
    expect(mine[0]?.state).toBe('queued');
    expect(mine.some((update) => update.state === 'running')).toBe(true);
    const last = mine[mine.length - 1];
    expect(last).toMatchObject({ state: 'done' });
    expect(last?.progress.trialsDone).toBe(last?.progress.trialsTotal);
    const forecast = mine.filter((update) => update.progress.phase === 'forecast');
    expect(forecast.some((u) => u.progress.trialsDone > 0 && u.progress.trialsDone < 1200)).toBe(
      true,
    );
  });

  it('simulates a stored contest by id, without its events', async () => {
    const file = await exampleContestFile();
    const contest = await call('POST', '/api/contests', file);
    expect(contest.status).toBe(201);
    const scenario = { trials: 500, seed: 3 };
    const created = await call('POST', '/api/simulations', {
      contestId: contest.body.id,
      scenario,
      remedies: false,
    });
    expect(created.status).toBe(202);
    const done = await until(created.body.id as string, ['done', 'failed']);
    expect(done.body).toMatchObject({ state: 'done', contestId: contest.body.id });
    const expected = await simulate({ ...file, events: [] }, { scenario, remedies: false });
    expect((done.body.result as { fund: unknown }).fund).toEqual(expected.fund);
    expect((done.body.result as { participants: unknown }).participants).toEqual(
      expected.participants,
    );
  });

  it('cancels a long run at once and frees the pool for the next', async () => {
    const base = await exampleContestFile();
    const long = await call('POST', '/api/simulations', {
      file: largeSimulationFile(base),
      scenario: { trials: 1_000_000 },
      remedies: false,
    });
    const id = long.body.id as string;
    await until(id, ['running']);
    // Answered as cancelled, and stored without a result (below): the run was stopped, not waited
    // for. No wall-clock bound here: it would measure the machine's load, not the cancel.
    const cancelled = await call('POST', `/api/simulations/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, state: 'cancelled' });
    await expect(call('POST', `/api/simulations/${id}/cancel`)).resolves.toMatchObject({
      status: 200,
      body: { state: 'cancelled' },
    });

    const next = await call('POST', '/api/simulations', {
      file: base,
      scenario: { trials: 500 },
      remedies: false,
    });
    const done = await until(next.body.id as string, ['done', 'failed']);
    expect(done.body.state).toBe('done');
    await expect(
      call('POST', `/api/simulations/${String(next.body.id)}/cancel`),
    ).resolves.toMatchObject({ status: 409, body: { code: 'simulation_state' } });
    const stored = await call('GET', `/api/simulations/${id}`);
    expect(stored.body).toMatchObject({ state: 'cancelled' });
    expect(stored.body.result).toBeUndefined();
  });

  it('runs queued simulations one at a time, in the order they were asked', async () => {
    const file = await exampleContestFile();
    const ids: string[] = [];
    for (let seed = 1; seed <= 3; seed += 1) {
      const created = await call('POST', '/api/simulations', {
        file,
        scenario: { trials: 1500, seed },
      });
      ids.push(created.body.id as string);
    }
    const runs = [];
    for (const id of ids) runs.push((await until(id, ['done', 'failed'])).body);
    expect(runs.map((run) => run.state)).toEqual(['done', 'done', 'done']);
    for (let index = 1; index < runs.length; index += 1) {
      expect(Date.parse(runs[index]?.startedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(runs[index - 1]?.finishedAt as string),
      );
    }

    const list = await call('GET', '/api/simulations');
    expect(list.status).toBe(200);
    const listed = list.body as unknown as { id: string; createdAt: string; result?: unknown }[];
    expect(listed.slice(0, 3).map((run) => run.id)).toEqual([...ids].reverse());
    expect(listed.every((run) => run.result === undefined)).toBe(true);
  });

  it('stores exactly the states the model spells', async () => {
    const rows: { definition: string }[] = await sut.app.get(DataSource).query(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conrelid = 'simulations'::regclass AND contype = 'c'
            AND pg_get_constraintdef(oid) LIKE '%state = ANY%'`,
    );
    expect(rows).toHaveLength(1);
    const stored = [...(rows[0]?.definition ?? '').matchAll(/'(\w+)'/g)].map((match) => match[1]);
    expect(stored.sort()).toEqual([...simulationStates].sort());
  });

  it('answers 400 naming the field, 404 for an unknown simulation or contest', async () => {
    const file = await exampleContestFile();
    const badTrials = await call('POST', '/api/simulations', { file, scenario: { trials: 0 } });
    expect(badTrials.status).toBe(400);
    expect(badTrials.body.issues).toEqual([
      {
        path: 'scenario.trials',
        message: expect.any(String),
        code: 'too_small',
        params: { kind: 'inclusive', min: 1 },
      },
    ]);
    const badFile = await call('POST', '/api/simulations', {
      file: { ...file, prizes: [{ place: 1, title: 'Trip', costMinor: 'lots' }] },
    });
    expect(badFile.status).toBe(400);
    expect(badFile.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'file.prizes[0].costMinor', message: expect.any(String), code: 'invalid_type' },
      ]),
    );
    const nothing = await call('POST', '/api/simulations', { scenario: { seed: 1 } });
    expect(nothing.status).toBe(400);
    expect(nothing.body.issues).toEqual([
      { path: 'file', message: expect.any(String), code: 'required' },
    ]);
    const noFigures = await call('POST', '/api/simulations', {
      file: {
        ...file,
        participants: file.participants.map(({ history: _history, ...rest }) => rest),
      },
    });
    expect(noFigures.status).toBe(400);
    expect((noFigures.body.issues as { path: string }[])[0]?.path).toBe(
      'file.participants[0].history',
    );

    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(call('GET', `/api/simulations/${unknown}`)).resolves.toMatchObject({
      status: 404,
    });
    await expect(call('POST', `/api/simulations/${unknown}/cancel`)).resolves.toMatchObject({
      status: 404,
    });
    await expect(call('POST', '/api/simulations', { contestId: unknown })).resolves.toMatchObject({
      status: 404,
    });
    await expect(call('GET', '/api/simulations/not-a-uuid')).resolves.toMatchObject({
      status: 400,
    });
  });
});

/**
 * A test app on a manual clock (contest time) still runs simulations: a lease is an operational
 * timeout on the database's own clock, whatever time the contests live in.
 */
describe('simulations on a manual clock', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  // Months behind the real time: a lease compared with this clock would look long expired.
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  async function get(id: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${sut.url}/api/simulations/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    process.env.PODIUM_SIMULATION_WORKERS = '2';
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password },
      { clock },
    );
    token = await login(sut.url);
  });

  afterAll(async () => {
    await sut.close();
    await database.drop();
    delete process.env.PODIUM_SIMULATION_WORKERS;
  });

  it('keeps its lease on the database clock while contest time is elsewhere, and runs to done', async () => {
    const file = largeSimulationFile(await exampleContestFile());
    const created = await fetch(`${sut.url}/api/simulations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ file, scenario: { trials: 2000, seed: 7 }, remedies: false }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    const jobs = sut.app.get(JobsService);

    let view = await get(id);
    for (let polls = 0; view.state === 'queued'; polls += 1) {
      if (polls > 6_000) throw new Error('the simulation was never claimed');
      await new Promise((resolve) => setTimeout(resolve, 10));
      view = await get(id);
    }
    expect(view).toMatchObject({ state: 'running', startedAt: '2026-03-10T12:00:00.000Z' });
    // The reaper, asked directly with the manual clock in the past and then a year ahead, finds
    // nothing to take back from a run whose process is alive.
    await expect(jobs.reap()).resolves.toBe(0);
    clock.set('2027-03-10T12:00:00Z');
    await expect(jobs.reap()).resolves.toBe(0);
    clock.set('2026-03-10T12:00:00Z');

    for (let polls = 0; view.state === 'queued' || view.state === 'running'; polls += 1) {
      if (polls > 12_000) throw new Error(`simulation still ${String(view.state)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = await get(id);
    }
    expect({ state: view.state, error: view.error }).toEqual({ state: 'done', error: undefined });
    expect(view.createdAt).toBe('2026-03-10T12:00:00.000Z');
    expect(view.finishedAt).toBe('2026-03-10T12:00:00.000Z');
  }, 700_000);
});
