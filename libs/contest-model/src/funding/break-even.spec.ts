import { describe, expect, it } from '@jest/globals';
import { computeFunding } from './funding.js';

// DESIGN §3.2: break-even is Σ prizeCost / fundShare above plan; in turnover, that divided by
// the plan margin rate planMargin / planTurnover; as a percentage, that over planTurnover.
describe('break-even without a plan rate', () => {
  const base = {
    funding: { fundShare: 0.5, guaranteedMinor: 0, capMinor: null, mode: 'unlockInOrder' as const },
    prizes: [{ place: 1, title: 'A', costMinor: 1_000 }],
    winners: ['a'],
  };

  it('has no turnover figure without a plan margin', () => {
    const sut = computeFunding({
      ...base,
      planMarginMinor: 0,
      planTurnoverMinor: 1_000_000,
      actualMarginMinor: 0,
    });
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: 2_000,
      turnoverMinor: null,
      percentOverPlan: null,
    });
  });

  it('has no percentage over plan without a plan turnover', () => {
    const sut = computeFunding({
      ...base,
      planMarginMinor: 1_000,
      planTurnoverMinor: 0,
      actualMarginMinor: 1_000,
    });
    // A plan margin with no turnover: an infinite margin rate, so no turnover is needed.
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: 2_000,
      turnoverMinor: 0,
      percentOverPlan: null,
    });
  });
});
