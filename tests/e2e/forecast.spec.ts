import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContestFileInput, LiveForecastView } from '@podium/contest-model';
import { normalCdf } from '../../libs/contest-model/test-support/simulation-fixture.js';
import { createTestApp, login, TEST_ADMIN, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { LAUNCH_PAST_GATE } from '../support/launch-gate.js';
import { connectLive, type LiveClient } from '../support/live.js';
import { waitForEvent } from '../support/process.js';

const START = Date.parse('2026-06-01T00:00:00Z');
const END = Date.parse('2026-07-01T00:00:00Z');

/** The acceptance contest: one seller whose figures are given as stats, one prize. */
const MEAN_TURNOVER = 100_000_000; // 1,000,000.00 ₽
const CV = 0.25;
const MARGIN_RATE = 0.2;
const PLAN_MARGIN = 20_000_000; // 200,000.00 ₽
const COST = 2_000_000; // 20,000.00 ₽
const FUND_SHARE = 0.5;
const UPLIFT = 0.1;
const TRIALS = 20_000;

const oneSeller: ContestFileInput = {
  name: 'Forecast: one seller',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: FUND_SHARE },
  prizes: [{ place: 1, title: 'Trip', costMinor: COST }],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: [
    {
      id: 'fc1',
      name: 'Solo',
      plan: { turnoverMinor: 100_000_000, marginMinor: PLAN_MARGIN },
      stats: { turnoverMeanMinor: MEAN_TURNOVER, turnoverCv: CV, marginRate: MARGIN_RATE },
    },
  ],
  scenario: { uplift: UPLIFT, correlation: 1, trials: TRIALS, seed: 17 },
};

/** Two sellers, a fund that pays the first prize only: what the final forecast must equal. */
const twoSellers: ContestFileInput = {
  name: 'Forecast: the end',
  period: { start: '2026-06-01', end: '2026-07-01' },
  funding: { fundShare: 0.5 },
  prizes: [
    { place: 1, title: 'Trip', costMinor: 3_000_000 },
    { place: 2, title: 'Phone', costMinor: 9_000_000 },
  ],
  criteria: [{ metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 }],
  participants: ['fe1', 'fe2'].map((id) => ({
    id,
    name: id,
    plan: { turnoverMinor: 50_000_000, marginMinor: 10_000_000 },
    stats: { turnoverMeanMinor: 50_000_000, turnoverCv: 0.3, marginRate: 0.2 },
  })),
  scenario: { trials: 2_000, seed: 3 },
};

/**
 * The closed form of the one-seller contest's chance that its prize is funded, as of `asOf`
 * with margin `actual` so far: the rest of the month's margin is r·T·(1+u)·m·exp(σZ − σ²/2),
 * and the fund `round(fundShare × (M − plan))` covers the cost once M ≥ plan + (cost − ½)/share.
 */
function closedForm(asOf: string, actual: number): number {
  const r = (END - Date.parse(asOf)) / (END - START);
  const sigma = Math.sqrt(Math.log(1 + CV * CV));
  const needed = (COST - 0.5) / FUND_SHARE + PLAN_MARGIN - actual;
  if (needed <= 0) return 1;
  const expected = r * MEAN_TURNOVER * (1 + UPLIFT) * MARGIN_RATE;
  return 1 - normalCdf((Math.log(needed / expected) + (sigma * sigma) / 2) / sigma);
}

function expectClosedForm(forecast: LiveForecastView, actual: number): void {
  const p = closedForm(forecast.asOf, actual);
  const standardError = Math.sqrt((p * (1 - p)) / TRIALS);
  expect(p).toBeGreaterThan(0.05);
  expect(p).toBeLessThan(0.95);
  expect(Math.abs(forecast.pAllPrizesFunded - p)).toBeLessThanOrEqual(4 * standardError);
}

describe('the live forecast over HTTP and the socket', () => {
  let database: TestDatabase;
  let sut: TestApp;
  let admin: string;
  let display: string;
  let soloId: string;
  let endId: string;
  const clock = new ManualClock(new Date('2026-06-04T00:00:00Z'));
  const clients: LiveClient[] = [];

  async function api<T>(method: string, path: string, body?: unknown, token = admin) {
    const response = await fetch(`${sut.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async function launched(file: ContestFileInput): Promise<string> {
    const created = await api<{ id: string }>('POST', '/api/contests', file);
    expect(created.status).toBe(201);
    const launch = await api('POST', `/api/contests/${created.body.id}/launch`, LAUNCH_PAST_GATE);
    expect(launch.status).toBe(200);
    return created.body.id;
  }

  async function subscribed(contestId: string, token: string): Promise<LiveClient> {
    const socket = await connectLive(sut.url, token);
    clients.push(socket);
    const ack = await socket.emitWithAck('subscribe', { contestId });
    if (!ack.ok) throw new Error(ack.error);
    return socket;
  }

  /** The forecast once it has counted `seq` (and, with `final`, stands at or past the end). */
  async function forecastAt(
    contestId: string,
    seq: number,
    final = false,
  ): Promise<LiveForecastView> {
    for (;;) {
      const answer = await api<LiveForecastView>('GET', `/api/contests/${contestId}/forecast`);
      expect(answer.status).toBe(200);
      if (answer.body.seq >= seq && (!final || answer.body.final)) return answer.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    sut = await createTestApp(
      database.url,
      {
        adminEmail: TEST_ADMIN.email,
        adminPassword: TEST_ADMIN.password,
        forecastIntervalSeconds: 1,
      },
      { clock },
    );
    admin = await login(sut.url);
    soloId = await launched(oneSeller);
    endId = await launched(twoSellers);
    const created = await api<{ token: string }>('POST', '/api/displays', {
      name: 'Hall',
      contestIds: [soloId],
    });
    display = created.body.token;
  });

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await sut.close();
    await database.drop();
  });

  it('matches the closed form before and after a sale, and pushes the new one to the rooms', async () => {
    const before = await forecastAt(soloId, 0);
    expect(before).toMatchObject({
      contestId: soloId,
      seq: 0,
      asOf: '2026-06-04T00:00:00.000Z',
      final: false,
      trials: TRIALS,
      pace: { actualMarginMinor: 0 },
      approved: { pAllPrizesFunded: null, alertMargin: 0.15, below: false },
    });
    expect(before.elapsedFraction).toBeCloseTo(3 / 30, 6);
    expect(before.pace.planMarginToDateMinor).toBe(Math.round((PLAN_MARGIN * 3) / 30));
    expectClosedForm(before, 0);

    const tv = await subscribed(soloId, display);
    const staff = await subscribed(soloId, admin);
    const onTv = waitForEvent<LiveForecastView>(tv, 'forecast', (f) => f.seq >= 1, 300_000);
    const onStaff = waitForEvent<LiveForecastView>(staff, 'forecast', (f) => f.seq >= 1, 300_000);
    clock.set('2026-06-04T00:00:05Z');
    const posted = await api('POST', '/api/events', {
      type: 'sale',
      source: 'crm',
      externalId: 'forecast-sale-1',
      participantId: 'fc1',
      occurredAt: '2026-06-02T10:00:00Z',
      amountMinor: 20_000_000,
      marginMinor: 4_000_000,
    });
    expect(posted.status).toBe(201);

    const after = await forecastAt(soloId, 1);
    expect(after.asOf).toBe('2026-06-04T00:00:05.000Z');
    expect(after.pace.actualMarginMinor).toBe(4_000_000);
    expectClosedForm(after, 4_000_000);
    expect(after.pAllPrizesFunded).toBeGreaterThan(before.pAllPrizesFunded);

    // The TV sees chances, never the comparison with the approved run; staff see it.
    const [tvForecast, staffForecast] = await Promise.all([onTv, onStaff]);
    expect(tvForecast).toEqual({ ...after, approved: null });
    expect(staffForecast).toEqual(after);
    expect(new Set(Object.keys(tvForecast.participants[0] ?? {}))).toEqual(
      new Set(['expectedRank', 'participantId', 'pFirst', 'pPrize']),
    );
  });

  it('answers the same forecast to a display, without the approved comparison', async () => {
    const latest = await forecastAt(soloId, 1);
    const asTv = await api<LiveForecastView>(
      'GET',
      `/api/contests/${soloId}/forecast`,
      undefined,
      display,
    );
    expect(asTv).toEqual({ status: 200, body: { ...latest, approved: null } });
    // A contest not assigned to the display does not exist for it.
    const other = await api('GET', `/api/contests/${endId}/forecast`, undefined, display);
    expect(other.status).toBe(404);
  });

  it('keeps a point per day: the staff see every chance, a display none', async () => {
    type History = {
      points: { day: string; seq: number; participants: { participantId: string }[] }[];
    };
    const staff = await api<History>('GET', `/api/contests/${soloId}/forecast/history`);
    expect(staff.status).toBe(200);
    expect(staff.body.points).toHaveLength(1);
    expect(staff.body.points[0]).toMatchObject({
      day: '2026-06-04',
      seq: 1,
      checkpoint: null,
      participants: [{ participantId: 'fc1' }],
    });
    const tv = await api<History>(
      'GET',
      `/api/contests/${soloId}/forecast/history`,
      undefined,
      display,
    );
    expect(tv.body.points.map((point) => point.participants)).toEqual([[]]);
  });

  it('warns the staff when the chance fell below the approved run’s by more than the margin', async () => {
    const created = await api<{ id: string }>('POST', '/api/contests', {
      ...oneSeller,
      name: 'Forecast: approved',
    });
    const approval = await api('PUT', `/api/contests/${created.body.id}/scenario`, {
      scenario: { uplift: UPLIFT, correlation: 1, trials: TRIALS, seed: 17 },
      verdict: 'balanced',
      pAllPrizesFunded: 0.9,
    });
    expect(approval.status).toBe(200);
    expect((await api('POST', `/api/contests/${created.body.id}/launch`)).status).toBe(200);
    const staff = await forecastAt(created.body.id, 0);
    // The chance now is well below 0.9 − 0.15 (see the closed form above).
    expect(staff.pAllPrizesFunded).toBeLessThan(0.5);
    expect(staff.approved).toEqual({ pAllPrizesFunded: 0.9, alertMargin: 0.15, below: true });
    const bad = await api<{ message: string }>('PUT', `/api/contests/${created.body.id}/scenario`, {
      scenario: { trials: 1_000 },
      verdict: 'balanced',
      pAllPrizesFunded: 1.5,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('pAllPrizesFunded');
  });

  it('compares with the approved stored simulation’s own chance', async () => {
    const created = await api<{ id: string }>('POST', '/api/contests', {
      ...oneSeller,
      name: 'Forecast: approved run',
      scenario: { uplift: UPLIFT, correlation: 1, trials: 2_000, seed: 5 },
    });
    const run = await api<{ id: string }>('POST', '/api/simulations', {
      contestId: created.body.id,
      remedies: false,
    });
    expect(run.status).toBe(202);
    type Run = { state: string; result?: { pAllPrizesFunded: number } };
    let simulation = await api<Run>('GET', `/api/simulations/${run.body.id}`);
    while (simulation.body.state !== 'done') {
      expect(['queued', 'running']).toContain(simulation.body.state);
      await new Promise((resolve) => setTimeout(resolve, 100));
      simulation = await api<Run>('GET', `/api/simulations/${run.body.id}`);
    }
    const approved = simulation.body.result?.pAllPrizesFunded;
    expect(approved).toEqual(expect.any(Number));
    const approval = await api('PUT', `/api/contests/${created.body.id}/scenario`, {
      scenario: { uplift: UPLIFT, correlation: 1, trials: 2_000, seed: 5 },
      simulationId: run.body.id,
      // A stored run's own chance wins over one the body gives.
      pAllPrizesFunded: 0.01,
    });
    expect(approval.status).toBe(200);
    const launch = await api('POST', `/api/contests/${created.body.id}/launch`, LAUNCH_PAST_GATE);
    expect(launch.status).toBe(200);
    const forecast = await forecastAt(created.body.id, 0);
    expect(forecast.approved).toEqual({
      pAllPrizesFunded: approved,
      alertMargin: 0.15,
      below: forecast.pAllPrizesFunded < (approved ?? 0) - 0.15,
    });
  });

  it('answers 409 not_live before the contest counts', async () => {
    const draft = await api<{ id: string }>('POST', '/api/contests', {
      ...oneSeller,
      name: 'Forecast: draft',
    });
    const answer = await api<{ code: string }>('GET', `/api/contests/${draft.body.id}/forecast`);
    expect(answer).toMatchObject({ status: 409, body: { code: 'not_live' } });
  });

  it('at the end equals the standings: the fund exact, every probability 0 or 1', async () => {
    const sales = [
      ['fe1', 150_000_000, 30_000_000],
      ['fe2', 40_000_000, 8_000_000],
    ] as const;
    const posted = await api(
      'POST',
      '/api/events',
      sales.map(([participantId, amountMinor, marginMinor], n) => ({
        type: 'sale',
        source: 'crm',
        externalId: `forecast-end-${n}`,
        participantId,
        occurredAt: '2026-06-03T10:00:00Z',
        amountMinor,
        marginMinor,
      })),
    );
    expect(posted.status).toBe(201);
    clock.set('2026-07-01T00:00:01Z');
    await sut.app.get(LifecycleServiceToken).tick();

    const final = await forecastAt(endId, 2, true);
    type Standings = {
      seq: number;
      fundMinor: number;
      actualMarginMinor: number;
      prizes: { place: number; unlocked: boolean }[];
      standings: { participantId: string; rank: number; prize: unknown }[];
    };
    const { body: standings } = await api<Standings>('GET', `/api/contests/${endId}/standings`);
    expect(standings.fundMinor).toBeGreaterThan(0);
    expect(final.seq).toBe(standings.seq);
    expect(final.fund).toEqual({
      meanMinor: standings.fundMinor,
      p10Minor: standings.fundMinor,
      p50Minor: standings.fundMinor,
      p90Minor: standings.fundMinor,
    });
    expect(final.pace.actualMarginMinor).toBe(standings.actualMarginMinor);
    expect(final.pace.projectedMarginP50Minor).toBe(standings.actualMarginMinor);
    const unlocked = standings.prizes.map((prize) => (prize.unlocked ? 1 : 0));
    expect(unlocked).toEqual([1, 0]);
    expect(final.prizes.map((prize) => prize.pUnlocked)).toEqual(unlocked);
    expect(final.pAllPrizesFunded).toBe(0);
    const byId = <T extends { participantId: string }>(rows: readonly T[]) =>
      [...rows].sort((a, b) => a.participantId.localeCompare(b.participantId));
    expect(byId(final.participants)).toEqual(
      byId(standings.standings).map((row) => ({
        participantId: row.participantId,
        pFirst: row.rank === 1 ? 1 : 0,
        pPrize: row.prize === null ? 0 : 1,
        expectedRank: row.rank,
      })),
    );

    // The checkpoint of the end, once published, keeps a forecast of its own for the charts.
    const published = await api('POST', `/api/contests/${endId}/checkpoints/1/publish`);
    expect(published.status).toBe(200);
    type History = { points: { checkpoint: number | null; seq: number }[] };
    for (;;) {
      const history = await api<History>('GET', `/api/contests/${endId}/forecast/history`);
      const point = history.body.points.find((candidate) => candidate.checkpoint === 1);
      if (point) {
        expect(point.seq).toBe(standings.seq);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

// Imported late: the token is the class, which pulls in the whole API.
const { LifecycleService: LifecycleServiceToken } =
  await import('../../apps/api/src/contests/lifecycle.service.js');
