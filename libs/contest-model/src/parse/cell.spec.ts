import { describe, expect, it } from '@jest/globals';
import { parseBooleanCell, parseRoleCell, parseTextCell, type CellParsed } from './cell.js';
import { excelSerialOf, parseDateCell, parseInstantCell, parseMonthCell } from './date.js';
import { parseDecimalCell, parseIntegerCell, parsePositiveCell } from './number.js';

const value = <T>(parsed: CellParsed<T>) => (parsed.ok ? parsed.value : `!${parsed.code}`);

describe('cells', () => {
  it('reads whole counts within bounds, naming the bound it broke', () => {
    const bounds = { min: 0, max: 10 };
    expect(
      ['3', 3, '3,0', '2.5', '-1', '11', '1 000'].map((cell) =>
        value(parseIntegerCell(cell, bounds)),
      ),
    ).toEqual([3, 3, 3, '!integer', '!negative', '!tooLarge', '!tooLarge']);
    expect(parseIntegerCell('11', bounds)).toMatchObject({ params: { max: 10 } });
  });

  it('reads decimals and positive quantities with the same marks as money', () => {
    expect(['1,5', '1 234,5', '1,234', 'x'].map((cell) => value(parseDecimalCell(cell)))).toEqual([
      1.5,
      1234.5,
      1.234,
      '!number',
    ]);
    expect(['2', '0,5', '0', '-1'].map((cell) => value(parsePositiveCell(cell)))).toEqual([
      2,
      0.5,
      '!positive',
      '!positive',
    ]);
  });

  it('reads dates from ISO and Russian text, XLSX date cells and Excel serials', () => {
    const excel = new Date(Date.UTC(2026, 2, 1));
    expect(
      ['2026-03-01', '01.03.2026', '1.3.2026', excel, 46082, '46082'].map((cell) =>
        value(parseDateCell(cell)),
      ),
    ).toEqual(Array(6).fill('2026-03-01'));
    expect(excelSerialOf('2026-03-01')).toBe(46082);
    expect(
      ['2025-02-30', '03/01/2026', '2026', 9999, 100000, new Date(Number.NaN)].map((cell) =>
        value(parseDateCell(cell)),
      ),
    ).toEqual(Array(6).fill('!date'));
  });

  it('reads months, and any day as its month', () => {
    const excel = new Date(Date.UTC(2026, 2, 1));
    expect(
      ['2026-03', '03.2026', '3.2026', '2026-03-01', '15.03.2026', excel, 46082].map((cell) =>
        value(parseMonthCell(cell)),
      ),
    ).toEqual(Array(7).fill('2026-03'));
    expect(['2026-13', '13.2026', 'March'].map((cell) => value(parseMonthCell(cell)))).toEqual(
      Array(3).fill('!month'),
    );
  });

  it('reads instants with or without a zone, XLSX date-times and Excel serials as UTC', () => {
    expect(
      [
        '2026-03-02T10:00:00+03:00',
        '2026-03-02 10:00',
        '2026-03-02',
        new Date(Date.UTC(2026, 2, 2, 7)),
        46083.291666666664,
      ].map((cell) => value(parseInstantCell(cell))),
    ).toEqual([
      '2026-03-02T07:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T07:00:00.000Z',
      '2026-03-02T07:00:00.000Z',
    ]);
    expect(
      ['2026-03-02T25:00', 'yesterday', '2026-02-30'].map((cell) => value(parseInstantCell(cell))),
    ).toEqual(['!instant', '!instant', '!instant']);
  });

  it('reads yes and no in both languages, the two roles, and bounded text', () => {
    expect(
      ['yes', 'Да', '1', true, 'нет', 'false', 0].map((cell) => value(parseBooleanCell(cell))),
    ).toEqual([true, true, true, true, false, false, false]);
    expect(value(parseBooleanCell('maybe'))).toBe('!boolean');
    expect([value(parseRoleCell('Farmer')), value(parseRoleCell('boss'))]).toEqual([
      'farmer',
      '!role',
    ]);
    expect(parseTextCell('abcd', 3)).toMatchObject({
      ok: false,
      code: 'tooLong',
      params: { max: 3 },
    });
    expect(value(parseTextCell('  ab ', 3))).toBe('ab');
  });
});
