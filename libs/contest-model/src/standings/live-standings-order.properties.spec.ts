import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseValid } from '../../test-support/contest-fixture.js';
import { propertyRuns } from '../../test-support/property-runs.js';
import type { ContestFile, ContestFileInput } from '../rules/contest-file.schema.js';
import type { ContestEventInput } from '../rules/event.schema.js';
import { evaluate } from './evaluate.js';
import { LiveStandings } from './live-standings.js';

// LiveStandings finds a participant's tie-break time by walking back from their newest event when
// an event arrives out of time order or is reversed, and replays them in time order when their
// totals are fractional. These properties feed it events that mostly share a timestamp (keys like
// `e10` sort before `e9`), out of order, reversed, repeated and conflicting, and compare it with
// `evaluate` after every single event.

const ids = ['p1', 'p2', 'p3'];

const criteriaPool: ContestFileInput['criteria'] = [
  { metric: 'turnover', basis: 'absolute', unit: 10_000 },
  // Capped: the points stop moving, so the walk back goes far.
  { metric: 'turnover', basis: 'percentOfPlan', cap: 20, weight: 2 },
  { metric: 'deals', basis: 'absolute', unit: 1, cap: 3 },
  { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
  // Can fall and come back: the same points reached twice.
  { metric: 'avgCheck', basis: 'absolute', unit: 10_000, minDeals: 2 },
  { metric: 'conversion', basis: 'absolute', unit: 10, minLeads: 1 },
  { metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 },
  { metric: 'counter', name: 'calls', basis: 'absolute', unit: 1, weight: 0.5 },
];

/** Three instants of March: most events tie on their time. */
const instant = fc.constantFrom(
  '2026-03-05T10:00:00Z',
  '2026-03-05T10:00:00Z',
  '2026-03-05T10:00:00Z',
  '2026-03-07T00:00:00Z',
  '2026-03-02T08:30:00Z',
);

function eventsArbitrary(
  fractional: boolean,
): fc.Arbitrary<{ events: ContestEventInput[]; conflicts: ContestEventInput[] }> {
  const common = {
    source: fc.constantFrom('crm', 'crm', 'crm2'),
    participantId: fc.constantFrom(...ids),
    occurredAt: instant,
  };
  const amount = fractional
    ? fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0.1, 0.2, 0.3, 1.7))
    : fc.integer({ min: 1, max: 3 });
  const event = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record({
          type: fc.constant('sale' as const),
          ...common,
          amountMinor: fc.integer({ min: 0, max: 60_000 }),
          marginMinor: fc.integer({ min: -5_000, max: 20_000 }),
          clientId: fc.constantFrom('c1', 'c2', 'c3'),
          isNewClient: fc.boolean(),
          product: fc.constantFrom('X', 'Y'),
          quantity: amount,
        })
        // A margin is at most its amount (the event schema refuses more).
        .map((sale) => ({ ...sale, marginMinor: Math.min(sale.marginMinor, sale.amountMinor) })),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('lead' as const), ...common }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('counter' as const),
        ...common,
        name: fc.constant('calls'),
        value: amount,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('reversal' as const),
        ...common,
        reversesExternalId: fc.integer({ min: 0, max: 25 }).map((n) => `e${n}`),
      }),
    },
  );
  return fc
    .record({
      events: fc.array(event, { maxLength: 25 }),
      repeats: fc.array(fc.record({ of: fc.nat(), conflicting: fc.boolean() }), { maxLength: 4 }),
    })
    .map(({ events, repeats }) => {
      const keyed = events.map((unkeyed, index): ContestEventInput => {
        const externalId = `e${index}`;
        if (unkeyed.type === 'reversal' && unkeyed.reversesExternalId === externalId) {
          return { ...unkeyed, externalId, reversesExternalId: 'never-sent' };
        }
        return { ...unkeyed, externalId };
      });
      // A CRM retrying: the same payload again (in the file), or the same key with another
      // time (a conflict: the file refuses it, LiveStandings ignores it once the first came).
      const pick = (of: number) => keyed[of % keyed.length] as ContestEventInput;
      const copies = keyed.length === 0 ? [] : repeats.map(({ of }) => pick(of));
      const conflicts =
        keyed.length === 0
          ? []
          : repeats
              .filter(({ conflicting }) => conflicting)
              .map(({ of }): ContestEventInput => ({
                ...pick(of),
                occurredAt: '2026-03-03T00:00:00Z',
              }));
      return {
        events: [...keyed, ...copies.map((copy): ContestEventInput => ({ ...copy }))],
        conflicts,
      };
    });
}

interface Case {
  file: ContestFile;
  /** Repeated keys with another payload, applied after everything else. */
  conflicts: ContestEventInput[];
}

function contestArbitrary(fractional: boolean): fc.Arbitrary<Case> {
  return fc
    .record({
      criteria: fc.subarray(criteriaPool, { minLength: 1, maxLength: 4 }),
      events: eventsArbitrary(fractional),
    })
    .map(({ criteria, events: { events, conflicts } }) => ({
      conflicts,
      file: parseValid({
        name: 'Ties',
        period: { start: '2026-03-01', end: '2026-04-01' },
        funding: { fundShare: 0.5 },
        prizes: [
          { place: 1, title: 'First', costMinor: 10_000 },
          { place: 2, title: 'Second', costMinor: 5_000 },
        ],
        criteria,
        participants: ids.map((id) => ({
          id,
          name: id,
          plan: { turnoverMinor: 200_000, marginMinor: 40_000 },
        })),
        events,
      }),
    }));
}

/** The file's events in another order. */
const shuffled = ({ file, conflicts }: Case) =>
  fc
    .shuffledSubarray(file.events, { minLength: file.events.length, maxLength: file.events.length })
    .map((events) => ({ file, events, conflicts }));

function checkEveryPrefix({
  file,
  events,
  conflicts,
}: Case & { events: ContestFile['events'] }): void {
  const sut = LiveStandings.fromFile(file);
  for (let count = 1; count <= events.length; count += 1) {
    sut.applyEvent(events[count - 1] as ContestFile['events'][number]);
    const expected = evaluate({ ...file, events: events.slice(0, count) }, { whatItTakes: false });
    expect(sut.snapshot({ whatItTakes: false })).toEqual(expected);
  }
  const final = sut.snapshot({ whatItTakes: false });
  for (const conflict of conflicts) {
    const parsed = parseValid({ ...file, events: [conflict] }).events[0];
    if (parsed !== undefined) expect(sut.applyEvent(parsed).status).toBe('conflict');
  }
  expect(sut.snapshot({ whatItTakes: false })).toEqual(final);
}

describe('LiveStandings in any order, with ties on time', () => {
  it('equals evaluate after every event (whole quantities: totals updated, time found walking back)', () => {
    fc.assert(fc.property(contestArbitrary(false).chain(shuffled), checkEveryPrefix), {
      numRuns: propertyRuns(150),
    });
  });

  it('equals evaluate after every event (fractional quantities and counters: replayed in time order)', () => {
    fc.assert(fc.property(contestArbitrary(true).chain(shuffled), checkEveryPrefix), {
      numRuns: propertyRuns(150),
    });
  });

  it('ranks on the time the points were last reached, with an older-keyed deal arriving last', () => {
    const file = parseValid({
      name: 'Walk back',
      period: { start: '2026-03-01', end: '2026-04-01' },
      funding: { fundShare: 0.5 },
      prizes: [{ place: 1, title: 'First', costMinor: 10_000 }],
      criteria: [{ metric: 'avgCheck', basis: 'absolute', unit: 100, minDeals: 1 }],
      participants: ['b', 'c'].map((id) => ({
        id,
        name: id,
        plan: { turnoverMinor: 1, marginMinor: 1 },
      })),
      events: [],
    });
    const sale = (externalId: string, participantId: string, at: string, amountMinor: number) => ({
      type: 'sale' as const,
      source: 'crm',
      externalId,
      participantId,
      occurredAt: at,
      amountMinor,
      marginMinor: 0,
      isNewClient: false,
      quantity: 1,
    });
    // b's average in time order (e10 sorts before e9 on the same time): 100, 150, back to 100 —
    // reached on 5 March, after c's 100 on 3 March. e10 arrives last.
    const events = parseValid({
      ...file,
      events: [
        sale('e0', 'b', '2026-03-02T00:00:00Z', 10_000),
        sale('f0', 'c', '2026-03-03T00:00:00Z', 10_000),
        sale('e9', 'b', '2026-03-05T00:00:00Z', 0),
        sale('e10', 'b', '2026-03-05T00:00:00Z', 20_000),
      ],
    }).events;
    const sut = LiveStandings.fromFile(file);
    sut.applyEvents(events);
    expect(sut.snapshot()).toEqual(evaluate({ ...file, events }));
    expect(sut.top(2).map((row) => [row.participantId, row.points, row.reachedAt])).toEqual([
      ['c', 100, '2026-03-03T00:00:00.000Z'],
      ['b', 100, '2026-03-05T00:00:00.000Z'],
    ]);
  });
});
