import { parseIntegerCell, parseMoneyCell } from '@podium/contest-model';

/**
 * "180 000,50", "180000.50", "1,234.56" → 18000050 minor units; null when not an amount. The
 * model's parser, so the editor reads a cell as the server's import does.
 */
export function toMinor(text: string): number | null {
  const minor = parseMoneyCell(text);
  return minor.ok ? minor.value : null;
}

/** Minor units as the text an editor shows: 18000050 → "180000.50". */
export function toMajor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const absolute = Math.abs(minor);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** A whole count, or undefined for an empty cell; NaN when it is not one. */
export function toCount(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const count = parseIntegerCell(text, { min: 0, max: 2_147_483_647 });
  return count.ok ? count.value : Number.NaN;
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
