import { cellProblem, cellText, cellValue, type Cell, type CellParsed } from './cell.js';

const DAY_MS = 86_400_000;
/** Excel's day 0 in its 1900 date system, as every serial after February 1900 counts from it. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/**
 * Serial dates are read between 10000 and 99999 (1927-05-18 to 2173-10-14): five digits, so a
 * year ("2026") or a day of a month is never taken for one, and Excel's 1900 leap-year bug
 * (serial 60) never matters.
 */
const SERIAL_MIN = 10_000;
const SERIAL_MAX = 99_999;
const SERIAL_TEXT = /^\d{5}(?:[.,]\d+)?$/;

/**
 * An Excel serial date: a number cell (XLSX with a General format) or the same number as text
 * (a CSV, or the simulator's cells read as text). The fraction is the time of day, without a
 * zone, so UTC like every zone-less time here. Milliseconds since the epoch, or null.
 */
function excelSerial(cell: Cell): number | null {
  const serial =
    typeof cell === 'number'
      ? cell
      : typeof cell === 'string' && SERIAL_TEXT.test(cell.trim())
        ? Number(cell.trim().replace(',', '.'))
        : Number.NaN;
  if (!Number.isFinite(serial) || serial < SERIAL_MIN || serial >= SERIAL_MAX + 1) return null;
  return EXCEL_EPOCH_MS + Math.round(serial * 86_400) * 1000;
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const pad = (value: number) => String(value).padStart(2, '0');
const dayOf = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/**
 * A calendar date → `YYYY-MM-DD`: `2026-03-01`, `01.03.2026` or `1.3.2026` (day first, as in
 * Russia; never month first), an Excel serial (46082), or an XLSX date cell (Excel stores a date
 * without a zone; exceljs reads it as that day at 00:00 UTC).
 */
export function parseDateCell(cell: Cell): CellParsed<string> {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime())
      ? cellProblem('date', 'must be a date YYYY-MM-DD')
      : cellValue(dayOf(cell));
  }
  const serial = excelSerial(cell);
  if (serial !== null) return cellValue(dayOf(new Date(serial)));
  const value = cellText(cell);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const russian = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : russian
      ? [Number(russian[3]), Number(russian[2]), Number(russian[1])]
      : [0, 0, 0];
  if (year === 0 || !validDate(year, month, day)) {
    return cellProblem('date', 'must be a date YYYY-MM-DD');
  }
  return cellValue(`${year}-${pad(month)}-${pad(day)}`);
}

/**
 * A month → `YYYY-MM`: `2026-03`, `2026-03-01`, `03.2026`, or a date of it (an XLSX date cell, an
 * Excel serial, `01.03.2026`): any day names its month.
 */
export function parseMonthCell(cell: Cell): CellParsed<string> {
  const value = cellText(cell);
  const iso = /^(\d{4})-(\d{2})$/.exec(value);
  const russian = /^(\d{1,2})\.(\d{4})$/.exec(value);
  const [year, month] = iso
    ? [Number(iso[1]), Number(iso[2])]
    : russian
      ? [Number(russian[2]), Number(russian[1])]
      : [0, 0];
  if (year !== 0 && month >= 1 && month <= 12) return cellValue(`${year}-${pad(month)}`);
  if (year === 0) {
    const date = parseDateCell(cell);
    if (date.ok) return cellValue(date.value.slice(0, 7));
  }
  return cellProblem('month', 'must be a month YYYY-MM');
}

const INSTANT_REASON = 'must be a date and time, e.g. 2026-03-02T10:00:00+03:00';

/**
 * An instant → ISO 8601 UTC: with a zone, or without one (then UTC): `2026-03-02T10:00:00+03:00`,
 * `2026-03-02 10:00`, `2026-03-02`; an XLSX date-time cell or an Excel serial (46083.4166…) is
 * read as UTC.
 */
export function parseInstantCell(cell: Cell): CellParsed<string> {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime())
      ? cellProblem('instant', INSTANT_REASON)
      : cellValue(cell.toISOString());
  }
  const serial = excelSerial(cell);
  if (serial !== null) return cellValue(new Date(serial).toISOString());
  const value = cellText(cell).replace(' ', 'T');
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      value,
    );
  if (!match || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return cellProblem('instant', INSTANT_REASON);
  }
  const withTime = match[4] === undefined ? `${value}T00:00:00` : value;
  const zoned = match[7] === undefined ? `${withTime}Z` : withTime;
  const parsed = new Date(zoned);
  if (Number.isNaN(parsed.getTime()) || Number(match[4] ?? 0) > 23 || Number(match[5] ?? 0) > 59) {
    return cellProblem('instant', INSTANT_REASON);
  }
  return cellValue(parsed.toISOString());
}

/** A day's serial as Excel counts it (for tests and templates): 2026-03-01 → 46082. */
export function excelSerialOf(day: string): number {
  return (Date.parse(`${day}T00:00:00Z`) - EXCEL_EPOCH_MS) / DAY_MS;
}
