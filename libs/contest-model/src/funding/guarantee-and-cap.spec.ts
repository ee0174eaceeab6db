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
    // The cap itself is reachable: 50,000 / 0.25.
    expect(aboveplanMarginForFund({ funding, fundMinor: 50_000 })).toBe(200_000);
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
      sut.prizes.map((prize) => [
        prize.unlocked,
        prize.paidMinor,
        prize.missingFundMinor,
        prize.missingAboveplanMarginMinor,
      ]),
    ).toEqual([
      [true, 10_000, 0, 0],
      [false, 0, null, null],
    ]);
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: null,
      turnoverMinor: null,
      percentOverPlan: null,
    });
    // The guarantee is paid although the team only met the plan: ROI −1.
    expect(sut.roi).toBe(-1);
  });

  it('still unlocks prizes whose cumulative cost is the cap', () => {
    const sut = computeFunding({
      funding,
      prizes: [
        { place: 1, title: 'A', costMinor: 10_000 },
        { place: 2, title: 'B', costMinor: 40_000 },
      ],
      planMarginMinor: 100_000,
      planTurnoverMinor: 500_000,
      // 120,000 above plan → fund 30,000.
      actualMarginMinor: 220_000,
      winners: ['a', 'b'],
    });
    expect(sut.fundMinor).toBe(30_000);
    // Place 2 needs a fund of 50,000 (the cap): 20,000 more, from 200,000 above plan.
    expect(
      sut.prizes.map((prize) => [
        prize.unlocked,
        prize.missingFundMinor,
        prize.missingAboveplanMarginMinor,
      ]),
    ).toEqual([
      [true, 0, 0],
      [false, 20_000, 80_000],
    ]);
    // At a plan margin rate of 20 %: 1,000,000 turnover above plan, 200 % of the plan turnover.
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: 200_000,
      turnoverMinor: 1_000_000,
      percentOverPlan: 200,
    });
  });
});
