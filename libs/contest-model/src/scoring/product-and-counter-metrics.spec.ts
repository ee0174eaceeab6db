import { describe, expect, it } from '@jest/globals';
import { contestFile, counterEvent, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('product and custom counter metrics', () => {
  it('counts only the named product, and sums counters by name', () => {
    const file = contestFile({
      criteria: [
        { metric: 'productTurnover', product: 'X', basis: 'absolute', unit: 1_000 },
        { metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 },
        { metric: 'counter', name: 'meetings', basis: 'absolute', unit: 1, weight: 3 },
      ],
      events: [
        sale('a', { amountMinor: 10_000, product: 'X', quantity: 2 }),
        sale('a', { amountMinor: 50_000, product: 'Y', quantity: 7 }),
        sale('a', { amountMinor: 90_000 }),
        counterEvent('a', { name: 'meetings', value: 2 }),
        counterEvent('a', { name: 'meetings', value: 1 }),
        counterEvent('a', { name: 'calls', value: 40 }),
      ],
    });
    // 10 + 2 + 3 × 3.
    expect(pointsById(evaluate(file, { whatItTakes: false }))).toEqual({ a: 21, b: 0, c: 0 });
  });
});
