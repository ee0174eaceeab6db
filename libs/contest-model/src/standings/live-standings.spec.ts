import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  march,
  parseValid,
  participant,
  reversal,
  sale,
} from '../../test-support/contest-fixture.js';
import type { ContestFile } from '../rules/contest-file.schema.js';
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

  it('keeps a long history in time order, arriving backwards, with deals cancelled in the middle', () => {
    // 10 points per 100,000.00 sale, capped at 50: a reaches 50 with its fifth sale in time.
    const file = contestFile({
      criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000, cap: 50 }],
      participants: [participant('a'), participant('b')],
      events: [
        ...Array.from({ length: 12 }, (_, index) =>
          sale('a', { amountMinor: 100_000, at: march(index + 2), id: `a-${index + 2}` }),
        ),
        sale('b', { amountMinor: 500_000, at: march(7, 11), id: 'b-1' }),
      ],
    });
    const sut = LiveStandings.fromFile(file);
    sut.applyEvents([...file.events].reverse());
    const table = () => sut.top(2).map((row) => [row.participantId, row.points, row.reachedAt]);
    // a's sales of 2–6 March make 50 points; b's one sale makes 50 on 7 March.
    expect(table()).toEqual([
      ['a', 50, '2026-03-06T10:00:00.000Z'],
      ['b', 50, '2026-03-07T11:00:00.000Z'],
    ]);
    expect(sut.row('a')?.criteria[0]?.value).toBe(1_200_000);

    // Cancelling the sale of 4 March: a reaches 50 with the sale of 7 March, 10:00, still
    // before b. Cancelling the sale of 5 March as well: only on 8 March, after b.
    expect(sut.applyEvent(cancel(file, 'a-4')).status).toBe('reversed');
    expect(table()).toEqual([
      ['a', 50, '2026-03-07T10:00:00.000Z'],
      ['b', 50, '2026-03-07T11:00:00.000Z'],
    ]);
    sut.applyEvent(cancel(file, 'a-5'));
    expect(table()).toEqual([
      ['b', 50, '2026-03-07T11:00:00.000Z'],
      ['a', 50, '2026-03-08T10:00:00.000Z'],
    ]);
    expect(sut.row('a')?.criteria[0]?.value).toBe(1_000_000);
    // Cancelling the newest sale changes neither the points nor when they were reached.
    sut.applyEvent(cancel(file, 'a-13'));
    expect(sut.row('a')).toMatchObject({
      rank: 2,
      points: 50,
      reachedAt: '2026-03-08T10:00:00.000Z',
    });
    expect(sut.row('a')?.criteria[0]?.value).toBe(900_000);
    expect(sut.snapshot()).toEqual(
      evaluate({
        ...file,
        events: [...file.events, cancel(file, 'a-4'), cancel(file, 'a-5'), cancel(file, 'a-13')],
      }),
    );
  });

  it('sums fractional quantities in time order, whatever the arrival order', () => {
    const file = contestFile({
      criteria: [{ metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 }],
      events: [
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.1, at: march(2), id: 'x1' }),
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.2, at: march(3), id: 'x2' }),
        sale('a', { amountMinor: 100, product: 'X', quantity: 0.3, at: march(4), id: 'x3' }),
      ],
    });
    const sut = LiveStandings.fromFile(file);
    sut.applyEvents([...file.events].reverse());
    // Doubles do not add associatively (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1): the units are
    // those of evaluate, summed in time order.
    expect(sut.row('a')?.criteria[0]?.value).toBe(0.1 + 0.2 + 0.3);
    expect(sut.snapshot()).toEqual(evaluate(file));

    sut.applyEvent(cancel(file, 'x2'));
    expect(sut.row('a')?.criteria[0]?.value).toBe(0.1 + 0.3);
    expect(sut.snapshot()).toEqual(
      evaluate({ ...file, events: [...file.events, cancel(file, 'x2')] }),
    );
  });

  it('sums totals beyond 2^53 in time order, where doubles round', () => {
    // Ten sales of 10^15 and then two of 1: in time order, 10^16 + 1 rounds back to 10^16 twice
    // (doubles are 2 apart there), while the 1s first would make 10^16 + 2.
    const file = contestFile({
      events: [
        ...Array.from({ length: 10 }, (_, index) =>
          sale('a', { amountMinor: 10 ** 15, marginMinor: 0, at: march(index + 2) }),
        ),
        sale('a', { amountMinor: 1, marginMinor: 0, at: march(20) }),
        sale('a', { amountMinor: 1, marginMinor: 0, at: march(21) }),
      ],
    });
    const sut = LiveStandings.fromFile(file);
    sut.applyEvents([...file.events].reverse());
    expect(sut.row('a')?.criteria[0]?.value).toBe(10 ** 16);
    expect(sut.snapshot()).toEqual(evaluate(file));
  });
});

/** A reversal of one of the file's sales (parsed, as the live standings receive it). */
function cancel(file: ContestFile, externalId: string): ContestFile['events'][number] {
  const [event] = parseValid({
    ...file,
    events: [reversal('a', externalId, { id: `undo-${externalId}` })],
  }).events;
  if (event === undefined) throw new Error('no reversal');
  return event;
}
