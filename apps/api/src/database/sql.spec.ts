import { describe, expect, it } from '@jest/globals';
import { returned, safeInteger, safeIntegerOrNull } from './sql.js';

describe('safeInteger', () => {
  it('answers bigint and numeric columns within the safe range as numbers', () => {
    expect(safeInteger('0', 'x')).toBe(0);
    expect(safeInteger('-125000', 'x')).toBe(-125_000);
    expect(safeInteger('9007199254740991', 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(safeInteger('-9007199254740991', 'x')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(safeInteger(42n, 'x')).toBe(42);
    expect(safeInteger(7, 'x')).toBe(7);
    expect(safeIntegerOrNull(null, 'x')).toBeNull();
    expect(safeIntegerOrNull('3', 'x')).toBe(3);
  });

  it('throws rather than answer a rounded, fractional or made-up number', () => {
    expect(() => safeInteger('9007199254740992', 'turnover_minor')).toThrow(
      /turnover_minor = 9007199254740992/,
    );
    expect(() => safeInteger('-9007199254740993', 'x')).toThrow(RangeError);
    expect(() => safeInteger(2n ** 60n, 'x')).toThrow(RangeError);
    expect(() => safeInteger('12.50', 'x')).toThrow(RangeError);
    expect(() => safeInteger('', 'x')).toThrow(RangeError);
    expect(() => safeInteger(' 1', 'x')).toThrow(RangeError);
    expect(() => safeInteger(1.5, 'x')).toThrow(RangeError);
  });
});

describe('returned', () => {
  it('answers the rows of an UPDATE and of a SELECT alike', () => {
    expect(returned([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(returned([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(returned([[], 0])).toEqual([]);
  });
});
