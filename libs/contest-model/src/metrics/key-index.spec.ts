import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KeyIndex } from './key-index.js';

function filed(keys: readonly (readonly [number, string])[], reserve = 0): KeyIndex {
  const index = new KeyIndex();
  index.reserve(reserve);
  keys.forEach(([source, externalId], id) => {
    index.add(id, source, externalId, KeyIndex.hash(source, externalId));
  });
  return index;
}

const find = (index: KeyIndex, source: number, externalId: string) =>
  index.find(source, externalId, KeyIndex.hash(source, externalId));

describe(KeyIndex.name, () => {
  it('finds every key it filed, across chunks and table growth, and no other', () => {
    // 300,000 ids of 4 to 40 characters: more than 2²⁰ code units, so several chunks.
    const keys = Array.from(
      { length: 300_000 },
      (_, n) => [n % 3, `deal-${n}-${'x'.repeat(n % 35)}`] as const,
    );
    const index = filed(keys);
    for (let id = 0; id < keys.length; id += 997) {
      const [source, externalId] = keys[id] as readonly [number, string];
      expect(find(index, source, externalId)).toBe(id);
      expect(index.externalIdOf(id)).toBe(externalId);
      expect(find(index, (source + 1) % 3, externalId)).toBe(-1);
      expect(find(index, source, `${externalId}y`)).toBe(-1);
    }
    const [lastSource, lastId] = keys[299_999] as readonly [number, string];
    expect(find(index, lastSource, lastId)).toBe(299_999);
  });

  it('orders externalIds as the strings order, whatever their characters', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.boolean(),
        (ids, reserved) => {
          const index = filed(
            ids.map((id) => [0, id] as const),
            reserved ? ids.length : 0,
          );
          ids.forEach((id, n) => expect(find(index, 0, id)).toBe(n));
          for (let a = 0; a < ids.length; a += 1) {
            for (let b = 0; b < ids.length; b += 1) {
              const [idA, idB] = [ids[a] as string, ids[b] as string];
              expect(Math.sign(index.compareExternalIds(a, b))).toBe(
                idA < idB ? -1 : idA > idB ? 1 : 0,
              );
            }
          }
        },
      ),
    );
  });

  it('refuses records out of order', () => {
    const index = new KeyIndex();
    expect(() => index.add(1, 0, 'a', KeyIndex.hash(0, 'a'))).toThrow(RangeError);
  });
});
