import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

// At full size, apart from live-standings.spec.ts: the mutation run leaves `*.scale.spec.ts` out,
// since running this for every mutant would cost more than all the other standings specs.
describe(`${LiveStandings.name} at scale`, () => {
  it('ranks 10,000 participants after 100,000 events as evaluate does', () => {
    const participants = Array.from({ length: 10_000 }, (_, index) => ({
      id: `p${index}`,
      name: `Seller ${index}`,
      plan: { turnoverMinor: 1_000_000 + index, marginMinor: 200_000 },
    }));
    const file = parseValid({
      name: 'Big',
      period: { start: '2026-03-01', end: '2026-04-01' },
      funding: { fundShare: 0.3 },
      prizes: [{ place: 1, title: 'Car', costMinor: 100_000_000 }],
      criteria: [{ metric: 'turnover', basis: 'percentOfPlan', cap: 300 }],
      participants,
    });
    const sut = LiveStandings.fromFile(file);
    const events = [];
    for (let i = 0; i < 100_000; i += 1) {
      // In time order, 26 s apart: 1 March to 31 March.
      const minute = String(Math.floor(i / 2.3) % 60).padStart(2, '0');
      const hour = String(Math.floor(i / 138) % 24).padStart(2, '0');
      const day = String(1 + Math.floor(i / 3312)).padStart(2, '0');
      events.push({
        type: 'sale' as const,
        externalId: `s${i}`,
        source: 'crm',
        participantId: `p${(i * 7_919) % 10_000}`,
        occurredAt: `2026-03-${day}T${hour}:${minute}:00Z`,
        amountMinor: 10_000 + (i % 997),
        marginMinor: 2_000,
        isNewClient: false,
        quantity: 1,
      });
    }
    for (const event of events) sut.applyEvent(event);
    // Its speed is the standings-update benchmark's to measure; here, the result.
    const expected = evaluate({ ...file, events }).standings;
    const brief = (row: { participantId: string; rank: number; points: number } | undefined) =>
      row && { participantId: row.participantId, rank: row.rank, points: row.points };
    expect(sut.top(3).map(brief)).toEqual(expected.slice(0, 3).map(brief));
    expect(brief(sut.page(5_000, 1)[0])).toEqual(brief(expected[5_000]));
    expect(sut.rank(sut.page(5_000, 1)[0]?.participantId ?? '')).toBe(5_001);
  });
});
