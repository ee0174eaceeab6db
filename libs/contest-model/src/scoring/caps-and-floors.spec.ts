import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('caps and floors', () => {
  it('clamps the normalized value before the weight applies', () => {
    const file = contestFile({
      criteria: [
        { metric: 'turnover', basis: 'percentOfPlan', cap: 150, weight: 2 },
        { metric: 'deals', basis: 'absolute', unit: 1, floor: 1, cap: 3, weight: 5 },
      ],
      participants: [
        participant('big', { plan: { turnoverMinor: 1_000_000 } }),
        participant('small', { plan: { turnoverMinor: 1_000_000 } }),
        participant('idle', { plan: { turnoverMinor: 1_000_000 } }),
      ],
      events: [
        ...[1, 2, 3, 4, 5].map(() => sale('big', { amountMinor: 1_000_000 })),
        sale('small', { amountMinor: 900_000 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    // big: min(150, 500) × 2 + min(3, 5) × 5; small: 90 × 2 + 1 × 5; idle: 0 + floor 1 × 5.
    expect(pointsById(sut)).toEqual({ big: 315, small: 185, idle: 5 });
    const big = sut.standings.find((row) => row.participantId === 'big');
    expect(big?.criteria.map((criterion) => criterion.normalized)).toEqual([150, 3]);
  });
});
