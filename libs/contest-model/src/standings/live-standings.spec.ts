import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseValid } from '../../test-support/contest-fixture.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

const springSprint = parseValid(
  JSON.parse(readFileSync(new URL('../../examples/spring-sprint.json', import.meta.url), 'utf8')),
);

describe(LiveStandings.name, () => {
  it('applies events one at a time and answers rank, top, page and funding', () => {
    const sut = LiveStandings.fromFile(springSprint);
    expect(sut.size).toBe(4);
    expect(sut.rank('p1')).toBe(1);
    expect(sut.funding().fundMinor).toBe(0);

    const statuses = springSprint.events.map((event) => sut.applyEvent(event).status);
    expect(statuses.filter((status) => status === 'counted')).toHaveLength(11);
    expect(statuses.slice(-2)).toEqual(['duplicate', 'outsidePeriod']);

    expect(sut.top(2).map((row) => [row.participantId, row.rank, row.points, row.prize])).toEqual([
      ['p4', 1, 141.67, { place: 1, league: null }],
      ['p3', 2, 140, { place: 2, league: null }],
    ]);
    expect(sut.page(2, 10).map((row) => row.participantId)).toEqual(['p1', 'p2']);
    expect(sut.rank('p2')).toBe(4);
    expect(sut.rank('nobody')).toBeNull();
    expect(sut.actualMarginMinor).toBe(245_000_000);
    const funding = sut.funding();
    expect(funding.fundMinor).toBe(18_000_000);
    expect(funding.prizes.map((prize) => prize.winnerParticipantId)).toEqual(['p4', 'p3', 'p1']);
  });

  it('equals evaluate from scratch, what it takes included', () => {
    const sut = LiveStandings.fromFile(springSprint);
    sut.applyEvents([...springSprint.events].reverse());
    const expected = evaluate(springSprint);
    expect(sut.snapshot()).toEqual(expected);
    expect(sut.whatItTakes('p2')).toEqual(
      expected.standings.find((row) => row.participantId === 'p2')?.whatItTakes,
    );
    expect(sut.whatItTakes('nobody')).toBeNull();
  });

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
