import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compareRankKeys, type RankKey } from './rank-key.js';
import { rankOrderScratch, sortByRank } from './rank-order.js';

function reference(keys: RankKey[]): number[] {
  return keys
    .map((_key, index) => index)
    .sort((a, b) => compareRankKeys(keys[a] as RankKey, keys[b] as RankKey));
}

function sorted(keys: RankKey[]): number[] {
  const order = new Int32Array(keys.length);
  sortByRank({ keys, order, scratch: rankOrderScratch(keys.length) });
  return [...order];
}

/** Keys with 2-decimal points drawn from a few values (many ties), hashes with collisions. */
const rankKeys = (points: fc.Arbitrary<number>) =>
  fc.array(
    fc.record({
      points,
      reachedAtMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })),
      participantId: fc.string({ maxLength: 3 }),
    }),
    { maxLength: 60 },
  );

describe(sortByRank.name, () => {
  it('orders exactly as sorting with compareRankKeys (radix path, ties on every component)', () => {
    fc.assert(
      fc.property(
        rankKeys(fc.integer({ min: -500, max: 500 }).map((cents) => cents / 100)),
        (keys) => {
          expect(sorted(keys)).toEqual(reference(keys));
        },
      ),
    );
  });

  it('orders exactly as compareRankKeys when points spread too far for 32-bit keys', () => {
    fc.assert(
      fc.property(
        rankKeys(fc.integer({ min: -1e12, max: 1e12 }).map((cents) => cents / 100)),
        (keys) => {
          expect(sorted(keys)).toEqual(reference(keys));
        },
      ),
    );
  });

  it('ranks 1,000 participants with distinct points by points, best first', () => {
    const keys = Array.from({ length: 1000 }, (_value, i): RankKey => ({
      points: ((i * 7919) % 1000) * 12.34,
      reachedAtMs: 0,
      participantId: `p${i}`,
    }));
    const order = sorted(keys);
    expect(order).toEqual(reference(keys));
    expect(keys[order[0] as number]?.points).toBe(999 * 12.34);
  });
});
