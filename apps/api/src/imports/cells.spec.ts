import { describe, expect, it } from '@jest/globals';
import { boolean, date, decimalText, instant, integer, money, month, role } from './cells.js';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; code: string }) =>
  parsed.ok ? parsed.value : `!${parsed.code}`;

describe('cells', () => {
  it('reads amounts as people type them in English and Russian spreadsheets', () => {
    expect(
      [
        '180000.50',
        '180 000,50',
        '180\u00a0000,50',
        '1,234.56',
        '1.234,56',
        '1 234 567',
        '-5,5',
      ].map(decimalText),
    ).toEqual(['180000.50', '180000.50', '180000.50', '1234.56', '1234.56', '1234567', '-5.5']);
    expect(['12abc', '', '1.2.3,4,5', '--1'].map(decimalText)).toEqual([null, null, null, null]);
    expect(decimalText(480000.5)).toBe('480000.5');
  });

  it('turns major units into minor ones, rounding once half away from zero', () => {
    const min = { min: null };
    expect(
      ['180 000,50', '0.285', '-0.285', '1,234.565', '0.004', '0.005', '7'].map((cell) =>
        value(money(cell, min)),
      ),
    ).toEqual([18000050, 29, -29, 123457, 0, 1, 700]);
    expect(value(money(0.285, min))).toBe(29);
    expect(value(money('-1', { min: 0 }))).toBe('!negative');
    expect(value(money('1e400', min))).toBe('!money');
    expect(value(money('99999999999999999', min))).toBe('!tooLarge');
  });

  it('reads whole counts within bounds', () => {
    const bounds = { min: 0, max: 10 };
    expect(['3', 3, '3,0', '2.5', '-1', '11'].map((cell) => value(integer(cell, bounds)))).toEqual([
      3,
      3,
      3,
      '!integer',
      '!negative',
      '!tooLarge',
    ]);
  });

  it('reads dates, months and instants from text and from XLSX date cells', () => {
    const excel = new Date(Date.UTC(2026, 2, 1));
    expect([value(date('2026-03-01')), value(date('01.03.2026')), value(date(excel))]).toEqual([
      '2026-03-01',
      '2026-03-01',
      '2026-03-01',
    ]);
    expect(value(date('2025-02-30'))).toBe('!date');
    expect([value(month('2026-03')), value(month('03.2026')), value(month(excel))]).toEqual([
      '2026-03',
      '2026-03',
      '2026-03',
    ]);
    expect(value(month('2026-13'))).toBe('!month');
    expect(
      [
        '2026-03-02T10:00:00+03:00',
        '2026-03-02 10:00',
        '2026-03-02',
        new Date(Date.UTC(2026, 2, 2, 7)),
      ].map((cell) => value(instant(cell))),
    ).toEqual([
      '2026-03-02T07:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T07:00:00.000Z',
    ]);
    expect(
      ['2026-03-02T25:00', 'yesterday', '2026-02-30'].map((cell) => value(instant(cell))),
    ).toEqual(['!instant', '!instant', '!instant']);
  });

  it('reads yes and no in both languages, and the two roles', () => {
    expect(['yes', 'Да', '1', true, 'нет', 'false', 0].map((cell) => value(boolean(cell)))).toEqual(
      [true, true, true, true, false, false, false],
    );
    expect(value(boolean('maybe'))).toBe('!boolean');
    expect([value(role('Farmer')), value(role('boss'))]).toEqual(['farmer', '!role']);
  });
});
