import { describe, expect, it } from '@jest/globals';
import { OrderStatisticsTree } from './order-statistics-tree.js';

// At full size, apart from order-statistics-tree.spec.ts: the mutation run leaves
// `*.scale.spec.ts` out.
describe(`${OrderStatisticsTree.name} at scale`, () => {
  it('stays shallow: 100,000 sorted inserts do not degrade to a list', () => {
    const sut = new OrderStatisticsTree<number>((a, b) => a - b);
    for (let i = 0; i < 100_000; i += 1) sut.insert(i);
    // Recursion in remove would overflow the stack on a degenerate tree.
    for (let i = 0; i < 100_000; i += 2) sut.remove(i);
    expect(sut.size).toBe(50_000);
    expect(sut.at(49_999)).toBe(99_999);
  });
});
