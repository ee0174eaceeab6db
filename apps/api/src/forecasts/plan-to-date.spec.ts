import { describe, expect, it } from '@jest/globals';
import { planMarginToDate } from './plan-to-date.js';

const at = (iso: string) => Date.parse(iso);

describe(planMarginToDate.name, () => {
  const period = { startMs: at('2026-03-01T00:00:00Z'), endMs: at('2026-05-01T00:00:00Z') };
  const plans = [
    { participantId: 'a', month: '2026-03', marginMinor: 3_100 },
    { participantId: 'a', month: '2026-04', marginMinor: 6_000 },
    { participantId: 'b', month: '2026-03', marginMinor: 900 },
    { participantId: 'b', month: '2026-04', marginMinor: 3_000 },
  ];

  it('sums the months gone and the elapsed share of the current one', () => {
    // March whole (3,100 + 900), April a third gone (10 of 30 days): (6,000 + 3,000) / 3.
    expect(
      planMarginToDate({
        ...period,
        asOfMs: at('2026-04-11T00:00:00Z'),
        participantIds: ['a', 'b'],
        plans,
      }),
    ).toBe(4_000 + 3_000);
  });

  it('is nothing at the start and the whole plan at the end', () => {
    const whole = { ...period, participantIds: ['a', 'b'], plans };
    expect(planMarginToDate({ ...whole, asOfMs: period.startMs })).toBe(0);
    expect(planMarginToDate({ ...whole, asOfMs: period.endMs + 1 })).toBe(13_000);
  });

  it('cuts the last step at the end of a period that does not end on a month boundary', () => {
    expect(
      planMarginToDate({
        startMs: at('2026-03-01T00:00:00Z'),
        endMs: at('2026-03-16T00:00:00Z'),
        asOfMs: at('2026-03-08T12:00:00Z'),
        participantIds: ['a'],
        plans,
      }),
    ).toBe(1_550);
  });

  it('leaves it to the contest plan when a participant lacks a month', () => {
    expect(
      planMarginToDate({
        ...period,
        asOfMs: at('2026-04-11T00:00:00Z'),
        participantIds: ['a', 'b', 'c'],
        plans,
      }),
    ).toBeUndefined();
  });
});
