import { describe, expect, it } from '@jest/globals';
import { aboveplanMarginForFund, computeFund, computeFunding } from './funding.js';

describe('guarantee and cap', () => {
  const funding = {
    fundShare: 0.25,
    guaranteedMinor: 10_000,
    capMinor: 50_000,
    mode: 'unlockInOrder' as const,
  };

  it('pays at least the guarantee and at most the cap', () => {
    expect(computeFund({ funding, aboveplanMarginMinor: 0 })).toBe(10_000);
    expect(computeFund({ funding, aboveplanMarginMinor: 40_000 })).toBe(10_000);
    expect(computeFund({ funding, aboveplanMarginMinor: 100_002 })).toBe(25_001);
    expect(computeFund({ funding, aboveplanMarginMinor: 1_000_000 })).toBe(50_000);
  });

  it('needs no margin for what the guarantee pays, and never reaches past the cap', () => {
    expect(aboveplanMarginForFund({ funding, fundMinor: 10_000 })).toBe(0);
    expect(aboveplanMarginForFund({ funding, fundMinor: 30_000 })).toBe(120_000);
    expect(aboveplanMarginForFund({ funding, fundMinor: 50_001 })).toBeNull();
  });

  it('reports prizes beyond the cap as never unlockable, and no break-even', () => {
    const sut = computeFunding({
      funding,
      prizes: [
        { place: 1, title: 'A', costMinor: 10_000 },
        { place: 2, title: 'B', costMinor: 45_000 },
      ],
      planMarginMinor: 100_000,
      planTurnoverMinor: 500_000,
      actualMarginMinor: 100_000,
      winners: ['a', 'b'],
    });
    expect(sut.fundMinor).toBe(10_000);
    expect(
      sut.prizes.map((prize) => [prize.unlocked, prize.paidMinor, prize.missingFundMinor]),
    ).toEqual([
      [true, 10_000, 0],
      [false, 0, null],
    ]);
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: null,
      turnoverMinor: null,
      percentOverPlan: null,
    });
    // The guarantee is paid although the team only met the plan: ROI −1.
    expect(sut.roi).toBe(-1);
  });
});
