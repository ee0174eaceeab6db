import { describe, expect, it } from '@jest/globals';
import { addUtcMonths, monthsBetween, parseInstant } from './period.js';

describe('contest length in months', () => {
  const months = (start: string, end: string) =>
    monthsBetween({ startMs: parseInstant(start), endMs: parseInstant(end) });

  it('counts calendar months, then the rest as a fraction of the next month', () => {
    expect(months('2026-03-01', '2026-04-01')).toBe(1);
    expect(months('2026-01-01', '2026-07-01')).toBe(6);
    expect(months('2026-03-01', '2026-03-16')).toBeCloseTo(15 / 31, 12);
    expect(months('2026-02-01', '2026-03-15')).toBeCloseTo(1 + 14 / 31, 12);
  });

  it('clamps the day at the end of a shorter month', () => {
    expect(
      new Date(addUtcMonths({ ms: parseInstant('2026-01-31'), months: 1 })).toISOString(),
    ).toBe('2026-02-28T00:00:00.000Z');
    expect(
      new Date(addUtcMonths({ ms: parseInstant('2026-03-01'), months: -6 })).toISOString(),
    ).toBe('2025-09-01T00:00:00.000Z');
  });
});
