import { describe, expect, it } from '@jest/globals';
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
});
