import { describe, expect, it } from '@jest/globals';
import {
  contestFile,
  participant,
  pointsById,
  rankOrder,
  sale,
} from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';

describe('percentOfPlan basis', () => {
  it('scores 100 × value / own plan, so a newcomer with a small plan can win', () => {
    const file = contestFile({
      criteria: [{ metric: 'turnover', basis: 'percentOfPlan' }],
      participants: [
        participant('veteran', { plan: { turnoverMinor: 1_000_000_00 } }),
        participant('newcomer', { plan: { turnoverMinor: 200_000_00 } }),
      ],
      events: [
        sale('veteran', { amountMinor: 1_100_000_00 }),
        sale('newcomer', { amountMinor: 300_000_00 }),
      ],
    });
    const sut = evaluate(file, { whatItTakes: false });
    expect(pointsById(sut)).toEqual({ veteran: 110, newcomer: 150 });
    expect(rankOrder(sut)).toEqual(['newcomer', 'veteran']);
  });

  it('reads the plan of the criterion metric, products and counters included', () => {
    const file = contestFile({
      criteria: [
        { metric: 'newClients', basis: 'percentOfPlan' },
        { metric: 'productUnits', product: 'X', basis: 'percentOfPlan' },
        { metric: 'counter', name: 'calls', basis: 'percentOfPlan', weight: 0.1 },
      ],
      participants: [
        participant('a', {
          plan: { newClients: 4, products: { X: { units: 10 } }, counters: { calls: 200 } },
        }),
      ],
      events: [
        sale('a', {
          amountMinor: 100,
          clientId: 'c1',
          isNewClient: true,
          product: 'X',
          quantity: 5,
        }),
        {
          type: 'counter',
          externalId: 'calls-1',
          source: 'phone',
          participantId: 'a',
          occurredAt: '2026-03-05T09:00:00Z',
          name: 'calls',
          value: 300,
        },
      ],
    });
    // 25 % + 50 % + 0.1 × 150 % = 90.
    expect(pointsById(evaluate(file, { whatItTakes: false }))).toEqual({ a: 90 });
  });
});
