import { describe, expect, it } from '@jest/globals';
import { computeFunding, fundPrizes } from './funding.js';

describe('pool funding', () => {
  const prizes = [
    { place: 1, title: 'A', costMinor: 40_000, poolPercent: 50 },
    { place: 2, title: 'B', costMinor: 30_000, poolPercent: 30 },
    { place: 3, title: 'C', costMinor: 10_000, poolPercent: 20 },
  ];
  const base = {
    funding: { fundShare: 1, guaranteedMinor: 0, capMinor: null, mode: 'pool' as const },
    prizes,
    planMarginMinor: 1_000_000,
    planTurnoverMinor: 4_000_000,
  };

  it('splits the fund 50/30/20 and pays each place to its holder', () => {
    const sut = computeFunding({ ...base, actualMarginMinor: 1_060_001, winners: ['a', 'b', 'c'] });
    expect(sut.fundMinor).toBe(60_001);
    // 30,000.5 / 18,000.3 / 12,000.2: the leftover kopeck goes to the largest fraction.
    expect(sut.prizes.map((prize) => prize.paidMinor)).toEqual([30_001, 18_000, 12_000]);
    expect(sut.prizesPaidMinor).toBe(60_001);
    // Unlocked when the share reaches the cost: 50 % of 80,000, 30 % of 100,000, 20 % of 50,000.
    expect(sut.prizes.map((prize) => [prize.unlocked, prize.requiredFundMinor])).toEqual([
      [false, 80_000],
      [false, 100_000],
      [true, 50_000],
    ]);
    expect(sut.breakEven.aboveplanMarginMinor).toBe(100_000);
  });

  it('keeps the share of a place nobody holds', () => {
    const sut = computeFunding({
      ...base,
      actualMarginMinor: 1_100_000,
      winners: ['a', null, null],
    });
    expect(sut.prizes.map((prize) => [prize.amountMinor, prize.paidMinor])).toEqual([
      [50_000, 50_000],
      [30_000, 0],
      [20_000, 0],
    ]);
    expect(sut.roi).toBe(1);
  });

  it('unlocks a place when its share reaches its cost exactly', () => {
    // 50 % of 80,000 is 40,000, the cost of place 1.
    expect(fundPrizes({ funding: base.funding, prizes, fundMinor: 80_000 })).toEqual([
      { amountMinor: 40_000, unlocked: true, requiredFundMinor: 80_000 },
      { amountMinor: 24_000, unlocked: false, requiredFundMinor: 100_000 },
      { amountMinor: 16_000, unlocked: true, requiredFundMinor: 50_000 },
    ]);
  });

  it('leaves in the fund what percentages under 100 do not give out', () => {
    const sut = fundPrizes({
      funding: base.funding,
      prizes: [
        { place: 1, title: 'A', costMinor: 40_000, poolPercent: 50 },
        { place: 2, title: 'B', costMinor: 30_000, poolPercent: 30 },
      ],
      fundMinor: 100_000,
    });
    expect(sut.map((prize) => prize.amountMinor)).toEqual([50_000, 30_000]);
  });

  it('never unlocks a place without a share, and then has no break-even', () => {
    const sut = computeFunding({
      ...base,
      prizes: [
        { place: 1, title: 'A', costMinor: 40_000, poolPercent: 50 },
        { place: 2, title: 'B', costMinor: 30_000 },
      ],
      actualMarginMinor: 1_100_000,
      winners: ['a', 'b'],
    });
    expect(sut.prizes[1]).toMatchObject({
      amountMinor: 0,
      unlocked: false,
      paidMinor: 0,
      requiredFundMinor: null,
      missingFundMinor: null,
      missingAboveplanMarginMinor: null,
    });
    expect(sut.breakEven).toEqual({
      aboveplanMarginMinor: null,
      turnoverMinor: null,
      percentOverPlan: null,
    });
  });
});
