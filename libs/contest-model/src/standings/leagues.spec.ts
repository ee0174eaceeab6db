import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from './evaluate.js';

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
});
