import { describe, expect, it } from '@jest/globals';
import { allocateProportionally, roundHalfAwayFromZero, roundTo } from './money.js';

describe(roundHalfAwayFromZero.name, () => {
  it('rounds halves away from zero on both sides', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(2.4999)).toBe(2);
    expect(roundHalfAwayFromZero(-2.4999)).toBe(-2);
    expect(roundHalfAwayFromZero(0.5)).toBe(1);
    expect(Object.is(roundHalfAwayFromZero(-0.4), -0)).toBe(true);
  });

  it('treats a decimal half that binary floating point misses as a half', () => {
    // 0.285 × 100 is 28.499999999999996 in binary; in decimal it is 28.5.
    expect(0.285 * 100).toBeLessThan(28.5);
    expect(roundHalfAwayFromZero(0.285 * 100)).toBe(29);
    expect(roundTo({ value: 1.005, decimals: 2 })).toBe(1.01);
  });

  it('refuses to round what is not a number', () => {
    expect(() => roundHalfAwayFromZero(Number.NaN)).toThrow(RangeError);
  });
});

describe(allocateProportionally.name, () => {
  it('never hands out more than the total, unlike rounding each part', () => {
    expect(allocateProportionally({ totalMinor: 1, weights: [50, 50] })).toEqual([1, 0]);
    expect(allocateProportionally({ totalMinor: 100, weights: [1, 1, 1] })).toEqual([34, 33, 33]);
    expect(allocateProportionally({ totalMinor: 10, weights: [0, 0] })).toEqual([0, 0]);
  });

  it('gives leftover units to the largest fractions', () => {
    expect(allocateProportionally({ totalMinor: 10, weights: [50, 30, 20] })).toEqual([5, 3, 2]);
    expect(allocateProportionally({ totalMinor: 7, weights: [1, 2] })).toEqual([2, 5]);
  });
});
