import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import type { TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { exampleContestFile } from '../support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { call, createAdminApp, issuePaths, type Answer } from '../support/http.js';

interface Refusal {
  code?: string;
  message: string;
  issues: { path: string; message: string }[];
}

interface Contest {
  id: string;
  state: string;
  approval?: {
    verdict: string;
    approvedAt: string;
    approvedBy: string;
    simulationId: string | null;
    current: boolean;
  } | null;
}

const SCENARIO = { uplift: 0.1, correlation: 0.3, trials: 400, seed: 3 };

/**
 * The launch gate (DESIGN §4) over HTTP: a contest launches when a simulation of its rules as
 * they are is approved with a balanced verdict, or with an override whose reason the audit keeps.
 */
describe('the launch gate', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let file: ContestFile;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = Refusal>(method: string, path: string, body?: unknown): Promise<Answer<T>> =>
    call<T>(sut.url, method, `/api${path}`, { token, body });

  async function draft(name: string): Promise<string> {
    const created = await api<{ id: string }>('POST', '/contests', { ...file, name });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  const approve = (id: string, body: Record<string, unknown>) =>
    api<Contest & Refusal>('PUT', `/contests/${id}/scenario`, { scenario: SCENARIO, ...body });

  /** Polls the run until it ends; only the test's time limit ends the wait. */
  async function finished(id: string): Promise<{ state: string; result?: unknown }> {
    for (;;) {
      const run = await api<{ state: string; result?: unknown }>('GET', `/simulations/${id}`);
      if (['done', 'failed', 'cancelled'].includes(run.body.state)) return run.body;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url, {}, { clock }));
    file = await exampleContestFile();
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('stops an unsimulated contest, and lets an override through with its reason audited', async () => {
    const id = await draft('Not simulated');
    expect((await api<Contest>('GET', `/contests/${id}`)).body.approval).toBeNull();

    const gated = await api('POST', `/contests/${id}/launch`);
    expect(gated.status).toBe(409);
    expect(gated.body.code).toBe('not_simulated');
    expect((await api<Contest>('GET', `/contests/${id}`)).body.state).toBe('draft');

    const launched = await api<Contest>('POST', `/contests/${id}/launch`, {
      override: { reason: '  пилот  ' },
    });
    expect(launched).toMatchObject({ status: 200, body: { state: 'live' } });
    const audit = await api<{ action: string; details: unknown }[]>('GET', `/contests/${id}/audit`);
    expect(audit.body.find((entry) => entry.action === 'launched')?.details).toMatchObject({
      override: { reason: 'пилот', gate: 'not_simulated' },
    });
  });

  it('launches a contest approved as balanced without an override', async () => {
    const id = await draft('Balanced');
    const approved = await approve(id, { verdict: 'balanced' });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({
      verdict: 'balanced',
      approvedBy: 'user:admin@test.local',
      simulationId: null,
      current: true,
    });
    const launched = await api<Contest>('POST', `/contests/${id}/launch`);
    expect(launched).toMatchObject({ status: 200, body: { state: 'live' } });
    const audit = await api<{ action: string; details: unknown }[]>('GET', `/contests/${id}/audit`);
    const row = audit.body.find((entry) => entry.action === 'launched');
    expect(row?.details).toMatchObject({ verdict: 'balanced' });
    expect(row?.details).not.toHaveProperty('override');
  });

  it('stops a contest approved as unbalanced, with its own code', async () => {
    const id = await draft('Unbalanced');
    expect((await approve(id, { verdict: 'unbalanced' })).status).toBe(200);
    const gated = await api('POST', `/contests/${id}/launch`);
    expect(gated.status).toBe(409);
    expect(gated.body.code).toBe('unbalanced');
    const launched = await api<Contest>('POST', `/contests/${id}/launch`, {
      override: { reason: 'the newcomers have their own league next month' },
    });
    expect(launched.status).toBe(200);
    const audit = await api<{ action: string; details: unknown }[]>('GET', `/contests/${id}/audit`);
    expect(audit.body.find((entry) => entry.action === 'launched')?.details).toMatchObject({
      verdict: 'unbalanced',
      override: { reason: 'the newcomers have their own league next month', gate: 'unbalanced' },
    });
  });

  it('wants a new simulation once the rules are replaced, but not after a rename', async () => {
    const id = await draft('Replaced');
    expect((await approve(id, { verdict: 'balanced' })).status).toBe(200);
    const renamed = await api<Contest>('PATCH', `/contests/${id}`, { name: 'Renamed' });
    expect(renamed.body.approval?.current).toBe(true);

    const replaced = await api<Contest>('PUT', `/contests/${id}`, {
      ...file,
      name: 'Renamed',
      funding: { ...file.funding, fundShare: 0.42 },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.approval).toMatchObject({ verdict: 'balanced', current: false });
    const gated = await api('POST', `/contests/${id}/launch`);
    expect(gated.status).toBe(409);
    expect(gated.body.code).toBe('not_simulated');
    expect(gated.body.message).toContain('rules changed');

    expect((await approve(id, { verdict: 'balanced' })).status).toBe(200);
    expect((await api('POST', `/contests/${id}/launch`)).status).toBe(200);
  });

  it('approves a stored simulation with its own verdict', async () => {
    const id = await draft('Simulated on the server');
    const other = await draft('Another contest');
    const run = await api<{ id: string }>('POST', '/simulations', {
      contestId: id,
      scenario: SCENARIO,
      remedies: false,
    });
    expect(run.status).toBe(202);
    const foreign = await approve(other, { simulationId: run.body.id });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(issuePaths(foreign)).toEqual(['simulationId']);

    const done = await finished(run.body.id);
    expect(done.state).toBe('done');
    const verdict = (done.result as { fairness: { verdict: string } }).fairness.verdict;
    const approved = await approve(id, { simulationId: run.body.id });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ verdict, simulationId: run.body.id });
    const disagreeing = await approve(id, {
      simulationId: run.body.id,
      verdict: verdict === 'balanced' ? 'unbalanced' : 'balanced',
    });
    expect(disagreeing.status).toBe(400);
    expect(issuePaths(disagreeing)).toEqual(['verdict']);

    const launched = await api<Contest & Refusal>('POST', `/contests/${id}/launch`);
    if (verdict === 'balanced') expect(launched.status).toBe(200);
    else expect(launched.body.code).toBe('unbalanced');
  });

  it('refuses an unfinished or unknown simulation, and an approval without a verdict', async () => {
    const id = await draft('Refusals');
    const missing = await approve(id, {});
    expect(missing.status).toBe(400);
    expect(issuePaths(missing)).toEqual(['verdict']);
    const unknown = await approve(id, { simulationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(400);
    expect(issuePaths(unknown)).toEqual(['simulationId']);
    const notUuid = await approve(id, { simulationId: 'browser-run' });
    expect(notUuid.status).toBe(400);
    expect(issuePaths(notUuid)).toEqual(['simulationId']);
    const run = await api<{ id: string }>('POST', '/simulations', {
      contestId: id,
      scenario: SCENARIO,
      remedies: false,
    });
    const cancelled = await api('POST', `/simulations/${run.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const early = await approve(id, { simulationId: run.body.id });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('simulation_state');
    expect(issuePaths(early)).toEqual(['simulationId']);
  });

  it('refuses a bad override body naming the field', async () => {
    const id = await draft('Bad bodies');
    for (const [body, path] of [
      [{ override: { reason: '   ' } }, 'override.reason'],
      [{ override: { reason: 'x'.repeat(501) } }, 'override.reason'],
      [{ override: {} }, 'override.reason'],
      [{ override: 'because' }, 'override'],
      [{ reason: 'at the top' }, '(root)'],
    ] as const) {
      const answer = await api('POST', `/contests/${id}/launch`, body);
      expect(answer.status).toBe(400);
      expect(issuePaths(answer)).toEqual([path]);
    }
    expect((await api<Contest>('GET', `/contests/${id}`)).body.state).toBe('draft');
  });

  it('meets an empty JSON body with the gate, not a 400', async () => {
    const id = await draft('Empty JSON body');
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = httpRequest(
        `${sut.url}/api/contests/${id}/launch`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': '0',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end();
    });
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'not_simulated' });
  });

  it('shows the approval to staff only', async () => {
    const id = await draft('Seen by staff');
    expect((await approve(id, { verdict: 'balanced' })).status).toBe(200);
    expect((await api('POST', `/contests/${id}/launch`)).status).toBe(200);
    const staff = await api<Contest>('GET', `/contests/${id}`);
    expect(staff.body.approval).toMatchObject({ verdict: 'balanced', current: true });
    const display = await api<{ token: string }>('POST', '/displays', {
      name: 'Gate lobby',
      contestIds: [id],
    });
    expect(display.status).toBe(201);
    const shown = await call<Contest>(sut.url, 'GET', `/api/contests/${id}`, {
      token: display.body.token,
    });
    expect(shown.status).toBe(200);
    expect(shown.body).not.toHaveProperty('approval');
    expect(shown.body).not.toHaveProperty('repeatMonthly');
  });
});
