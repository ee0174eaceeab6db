import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  counterEvent,
  lead,
  participant,
  sale,
} from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';
import type { EvaluationResult } from '../standings/standings-result.js';

function takes(result: EvaluationResult, participantId: string) {
  const row = result.standings.find((standing) => standing.participantId === participantId);
  if (row?.whatItTakes === undefined) throw new Error(`no what-it-takes for ${participantId}`);
  return row.whatItTakes;
}

describe('what it takes', () => {
  it('gives the smallest amount in each metric’s own units', () => {
    const sut = evaluate(
      contestFile({
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 10_000 },
          { metric: 'newClients', basis: 'absolute', unit: 1, weight: 3 },
        ],
        events: [sale('a', { amountMinor: 50_000 }), sale('b', { amountMinor: 80_000 })],
      }),
    );
    // a has 5 points, b 8: 80,050 turnover makes 8.005 → 8.01 points; 2 new clients make 11.
    expect(takes(sut, 'a')).toEqual({
      nextPlace: { participantId: 'b', points: 8 },
      prize: { place: 1, league: null, held: false, points: 8 },
      criteria: [
        { metric: 'turnover', toNextPlace: 30_050, toPrize: 30_050 },
        { metric: 'newClients', toNextPlace: 2, toPrize: 2 },
      ],
    });
    // The leader has no place above and already holds the prize.
    expect(takes(sut, 'b').nextPlace).toBeNull();
    expect(
      takes(sut, 'b').criteria.map((criterion) => [criterion.toNextPlace, criterion.toPrize]),
    ).toEqual([
      [null, 0],
      [null, 0],
    ]);
    // c (0 points) is one rank below a, and the prize is b's.
    expect(takes(sut, 'c').criteria[0]).toEqual({
      metric: 'turnover',
      toNextPlace: 50_050,
      toPrize: 80_050,
    });
  });

  it('knows a capped criterion cannot help past its cap', () => {
    const sut = evaluate(
      contestFile({
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 10_000, cap: 10 },
          { metric: 'deals', basis: 'absolute', unit: 1 },
        ],
        events: [
          sale('a', { amountMinor: 100_000 }),
          sale('b', { amountMinor: 100_000 }),
          sale('b', { amountMinor: 1 }),
        ],
      }),
    );
    // a: 10 (capped) + 1 deal; b: 10 + 2 deals.
    expect(takes(sut, 'a').criteria).toEqual([
      { metric: 'turnover', toNextPlace: null, toPrize: null },
      { metric: 'deals', toNextPlace: 2, toPrize: 2 },
    ]);
  });

  it('needs eligibility for a prize: a criterion on another metric cannot pass the gate', () => {
    const sut = evaluate(
      contestFile({
        criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000 }],
        eligibility: [{ metric: 'deals', basis: 'absolute', min: 2 }],
        events: [
          sale('a', { amountMinor: 500_000 }),
          sale('b', { amountMinor: 10_000 }),
          sale('b', { amountMinor: 10_000 }),
        ],
      }),
    );
    // c is behind b (2 points) and ineligible: turnover gets c past b, never to the prize.
    expect(takes(sut, 'c').prize).toEqual({ place: 1, league: null, held: false, points: 2 });
    expect(takes(sut, 'c').criteria).toEqual([
      { metric: 'turnover', toNextPlace: 20_050, toPrize: null },
    ]);
    // a leads but is ineligible: same story.
    expect(takes(sut, 'a').criteria).toEqual([
      { metric: 'turnover', toNextPlace: null, toPrize: null },
    ]);
  });

  it('counts conversion in additional won deals and the average check in its own rise', () => {
    const sut = evaluate(
      contestFile({
        criteria: [
          { metric: 'conversion', basis: 'absolute', unit: 1, minLeads: 5 },
          { metric: 'avgCheck', basis: 'absolute', unit: 10_000 },
        ],
        participants: [participant('a'), participant('b')],
        events: [
          ...Array.from({ length: 10 }, () => lead('a')),
          sale('a', { amountMinor: 100_000 }),
          sale('a', { amountMinor: 100_000 }),
          ...Array.from({ length: 4 }, () => lead('b')),
          sale('b', { amountMinor: 900_000 }),
        ],
      }),
    );
    // a: 20 % + 10 = 30; b: conversion not scored (4 leads < 5) + 90 = 90.
    expect(takes(sut, 'a').criteria).toEqual([
      // 6 more won deals make 80 % + 10 = 90, not above 90; 7 make 100.
      { metric: 'conversion', toNextPlace: 7, toPrize: 7 },
      // The average check must rise by 600,050 (to 700,050): 20 + 70.005 → 90.01.
      { metric: 'avgCheck', toNextPlace: 600_050, toPrize: 600_050 },
    ]);
  });
});

describe('what it takes, per criterion and prize', () => {
  it('names the product or counter of a criterion, and says when the prize is held', () => {
    const sut = evaluate(
      contestFile({
        criteria: [
          { metric: 'productUnits', product: 'X', basis: 'absolute', unit: 1 },
          { metric: 'counter', name: 'calls', basis: 'absolute', unit: 1 },
        ],
        participants: [participant('a'), participant('b')],
        events: [
          sale('a', { amountMinor: 1_000, product: 'X', quantity: 1 }),
          counterEvent('b', { name: 'calls', value: 3 }),
        ],
      }),
    );
    // a has 1 point, b 3: 3 more units of X, or 3 more calls, make 4.
    expect(takes(sut, 'a')).toStrictEqual({
      nextPlace: { participantId: 'b', points: 3 },
      prize: { place: 1, league: null, held: false, points: 3 },
      criteria: [
        { metric: 'productUnits', product: 'X', toNextPlace: 3, toPrize: 3 },
        { metric: 'counter', name: 'calls', toNextPlace: 3, toPrize: 3 },
      ],
    });
    expect(takes(sut, 'b')).toStrictEqual({
      nextPlace: null,
      prize: { place: 1, league: null, held: true, points: null },
      criteria: [
        { metric: 'productUnits', product: 'X', toNextPlace: null, toPrize: 0 },
        { metric: 'counter', name: 'calls', toNextPlace: null, toPrize: 0 },
      ],
    });
  });

  it('takes only eligibility to a prize place nobody eligible holds', () => {
    const sut = evaluate(
      contestFile({
        prizes: [
          { place: 1, title: 'Gold', costMinor: 1_000 },
          { place: 2, title: 'Silver', costMinor: 1_000 },
        ],
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 10_000 },
          // A deal is worth 0.001 points: 0.00 once rounded, so a first deal adds no points.
          { metric: 'deals', basis: 'absolute', unit: 1, weight: 0.001 },
        ],
        eligibility: [{ metric: 'deals', basis: 'absolute', min: 1 }],
        events: [sale('a', { amountMinor: 50_000 })],
      }),
    );
    expect(takes(sut, 'b').prize).toEqual({ place: 2, league: null, held: false, points: null });
    // Turnover alone never passes the deals gate; one deal does, at 0 points.
    expect(takes(sut, 'b').criteria.map((criterion) => criterion.toPrize)).toEqual([null, 1]);
  });

  it('has no prize to aim at in a league without prize places', () => {
    const sut = evaluate(
      contestFile({
        leagues: { by: 'field' },
        prizes: [{ place: 1, title: 'Gold', costMinor: 1_000, league: 'pro' }],
        participants: [participant('a', { league: 'pro' }), participant('b', { league: 'rookie' })],
        events: [sale('a', { amountMinor: 50_000 }), sale('b', { amountMinor: 20_000 })],
      }),
    );
    expect(takes(sut, 'b').prize).toBeNull();
    expect(takes(sut, 'b').criteria.map((criterion) => criterion.toPrize)).toEqual([null]);
  });
});
