import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

describe('leagues', () => {
  const file = contestFile({
    funding: { fundShare: 1 },
    leagues: { by: 'tenure', newcomerMonths: 6 },
    prizes: [
      { place: 1, title: 'Veteran gold', costMinor: 1_000, league: 'veteran' },
      { place: 2, title: 'Veteran silver', costMinor: 500, league: 'veteran' },
      { place: 1, title: 'Newcomer gold', costMinor: 1_000, league: 'newcomer' },
    ],
    participants: [
      participant('v1', { hiredOn: '2020-01-10', plan: { marginMinor: 0 } }),
      participant('v2', { hiredOn: '2025-09-01', plan: { marginMinor: 0 } }),
      // Hired 1 October 2025: five months before 1 March 2026.
      participant('n1', { hiredOn: '2025-10-01', plan: { marginMinor: 0 } }),
      participant('n2', { isNewcomer: true, hiredOn: '2010-01-01', plan: { marginMinor: 0 } }),
    ],
    events: [
      sale('v1', { amountMinor: 900_000 }),
      sale('n1', { amountMinor: 800_000 }),
      sale('v2', { amountMinor: 100_000 }),
      sale('n2', { amountMinor: 50_000 }),
    ],
  });

  it('gives each league its own prize places', () => {
    const sut = evaluate(file, { whatItTakes: false });
    expect(
      sut.standings.map((row) => [
        row.participantId,
        row.league,
        row.rank,
        row.prize?.place ?? null,
      ]),
    ).toEqual([
      ['v1', 'veteran', 1, 1],
      ['n1', 'newcomer', 2, 1],
      ['v2', 'veteran', 3, 2],
      ['n2', 'newcomer', 4, null],
    ]);
    expect(
      sut.prizes.map((prize) => [prize.title, prize.winnerParticipantId, prize.paidMinor]),
    ).toEqual([
      ['Veteran gold', 'v1', 1_000],
      ['Veteran silver', 'v2', 500],
      ['Newcomer gold', 'n1', 1_000],
    ]);
  });

  it('measures what it takes against the participant’s own league', () => {
    const sut = evaluate(file);
    const n2 = sut.standings.find((row) => row.participantId === 'n2');
    expect(n2?.whatItTakes?.prize).toEqual({
      place: 1,
      league: 'newcomer',
      held: false,
      points: 80,
    });
    // Above n1's 80 points: 80.005 rounds to 80.01 at 800,050 turnover, 750,050 more.
    expect(n2?.whatItTakes?.criteria[0]?.toPrize).toBe(750_050);
  });

  describe('with a gate, a league short of eligible players and a league without prizes', () => {
    const gated = contestFile({
      leagues: { by: 'field' },
      prizes: [
        { place: 1, title: 'A gold', costMinor: 1_000, league: 'A' },
        { place: 2, title: 'A silver', costMinor: 500, league: 'A' },
        { place: 1, title: 'B gold', costMinor: 1_000, league: 'B' },
      ],
      // 1 point per 100.00 of turnover; a prize needs half of the 1,000.00 turnover plan.
      eligibility: [{ metric: 'turnover', basis: 'percentOfPlan', min: 50 }],
      participants: [
        participant('a1', { league: 'A', plan: { turnoverMinor: 100_000 } }),
        participant('a2', { league: 'A', plan: { turnoverMinor: 100_000 } }),
        participant('b1', { league: 'B', plan: { turnoverMinor: 100_000 } }),
        participant('b2', { league: 'B', plan: { turnoverMinor: 100_000 } }),
        participant('c1', { league: 'C', plan: { turnoverMinor: 100_000 } }),
      ],
      events: [
        sale('a1', { amountMinor: 200_000 }),
        sale('a2', { amountMinor: 40_000 }),
        sale('b1', { amountMinor: 60_000 }),
        sale('b2', { amountMinor: 50_000 }),
        sale('c1', { amountMinor: 300_000 }),
      ],
    });

    it('gives a place to the best eligible of its league, and leaves one with nobody eligible free', () => {
      const sut = evaluate(gated);
      expect(
        sut.standings.map((row) => [row.participantId, row.points, row.eligible, row.prize]),
      ).toEqual([
        ['c1', 30, true, null],
        ['a1', 20, true, { place: 1, league: 'A' }],
        ['b1', 6, true, { place: 1, league: 'B' }],
        ['b2', 5, true, null],
        // 40 % of plan: below the gate, so A's second place stays free.
        ['a2', 4, false, null],
      ]);
      expect(sut.prizes.map((prize) => prize.winnerParticipantId)).toEqual(['a1', null, 'b1']);
    });

    it('measures what it takes against the lowest place of the league, or nothing', () => {
      const sut = evaluate(gated);
      const takes = (id: string) =>
        sut.standings.find((row) => row.participantId === id)?.whatItTakes;
      // League C has no prize: nothing to reach; c1 leads, so no place above either.
      expect(takes('c1')).toEqual({
        nextPlace: null,
        prize: null,
        criteria: [{ metric: 'turnover', toNextPlace: null, toPrize: null }],
      });
      expect(takes('a1')?.prize).toEqual({ place: 1, league: 'A', held: true, points: null });
      // b2 must pass b1's 6 points: 60,050 turnover makes 6.005 → 6.01, 10,050 more.
      expect(takes('b2')).toEqual({
        nextPlace: { participantId: 'b1', points: 6 },
        prize: { place: 1, league: 'B', held: false, points: 6 },
        criteria: [{ metric: 'turnover', toNextPlace: 10_050, toPrize: 10_050 }],
      });
      // A's second place is free: reaching the gate (500.00, 100.00 more) is enough, while
      // passing b2's 5 points takes 5.01 points (500.50, 100.50 more).
      expect(takes('a2')).toEqual({
        nextPlace: { participantId: 'b2', points: 5 },
        prize: { place: 2, league: 'A', held: false, points: null },
        criteria: [{ metric: 'turnover', toNextPlace: 10_050, toPrize: 10_000 }],
      });
    });

    it('gives the same places, rows and what it takes live, whatever the order of events', () => {
      const expected = evaluate(gated);
      const sut = LiveStandings.fromFile(gated);
      sut.applyEvents([...gated.events].reverse());
      for (const { whatItTakes, ...row } of expected.standings) {
        expect(sut.row(row.participantId)).toEqual(row);
        expect(sut.whatItTakes(row.participantId)).toEqual(whatItTakes);
      }
      expect(sut.funding().prizes.map((prize) => prize.winnerParticipantId)).toEqual([
        'a1',
        null,
        'b1',
      ]);
    });
  });
});
