import { describe, expect, it } from '@jest/globals';
import { contestFile, lead, march, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('when a total was reached', () => {
  it('is the time of the last event that changed the rounded total, not of the last event', () => {
    const sut = evaluate(
      contestFile({
        criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000, cap: 5 }],
        events: [
          sale('a', { amountMinor: 30_000, at: march(2) }),
          sale('a', { amountMinor: 20_000, at: march(4) }),
          // Past the cap: 5 points either way.
          sale('a', { amountMinor: 10_000, at: march(6) }),
          // b: 1.00 then 1.0001, which rounds to the same 1.00 points; then a lead, scored by nothing.
          sale('b', { amountMinor: 10_000, at: march(3) }),
          sale('b', { amountMinor: 1, at: march(7) }),
          lead('b', { at: march(8) }),
          // c's only event changes nothing: its 0 has held since the start.
          lead('c', { at: march(5) }),
        ],
      }),
      { whatItTakes: false },
    );
    expect(sut.standings.map((row) => [row.participantId, row.points, row.reachedAt])).toEqual([
      ['a', 5, march(4).replace('Z', '.000Z')],
      ['b', 1, march(3).replace('Z', '.000Z')],
      ['c', 0, null],
    ]);
  });
});
