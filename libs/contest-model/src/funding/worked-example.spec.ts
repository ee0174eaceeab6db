import { describe, expect, it } from '@jest/globals';
import { computeFunding } from './funding.js';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

// DESIGN §3.3: planMargin 2,000,000.00, actualMargin 2,450,000.00, fundShare 0.4, no guarantee,
// no cap, prizes 120,000 / 60,000 / 30,000 (unlockInOrder).
const prizes = [
  { place: 1, title: 'Trip', costMinor: 12_000_000 },
  { place: 2, title: 'Phone', costMinor: 6_000_000 },
  { place: 3, title: 'Headphones', costMinor: 3_000_000 },
];
const funding = {
  fundShare: 0.4,
  guaranteedMinor: 0,
  capMinor: null,
  mode: 'unlockInOrder' as const,
};

describe('the worked example of DESIGN §3.3', () => {
  it('matches every figure to the kopeck', () => {
    const sut = computeFunding({
      funding,
      prizes,
      planMarginMinor: 200_000_000,
      planTurnoverMinor: 1_000_000_000,
      actualMarginMinor: 245_000_000,
      winners: ['p1', 'p2', 'p3'],
    });
    expect(sut.aboveplanMarginMinor).toBe(45_000_000);
    expect(sut.fundMinor).toBe(18_000_000);
    expect(sut.prizes.map((prize) => prize.unlocked)).toEqual([true, true, false]);
    expect(sut.prizes.map((prize) => prize.paidMinor)).toEqual([12_000_000, 6_000_000, 0]);
    // Place 3 needs 30,000 more fund = 75,000 more above-plan margin.
    expect(sut.prizes[2]?.missingFundMinor).toBe(3_000_000);
    expect(sut.prizes[2]?.missingAboveplanMarginMinor).toBe(7_500_000);
    // About 375,000 of turnover at the plan margin rate of 20 %.
    expect(sut.prizes[2]?.missingTurnoverMinor).toBe(37_500_000);
    // Break-even for all prizes: 210,000 / 0.4 = 525,000.
    expect(sut.breakEven.aboveplanMarginMinor).toBe(52_500_000);
    // In turnover at the plan margin rate of 20 %, and as a share of the plan turnover.
    expect(sut.breakEven.turnoverMinor).toBe(262_500_000);
    expect(sut.breakEven.percentOverPlan).toBe(26.25);
    expect(sut.prizesPaidMinor).toBe(18_000_000);
    expect(sut.roi).toBe(1.5);
  });

  it('gives the same figures through evaluate on events', () => {
    const file = contestFile({
      funding,
      prizes,
      criteria: [{ metric: 'margin', basis: 'absolute', unit: 100 }],
      participants: [
        participant('p1', { plan: { turnoverMinor: 500_000_000, marginMinor: 100_000_000 } }),
        participant('p2', { plan: { turnoverMinor: 500_000_000, marginMinor: 100_000_000 } }),
      ],
      events: [
        sale('p1', { amountMinor: 700_000_000, marginMinor: 140_000_000 }),
        sale('p2', { amountMinor: 520_000_000, marginMinor: 105_000_000 }),
      ],
    });
    const sut = evaluate(file);
    expect(sut.planMarginMinor).toBe(200_000_000);
    expect(sut.actualMarginMinor).toBe(245_000_000);
    expect(sut.fundMinor).toBe(18_000_000);
    expect(
      sut.prizes.map((prize) => [prize.unlocked, prize.paidMinor, prize.winnerParticipantId]),
    ).toEqual([
      [true, 12_000_000, 'p1'],
      [true, 6_000_000, 'p2'],
      [false, 0, null],
    ]);
    expect(sut.breakEven.aboveplanMarginMinor).toBe(52_500_000);
    expect(sut.roi).toBe(1.5);
  });
});
