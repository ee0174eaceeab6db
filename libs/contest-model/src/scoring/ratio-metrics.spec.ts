import { describe, expect, it } from '@jest/globals';
import { contestFile, lead, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('ratio metrics and their minimum samples', () => {
  it('does not score conversion before minLeads, so 1 lead and 1 deal is not 100 %', () => {
    const file = contestFile({
      criteria: [{ metric: 'conversion', basis: 'absolute', unit: 1, minLeads: 5 }],
      events: [
        lead('a'),
        sale('a', { amountMinor: 100 }),
        ...[1, 2, 3, 4, 5, 6, 7, 8].map(() => lead('b')),
        sale('b', { amountMinor: 100 }),
        sale('b', { amountMinor: 100 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    // b: 100 × 2 / 8 = 25 %.
    expect(pointsById(sut)).toEqual({ a: 0, b: 25, c: 0 });
    const a = sut.standings.find((row) => row.participantId === 'a');
    expect(a?.criteria[0]).toMatchObject({ value: 100, normalized: null, points: 0 });
  });

  it('scores the average check (turnover / deals) from minDeals on', () => {
    const file = contestFile({
      criteria: [{ metric: 'avgCheck', basis: 'absolute', unit: 100_000, minDeals: 2 }],
      events: [
        sale('a', { amountMinor: 5_000_000 }),
        sale('b', { amountMinor: 300_000 }),
        sale('b', { amountMinor: 400_000 }),
        sale('b', { amountMinor: 500_001 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    // b: 1,200,001 / 3 = 400,000.33 → 4.0000033 points.
    expect(pointsById(sut)).toEqual({ a: 0, b: 4, c: 0 });
    const b = sut.standings.find((row) => row.participantId === 'b');
    expect(b?.criteria[0]?.value).toBe(400_000);
    const c = sut.standings.find((row) => row.participantId === 'c');
    expect(c?.criteria[0]).toMatchObject({ value: null, normalized: null });
  });
});
