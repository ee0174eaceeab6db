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

describe('several eligibility gates', () => {
  it('needs every gate passed, whichever of them fails', () => {
    const sut = evaluate(
      contestFile({
        criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000 }],
        eligibility: [
          { metric: 'deals', basis: 'absolute', min: 2 },
          { metric: 'turnover', basis: 'absolute', min: 50_000 },
        ],
        events: [
          // a: 1 deal, enough turnover: fails the first gate only.
          sale('a', { amountMinor: 90_000 }),
          // b: 2 deals, 20,000 of turnover: fails the second gate only.
          sale('b', { amountMinor: 10_000 }),
          sale('b', { amountMinor: 10_000 }),
          // c: 2 deals and 60,000: passes both, exactly at the deals minimum.
          sale('c', { amountMinor: 30_000 }),
          sale('c', { amountMinor: 30_000 }),
        ],
      }),
      { whatItTakes: false },
    );
    expect(
      Object.fromEntries(sut.standings.map((row) => [row.participantId, row.eligible])),
    ).toEqual({ a: false, b: false, c: true });
  });

  it('fails a gate whose measure does not score, even with a minimum of 0', () => {
    const sut = evaluate(
      contestFile({
        criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000 }],
        // No average check without a deal, no growth without history: nothing to compare with 0.
        eligibility: [
          { metric: 'avgCheck', basis: 'absolute', min: 0 },
          { metric: 'margin', basis: 'growth', min: -100 },
        ],
        participants: [
          participant('a', {
            history: [{ month: '2026-01', turnoverMinor: 100_000, marginMinor: 20_000, deals: 1 }],
          }),
          participant('b'),
          participant('c', {
            history: [{ month: '2026-01', turnoverMinor: 100_000, marginMinor: 20_000, deals: 1 }],
          }),
        ],
        events: [sale('a', { amountMinor: 10_000 }), sale('b', { amountMinor: 10_000 })],
      }),
      { whatItTakes: false },
    );
    expect(
      Object.fromEntries(sut.standings.map((row) => [row.participantId, row.eligible])),
    ).toEqual({ a: true, b: false, c: false });
  });
});
