import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, rankOrder, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('eligibility gates', () => {
  const file = contestFile({
    funding: { fundShare: 1 },
    prizes: [
      { place: 1, title: 'Gold', costMinor: 1_000 },
      { place: 2, title: 'Silver', costMinor: 1_000 },
    ],
    criteria: [{ metric: 'margin', basis: 'absolute', unit: 100 }],
    eligibility: [{ metric: 'turnover', basis: 'percentOfPlan', min: 100 }],
    participants: [
      participant('a', { plan: { turnoverMinor: 1_000_000, marginMinor: 0 } }),
      participant('b', { plan: { turnoverMinor: 100_000, marginMinor: 0 } }),
      participant('c', { plan: { turnoverMinor: 1_000_000, marginMinor: 0 } }),
    ],
    events: [
      // a has the most margin but misses the turnover plan.
      sale('a', { amountMinor: 900_000, marginMinor: 500_000 }),
      sale('b', { amountMinor: 100_000, marginMinor: 50_000 }),
      sale('c', { amountMinor: 999_999, marginMinor: 400_000 }),
    ],
  });

  it('keeps ineligible participants in the ranking and gives places to eligible ones', () => {
    const sut = evaluate(file, { whatItTakes: false });
    expect(rankOrder(sut)).toEqual(['a', 'c', 'b']);
    expect(sut.standings.map((row) => row.eligible)).toEqual([false, false, true]);
    expect(sut.standings.map((row) => row.prize?.place ?? null)).toEqual([null, null, 1]);
  });

  it('does not pay a place nobody eligible holds', () => {
    const sut = evaluate(file, { whatItTakes: false });
    expect(
      sut.prizes.map((prize) => [prize.unlocked, prize.winnerParticipantId, prize.paidMinor]),
    ).toEqual([
      [true, 'b', 1_000],
      [true, null, 0],
    ]);
    expect(sut.prizesPaidMinor).toBe(1_000);
  });
});
