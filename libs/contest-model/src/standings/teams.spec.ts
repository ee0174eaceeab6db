import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from './evaluate.js';

describe('team standings', () => {
  const input = {
    participants: [
      participant('a', { team: 'North' }),
      participant('b', { team: 'North' }),
      participant('c', { team: 'North' }),
      participant('d', { team: 'South' }),
      participant('solo'),
    ],
    events: [
      sale('a', { amountMinor: 100_000 }),
      sale('b', { amountMinor: 50_000 }),
      sale('d', { amountMinor: 120_000 }),
      sale('solo', { amountMinor: 1_000_000 }),
    ],
  };

  it('sums members’ points by default, leaving out participants without a team', () => {
    const sut = evaluate(contestFile(input), { whatItTakes: false });
    expect(sut.teams).toEqual([
      { team: 'North', rank: 1, points: 15, members: 3 },
      { team: 'South', rank: 2, points: 12, members: 1 },
    ]);
  });

  it('averages members’ points when asked, so a big team has no head start', () => {
    const sut = evaluate(contestFile({ ...input, teamStandings: { aggregate: 'average' } }), {
      whatItTakes: false,
    });
    expect(sut.teams).toEqual([
      { team: 'South', rank: 1, points: 12, members: 1 },
      { team: 'North', rank: 2, points: 5, members: 3 },
    ]);
  });
});
