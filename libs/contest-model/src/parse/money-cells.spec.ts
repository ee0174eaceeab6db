import { describe, expect, it } from '@jest/globals';
import type { Cell } from './cell.js';
import { decimalText, parseMoneyCell } from './number.js';

/**
 * Every reader of amounts (the file import, the simulator's files, the plans editor, the
 * manager's correction form, the CRM connectors) calls parseMoneyCell: these cells are the
 * amounts they all answer. `!code` is a refused cell.
 */
const CELLS: readonly (readonly [Cell, number | string])[] = [
  ['180000.50', 18000050],
  ['180 000,50', 18000050],
  ['180\u00a0000,50', 18000050],
  ['180\u202f000,50', 18000050],
  ["180'000.50", 18000050],
  ['1 234,50', 123450],
  ['1.234,56', 123456],
  ['1,234.56', 123456],
  ['1,234,567', 123456700],
  ['1.234.567', 123456700],
  ['1 234 567', 123456700],
  ['1,234,567.89', 123456789],
  ['1.234.567,89', 123456789],
  // A lone mark is the decimal mark: "1,234" is 1.234 roubles, 123 kopecks after rounding.
  ['1,234', 123],
  ['1.234', 123],
  ['1,235', 124],
  ['1,5', 150],
  ['1.5', 150],
  ['0,285', 29],
  ['0.285', 29],
  ['-0.285', -29],
  ['1,234.565', 123457],
  ['0.004', 0],
  ['0.005', 1],
  ['-0.005', -1],
  ['.5', 50],
  ['+7', 700],
  ['7', 700],
  ['\u22125,5', -550],
  ['-5,5', -550],
  [' 42 ', 4200],
  ['15000.50', 1500050],
  ['0', 0],
  ['-0', 0],
  ['1,23,4', '!money'],
  ['1,234,56', '!money'],
  ['1234,567.89', '!money'],
  ['1.2.3,4,5', '!money'],
  ['1.234,567.8', '!money'],
  ['1,234.567,8', '!money'],
  ['12abc', '!money'],
  ['', '!money'],
  ['   ', '!money'],
  ['--1', '!money'],
  ['1e5', '!money'],
  ['5.', '!money'],
  ['1,234.', '!money'],
  ['15000|RUB', '!money'],
  ['99999999999999999', '!tooLarge'],
  [180000.5, 18000050],
  [0.285, 29],
  [46082, 4608200],
  [1e-7, 0],
  [1e21, '!money'],
  [Number.POSITIVE_INFINITY, '!money'],
  [Number.NaN, '!money'],
  [true, '!money'],
  [null, '!money'],
];

const answer = (cell: Cell, min: number | null = null) => {
  const parsed = parseMoneyCell(cell, { min });
  return parsed.ok ? parsed.value : `!${parsed.code}`;
};

describe(parseMoneyCell.name, () => {
  it('has a table of more than 40 cells', () => {
    expect(CELLS.length).toBeGreaterThan(40);
  });

  it.each(CELLS)('reads %p as %p', (cell, expected) => {
    expect(answer(cell)).toBe(expected);
  });

  it('refuses amounts below the minimum, naming the rule', () => {
    expect(answer('-1', 0)).toBe('!negative');
    expect(answer('0', 0)).toBe(0);
    expect(parseMoneyCell('x')).toMatchObject({ reason: expect.stringMatching(/major units/) });
  });
});

describe(decimalText.name, () => {
  it('normalises what it reads to plain decimal text', () => {
    expect(
      ['180 000,50', '1,234.56', '1.234,56', '1 234 567', '-5,5', '.5', '+3'].map(decimalText),
    ).toEqual(['180000.50', '1234.56', '1234.56', '1234567', '-5.5', '0.5', '3']);
    expect(decimalText(480000.5)).toBe('480000.5');
  });
});
