import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseValid } from '../../test-support/contest-fixture.js';
import { propertyRuns } from '../../test-support/property-runs.js';
import type { ContestFile, ContestFileInput } from '../rules/contest-file.schema.js';
import type { ContestEventInput } from '../rules/event.schema.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];

type Criteria = ContestFileInput['criteria'];

const monotoneCriteria: Criteria = [
  { metric: 'turnover', basis: 'absolute', unit: 10_000 },
  { metric: 'turnover', basis: 'percentOfPlan', cap: 150, weight: 2 },
  { metric: 'margin', basis: 'absolute', unit: 5_000, floor: 1 },
  { metric: 'deals', basis: 'absolute', unit: 1, cap: 4 },
  { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
  { metric: 'turnover', basis: 'growth', floor: -50 },
  { metric: 'conversion', basis: 'absolute', unit: 1, minLeads: 2 },
  { metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 },
  { metric: 'counter', name: 'calls', basis: 'absolute', unit: 1, weight: 0.5 },
];
// The average check can fall with a small sale, so it is left out of the monotonicity property.
const allCriteria: Criteria = [
  ...monotoneCriteria,
  { metric: 'avgCheck', basis: 'absolute', unit: 10_000, minDeals: 2 },
];

/** Times from 27 February to 2 April, on a coarse grid so that ties in time happen. */
const instant = fc
  .record({ day: fc.integer({ min: 0, max: 34 }), hour: fc.constantFrom(0, 12) })
  .map(({ day, hour }) => new Date(Date.UTC(2026, 1, 27 + day, hour)).toISOString());

const participantId = fc.constantFrom(...ids);

/** An event before its key is given (distributes over the union of event types). */
type UnkeyedEvent = ContestEventInput extends infer E
  ? E extends ContestEventInput
    ? Omit<E, 'externalId'>
    : never
  : never;

function eventArbitrary(minMargin: number): fc.Arbitrary<UnkeyedEvent> {
  const common = {
    source: fc.constantFrom('crm', 'crm', 'erp'),
    participantId,
    occurredAt: instant,
  };
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record(
          {
            type: fc.constant('sale' as const),
            ...common,
            amountMinor: fc.integer({ min: 0, max: 200_000 }),
            marginMinor: fc.integer({ min: minMargin, max: 60_000 }),
            clientId: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: undefined }),
            isNewClient: fc.boolean(),
            product: fc.option(fc.constantFrom('X', 'Y'), { nil: undefined }),
            quantity: fc.integer({ min: 1, max: 3 }),
          },
          {
            requiredKeys: [
              'type',
              'source',
              'participantId',
              'occurredAt',
              'amountMinor',
              'marginMinor',
              'isNewClient',
              'quantity',
            ],
          },
        )
        // A margin is at most its amount (the event schema refuses more).
        .map((sale) => ({ ...sale, marginMinor: Math.min(sale.marginMinor, sale.amountMinor) })),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('lead' as const), ...common }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('counter' as const),
        ...common,
        name: fc.constantFrom('calls', 'meetings'),
        value: fc.integer({ min: 0, max: 5 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('reversal' as const),
        ...common,
        reversesExternalId: fc.integer({ min: 0, max: 30 }).map((n) => `e${n}`),
      }),
    },
  );
}

/** Events with unique keys, then some repeated verbatim (a CRM retrying). */
function eventsArbitrary(minMargin = -10_000): fc.Arbitrary<ContestEventInput[]> {
  return fc
    .record({
      events: fc.array(eventArbitrary(minMargin), { maxLength: 30 }),
      repeats: fc.array(fc.nat(), { maxLength: 4 }),
    })
    .map(({ events, repeats }) => {
      const keyed = events.map((event, index): ContestEventInput => {
        const externalId = `e${index}`;
        // A reversal of itself is rejected by the schema: aim it at an event that never comes.
        if (event.type === 'reversal' && event.reversesExternalId === externalId) {
          return { ...event, externalId, reversesExternalId: 'never-sent' };
        }
        return { ...event, externalId } as ContestEventInput;
      });
      const copies =
        keyed.length === 0
          ? []
          : repeats.map((n) => ({ ...keyed[n % keyed.length] }) as ContestEventInput);
      return [...keyed, ...copies];
    });
}

const fundingArbitrary = fc
  .record({
    fundShare: fc.integer({ min: 1, max: 100 }).map((n) => n / 100),
    guaranteedMinor: fc.integer({ min: 0, max: 30_000 }),
    capExtra: fc.option(fc.integer({ min: 0, max: 300_000 }), { nil: null }),
    mode: fc.constantFrom('unlockInOrder' as const, 'proRata' as const, 'pool' as const),
  })
  .map(({ capExtra, guaranteedMinor, ...rest }) => ({
    ...rest,
    guaranteedMinor,
    capMinor: capExtra === null ? null : guaranteedMinor + capExtra,
  }));

function rulesArbitrary(criteriaPool: Criteria): fc.Arbitrary<Omit<ContestFileInput, 'events'>> {
  return fc
    .record({
      funding: fundingArbitrary,
      criteria: fc.subarray(criteriaPool, { minLength: 1, maxLength: 4 }),
      gate: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      leagues: fc.boolean(),
      costs: fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 3, maxLength: 3 }),
      plans: fc.array(fc.integer({ min: 50_000, max: 400_000 }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      aggregate: fc.constantFrom('sum' as const, 'average' as const),
    })
    .map(({ funding, criteria, gate, leagues, costs, plans, aggregate }) => {
      const [c1 = 0, c2 = 0, c3 = 0] = costs;
      const pool = funding.mode === 'pool';
      const prizes = leagues
        ? [
            {
              place: 1,
              title: 'A1',
              costMinor: c1,
              league: 'A',
              ...(pool ? { poolPercent: 40 } : {}),
            },
            {
              place: 2,
              title: 'A2',
              costMinor: c2,
              league: 'A',
              ...(pool ? { poolPercent: 25 } : {}),
            },
            {
              place: 1,
              title: 'B1',
              costMinor: c3,
              league: 'B',
              ...(pool ? { poolPercent: 35 } : {}),
            },
          ]
        : [
            { place: 1, title: 'First', costMinor: c1, ...(pool ? { poolPercent: 50 } : {}) },
            { place: 2, title: 'Second', costMinor: c2, ...(pool ? { poolPercent: 30 } : {}) },
            { place: 3, title: 'Third', costMinor: c3, ...(pool ? { poolPercent: 15 } : {}) },
          ];
      return {
        name: 'Generated',
        period: { start: '2026-03-01', end: '2026-04-01' },
        funding,
        prizes,
        criteria,
        eligibility:
          gate === null
            ? []
            : [{ metric: 'turnover' as const, basis: 'percentOfPlan' as const, min: gate }],
        ...(leagues ? { leagues: { by: 'field' as const } } : {}),
        teamStandings: { aggregate },
        participants: ids.map((id, index) => ({
          id,
          name: id,
          team: index % 2 === 0 ? 'North' : 'South',
          league: index % 2 === 0 ? 'A' : 'B',
          plan: { turnoverMinor: plans[index] ?? 100_000, marginMinor: 30_000 },
          history:
            index === 4
              ? []
              : [{ month: '2026-02', turnoverMinor: 100_000 * (index + 1), marginMinor: 20_000 }],
        })),
      };
    });
}

const contestArbitrary = (criteriaPool: Criteria = allCriteria, minMargin?: number) =>
  fc
    .record({ rules: rulesArbitrary(criteriaPool), events: eventsArbitrary(minMargin) })
    .map(({ rules, events }): ContestFile => parseValid({ ...rules, events }));

/** The same file with its events in another order. */
const withShuffledEvents = (file: ContestFile) =>
  fc
    .shuffledSubarray(file.events, { minLength: file.events.length, maxLength: file.events.length })
    .map((events): ContestFile => ({ ...file, events }));

const runs = { numRuns: propertyRuns(150) };

describe('standings properties', () => {
  it('gives the same standings whatever the order of the same events', () => {
    fc.assert(
      fc.property(
        contestArbitrary().chain((file) => fc.tuple(fc.constant(file), withShuffledEvents(file))),
        ([file, shuffled]) => {
          expect(evaluate(shuffled)).toEqual(evaluate(file));
        },
      ),
      runs,
    );
  });

  it('applied incrementally, in any order, equals evaluation from scratch', () => {
    fc.assert(
      fc.property(
        contestArbitrary().chain((file) => fc.tuple(fc.constant(file), withShuffledEvents(file))),
        ([file, shuffled]) => {
          const sut = LiveStandings.fromFile(file);
          sut.applyEvents(shuffled.events);
          const expected = evaluate(file);
          expect(sut.snapshot()).toEqual(expected);
          const {
            standings,
            teams: _teams,
            name: _name,
            currency: _currency,
            period: _period,
            asOf: _asOf,
            actualTurnoverMinor: _turnover,
            ...funding
          } = expected;
          expect(sut.funding()).toEqual(funding);
          expect(sut.top(ids.length)).toEqual(standings.map(({ whatItTakes: _w, ...row }) => row));
          for (const row of standings) expect(sut.rank(row.participantId)).toBe(row.rank);
        },
      ),
      runs,
    );
  });

  it('never lowers a participant’s points nor the fund when a sale is added', () => {
    fc.assert(
      fc.property(
        contestArbitrary(monotoneCriteria, 0),
        participantId,
        instant,
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        (file, who, occurredAt, amountMinor, marginMinor) => {
          const before = evaluate(file, { whatItTakes: false });
          const extra = parseValid({
            ...file,
            events: [
              ...file.events,
              {
                type: 'sale',
                externalId: 'extra',
                source: 'crm',
                participantId: who,
                occurredAt,
                amountMinor,
                marginMinor: Math.min(marginMinor, amountMinor),
                clientId: 'new-client',
                isNewClient: true,
                product: 'X',
              },
            ],
          });
          const after = evaluate(extra, { whatItTakes: false });
          const points = (result: typeof before) =>
            result.standings.find((row) => row.participantId === who)?.points ?? Number.NaN;
          expect(points(after)).toBeGreaterThanOrEqual(points(before));
          expect(after.fundMinor).toBeGreaterThanOrEqual(before.fundMinor);
        },
      ),
      runs,
    );
  });

  it('keeps guarantee ≤ fund ≤ cap, and pays no more than the fund', () => {
    fc.assert(
      fc.property(contestArbitrary(), (file) => {
        const result = evaluate(file, { whatItTakes: false });
        const { guaranteedMinor, capMinor } = file.funding;
        expect(result.fundMinor).toBeGreaterThanOrEqual(guaranteedMinor);
        if (capMinor !== null) expect(result.fundMinor).toBeLessThanOrEqual(capMinor);
        const paid = result.prizes.reduce((sum, prize) => sum + prize.paidMinor, 0);
        expect(paid).toBe(result.prizesPaidMinor);
        expect(paid).toBeLessThanOrEqual(result.fundMinor);
        expect(
          result.prizes.every(
            (prize) => Number.isSafeInteger(prize.paidMinor) && prize.paidMinor >= 0,
          ),
        ).toBe(true);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
