import { describe, expect, it } from '@jest/globals';
import { periodMonths, planFromHistory, planFromStored } from './plan-proposal.js';

const history = [
  { month: '2026-01', turnoverMinor: 1_000_000, marginMinor: 200_000, deals: 10, leads: 40 },
  { month: '2026-02', turnoverMinor: 3_000_000, marginMinor: 400_000, deals: 30, leads: 60 },
];

describe('plan proposals', () => {
  it("proposes the history's monthly mean × the contest's months, with its check and conversion", () => {
    expect(planFromHistory(history, 2)).toEqual({
      turnover: 40_000,
      margin: 6_000,
      deals: 40,
      newClients: null,
      avgCheck: 1_000,
      conversion: 40,
    });
    expect(planFromHistory([], 1)).toMatchObject({ turnover: 0, margin: 0, deals: null });
  });

  it('splits a period into the calendar months it touches, by share', () => {
    expect(periodMonths({ start: '2026-03-01', end: '2026-04-01' })).toEqual([
      { month: '2026-03', share: 1 },
    ]);
    const [first, second] = periodMonths({ start: '2026-03-16', end: '2026-04-16' });
    expect(first?.month).toBe('2026-03');
    expect(first?.share).toBeCloseTo(16 / 31);
    expect(second?.share).toBeCloseTo(15 / 30);
    expect(periodMonths({ start: 'never', end: '2026-04-01' })).toEqual([]);
  });

  it("takes a month's stored plan, and the history's mean for a month without one", () => {
    const plans = [{ month: '2026-04', turnoverMinor: 5_000_000, marginMinor: 900_000, deals: 12 }];
    expect(
      planFromStored({
        plans,
        history,
        period: { start: '2026-04-01', end: '2026-05-01' },
        months: 1,
      }),
    ).toMatchObject({ turnover: 50_000, margin: 9_000, deals: 12, avgCheck: 1_000 });
    // May has no stored plan: half of April's plan plus half a month of the history's mean.
    expect(
      planFromStored({
        plans,
        history,
        period: { start: '2026-04-16', end: '2026-05-16' },
        months: 1,
      }).turnover,
    ).toBe(Math.round(50_000 * (15 / 30) + 20_000 * (15 / 31)));
    // No stored month in the period: the history alone.
    expect(
      planFromStored({
        plans,
        history,
        period: { start: '2026-06-01', end: '2026-07-01' },
        months: 1,
      }),
    ).toEqual(planFromHistory(history, 1));
  });
});
