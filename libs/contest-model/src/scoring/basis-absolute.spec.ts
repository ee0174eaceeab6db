import { describe, expect, it } from '@jest/globals';
import { contestFile, march, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('absolute basis', () => {
  it('scores value / unit × weight per criterion and adds the criteria up', () => {
    const file = contestFile({
      criteria: [
        { metric: 'turnover', basis: 'absolute', unit: 1_000_000, weight: 2 },
        { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
        { metric: 'deals', basis: 'absolute', unit: 1, weight: 0.5 },
      ],
      events: [
        sale('a', { amountMinor: 2_500_000, clientId: 'x', isNewClient: true, at: march(2) }),
        // The same new client again is still one new client.
        sale('a', { amountMinor: 1_000_000, clientId: 'x', isNewClient: true, at: march(3) }),
        // A new client without an id counts on its own.
        sale('a', { amountMinor: 500_000, isNewClient: true, at: march(4) }),
        sale('b', { amountMinor: 3_333_333 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    // a: 4.0 × 2 + 2 × 10 + 3 × 0.5 = 29.5; b: 3.333333 × 2 + 0 + 0.5 = 7.17 (rounded once).
    expect(pointsById(sut)).toEqual({ a: 29.5, b: 7.17, c: 0 });
    const a = sut.standings.find((row) => row.participantId === 'a');
    expect(a?.criteria.map((criterion) => [criterion.value, criterion.points])).toEqual([
      [4_000_000, 8],
      [2, 20],
      [3, 1.5],
    ]);
  });
});
