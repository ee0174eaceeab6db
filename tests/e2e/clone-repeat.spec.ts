import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFile } from '@podium/contest-model';
import { createCanvas, encodePng, fill } from '../../apps/api/src/demo/png.js';
import { LifecycleService } from '../../apps/api/src/contests/lifecycle.service.js';
import { MonthlyRepeatsService } from '../../apps/api/src/contests/monthly-repeats.service.js';
import type { TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { exampleContestFile } from '../support/contest-files.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { call, createAdminApp, issuePaths, request, type Answer } from '../support/http.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';

interface Contest {
  id: string;
  name: string;
  state: string;
  period: { start: string; end: string };
  repeatMonthly?: boolean;
  approval?: { verdict: string; simulationId: string | null; current: boolean } | null;
}

/** Clones (`POST /api/contests/:id/clone`) and monthly repeats (DESIGN §4) over HTTP. */
describe('clones and monthly repeats', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let token: string;
  let file: ContestFile;
  const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));

  const api = <T = { message: string; issues: { path: string }[] }>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<T>> => call<T>(sut.url, method, `/api${path}`, { token, body });

  /** The example with its participants renamed after the test, so their plans are its own. */
  async function draft(owner: string, name: string): Promise<string> {
    const created = await api<{ id: string }>('POST', '/contests', {
      ...file,
      name,
      participants: file.participants.map((p) => ({ ...p, id: `${owner}-${p.id}` })),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ sut, token } = await createAdminApp(database.url, {}, { clock }));
    file = { ...(await exampleContestFile()), events: [] };
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  it('clones a contest into a draft with its rules, plans, participants and prize pictures', async () => {
    const id = await draft('cl', 'Spring sprint');
    const canvas = createCanvas(16, 12);
    fill(canvas, (x, y) => [x * 16, y * 20, 90, 255]);
    const image = await call(sut.url, 'PUT', `/api/contests/${id}/prizes/1/image`, {
      token,
      raw: encodePng(canvas),
      headers: { 'content-type': 'image/png' },
    });
    expect(image.status).toBe(200);
    expect(
      (
        await api('PUT', `/contests/${id}/plans`, {
          'cl-p2': { turnoverMinor: 123_400, marginMinor: 20_000 },
        })
      ).status,
    ).toBe(200);
    expect((await api('POST', `/contests/${id}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);

    const cloned = await api<{ id: string; state: string }>('POST', `/contests/${id}/clone`, {
      name: 'Summer sprint',
      period: { start: '2026-06-01', end: '2026-07-01' },
    });
    expect(cloned).toMatchObject({ status: 201, body: { state: 'draft' } });
    const copy = cloned.body.id;
    expect(copy).not.toBe(id);
    const contest = await api<Contest>('GET', `/contests/${copy}`);
    expect(contest.body).toMatchObject({
      name: 'Summer sprint',
      state: 'draft',
      period: { start: '2026-06-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' },
      approval: null,
    });
    const [source, target] = await Promise.all([
      api<ContestFile>('GET', `/contests/${id}/file`),
      api<ContestFile>('GET', `/contests/${copy}/file`),
    ]);
    const { name: _a, period: _b, ...sourceRules } = source.body;
    const { name: _c, period: _d, ...targetRules } = target.body;
    expect(targetRules).toEqual(sourceRules);
    expect((await api('GET', `/contests/${copy}/plans`)).body).toMatchObject({
      'cl-p2': { turnoverMinor: 123_400, marginMinor: 20_000 },
    });
    const picture = await request(sut.url, 'GET', `/api/contests/${copy}/prizes/1/image`, {
      token,
    });
    const original = await request(sut.url, 'GET', `/api/contests/${id}/prizes/1/image`, {
      token,
    });
    expect(picture.status).toBe(200);
    expect(Buffer.from(await picture.arrayBuffer())).toEqual(
      Buffer.from(await original.arrayBuffer()),
    );
    const audit = await api<{ action: string; details: unknown }[]>(
      'GET',
      `/contests/${copy}/audit`,
    );
    expect(audit.body.map((entry) => entry.action)).toEqual(['created', 'cloned']);
    expect(audit.body[1]?.details).toMatchObject({ from: id, name: 'Summer sprint' });

    // Without a body: the same name and period.
    const same = await api<{ id: string }>('POST', `/contests/${id}/clone`);
    expect(same.status).toBe(201);
    expect((await api<Contest>('GET', `/contests/${same.body.id}`)).body).toMatchObject({
      name: 'Spring sprint',
      period: { start: '2026-03-01T00:00:00.000Z' },
    });
  });

  it('refuses a clone with a bad period or an unknown field, naming it', async () => {
    const id = await draft('cb', 'Bad clones');
    const backwards = await api('POST', `/contests/${id}/clone`, {
      period: { start: '2026-06-01', end: '2026-05-01' },
    });
    expect(backwards.status).toBe(400);
    expect(issuePaths(backwards)).toEqual(['period.end']);
    const notADate = await api('POST', `/contests/${id}/clone`, {
      period: { start: 'June', end: '2026-07-01' },
    });
    expect(notADate.status).toBe(400);
    expect(issuePaths(notADate)).toEqual(['period.start']);
    const missing = await api('POST', '/contests/00000000-0000-4000-8000-000000000000/clone');
    expect(missing.status).toBe(404);
  });

  it('repeats only a one-month contest', async () => {
    const id = await draft('rm', 'Six weeks');
    expect(
      (
        await api('PUT', `/contests/${id}`, {
          ...file,
          name: 'Six weeks',
          period: { start: '2026-03-01', end: '2026-04-15' },
        })
      ).status,
    ).toBe(200);
    const refused = await api('PATCH', `/contests/${id}`, { repeatMonthly: true });
    expect(refused.status).toBe(400);
    expect(issuePaths(refused)).toEqual(['repeatMonthly']);
    const month = await draft('rn', 'One month');
    const accepted = await api<Contest>('PATCH', `/contests/${month}`, { repeatMonthly: true });
    expect(accepted).toMatchObject({ status: 200, body: { repeatMonthly: true } });
  });

  it("makes the next month's draft once, with proposed plans and an approved simulation, and never launches it", async () => {
    const id = await draft('rp', 'Monthly sprint');
    // Few trials: the repeat's simulation runs the file's scenario.
    expect(
      (
        await api('PUT', `/contests/${id}`, {
          ...file,
          name: 'Monthly sprint',
          scenario: { trials: 500, seed: 5 },
          participants: file.participants.map((p) => ({ ...p, id: `rp-${p.id}` })),
        })
      ).status,
    ).toBe(200);
    // A stored April plan for one seller; the others have no stored plan nor history here.
    const plans = await api('PUT', '/participants/rp-p2/plans', [
      { month: '2026-04', turnoverMinor: 4_000_000, marginMinor: 800_000, newClients: 4 },
    ]);
    expect(plans.status).toBe(200);
    expect((await api('PATCH', `/contests/${id}`, { repeatMonthly: true })).status).toBe(200);
    expect((await api('POST', `/contests/${id}/launch`, LAUNCH_PAST_GATE)).status).toBe(200);

    // Before the end of the period: nothing.
    const repeats = sut.app.get(MonthlyRepeatsService);
    await repeats.runDue(clock.now());
    const list = async () =>
      (await api<Contest[]>('GET', '/contests')).body.filter((c) => c.name === 'Monthly sprint');
    expect(await list()).toHaveLength(1);

    // Past it, two runs at once (as two processes would): one draft.
    clock.set('2026-04-01T00:00:05Z');
    await Promise.all([repeats.runDue(clock.now()), repeats.runDue(clock.now())]);
    await sut.app.get(LifecycleService).tick();
    const contests = await list();
    expect(contests).toHaveLength(2);
    // The repeating draft of the test before was never launched: it does not repeat.
    const all = (await api<Contest[]>('GET', '/contests')).body;
    expect(all.filter((c) => c.name === 'One month')).toHaveLength(1);
    const next = contests.find((c) => c.id !== id) as Contest;
    expect(next).toMatchObject({
      state: 'draft',
      period: { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' },
    });

    const nextPlans = await api<Record<string, { turnoverMinor: number; newClients?: number }>>(
      'GET',
      `/contests/${next.id}/plans`,
    );
    expect(nextPlans.body['rp-p2']).toMatchObject({ turnoverMinor: 4_000_000, newClients: 4 });
    const sourcePlan = file.participants.find((p) => p.id === 'p3')?.plan;
    expect(nextPlans.body['rp-p3']).toEqual(sourcePlan);

    // The lifecycle's tick approves its server-side simulation once it is done.
    let approved: Contest | null = null;
    while (approved === null) {
      await sut.app.get(LifecycleService).tick();
      const read = await api<Contest>('GET', `/contests/${next.id}`);
      if (read.body.approval) approved = read.body;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(approved).toMatchObject({ state: 'draft', repeatMonthly: true });
    const simulationId = approved.approval?.simulationId as string;
    expect(simulationId).toEqual(expect.any(String));
    const run = await api<{ contestId: string; result: { fairness: { verdict: string } } }>(
      'GET',
      `/simulations/${simulationId}`,
    );
    expect(run.body.contestId).toBe(next.id);
    expect(approved.approval).toMatchObject({
      verdict: run.body.result.fairness.verdict,
      current: true,
    });
    const audit = await api<{ action: string; actor: string }[]>(
      'GET',
      `/contests/${next.id}/audit`,
    );
    expect(audit.body.map((entry) => entry.action)).toEqual([
      'created',
      'repeated',
      'scenario-approved',
    ]);

    // More ticks change nothing: still two contests, the draft not launched.
    await sut.app.get(LifecycleService).tick();
    await repeats.runDue(clock.now());
    expect(await list()).toHaveLength(2);
    expect((await api<Contest>('GET', `/contests/${next.id}`)).body.state).toBe('draft');
    clock.set('2026-03-10T12:00:00Z');
  });
});
