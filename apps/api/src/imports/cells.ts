import { roundHalfAwayFromZero } from '@podium/contest-model';

/** A cell as a file holds it: CSV gives text, XLSX also numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null;

/** Why a cell is refused: a code the screen translates, and a sentence for everyone else. */
export interface CellProblem {
  readonly code: string;
  readonly reason: string;
}

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | ({ readonly ok: false } & CellProblem);

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (code: string, reason: string): Parsed<never> => ({ ok: false, code, reason });

/** Blank: nothing, or only spaces. */
export function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

function asText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

export function text(cell: Cell, max: number): Parsed<string> {
  const value = asText(cell);
  if (value.length > max) return bad('tooLong', `must be at most ${max} characters`);
  return ok(value);
}

/**
 * A decimal number as people type it: "180000.50", "180 000,50" (Russian spreadsheets, with
 * spaces or no-break spaces between thousands), "1,234.56", "1.234,56". The last `.` or `,` is
 * the decimal mark when both appear; a lone `,` is a decimal mark unless it repeats. Answers the
 * normalised text (`-1234.56`) so money can be converted without binary fractions.
 */
export function decimalText(cell: Cell): string | null {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    const textual = String(cell);
    // Exponent notation only for huge or tiny values: tiny ones are zero at two decimals.
    if (/e/i.test(textual)) return Math.abs(cell) < 1 ? '0' : null;
    return textual;
  }
  if (typeof cell !== 'string') return null;
  let value = cell.replace(/[\s\u00a0\u202f']/g, '');
  if (value === '') return null;
  const lastDot = value.lastIndexOf('.');
  const lastComma = value.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    value = value.replaceAll(thousands, '').replace(decimal, '.');
  } else if (lastComma >= 0) {
    value = value.indexOf(',') === lastComma ? value.replace(',', '.') : value.replaceAll(',', '');
  } else if (lastDot >= 0 && value.indexOf('.') !== lastDot) {
    value = value.replaceAll('.', '');
  }
  return /^[+-]?\d+(\.\d+)?$/.test(value) ? value.replace(/^\+/, '') : null;
}

/**
 * Money in major units ("180 000,50" ₽) → integer minor units. Digits beyond the second
 * decimal are rounded once, half away from zero, with the library's rounding helper.
 */
export function money(cell: Cell, { min }: { min: number | null }): Parsed<number> {
  const value = decimalText(cell);
  if (value === null) return bad('money', 'must be an amount in major units, e.g. 180000.50');
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  // Moving the decimal point in the text keeps 0.285 exact: 28.5 minor units, rounded to 29.
  const shifted = Number(
    `${whole}${fraction.slice(0, 2).padEnd(2, '0')}.${fraction.slice(2) || '0'}`,
  );
  const minor = roundHalfAwayFromZero(negative ? -shifted : shifted) || 0;
  if (!Number.isSafeInteger(minor)) return bad('tooLarge', 'is too large');
  if (min !== null && minor < min) return bad('negative', 'must not be negative');
  return ok(minor);
}

/** A whole number within the bounds (counts: deals, new clients, leads). */
export function integer(cell: Cell, { min, max }: { min: number; max: number }): Parsed<number> {
  const value = decimalText(cell);
  const number = value === null ? Number.NaN : Number(value);
  if (!Number.isInteger(number)) return bad('integer', 'must be a whole number');
  if (number < min) return bad('negative', `must be at least ${min}`);
  if (number > max) return bad('tooLarge', `must be at most ${max}`);
  return ok(number);
}

/** A positive number (quantity). */
export function positive(cell: Cell): Parsed<number> {
  const value = decimalText(cell);
  const number = value === null ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number <= 0) return bad('positive', 'must be a number above 0');
  return ok(number);
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * A calendar date: `2026-03-01`, `01.03.2026` (Russian), or an XLSX date cell (Excel stores a
 * date without a zone; exceljs reads it as that day at 00:00 UTC).
 */
export function date(cell: Cell): Parsed<string> {
  if (cell instanceof Date) {
    return ok(`${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`);
  }
  const value = asText(cell);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const russian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : russian
      ? [Number(russian[3]), Number(russian[2]), Number(russian[1])]
      : [0, 0, 0];
  if (year === 0 || !validDate(year, month, day)) {
    return bad('date', 'must be a date YYYY-MM-DD');
  }
  return ok(`${year}-${pad(month)}-${pad(day)}`);
}

/** A month: `2026-03`, `03.2026`, or an XLSX date cell (any day of that month). */
export function month(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return ok(`${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}`);
  const value = asText(cell);
  const iso = /^(\d{4})-(\d{2})(?:-01)?$/.exec(value);
  const russian = /^(\d{1,2})\.(\d{4})$/.exec(value);
  const [year, monthNumber] = iso
    ? [Number(iso[1]), Number(iso[2])]
    : russian
      ? [Number(russian[2]), Number(russian[1])]
      : [0, 0];
  if (year === 0 || monthNumber < 1 || monthNumber > 12) {
    return bad('month', 'must be a month YYYY-MM');
  }
  return ok(`${year}-${pad(monthNumber)}`);
}

/**
 * An instant: ISO 8601 with a zone, or without one (then UTC): `2026-03-02T10:00:00+03:00`,
 * `2026-03-02 10:00`, `2026-03-02`; an XLSX date-time cell is read as UTC.
 */
export function instant(cell: Cell): Parsed<string> {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime()) ? bad('instant', 'is not a date') : ok(cell.toISOString());
  }
  const value = asText(cell).replace(' ', 'T');
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      value,
    );
  if (!match || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return bad('instant', 'must be a date and time, e.g. 2026-03-02T10:00:00+03:00');
  }
  const withTime = match[4] === undefined ? `${value}T00:00:00` : value;
  const zoned = match[7] === undefined ? `${withTime}Z` : withTime;
  const parsed = new Date(zoned);
  if (Number.isNaN(parsed.getTime()) || Number(match[4] ?? 0) > 23 || Number(match[5] ?? 0) > 59) {
    return bad('instant', 'must be a date and time, e.g. 2026-03-02T10:00:00+03:00');
  }
  return ok(parsed.toISOString());
}

const YES = ['true', 'yes', '1', 'да', 'y', 'д'];
const NO = ['false', 'no', '0', 'нет', 'n', 'н'];

export function boolean(cell: Cell): Parsed<boolean> {
  if (typeof cell === 'boolean') return ok(cell);
  const value = asText(cell).toLowerCase();
  if (YES.includes(value)) return ok(true);
  if (NO.includes(value)) return ok(false);
  return bad('boolean', 'must be yes or no (true/false, 1/0, да/нет)');
}

export function role(cell: Cell): Parsed<'hunter' | 'farmer'> {
  const value = asText(cell).toLowerCase();
  if (value === 'hunter' || value === 'farmer') return ok(value);
  return bad('role', 'must be hunter or farmer');
}
