import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  counterEvent,
  lead,
  march,
  participant,
  reversal,
  sale,
} from '../../test-support/contest-fixture.js';
import { compileContest } from '../rules/contest.js';
import type { ContestFileInput } from '../rules/contest-file.schema.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';
import { assignPrizes } from './standings-result.js';

describe('evaluation result', () => {
  it('names the contest, its period and the counted turnover and margin', () => {
    const file = contestFile({
      name: 'March race',
      currency: 'EUR',
      events: [
        sale('a', { amountMinor: 70_000, marginMinor: 20_000, id: 'kept' }),
        sale('b', { amountMinor: 30_000, marginMinor: 5_000, at: march(20) }),
        sale('b', { amountMinor: 40_000, marginMinor: 9_000, id: 'cancelled' }),
        reversal('b', 'cancelled'),
        // Outside the period: counted nowhere.
        sale('c', { amountMinor: 500_000, marginMinor: 100_000, at: '2026-04-01T00:00:00Z' }),
      ],
    });

    const sut = evaluate(file, { whatItTakes: false });

    expect(sut).toMatchObject({
      name: 'March race',
      currency: 'EUR',
      period: { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
      asOf: null,
      actualTurnoverMinor: 100_000,
      actualMarginMinor: 25_000,
    });
    // Interim results cut at 10 March: b's sale of the 20th is not counted yet.
    expect(
      evaluate(file, { now: new Date(Date.UTC(2026, 2, 10)), whatItTakes: false }),
    ).toMatchObject({
      asOf: '2026-03-10T00:00:00.000Z',
      actualTurnoverMinor: 70_000,
      actualMarginMinor: 20_000,
    });
  });

  it('shows each criterion’s value, normalized value and points, rounded for display', () => {
    const file = contestFile({
      criteria: [
        { metric: 'turnover', basis: 'absolute', unit: 10_000 },
        { metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1, weight: 2 },
        { metric: 'counter', name: 'calls', basis: 'absolute', unit: 3 },
        { metric: 'avgCheck', basis: 'absolute', unit: 10_000, minDeals: 2 },
        { metric: 'conversion', basis: 'absolute', unit: 1 },
      ],
      participants: [participant('a'), participant('b')],
      events: [
        sale('a', { amountMinor: 60_000, product: 'X', quantity: 2, at: march(2) }),
        sale('a', { amountMinor: 40_001, product: 'Y', at: march(3) }),
        lead('a', { at: march(1) }),
        lead('a', { at: march(1) }),
        lead('a', { at: march(1) }),
        counterEvent('a', { name: 'calls', value: 1, at: march(5, 12) }),
      ],
    });

    const sut = evaluate(file, { whatItTakes: false });

    // a: turnover 100,001 → 10.0001 points; 2 units of X × 2 → 4; 1 call / 3 → 0.33;
    // average check 100,001 / 2 = 50,000.5, shown as 50,001 (half away from zero) → 5.00005;
    // 2 won deals on 3 leads → 66.67 %. Total 86.00015... → 86, last changed by the call.
    expect(sut.standings[0]).toStrictEqual({
      participantId: 'a',
      name: 'A',
      team: null,
      league: null,
      rank: 1,
      points: 86,
      eligible: true,
      reachedAt: '2026-03-05T12:00:00.000Z',
      prize: { place: 1, league: null },
      criteria: [
        { metric: 'turnover', basis: 'absolute', value: 100_001, normalized: 10, points: 10 },
        {
          metric: 'productUnits',
          product: 'X',
          basis: 'absolute',
          value: 2,
          normalized: 2,
          points: 4,
        },
        {
          metric: 'counter',
          name: 'calls',
          basis: 'absolute',
          value: 1,
          normalized: 0.33,
          points: 0.33,
        },
        { metric: 'avgCheck', basis: 'absolute', value: 50_001, normalized: 5, points: 5 },
        { metric: 'conversion', basis: 'absolute', value: 66.67, normalized: 66.67, points: 66.67 },
      ],
    });
    // b has no deal and no lead: the ratios are undefined and do not score.
    expect(sut.standings[1]?.criteria.slice(3)).toStrictEqual([
      { metric: 'avgCheck', basis: 'absolute', value: null, normalized: null, points: 0 },
      { metric: 'conversion', basis: 'absolute', value: null, normalized: null, points: 0 },
    ]);
    expect(sut.standings[1]).toMatchObject({ rank: 2, points: 0, reachedAt: null, prize: null });

    // The live standings show the same rows.
    const live = LiveStandings.fromFile(file);
    live.applyEvents(file.events);
    expect(live.row('a')).toStrictEqual(sut.standings[0]);
    expect(live.row('b')).toStrictEqual(sut.standings[1]);
    expect(live.row('nobody')).toBeNull();
  });
});

describe('team standings order', () => {
  it('breaks a tie in points by team name, and rounds an average to 2 decimals', () => {
    const file = contestFile({
      teamStandings: { aggregate: 'average' },
      participants: [
        participant('a', { team: 'West' }),
        participant('b', { team: 'North' }),
        participant('c', { team: 'South' }),
        participant('d', { team: 'East' }),
        participant('e', { team: 'East' }),
        participant('f', { team: 'East' }),
      ],
      events: [
        sale('a', { amountMinor: 100_000 }),
        sale('b', { amountMinor: 100_000 }),
        sale('c', { amountMinor: 100_000 }),
        sale('d', { amountMinor: 100_000 }),
      ],
    });

    // West, North and South average 10 points each; East 10 / 3 = 3.33.
    expect(evaluate(file, { whatItTakes: false }).teams).toEqual([
      { team: 'North', rank: 1, points: 10, members: 1 },
      { team: 'South', rank: 2, points: 10, members: 1 },
      { team: 'West', rank: 3, points: 10, members: 1 },
      { team: 'East', rank: 4, points: 3.33, members: 3 },
    ]);
  });
});

interface PrizeCase {
  name: string;
  leagues: boolean;
  prizes: ContestFileInput['prizes'];
  /** What `eligibleInOrder` answers for each group. */
  eligible: Record<string, string[]>;
  asked: [string, number][];
  winners: (string | null)[];
  placeOf: [string, { place: number; league: string | null }][];
}

const prizeCases: PrizeCase[] = [
  {
    name: 'by league, one short of eligible players and one with more than its places',
    leagues: true,
    prizes: [
      { place: 1, title: 'A gold', costMinor: 1_000, league: 'A' },
      { place: 2, title: 'A silver', costMinor: 500, league: 'A' },
      { place: 1, title: 'B gold', costMinor: 1_000, league: 'B' },
    ],
    eligible: { A: ['a2'], B: ['b1', 'b2', 'b3'] },
    asked: [
      ['A', 2],
      ['B', 1],
    ],
    winners: ['a2', null, 'b1'],
    placeOf: [
      ['a2', { place: 1, league: 'A' }],
      ['b1', { place: 1, league: 'B' }],
    ],
  },
  {
    name: 'without leagues, nobody eligible for the second place',
    leagues: false,
    prizes: [
      { place: 1, title: 'Gold', costMinor: 1_000 },
      { place: 2, title: 'Silver', costMinor: 500 },
    ],
    eligible: { '': ['b1'] },
    asked: [['', 2]],
    winners: ['b1', null],
    placeOf: [['b1', { place: 1, league: null }]],
  },
];

describe(assignPrizes.name, () => {
  it.each(prizeCases)(
    'gives place k of a group to its k-th eligible participant: $name',
    (example) => {
      const contest = compileContest({
        file: contestFile({
          ...(example.leagues ? { leagues: { by: 'field' as const } } : {}),
          prizes: example.prizes,
          participants: ['a1', 'a2', 'b1', 'b2', 'b3'].map((id) =>
            participant(id, example.leagues ? { league: id.slice(0, 1).toUpperCase() } : {}),
          ),
        }),
      });
      const asked: [string, number][] = [];

      const sut = assignPrizes({
        contest,
        eligibleInOrder: (group, count) => {
          asked.push([group, count]);
          return example.eligible[group] ?? [];
        },
      });

      expect(asked).toEqual(example.asked);
      // A place nobody holds is null and is no one's place.
      expect(sut.winners).toStrictEqual(example.winners);
      expect(sut.placeOf).toStrictEqual(new Map(example.placeOf));
    },
  );
});
