import { describe, expect, it } from '@jest/globals';
import { computeFunding } from './funding.js';

describe('proRata funding', () => {
  const prizes = [
    { place: 1, title: 'A', costMinor: 50_000 },
    { place: 2, title: 'B', costMinor: 30_000 },
    { place: 3, title: 'C', costMinor: 20_001 },
  ];
  const base = {
    funding: { fundShare: 0.5, guaranteedMinor: 0, capMinor: null, mode: 'proRata' as const },
    prizes,
    planMarginMinor: 1_000_000,
    planTurnoverMinor: 5_000_000,
    winners: ['a', 'b', 'c'],
  };

  it('scales every prize by fund / total cost, paying exactly the fund', () => {
    // Above plan 100,001 → fund 50,001 (50,000.5 rounds up) → factor ≈ 0.5.
    const sut = computeFunding({ ...base, actualMarginMinor: 1_100_001 });
    expect(sut.fundMinor).toBe(50_001);
    expect(sut.prizes.map((prize) => prize.paidMinor)).toEqual([25_000, 15_000, 10_001]);
    expect(sut.prizesPaidMinor).toBe(50_001);
    expect(sut.prizes.every((prize) => !prize.unlocked)).toBe(true);
    expect(sut.prizes[0]?.missingFundMinor).toBe(50_000);
    // Fully funded at 100,001, that is 200,002 above plan at a share of 0.5: 100,001 more.
    expect(sut.prizes[0]?.missingAboveplanMarginMinor).toBe(100_001);
    expect(sut.breakEven.aboveplanMarginMinor).toBe(200_002);
  });

  it('pays the full costs once the fund covers them, never more', () => {
    const sut = computeFunding({ ...base, actualMarginMinor: 3_000_000 });
    expect(sut.fundMinor).toBe(1_000_000);
    expect(sut.prizes.map((prize) => [prize.unlocked, prize.paidMinor])).toEqual([
      [true, 50_000],
      [true, 30_000],
      [true, 20_001],
    ]);
  });

  it('unlocks every prize when the fund equals the total cost exactly', () => {
    // Above plan 200,002 → fund 100,001 = 50,000 + 30,000 + 20,001.
    const sut = computeFunding({ ...base, actualMarginMinor: 1_200_002 });
    expect(sut.fundMinor).toBe(100_001);
    expect(
      sut.prizes.map((prize) => [
        prize.unlocked,
        prize.paidMinor,
        prize.missingFundMinor,
        prize.missingAboveplanMarginMinor,
      ]),
    ).toEqual([
      [true, 50_000, 0, 0],
      [true, 30_000, 0, 0],
      [true, 20_001, 0, 0],
    ]);
  });
});
