import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OrderStatisticsTree } from './order-statistics-tree.js';

describe(OrderStatisticsTree.name, () => {
  it('keeps values sorted with positions through inserts and removals', () => {
    const sut = new OrderStatisticsTree<number>((a, b) => a - b);
    const reference: number[] = [];
    // A deterministic shuffle of 0..999 (multiplying by a unit mod 1000).
    for (let i = 0; i < 1000; i += 1) {
      const value = (i * 7919) % 1000;
      sut.insert(value);
      reference.push(value);
    }
    for (let i = 0; i < 1000; i += 3) {
      expect(sut.remove(i)).toBe(true);
      reference.splice(reference.indexOf(i), 1);
    }
    expect(sut.remove(0)).toBe(false);
    reference.sort((a, b) => a - b);
    expect(sut.size).toBe(reference.length);
    expect(sut.toArray()).toEqual(reference);
    expect(sut.at(0)).toBe(1);
    expect(sut.at(reference.length)).toBeUndefined();
    expect(sut.indexOf(500)).toBe(reference.indexOf(500));
    expect(sut.has(501)).toBe(false);
    expect(sut.slice(10, 5)).toEqual(reference.slice(10, 15));
  });

  it('answers has, indexOf and every slice as a sorted array does, after any inserts and removals', () => {
    const operation = fc.record({ insert: fc.boolean(), value: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const sut = new OrderStatisticsTree<number>((a, b) => a - b);
        const reference: number[] = [];
        for (const { insert, value } of operations) {
          const present = reference.includes(value);
          if (insert && !present) {
            sut.insert(value);
            reference.push(value);
            reference.sort((a, b) => a - b);
          } else if (!insert) {
            expect(sut.remove(value)).toBe(present);
            if (present) reference.splice(reference.indexOf(value), 1);
          }
        }
        expect(sut.size).toBe(reference.length);
        for (let value = -1; value <= 41; value += 1) {
          expect(sut.has(value)).toBe(reference.includes(value));
          if (reference.includes(value)) expect(sut.indexOf(value)).toBe(reference.indexOf(value));
        }
        for (let offset = 0; offset <= reference.length + 1; offset += 1) {
          for (let limit = 0; limit <= 4; limit += 1) {
            expect(sut.slice(offset, limit)).toEqual(reference.slice(offset, offset + limit));
          }
        }
      }),
    );
  });
});
