import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { propertyRuns } from '../../test-support/property-runs.js';
import type { Funding, Prize } from '../rules/contest-file.schema.js';
import {
  aboveplanMarginForFund,
  computeFund,
  computeFunding,
  turnoverAtPlanRate,
} from './funding.js';

// The inverse of the funding rule (DESIGN §3.2): "how much more above-plan margin" is
// `fund / fundShare`, rounded once. Its fund always unlocks the prize, so the screens never promise
// a prize too early; the fund's own rounding may unlock it up to `0.5 / fundShare` sooner, never
// more.

/** How much smaller than `fund / fundShare` a margin can be and still reach the fund. */
const roundingSlack = (rules: Funding): number => Math.ceil(0.5 / rules.fundShare) + 1;

/** Shares as directors write them, and any share in (0, 1]. */
const fundShare = fc.oneof(
  fc.constantFrom(0.12, 0.2, 0.25, 0.285, 0.3, 0.33, 0.4, 0.5, 1),
  fc.double({ min: 0.001, max: 1, noNaN: true }),
);

const funding = fc.record({
  fundShare,
  guaranteedMinor: fc.oneof(fc.constant(0), fc.nat({ max: 5_000_000 })),
  capMinor: fc.option(fc.nat({ max: 50_000_000 }), { nil: null }),
  mode: fc.constantFrom('unlockInOrder' as const, 'proRata' as const, 'pool' as const),
});

const prizes = fc
  .array(
    fc.record({
      costMinor: fc.nat({ max: 10_000_000 }),
      poolPercent: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((list) =>
    list.map(({ costMinor, poolPercent }, index): Prize => ({
      place: index + 1,
      title: `P${index + 1}`,
      costMinor,
      ...(poolPercent === undefined ? {} : { poolPercent }),
    })),
  );

describe('aboveplanMarginForFund, the inverse of computeFund', () => {
  it('answers a margin whose fund reaches the target, and a smaller one beyond the rounding does not', () => {
    fc.assert(
      fc.property(funding, fc.nat({ max: 60_000_000 }), (rules: Funding, fundMinor) => {
        const margin = aboveplanMarginForFund({ funding: rules, fundMinor });
        if (margin === null) {
          // Only the cap stands in the way, and no margin gets past it.
          expect(rules.capMinor).not.toBeNull();
          expect(computeFund({ funding: rules, aboveplanMarginMinor: 1e12 })).toBeLessThan(
            fundMinor,
          );
          return;
        }
        expect(Number.isSafeInteger(margin)).toBe(true);
        expect(margin).toBeGreaterThanOrEqual(0);
        expect(
          computeFund({ funding: rules, aboveplanMarginMinor: margin }),
        ).toBeGreaterThanOrEqual(fundMinor);
        const below = margin - roundingSlack(rules);
        if (below >= 0) {
          expect(computeFund({ funding: rules, aboveplanMarginMinor: below })).toBeLessThan(
            fundMinor,
          );
        }
      }),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it('needs nothing for what the guarantee pays', () => {
    fc.assert(
      fc.property(funding, (rules: Funding) => {
        expect(aboveplanMarginForFund({ funding: rules, fundMinor: rules.guaranteedMinor })).toBe(
          0,
        );
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('missing above-plan margin of each prize', () => {
  it('unlocks the prize with that much more margin, and not with less beyond the rounding', () => {
    fc.assert(
      fc.property(
        funding,
        prizes,
        fc.nat({ max: 100_000_000 }),
        fc.nat({ max: 80_000_000 }),
        (rules: Funding, list, planMarginMinor, aboveMinor) => {
          const evaluateAt = (actualMarginMinor: number) =>
            computeFunding({
              funding: rules,
              prizes: list,
              planMarginMinor,
              planTurnoverMinor: planMarginMinor * 5,
              actualMarginMinor,
              winners: list.map(() => null),
            });
          const actualMarginMinor = planMarginMinor + aboveMinor;
          const now = evaluateAt(actualMarginMinor);
          now.prizes.forEach((prize, index) => {
            const missing = prize.missingAboveplanMarginMinor;
            if (prize.unlocked) {
              expect(missing).toBe(0);
              return;
            }
            if (missing === null) return;
            expect(missing).toBeGreaterThan(0);
            expect(evaluateAt(actualMarginMinor + missing).prizes[index]?.unlocked).toBe(true);
            const short = missing - roundingSlack(rules);
            if (short >= 0) {
              expect(evaluateAt(actualMarginMinor + short).prizes[index]?.unlocked).toBe(false);
            }
          });
        },
      ),
      { numRuns: propertyRuns(1_000) },
    );
  });

  it('says how much turnover brings that margin at the plan margin rate', () => {
    fc.assert(
      fc.property(
        funding,
        prizes,
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 1, max: 20 }),
        (rules: Funding, list, planMarginMinor, turnoverPerMargin) => {
          const planTurnoverMinor = planMarginMinor * turnoverPerMargin;
          const result = computeFunding({
            funding: rules,
            prizes: list,
            planMarginMinor,
            planTurnoverMinor,
            actualMarginMinor: planMarginMinor,
            winners: list.map(() => null),
          });
          for (const prize of result.prizes) {
            if (prize.missingAboveplanMarginMinor === null) {
              expect(prize.missingTurnoverMinor).toBeNull();
            } else {
              // A whole rate: the turnover is the margin times it, exactly.
              expect(prize.missingTurnoverMinor).toBe(
                prize.missingAboveplanMarginMinor * turnoverPerMargin,
              );
            }
          }
        },
      ),
      { numRuns: propertyRuns(500) },
    );
  });
});

describe('turnoverAtPlanRate', () => {
  it('divides by the plan margin rate, and has no answer without a plan margin', () => {
    // Worked example of DESIGN §3.3: a 20 % plan margin rate, 75,000.00 more above plan.
    expect(
      turnoverAtPlanRate({
        marginMinor: 7_500_000,
        planMarginMinor: 200_000_000,
        planTurnoverMinor: 1_000_000_000,
      }),
    ).toBe(37_500_000);
    expect(
      turnoverAtPlanRate({ marginMinor: 1_000, planMarginMinor: 0, planTurnoverMinor: 5_000 }),
    ).toBeNull();
    // Rounded once, half away from zero: 1 × 3 / 2 = 1.5 → 2.
    expect(turnoverAtPlanRate({ marginMinor: 1, planMarginMinor: 2, planTurnoverMinor: 3 })).toBe(
      2,
    );
  });
});
