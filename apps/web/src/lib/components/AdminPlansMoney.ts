import { roundHalfAwayFromZero } from '@podium/contest-model';

/**
 * "180 000,50", "180000.50", "1,234.56" → 18000050 minor units; null when not an amount. The
 * same reading as the server's import (`apps/api/src/imports/cells.ts`), rounded once with the
 * library's helper (15 significant digits first, so 0.285 × 100 is 28.5, not 28.4999…).
 */
export function toMinor(text: string): number | null {
  let value = text.replace(/[\s\u00a0\u202f']/g, '');
  if (value === '') return null;
  const lastDot = value.lastIndexOf('.');
  const lastComma = value.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    value = value.replaceAll(decimal === '.' ? ',' : '.', '').replace(decimal, '.');
  } else if (lastComma >= 0) {
    value = value.indexOf(',') === lastComma ? value.replace(',', '.') : value.replaceAll(',', '');
  }
  if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return null;
  const minor = roundHalfAwayFromZero(Number((Number(value) * 100).toPrecision(15)));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the text an editor shows: 18000050 → "180000.50". */
export function toMajor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const absolute = Math.abs(minor);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** A whole count, or undefined for an empty cell; NaN when it is not one. */
export function toCount(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** The month after the latest of `months` (or the current one), so a new line is valid at once. */
export function monthAfter(months: readonly string[], nowMs: number): string {
  const last = [...months].sort().at(-1);
  const now = new Date(nowMs);
  const [year, month] = last
    ? last.split('-').map(Number)
    : [now.getUTCFullYear(), now.getUTCMonth()];
  // `month` read from "YYYY-MM" is 1-based: as a 0-based index it already is the next month.
  const next = new Date(Date.UTC(year ?? now.getUTCFullYear(), month ?? 0, 1));
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`;
}
