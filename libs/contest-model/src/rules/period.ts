/** Milliseconds since the epoch of an ISO date (00:00 UTC) or an ISO instant with a zone. */
export function parseInstant(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new RangeError(`not an ISO date or instant: ${text}`);
  }
  return ms;
}

/** Adds calendar months in UTC; the day is clamped to the target month (31 Jan + 1 → 28/29 Feb). */
export function addUtcMonths({ ms, months }: { ms: number; months: number }): number {
  const date = new Date(ms);
  const targetMonth = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(targetMonth / 12);
  const month = ((targetMonth % 12) + 12) % 12;
  const daysInTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), daysInTarget),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/**
 * Length of [start, end) in calendar months: whole months counted from start, plus the remaining
 * days as a fraction of the next month. 1 March → 1 April is exactly 1; 1 March → 16 March is
 * 15/31.
 */
export function monthsBetween({ startMs, endMs }: { startMs: number; endMs: number }): number {
  let whole = 0;
  while (addUtcMonths({ ms: startMs, months: whole + 1 }) <= endMs) {
    whole += 1;
  }
  const from = addUtcMonths({ ms: startMs, months: whole });
  const to = addUtcMonths({ ms: startMs, months: whole + 1 });
  return whole + (endMs - from) / (to - from);
}
