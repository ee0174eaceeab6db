import { describe, expect, it } from '@jest/globals';
import { contestFile, march, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';
import { LiveStandings } from '../standings/live-standings.js';

describe('events outside the period', () => {
  const events = [
    sale('a', { amountMinor: 10_000, at: '2026-02-28T23:59:59Z' }),
    sale('a', { amountMinor: 20_000, at: '2026-03-01T00:00:00Z' }),
    sale('a', { amountMinor: 40_000, at: '2026-03-31T23:59:59.999Z' }),
    sale('a', { amountMinor: 80_000, at: '2026-04-01T00:00:00Z' }),
    // 00:30 in Moscow on 1 April is still 31 March in UTC.
    sale('a', { amountMinor: 160_000, at: '2026-04-01T00:30:00+03:00' }),
  ];

  it('counts [start, end): start inclusive, end exclusive, zones respected', () => {
    const sut = evaluate(contestFile({ events }), { whatItTakes: false });
    expect(pointsById(sut).a).toBe(22);
  });

  it('says so incrementally', () => {
    const file = contestFile({ events });
    const sut = LiveStandings.fromFile(file);
    expect(file.events.map((event) => sut.applyEvent(event).status)).toEqual([
      'outsidePeriod',
      'counted',
      'counted',
      'outsidePeriod',
      'counted',
    ]);
  });

  it('gives interim results as of `now`, counting only what occurred before it', () => {
    const file = contestFile({
      events: [
        sale('a', { amountMinor: 10_000, at: march(5) }),
        sale('a', { amountMinor: 20_000, at: march(20) }),
      ],
    });
    const sut = evaluate(file, { now: '2026-03-15T00:00:00Z', whatItTakes: false });
    expect(pointsById(sut).a).toBe(1);
    expect(sut.asOf).toBe('2026-03-15T00:00:00.000Z');
    expect(
      pointsById(evaluate(file, { now: new Date('2026-05-01T00:00:00Z'), whatItTakes: false })).a,
    ).toBe(3);
  });
});
