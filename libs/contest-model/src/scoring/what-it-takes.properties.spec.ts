import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { propertyRuns } from '../../test-support/property-runs.js';
import type { ContestFileInput } from '../rules/contest-file.schema.js';
import type { ContestEventInput } from '../rules/event.schema.js';
import { evaluate } from '../standings/evaluate.js';

const ids = ['a', 'b', 'c'];

/** Two criteria on turnover, so that one more sale moves nothing but them. */
const scenario = fc.record({
  unit: fc.integer({ min: 1, max: 100_000 }),
  weight: fc.constantFrom(0.5, 1, 3),
  planWeight: fc.constantFrom(0.25, 1, 2),
  cap: fc.option(fc.integer({ min: 50, max: 300 }), { nil: undefined }),
  absoluteCap: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
  sales: fc.array(
    fc.record({ participantId: fc.constantFrom(...ids), amountMinor: fc.nat({ max: 5_000_000 }) }),
    { maxLength: 8 },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function fileOf(
  { unit, weight, planWeight, cap, absoluteCap, sales }: Scenario,
  extra: ContestEventInput[],
) {
  const criteria: ContestFileInput['criteria'] = [
    {
      metric: 'turnover',
      basis: 'absolute',
      unit,
      weight,
      ...(absoluteCap === undefined ? {} : { cap: absoluteCap }),
    },
    {
      metric: 'turnover',
      basis: 'percentOfPlan',
      weight: planWeight,
      ...(cap === undefined ? {} : { cap }),
    },
  ];
  return contestFile({
    criteria,
    participants: ids.map((id) => participant(id, { plan: { turnoverMinor: 1_000_000 } })),
    events: [
      ...sales.map(({ participantId, amountMinor }) => sale(participantId, { amountMinor })),
      ...extra,
    ],
  });
}

function pointsOf(data: Scenario, participantId: string, extraMinor: number): number {
  const extra = extraMinor > 0 ? [sale(participantId, { amountMinor: extraMinor })] : [];
  const row = evaluate(fileOf(data, extra), { whatItTakes: false }).standings.find(
    (standing) => standing.participantId === participantId,
  );
  return row?.points ?? Number.NaN;
}

/**
 * Checks that `amount` is the smallest extra turnover, sold in one more sale, that puts the
 * participant strictly above `points`, or that no sale can when it is null.
 */
function expectSmallest(
  data: Scenario,
  participantId: string,
  amount: number | null,
  points: number,
) {
  if (amount === null) {
    // Capped: no sale, however large, gets past.
    expect(pointsOf(data, participantId, 1e13)).toBeLessThanOrEqual(points);
    return;
  }
  expect(amount).toBeGreaterThanOrEqual(1);
  expect(pointsOf(data, participantId, amount)).toBeGreaterThan(points);
  expect(pointsOf(data, participantId, amount - 1)).toBeLessThanOrEqual(points);
}

describe('what it takes (property)', () => {
  it('is the smallest extra turnover that lifts a participant strictly above a total', () => {
    fc.assert(
      fc.property(scenario, (data) => {
        const result = evaluate(fileOf(data, []));
        for (const row of result.standings) {
          const takes = row.whatItTakes;
          if (takes === undefined) throw new Error(`no what-it-takes for ${row.participantId}`);
          const [absolute, percent] = takes.criteria;
          // Both criteria read turnover: each one's amount is the same sale.
          expect(percent?.toNextPlace).toBe(absolute?.toNextPlace);
          expect(percent?.toPrize).toBe(absolute?.toPrize);
          if (takes.nextPlace !== null) {
            expectSmallest(
              data,
              row.participantId,
              absolute?.toNextPlace ?? null,
              takes.nextPlace.points,
            );
          }
          // The single prize place has no gate: its holder's total is the one to pass.
          if (takes.prize?.held === false) {
            expectSmallest(
              data,
              row.participantId,
              absolute?.toPrize ?? null,
              takes.prize.points ?? 0,
            );
          }
        }
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
