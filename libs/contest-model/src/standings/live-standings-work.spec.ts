import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  march,
  participant,
  reversal,
  sale,
} from '../../test-support/contest-fixture.js';
import type { ContestFileInput } from '../rules/contest-file.schema.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

// What an event costs, counted in scorings (most of an event's work) rather than timed: one for an
// event in time order for its participant, one more per step of the walk back for an older event
// or a reversal, and a replay of every counted event when the totals cannot be updated exactly.
// The results are the same either way (the other specs check them against `evaluate`); these
// cases check that the cheap way is taken where the class promises it.

/** Nine sales of 10^15 (marginMinor 0, quantity 1): each adds 10^15 + 2 to the magnitude. */
const huge = Array.from({ length: 9 }, (_, index) =>
  sale('a', { amountMinor: 10 ** 15, marginMinor: 0, at: march(index + 2), id: `h${index}` }),
);
/** A sale of 1 March whose magnitude brings the nine above to `total`. */
const olderTo = (total: number) =>
  sale('a', {
    amountMinor: total - 9 * (10 ** 15 + 2) - 2,
    marginMinor: 0,
    at: march(1),
    id: 'older',
  });

const cases: {
  name: string;
  file: Partial<ContestFileInput>;
  /** External ids in the order they are applied. */
  order: string[];
  /** Scorings run so far, after each applied event. */
  scorings: number[];
}[] = [
  {
    name: 'events in time order: one scoring each, none for a repeat',
    file: {
      events: [
        sale('a', { amountMinor: 10_000, at: march(2), id: 's1' }),
        sale('b', { amountMinor: 20_000, at: march(3), id: 's2' }),
        sale('a', { amountMinor: 30_000, at: march(4), id: 's3' }),
        sale('a', { amountMinor: 40_000, at: march(5), id: 's4' }),
      ],
    },
    order: ['s1', 's2', 's3', 's4', 's3'],
    scorings: [1, 2, 3, 4, 4],
  },
  {
    name: 'an older sale and a reversal: the totals, then one step back to a changed total',
    file: {
      events: [
        sale('a', { amountMinor: 10_000, at: march(2), id: 's1' }),
        sale('a', { amountMinor: 20_000, at: march(5), id: 's2' }),
        sale('a', { amountMinor: 30_000, at: march(6), id: 's3' }),
        sale('a', { amountMinor: 40_000, at: march(7), id: 's4' }),
        reversal('a', 's3', { at: march(8), id: 'r3' }),
      ],
    },
    order: ['s2', 's3', 's4', 's1', 'r3'],
    scorings: [1, 2, 3, 5, 7],
  },
  {
    name: 'a capped total: the walk back goes to the sale that reached the cap',
    file: {
      // 10 points a sale, capped at 50: with the sale of 1 March, the fifth is that of 5 March.
      criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000, cap: 50 }],
      events: Array.from({ length: 8 }, (_, index) =>
        sale('a', { amountMinor: 100_000, at: march(index + 1), id: `s${index + 1}` }),
      ),
    },
    order: ['s2', 's3', 's4', 's5', 's6', 's7', 's8', 's1'],
    // The older sale: its totals, then 8, 7, 6 (still 50 points) and 5 (40) taken out.
    scorings: [1, 2, 3, 4, 5, 6, 7, 12],
  },
  {
    name: 'fractional units arriving late: the participant is replayed in time order',
    file: {
      criteria: [{ metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 }],
      events: [
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.1, at: march(2), id: 'x1' }),
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.2, at: march(3), id: 'x2' }),
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.3, at: march(4), id: 'x3' }),
      ],
    },
    order: ['x2', 'x3', 'x1'],
    // Nothing, then each of the three in time order.
    scorings: [1, 2, 6],
  },
  {
    name: 'magnitudes adding up to 2^53 − 1: still updated in place',
    file: { events: [...huge, olderTo(Number.MAX_SAFE_INTEGER)] },
    order: [...huge.map((event) => event.externalId), 'older'],
    scorings: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11],
  },
  {
    name: 'magnitudes adding up to 2^53: replayed, as a sum past it may round',
    file: { events: [...huge, olderTo(Number.MAX_SAFE_INTEGER + 1)] },
    order: [...huge.map((event) => event.externalId), 'older'],
    scorings: [1, 2, 3, 4, 5, 6, 7, 8, 9, 20],
  },
];

describe(`${LiveStandings.name}: the work of an event`, () => {
  it.each(cases)('$name', ({ file: input, order, scorings }) => {
    const file = contestFile({ participants: [participant('a'), participant('b')], ...input });
    const byId = new Map(file.events.map((event) => [event.externalId, event]));
    const sut = LiveStandings.fromFile(file);
    expect(sut.scorings).toBe(0);

    const counted = order.map((externalId) => {
      sut.applyEvent(byId.get(externalId) as (typeof file.events)[number]);
      return sut.scorings;
    });

    expect(counted).toEqual(scorings);
    expect(sut.snapshot({ whatItTakes: false })).toEqual(evaluate(file, { whatItTakes: false }));
  });
});
