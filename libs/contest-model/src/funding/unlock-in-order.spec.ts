import { describe, expect, it } from '@jest/globals';
import { fundPrizes } from './funding.js';

const funding = {
  fundShare: 0.5,
  guaranteedMinor: 0,
  capMinor: null,
  mode: 'unlockInOrder' as const,
};

describe('unlockInOrder funding', () => {
  it('unlocks by place while the cumulative cost fits, and stops at the first that does not', () => {
    const prizes = [
      { place: 1, title: 'A', costMinor: 500 },
      { place: 2, title: 'B', costMinor: 400 },
      { place: 3, title: 'C', costMinor: 50 },
    ];
    // 500 fits, 900 does not: the cheaper 3rd place does not jump the queue.
    expect(fundPrizes({ funding, prizes, fundMinor: 899 })).toEqual([
      { amountMinor: 500, unlocked: true, requiredFundMinor: 500 },
      { amountMinor: 0, unlocked: false, requiredFundMinor: 900 },
      { amountMinor: 0, unlocked: false, requiredFundMinor: 950 },
    ]);
    expect(fundPrizes({ funding, prizes, fundMinor: 950 }).map((prize) => prize.unlocked)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('unlocks every league’s first place before any second place', () => {
    const prizes = [
      { place: 1, title: 'Newcomer 1', costMinor: 100, league: 'newcomer' },
      { place: 2, title: 'Newcomer 2', costMinor: 50, league: 'newcomer' },
      { place: 1, title: 'Veteran 1', costMinor: 100, league: 'veteran' },
    ];
    expect(
      fundPrizes({ funding, prizes, fundMinor: 200 }).map((prize) => [
        prize.unlocked,
        prize.requiredFundMinor,
      ]),
    ).toEqual([
      [true, 100],
      [false, 250],
      [true, 200],
    ]);
  });
});
