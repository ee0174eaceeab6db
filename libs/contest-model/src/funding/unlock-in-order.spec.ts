import { describe, expect, it } from '@jest/globals';
import { computeFunding, fundPrizes } from './funding.js';

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

  it('needs no more margin for a prize the rounded fund unlocks', () => {
    // 199 above plan × 0.5 = 99.5, rounded half away from zero to a fund of 100, which pays the
    // prize, although 100 / 0.5 = 200 is more than the 199 above plan.
    const sut = computeFunding({
      funding,
      prizes: [{ place: 1, title: 'A', costMinor: 100, league: 'newcomer' }],
      planMarginMinor: 1_000,
      planTurnoverMinor: 5_000,
      actualMarginMinor: 1_199,
      winners: ['a'],
    });
    expect(sut.fundMinor).toBe(100);
    expect(sut.prizes).toEqual([
      {
        place: 1,
        league: 'newcomer',
        title: 'A',
        costMinor: 100,
        amountMinor: 100,
        unlocked: true,
        paidMinor: 100,
        winnerParticipantId: 'a',
        requiredFundMinor: 100,
        missingFundMinor: 0,
        missingAboveplanMarginMinor: 0,
        missingTurnoverMinor: 0,
      },
    ]);
    expect(sut.breakEven.aboveplanMarginMinor).toBe(200);
  });
});
