import { roundHalfAwayFromZero } from '../money/money.js';
import { cellProblem, cellValue, type Cell, type CellParsed } from './cell.js';

/** Thousands groups after the first have three digits: "1,234,567", not "1,23,4". */
const GROUPED = /^\d{1,3}(?:\.\d{3})*$/;

/**
 * A decimal number as people type it, normalised to plain text (`-1234.56`) so that money can
 * be converted without binary fractions; null when it is not one.
 *
 * The rules, decided once for every reader:
 * - Spaces, no-break spaces, narrow no-break spaces and apostrophes are thousands separators and
 *   vanish: "180 000,50", "1'234.5".
 * - When both `.` and `,` appear, the last one is the decimal mark and the other separates
 *   thousands: "1,234.56" and "1.234,56" are both 1234.56.
 * - A mark that appears once is the decimal mark, whichever it is: "1,5" and "1.5" are 1.5, and
 *   so "1,234" is 1.234 and "1.234" is 1.234 (Russian spreadsheets write decimals with a comma;
 *   a thousands separator alone is written with a space).
 * - A mark that repeats separates thousands: "1,234,567" and "1.234.567" are 1234567.
 * - Thousands groups after the first have exactly three digits ("1,23,4" is not a number).
 * - A leading `+` or `-` (or the minus sign U+2212) is allowed; ".5" is 0.5; no exponents in text.
 * - A number cell (XLSX) is taken as it is; exponent notation appears only for huge values (not
 *   an amount) and tiny ones (zero at two decimals).
 */
export function decimalText(cell: Cell): string | null {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    const textual = String(cell);
    if (/e/i.test(textual)) return Math.abs(cell) < 1 ? '0' : null;
    return textual;
  }
  if (typeof cell !== 'string') return null;
  let value = cell.replace(/[\s\u00a0\u202f']/g, '').replace(/^\u2212/, '-');
  const sign = /^[+-]/.test(value) ? value.slice(0, 1) : '';
  value = value.slice(sign.length);
  if (value === '') return null;
  const lastDot = value.lastIndexOf('.');
  const lastComma = value.lastIndexOf(',');
  let whole = value;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimalAt = Math.max(lastDot, lastComma);
    const [decimal, thousands] = lastDot > lastComma ? ['.', ','] : [',', '.'];
    whole = value.slice(0, decimalAt);
    fraction = value.slice(decimalAt + 1);
    // The decimal mark appears once, after every thousands separator: "1.234,567.8" is not one.
    if (whole.includes(decimal)) return null;
    whole = whole.replaceAll(thousands, '.');
    if (!GROUPED.test(whole)) return null;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const at = value.indexOf(mark);
    if (at === value.lastIndexOf(mark)) {
      whole = value.slice(0, at) || '0';
      fraction = value.slice(at + 1);
    } else {
      whole = value.replaceAll(mark, '.');
      if (!GROUPED.test(whole)) return null;
    }
  }
  whole = whole.replaceAll('.', '');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return null;
  // A mark with no digits after it ("5.", "1,234.") is a typo, not a number.
  if (fraction === '' && /[.,]$/.test(value)) return null;
  const minus = sign === '-' ? '-' : '';
  return fraction === '' ? `${minus}${whole}` : `${minus}${whole}.${fraction}`;
}

/** A decimal number (plans in major units, shares); `number` when the cell is not one. */
export function parseDecimalCell(cell: Cell): CellParsed<number> {
  const value = decimalText(cell);
  if (value === null) return cellProblem('number', 'must be a number, e.g. 1234.5 or 1 234,5');
  return cellValue(Number(value));
}

/**
 * Money in major units ("180 000,50" ₽) → integer minor units. The decimal point is moved in
 * the text, so 0.285 is exactly 28.5 minor units, and digits beyond the second decimal are then
 * rounded once, half away from zero, with the model's one rounding helper. `min` (minor units)
 * refuses smaller amounts (0: no negative amounts).
 */
export function parseMoneyCell(
  cell: Cell,
  { min = null }: { min?: number | null } = {},
): CellParsed<number> {
  const value = decimalText(cell);
  if (value === null)
    return cellProblem('money', 'must be an amount in major units, e.g. 180000.50');
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const shifted = Number(
    `${whole}${fraction.slice(0, 2).padEnd(2, '0')}.${fraction.slice(2) || '0'}`,
  );
  const minor = roundHalfAwayFromZero(negative ? -shifted : shifted) || 0;
  if (!Number.isSafeInteger(minor)) return cellProblem('tooLarge', 'is too large');
  if (min !== null && minor < min) return cellProblem('negative', 'must not be negative');
  return cellValue(minor);
}

/** A whole number within the bounds (counts: deals, new clients, leads); "3,0" is 3. */
export function parseIntegerCell(
  cell: Cell,
  { min, max }: { min: number; max: number },
): CellParsed<number> {
  const value = decimalText(cell);
  const number = value === null ? Number.NaN : Number(value);
  if (!Number.isInteger(number)) return cellProblem('integer', 'must be a whole number');
  if (number < min) {
    return cellProblem('negative', `must be at least ${min}`, { min });
  }
  if (number > max) return cellProblem('tooLarge', `must be at most ${max}`, { max });
  return cellValue(number);
}

/** A number above zero (a deal's quantity). */
export function parsePositiveCell(cell: Cell): CellParsed<number> {
  const value = decimalText(cell);
  const number = value === null ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    return cellProblem('positive', 'must be a number above 0');
  }
  return cellValue(number);
}
