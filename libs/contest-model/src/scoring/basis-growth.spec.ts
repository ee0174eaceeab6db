import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

const history = [
  { month: '2026-01', turnoverMinor: 900_000, marginMinor: 180_000, deals: 9 },
  { month: '2026-02', turnoverMinor: 1_100_000, marginMinor: 220_000, deals: 11 },
];

describe('growth basis', () => {
  it('compares with the historical monthly mean scaled to the contest length', () => {
    const oneMonth = contestFile({
      criteria: [{ metric: 'turnover', basis: 'growth' }],
      participants: [participant('a', { history })],
      events: [sale('a', { amountMinor: 1_200_000 })],
    });
    // Baseline 1,000,000 × 1 month: +20 %.
    expect(pointsById(evaluate(oneMonth, { whatItTakes: false }))).toEqual({ a: 20 });

    const twoMonths = contestFile({
      period: { start: '2026-03-01', end: '2026-05-01' },
      criteria: [{ metric: 'turnover', basis: 'growth' }],
      participants: [participant('a', { history })],
      events: [sale('a', { amountMinor: 1_200_000 })],
    });
    // Baseline 1,000,000 × 2 months: −40 %.
    expect(pointsById(evaluate(twoMonths, { whatItTakes: false }))).toEqual({ a: -40 });
  });

  it('takes ratio baselines from history sums and falls back to stats', () => {
    const file = contestFile({
      criteria: [
        { metric: 'avgCheck', basis: 'growth' },
        { metric: 'deals', basis: 'growth', weight: 0.1 },
      ],
      participants: [
        participant('a', { history }),
        participant('b', { stats: { turnoverMeanMinor: 500_000, dealsMean: 5 } }),
      ],
      events: [
        sale('a', { amountMinor: 660_000 }),
        sale('a', { amountMinor: 660_000 }),
        sale('b', { amountMinor: 150_000 }),
      ],
    });
    // a: avg check 660,000 vs 2,000,000 / 20 = 100,000 → +560 %; deals 2 vs 10 → 0.1 × −80.
    // b: avg check 150,000 vs 100,000 → +50 %; deals 1 vs 5 → 0.1 × −80.
    expect(pointsById(evaluate(file, { whatItTakes: false }))).toEqual({ a: 552, b: 42 });
  });

  it('does not score without a baseline, and a floor keeps a fall from going negative', () => {
    const file = contestFile({
      criteria: [{ metric: 'turnover', basis: 'growth', floor: 0 }],
      participants: [participant('a', { history }), participant('newcomer')],
      events: [sale('a', { amountMinor: 500_000 }), sale('newcomer', { amountMinor: 9_000_000 })],
    });
    const sut = evaluate(file, { whatItTakes: false });
    expect(pointsById(sut)).toEqual({ a: 0, newcomer: 0 });
    const newcomer = sut.standings.find((row) => row.participantId === 'newcomer');
    expect(newcomer?.criteria[0]).toMatchObject({ value: 9_000_000, normalized: null, points: 0 });
    const a = sut.standings.find((row) => row.participantId === 'a');
    expect(a?.criteria[0]).toMatchObject({ normalized: 0, points: 0 });
  });
});
