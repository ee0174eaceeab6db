import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  march,
  pointsById,
  reversal,
  sale,
} from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';
import { LiveStandings } from '../standings/live-standings.js';
import type { ContestEvent } from '../rules/event.schema.js';

describe('reversals', () => {
  const kept = sale('a', { amountMinor: 30_000, marginMinor: 6_000, id: 'kept', at: march(2) });
  const cancelled = sale('a', {
    amountMinor: 50_000,
    marginMinor: 10_000,
    id: 'gone',
    at: march(5),
  });
  const cancel = reversal('a', 'gone', { at: march(6), id: 'rev-1' });

  it('cancels a sale that came before it', () => {
    const sut = evaluate(contestFile({ events: [kept, cancelled, cancel] }), {
      whatItTakes: false,
    });
    expect(pointsById(sut).a).toBe(3);
    expect(sut.actualMarginMinor).toBe(6_000);
    // The total is as if the sale never happened, reached with the kept sale.
    expect(sut.standings[0]?.reachedAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('cancels a sale that arrives after it', () => {
    const sut = evaluate(contestFile({ events: [cancel, kept, cancelled] }), {
      whatItTakes: false,
    });
    expect(pointsById(sut).a).toBe(3);
    expect(sut.actualMarginMinor).toBe(6_000);
  });

  it('does the same incrementally, whichever arrives first', () => {
    const file = contestFile({ events: [kept, cancelled, cancel] });
    const [keptEvent, saleEvent, reversalEvent] = file.events as [
      ContestEvent,
      ContestEvent,
      ContestEvent,
    ];

    const saleFirst = LiveStandings.fromFile(file);
    expect(saleFirst.applyEvent(keptEvent).status).toBe('counted');
    expect(saleFirst.applyEvent(saleEvent).status).toBe('counted');
    expect(saleFirst.row('a')?.points).toBe(8);
    expect(saleFirst.applyEvent(reversalEvent)).toEqual({ status: 'reversed', participantId: 'a' });
    expect(saleFirst.row('a')?.points).toBe(3);

    const reversalFirst = LiveStandings.fromFile(file);
    expect(reversalFirst.applyEvent(reversalEvent)).toEqual({
      status: 'reversalPending',
      participantId: null,
    });
    expect(reversalFirst.applyEvent(saleEvent).status).toBe('cancelled');
    expect(reversalFirst.applyEvent(keptEvent).status).toBe('counted');
    expect(reversalFirst.snapshot()).toEqual(saleFirst.snapshot());
    expect(reversalFirst.funding().actualMarginMinor).toBe(6_000);
  });

  it('cancels a sale of the period with a reversal dated after it: a late cancellation', () => {
    const late = reversal('a', 'gone', { at: '2026-04-02T10:00:00Z' });
    const file = contestFile({ events: [kept, cancelled, late] });
    expect(pointsById(evaluate(file, { whatItTakes: false })).a).toBe(3);
    const live = LiveStandings.fromFile(file);
    expect(file.events.map((event) => live.applyEvent(event).status)).toEqual([
      'counted',
      'counted',
      'reversed',
    ]);
    expect(live.row('a')?.points).toBe(3);
  });

  it('ignores a reversal dated before the period, or after `now` in interim results', () => {
    const early = reversal('a', 'gone', { at: '2026-02-20T10:00:00Z' });
    const sut = evaluate(contestFile({ events: [kept, cancelled, early] }), { whatItTakes: false });
    expect(pointsById(sut).a).toBe(8);
    const interim = evaluate(contestFile({ events: [kept, cancelled, cancel] }), {
      now: '2026-03-05T12:00:00Z',
      whatItTakes: false,
    });
    expect(pointsById(interim).a).toBe(8);
  });

  it('only cancels the event of its own source', () => {
    const other = reversal('a', 'gone', { at: march(6) });
    const sut = evaluate(contestFile({ events: [kept, cancelled, { ...other, source: 'erp' }] }), {
      whatItTakes: false,
    });
    expect(pointsById(sut).a).toBe(8);
  });
});
