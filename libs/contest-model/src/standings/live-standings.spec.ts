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

  it('pages by rank, reading a negative offset or limit as 0', () => {
    const sut = LiveStandings.fromFile(springSprint);
    sut.applyEvents(springSprint.events);
    const ranks = (rows: { participantId: string; rank: number }[]) =>
      rows.map((row) => [row.participantId, row.rank]);
    expect(ranks(sut.page(2, 10))).toEqual([
      ['p1', 3],
      ['p2', 4],
    ]);
    expect(ranks(sut.page(1, 1))).toEqual([['p3', 2]]);
    expect(ranks(sut.page(-3, 2))).toEqual([
      ['p4', 1],
      ['p3', 2],
    ]);
    expect(sut.page(1, -1)).toEqual([]);
    expect(sut.page(4, 10)).toEqual([]);
  });
});
