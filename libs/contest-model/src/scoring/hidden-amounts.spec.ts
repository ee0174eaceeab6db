import { describe, expect, it } from '@jest/globals';
import { contestFile, participant, sale } from '../../test-support/contest-fixture.js';
import { evaluate } from '../standings/evaluate.js';
import { recomputableWhenHidden } from './hidden-amounts.js';

describe(recomputableWhenHidden.name, () => {
  it('gives back the amount of a sole absolute criterion, as scoring computes it', () => {
    const criteria = [
      { metric: 'turnover' as const, basis: 'absolute' as const, unit: 100_000, weight: 2 },
    ];
    expect(recomputableWhenHidden({ criteria })).toEqual([
      { index: 0, reason: 'soleCriterion', reveals: 'value' },
    ]);
    // What a viewer does with it: value = points / weight × unit.
    const result = evaluate(
      contestFile({
        criteria,
        participants: [participant('a')],
        events: [sale('a', { amountMinor: 1_234_500 })],
      }),
      { whatItTakes: false },
    );
    const points = result.standings[0]?.points ?? 0;
    expect((points / 2) * 100_000).toBeCloseTo(1_234_500, 0);
  });

  it('gives back only the percentage of a sole percentOfPlan or growth criterion', () => {
    for (const basis of ['percentOfPlan', 'growth'] as const) {
      expect(
        recomputableWhenHidden({ criteria: [{ metric: 'margin', basis, weight: 1 }] }),
      ).toEqual([{ index: 0, reason: 'soleCriterion', reveals: 'normalized' }]);
    }
  });

  it('gives back nothing from a total of several uncapped criteria', () => {
    expect(
      recomputableWhenHidden({
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 },
          { metric: 'newClients', basis: 'absolute', unit: 1, weight: 10 },
        ],
      }),
    ).toEqual([]);
  });

  it('gives back a count worth more per unit than the capped others can add together', () => {
    const turnover = {
      metric: 'turnover' as const,
      basis: 'percentOfPlan' as const,
      weight: 1,
      cap: 150,
    };
    const newClients = { metric: 'newClients' as const, basis: 'absolute' as const, unit: 1 };
    const criteria = [turnover, { ...newClients, weight: 200 }];
    expect(recomputableWhenHidden({ criteria })).toEqual([
      { index: 1, reason: 'dominantCount', reveals: 'value' },
    ]);
    // Scoring agrees: the whole part of total / 200 is the number of new clients.
    const result = evaluate(
      contestFile({
        criteria,
        participants: [participant('a', { plan: { turnoverMinor: 1_000_000 } })],
        events: [
          sale('a', { amountMinor: 700_000, isNewClient: true, clientId: 'c1' }),
          sale('a', { amountMinor: 900_000, isNewClient: true, clientId: 'c2' }),
          sale('a', { amountMinor: 100_000, isNewClient: false, clientId: 'c1' }),
        ],
      }),
      { whatItTakes: false },
    );
    expect(Math.floor((result.standings[0]?.points ?? 0) / 200)).toBe(2);
    // One point of step less than the others' range, and the count no longer separates.
    expect(
      recomputableWhenHidden({ criteria: [turnover, { ...newClients, weight: 150 }] }),
    ).toEqual([]);
  });

  it('counts a growth criterion from its lowest value (-100 %) when it has no floor', () => {
    const growth = { metric: 'turnover' as const, basis: 'growth' as const, weight: 1, cap: 50 };
    const deals = { metric: 'newClients' as const, basis: 'absolute' as const, unit: 1 };
    expect(recomputableWhenHidden({ criteria: [growth, { ...deals, weight: 140 }] })).toEqual([]);
    expect(recomputableWhenHidden({ criteria: [growth, { ...deals, weight: 151 }] })).toEqual([
      { index: 1, reason: 'dominantCount', reveals: 'value' },
    ]);
    expect(
      recomputableWhenHidden({
        criteria: [
          { ...growth, floor: 0 },
          { ...deals, weight: 51 },
        ],
      }),
    ).toEqual([{ index: 1, reason: 'dominantCount', reveals: 'value' }]);
  });

  it('adds up the range of every other criterion, from its floor and times its weight', () => {
    const plan = { metric: 'turnover' as const, basis: 'percentOfPlan' as const, weight: 1 };
    // 2 × (100 − 0) = 200.
    const doubled = { ...plan, weight: 2, cap: 100 };
    const others = [
      doubled,
      // 1 × (150 − 50) = 100.
      { ...plan, metric: 'margin' as const, cap: 150, floor: 50 },
    ];
    const count = (weight: number) => ({
      metric: 'newClients' as const,
      basis: 'absolute' as const,
      unit: 1,
      weight,
    });
    // Each other range alone (200, 100) is below 300: their sum is what a step must pass.
    expect(recomputableWhenHidden({ criteria: [...others, count(300)] })).toEqual([]);
    expect(recomputableWhenHidden({ criteria: [...others, count(301)] })).toEqual([
      { index: 2, reason: 'dominantCount', reveals: 'value' },
    ]);
    // Without its floor the margin criterion spans 150, and 301 no longer separates.
    expect(
      recomputableWhenHidden({ criteria: [doubled, { ...plan, cap: 150 }, count(301)] }),
    ).toEqual([]);
  });

  it('takes a count step as weight / unit, a unit of 1 when none is given', () => {
    const capped = {
      metric: 'turnover' as const,
      basis: 'percentOfPlan' as const,
      weight: 1,
      cap: 150,
    };
    const newClients = { metric: 'newClients' as const, basis: 'absolute' as const };
    // 200 points per 2 clients: a step of 100, below the 150 the other criterion spans.
    expect(
      recomputableWhenHidden({ criteria: [capped, { ...newClients, unit: 2, weight: 200 }] }),
    ).toEqual([]);
    // 100 points per half client: a step of 200.
    expect(
      recomputableWhenHidden({ criteria: [capped, { ...newClients, unit: 0.5, weight: 100 }] }),
    ).toEqual([{ index: 1, reason: 'dominantCount', reveals: 'value' }]);
    expect(recomputableWhenHidden({ criteria: [capped, { ...newClients, weight: 151 }] })).toEqual([
      { index: 1, reason: 'dominantCount', reveals: 'value' },
    ]);
  });

  it('reads a count back only from an absolute count criterion', () => {
    const capped = {
      metric: 'margin' as const,
      basis: 'percentOfPlan' as const,
      weight: 1,
      cap: 100,
    };
    // Turnover is no count: a large weight still leaves many amounts per total.
    expect(
      recomputableWhenHidden({
        criteria: [capped, { metric: 'turnover', basis: 'absolute', unit: 1, weight: 1_000 }],
      }),
    ).toEqual([]);
    // New clients as a percentage of plan: the step depends on the participant's own plan.
    expect(
      recomputableWhenHidden({
        criteria: [capped, { metric: 'newClients', basis: 'percentOfPlan', weight: 1_000 }],
      }),
    ).toEqual([]);
  });

  it('names a dominant deals count once, for its points', () => {
    expect(
      recomputableWhenHidden({
        criteria: [
          { metric: 'turnover', basis: 'percentOfPlan', weight: 1, cap: 100 },
          { metric: 'deals', basis: 'absolute', unit: 1, weight: 101 },
        ],
      }),
    ).toEqual([{ index: 1, reason: 'dominantCount', reveals: 'value' }]);
  });

  it('names deals, which the celebrations count, whatever the points', () => {
    expect(
      recomputableWhenHidden({
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 100_000, weight: 1 },
          { metric: 'deals', basis: 'percentOfPlan', weight: 1 },
        ],
      }),
    ).toEqual([{ index: 1, reason: 'dealCelebrations', reveals: 'value' }]);
  });
});
