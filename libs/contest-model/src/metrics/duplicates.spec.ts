import { describe, expect, it } from '@jest/globals';
import { contestFile, pointsById, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';
import { LiveStandings } from '../standings/live-standings.js';
import { parseContestEvent } from '../rules/parse.js';

describe('duplicates', () => {
  const deal = sale('a', { amountMinor: 40_000, id: 'deal-1' });

  it('counts a repeated (source, externalId) once', () => {
    const sut = evaluate(contestFile({ events: [deal, deal, deal] }), { whatItTakes: false });
    expect(pointsById(sut).a).toBe(4);
    expect(sut.actualMarginMinor).toBe(8_000);
  });

  it('counts the same externalId from two sources twice', () => {
    const sut = evaluate(contestFile({ events: [deal, { ...deal, source: 'erp' }] }), {
      whatItTakes: false,
    });
    expect(pointsById(sut).a).toBe(8);
  });

  it('tells a replay from a conflicting payload incrementally, and keeps the first', () => {
    const sut = LiveStandings.fromFile(contestFile());
    const parse = (input: unknown) => {
      const result = parseContestEvent(input);
      if (!result.success) throw new Error('invalid event');
      return result.data;
    };
    expect(sut.applyEvent(parse(deal)).status).toBe('counted');
    // Same payload with its keys in another order is still the same payload.
    const reordered = Object.fromEntries(Object.entries(deal).reverse());
    expect(sut.applyEvent(parse(reordered)).status).toBe('duplicate');
    expect(sut.applyEvent(parse({ ...deal, amountMinor: 99_999 })).status).toBe('conflict');
    expect(sut.row('a')?.points).toBe(4);
  });
});
