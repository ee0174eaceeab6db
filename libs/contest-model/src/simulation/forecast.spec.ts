import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseValid, participant, reversal, sale } from '../../test-support/contest-fixture.js';
import { propertyRuns } from '../../test-support/property-runs.js';
import { normalCdf, seller, simulationInput } from '../../test-support/simulation-fixture.js';
import type { ContestFile, ContestFileInput } from '../rules/contest-file.schema.js';
import type { ContestEventInput } from '../rules/event.schema.js';
import { evaluate } from '../standings/evaluate.js';
import { LiveStandings } from '../standings/live-standings.js';
import { forecast, type LiveForecast } from './forecast.js';
import { simulate } from './simulate.js';
import { createPoolExecutor, createWorkerHandler, type WorkerPort } from './worker-protocol.js';

// Statistical checks allow K standard errors of the estimate; the seeds are fixed, so a run
// gives the same figures every time.
const K = 4;
const DAY_MS = 86_400_000;
const APRIL_START = Date.parse('2026-04-01T00:00:00Z');
const APRIL_MS = 30 * DAY_MS;

/** An instant `fraction` of the way through April 2026 (the fixtures' one-month contest). */
function aprilAt(fraction: number): string {
  return new Date(APRIL_START + Math.round(fraction * APRIL_MS)).toISOString();
}

/** A sale in April 2026 (the fixture's `sale` dates in March). */
function aprilSale(
  participantId: string,
  fields: { amountMinor: number; day: number; id?: string },
): ContestEventInput {
  return sale(participantId, {
    amountMinor: fields.amountMinor,
    marginMinor: Math.round(fields.amountMinor / 5),
    at: new Date(APRIL_START + fields.day * DAY_MS + 10 * 3_600_000).toISOString(),
    ...(fields.id === undefined ? {} : { id: fields.id }),
  });
}

/** Workers in this thread, each answering through a structured clone as a real worker would. */
function inThreadPool(count: number) {
  const ports = Array.from({ length: count }, (): WorkerPort => {
    const handle = createWorkerHandler();
    let answer: ((response: unknown) => void) | null = null;
    return {
      post: (request) => {
        const copy = structuredClone(request);
        setImmediate(() => {
          const response = handle(copy);
          if (response !== null) answer?.(structuredClone(response));
        });
      },
      listen: ({ response }) => {
        answer = response as (response: unknown) => void;
      },
    };
  });
  return createPoolExecutor({ ports });
}

describe('forecast (DESIGN §3.7)', () => {
  const sellers = (): ContestFileInput['participants'] => [
    seller('a', { meanMinor: 1e8, cv: 0.3 }),
    seller('b', { meanMinor: 8e7, cv: 0.2, team: 'north' }),
    seller('c', { meanMinor: 6e7, cv: 0.4, newcomer: true }),
  ];

  it('at the start, with no events, draws exactly what simulate draws', async () => {
    const file = parseValid(
      simulationInput(sellers(), {
        prizes: [
          { place: 1, title: 'First', costMinor: 2_000_000 },
          { place: 2, title: 'Second', costMinor: 1_000_000 },
        ],
        scenario: { trials: 1500, seed: 5, uplift: 0.15, correlation: 0.4 },
      }),
    );
    const simulated = await simulate(file, { remedies: false });
    for (const asOf of ['2026-04-01T00:00:00Z', '2026-03-15T00:00:00Z']) {
      const result = await forecast(file, { asOf });
      expect(result.elapsedFraction).toBe(0);
      expect(result.final).toBe(false);
      expect(result.scenario.remainingMonths).toBe(1);
      expect(result.fund).toEqual(simulated.fund);
      expect(result.pAllPrizesFunded).toBe(simulated.pAllPrizesFunded);
      expect(result.prizes).toEqual(simulated.prizes);
      expect(result.participants).toEqual(simulated.participants);
      expect(result.actualMargin).toEqual(simulated.actualMargin);
      expect(result.pace).toEqual({
        planMarginToDateMinor: 0,
        actualMarginMinor: 0,
        projectedMarginP50Minor: simulated.actualMargin.p50Minor,
      });
    }
  });

  it('gives one seller the log-normal closed form of funding for any elapsed share and any actual so far', async () => {
    // The case: mean 1,000,000.00 turnover, cv 0.25, margin rate 0.2, plan margin
    // 200,000.00, one prize of 20,000.00, fund share 0.5, uplift 0.1, correlation 1.
    const meanMinor = 100_000_000;
    const cv = 0.25;
    const rate = 0.2;
    const uplift = 0.1;
    const fundShare = 0.5;
    const costMinor = 2_000_000;
    const planMarginMinor = 20_000_000;
    const trials = 20_000;
    const sigma = Math.sqrt(Math.log(1 + cv * cv));
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        fc.integer({ min: 0, max: 150_000_000 }),
        async (elapsed, soldMinor) => {
          const day = Math.floor((elapsed * APRIL_MS) / DAY_MS / 2);
          const file = parseValid(
            simulationInput(
              [
                participant('solo', {
                  plan: { turnoverMinor: planMarginMinor / rate, marginMinor: planMarginMinor },
                  stats: { turnoverMeanMinor: meanMinor, turnoverCv: cv, marginRate: rate },
                }),
              ],
              {
                funding: { fundShare },
                prizes: [{ place: 1, title: 'Prize', costMinor }],
                scenario: { trials, seed: 11, uplift, correlation: 1 },
                events: soldMinor === 0 ? [] : [aprilSale('solo', { amountMinor: soldMinor, day })],
              },
            ),
          );
          const result = await forecast(file, { asOf: aprilAt(elapsed) });
          const soldMargin = Math.round(soldMinor / 5);
          const remaining = 1 - (Date.parse(result.asOf) - APRIL_START) / APRIL_MS;
          // Funded ⇔ share × (margin so far + drawn margin − plan) ≥ cost.
          const needed = costMinor / fundShare + planMarginMinor - soldMargin;
          const scale = remaining * meanMinor * (1 + uplift) * rate;
          const expected =
            needed <= 0
              ? 1
              : 1 - normalCdf((Math.log(needed / scale) + (sigma * sigma) / 2) / sigma);
          const error = Math.sqrt((expected * (1 - expected)) / trials);
          expect(result.pace.actualMarginMinor).toBe(soldMargin);
          // K errors of the closed form, and one trial's worth for the rounding at the boundary.
          expect(Math.abs(result.pAllPrizesFunded - expected)).toBeLessThanOrEqual(
            K * error + 1 / trials,
          );
          expect(result.prizes[0]?.pUnlocked).toBe(result.pAllPrizesFunded);
        },
      ),
      { numRuns: propertyRuns(12), seed: 20_261_206 },
    );
  });

  it('at or after the end equals the standings: the fund exact, every probability 0 or 1', async () => {
    const base = simulationInput(
      [
        seller('a', { meanMinor: 1e8 }),
        seller('b', { meanMinor: 1e8 }),
        seller('c', { meanMinor: 5e7, newcomer: true }),
        seller('d', { meanMinor: 5e7 }),
      ],
      {
        funding: { fundShare: 0.5, guaranteedMinor: 500_000 },
        prizes: [
          { place: 1, title: 'First', costMinor: 3_000_000 },
          { place: 2, title: 'Second', costMinor: 2_000_000 },
          { place: 3, title: 'Third', costMinor: 1_000_000 },
        ],
        scenario: { trials: 600, seed: 2 },
      },
    );
    const ids = ['a', 'b', 'c', 'd'];
    const eventList = fc.array(
      fc.record({
        who: fc.constantFrom(...ids),
        // Few distinct amounts, so that ties (broken by who reached the total first) happen.
        amountMinor: fc.constantFrom(10_000_000, 20_000_000, 40_000_000),
        day: fc.integer({ min: 0, max: 29 }),
        reversed: fc.boolean(),
      }),
      { maxLength: 14 },
    );
    await fc.assert(
      fc.asyncProperty(
        eventList,
        fc.constantFrom('2026-05-01T00:00:00Z', '2026-06-15T00:00:00Z'),
        async (drawn, asOf) => {
          const events: ContestEventInput[] = [];
          drawn.forEach((each, index) => {
            const id = `s-${index}`;
            events.push(aprilSale(each.who, { amountMinor: each.amountMinor, day: each.day, id }));
            if (each.reversed) events.push(reversal(each.who, id, { at: aprilAt(0.99) }));
          });
          const file = parseValid({ ...base, events });
          const standings = evaluate(file, { now: asOf, whatItTakes: false });
          const result = await forecast(file, { asOf });
          expectEqualsStandings(result, standings);
        },
      ),
      { numRuns: propertyRuns(25), seed: 7 },
    );
  });

  it('never lowers a seller’s chance of a prize, nor the fund’s median, when a sale is added', async () => {
    const base = simulationInput(sellers(), {
      prizes: [
        { place: 1, title: 'First', costMinor: 2_000_000 },
        { place: 2, title: 'Second', costMinor: 1_000_000 },
      ],
      scenario: { trials: 1000, seed: 13, correlation: 0.5 },
    });
    const prior = fc.array(
      fc.record({
        who: fc.constantFrom('a', 'b', 'c'),
        amountMinor: fc.integer({ min: 1_000_000, max: 60_000_000 }),
        day: fc.integer({ min: 0, max: 14 }),
      }),
      { maxLength: 8 },
    );
    await fc.assert(
      fc.asyncProperty(
        prior,
        fc.constantFrom('a', 'b', 'c'),
        fc.integer({ min: 100_000, max: 80_000_000 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        async (events, who, amountMinor, elapsed) => {
          const before = parseValid({
            ...base,
            events: events.map((each) => aprilSale(each.who, each)),
          });
          const after: ContestFile = parseValid({
            ...base,
            events: [
              ...events.map((each) => aprilSale(each.who, each)),
              aprilSale(who, { amountMinor, day: 14 }),
            ],
          });
          const asOf = aprilAt(elapsed);
          const [was, is] = await Promise.all([
            forecast(before, { asOf }),
            forecast(after, { asOf }),
          ]);
          const mine = (result: LiveForecast) =>
            result.participants.find((row) => row.participantId === who);
          expect(mine(is)?.pPrize).toBeGreaterThanOrEqual(
            (mine(was)?.pPrize ?? 0) - (mine(was)?.pPrizeSe ?? 0),
          );
          expect(is.fund.p50Minor).toBeGreaterThanOrEqual(was.fund.p50Minor);
          expect(is.pace.actualMarginMinor).toBe(
            was.pace.actualMarginMinor + Math.round(amountMinor / 5),
          );
        },
      ),
      { numRuns: propertyRuns(15), seed: 99 },
    );
  });

  it('gives the same result on any number of workers', async () => {
    const file = parseValid(
      simulationInput(sellers(), {
        scenario: { trials: 2300, seed: 4 },
        events: [
          aprilSale('a', { amountMinor: 30_000_000, day: 3 }),
          aprilSale('c', { amountMinor: 45_000_000, day: 9 }),
        ],
      }),
    );
    const asOf = aprilAt(0.4);
    const alone = await forecast(file, { asOf });
    const one = await forecast(file, { asOf, executor: inThreadPool(1) });
    const three = await forecast(file, { asOf, executor: inThreadPool(3) });
    expect(one).toEqual(alone);
    expect(three).toEqual(alone);
  });

  it('conditioned on the live standings’ counted figures, equals the one replaying the events', async () => {
    const events = [
      aprilSale('a', { amountMinor: 30_000_000, day: 3 }),
      aprilSale('b', { amountMinor: 30_000_000, day: 3 }),
      aprilSale('c', { amountMinor: 45_000_000, day: 9, id: 'c-big' }),
      reversal('c', 'c-big', { at: aprilAt(0.4) }),
      aprilSale('c', { amountMinor: 5_000_000, day: 10 }),
    ];
    const file = parseValid(
      simulationInput(sellers(), { scenario: { trials: 900, seed: 6 }, events }),
    );
    // Live standings get the events as they arrive, in any order.
    const live = LiveStandings.fromFile(file);
    live.applyEvents([...file.events].reverse());
    for (const asOf of [aprilAt(0.6), '2026-05-01T00:00:00Z']) {
      const replayed = await forecast(file, { asOf });
      const given = await forecast({ ...file, events: [] }, { asOf, counted: live.counted() });
      expect(given).toEqual(replayed);
    }
    await expect(
      forecast(file, { asOf: aprilAt(0.6), counted: { actual: [], reachedAtMs: [] } }),
    ).rejects.toThrow(RangeError);
  });

  it('reports the pace: the plan so far, the margin so far and the median final margin', async () => {
    const file = parseValid(
      simulationInput(sellers(), {
        period: { start: '2026-04-01', end: '2026-07-01' },
        scenario: { trials: 800, seed: 8 },
        events: [aprilSale('a', { amountMinor: 50_000_000, day: 2 })],
      }),
    );
    const plan = file.participants.reduce((sum, each) => sum + each.plan.marginMinor, 0);
    const asOf = '2026-05-16T00:00:00Z';
    const result = await forecast(file, { asOf });
    const elapsed =
      (Date.parse(asOf) - Date.parse('2026-04-01T00:00:00Z')) /
      (Date.parse('2026-07-01T00:00:00Z') - Date.parse('2026-04-01T00:00:00Z'));
    expect(result.elapsedFraction).toBeCloseTo(elapsed, 6);
    expect(result.scenario).toMatchObject({ sampledMonths: 3, remainingMonths: 2 });
    expect(result.pace.planMarginToDateMinor).toBe(Math.round(plan * elapsed));
    expect(result.pace.actualMarginMinor).toBe(10_000_000);
    expect(result.pace.projectedMarginP50Minor).toBe(result.actualMargin.p50Minor);
    // Nothing drawn can undo what was counted.
    expect(result.actualMargin.p10Minor).toBeGreaterThan(10_000_000);
    const given = await forecast(file, { asOf, planMarginToDateMinor: 1_234 });
    expect(given.pace.planMarginToDateMinor).toBe(1_234);
  });
});

function expectEqualsStandings(result: LiveForecast, standings: ReturnType<typeof evaluate>): void {
  expect(result.final).toBe(true);
  expect(result.elapsedFraction).toBe(1);
  expect(result.scenario.remainingMonths).toBe(0);
  for (const figure of ['meanMinor', 'p10Minor', 'p50Minor', 'p90Minor'] as const) {
    expect(result.fund[figure]).toBe(standings.fundMinor);
  }
  expect(result.fund.standardErrorMinor).toBe(0);
  expect(result.pace.actualMarginMinor).toBe(standings.actualMarginMinor);
  expect(result.pAllPrizesFunded).toBe(standings.prizes.every((prize) => prize.unlocked) ? 1 : 0);
  expect(result.prizes.map((prize) => prize.pUnlocked)).toEqual(
    standings.prizes.map((prize) => (prize.unlocked ? 1 : 0)),
  );
  for (const row of result.participants) {
    const held = standings.prizes.filter(
      (prize) => prize.winnerParticipantId === row.participantId,
    );
    expect(row.pPrize).toBe(held.length > 0 ? 1 : 0);
    expect(row.pFirst).toBe(held.some((prize) => prize.place === 1) ? 1 : 0);
    expect(row.pPaid).toBe(held.some((prize) => prize.paidMinor > 0) ? 1 : 0);
    const rank = standings.standings.findIndex((each) => each.participantId === row.participantId);
    expect(row.expectedRank).toBe(rank + 1);
    expect(row.expectedRankSe).toBe(0);
  }
}
