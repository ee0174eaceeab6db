import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  march,
  participant,
  rankOrder,
  sale,
} from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('ties', () => {
  it('puts whoever reached the total first ahead, then the smaller id', () => {
    const file = contestFile({
      participants: ['d', 'c', 'b', 'a'].map((id) => participant(id)),
      events: [
        sale('b', { amountMinor: 20_000, at: march(10) }),
        sale('c', { amountMinor: 10_000, at: march(4) }),
        sale('c', { amountMinor: 10_000, at: march(5) }),
        sale('a', { amountMinor: 20_000, at: march(10) }),
        sale('d', { amountMinor: 30_000, at: march(20) }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    expect(rankOrder(sut)).toEqual(['d', 'c', 'a', 'b']);
    expect(sut.standings.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    expect(sut.standings[1]?.reachedAt).toBe('2026-03-05T10:00:00.000Z');
  });

  it('dates a capped total from when the cap was hit, not from later sales', () => {
    const file = contestFile({
      criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000, cap: 5 }],
      participants: [participant('early'), participant('late')],
      events: [
        sale('early', { amountMinor: 50_000, at: march(3) }),
        sale('early', { amountMinor: 90_000, at: march(25) }),
        sale('late', { amountMinor: 60_000, at: march(10) }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    expect(rankOrder(sut)).toEqual(['early', 'late']);
    expect(sut.standings[0]?.reachedAt).toBe('2026-03-03T10:00:00.000Z');
  });
});
