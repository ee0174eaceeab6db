import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contestFile } from '../../test-support/contest-fixture.js';
import { propertyRuns } from '../../test-support/property-runs.js';
import type { MetricReading } from '../metrics/participant-metrics.js';
import type { MeasureReference } from '../rules/contest.js';
import { compileContest } from '../rules/contest.js';
import type { Criterion, Measure } from '../rules/contest-file.schema.js';
import { emptyScore, normalizeCriterion, normalizeMeasure } from './score-participant.js';

const noReference: MeasureReference = { plan: null, baseline: null };

function reading(value: number | null, deals = 1, leads = 0): MetricReading {
  return { value, deals, leads };
}

const runs = { numRuns: propertyRuns(200) };

describe(normalizeMeasure.name, () => {
  const turnover: Measure = { metric: 'turnover' };

  it('puts a value on each basis: value / unit, 100 × value / plan, 100 × (value / baseline − 1)', () => {
    const reference = { plan: 800_000, baseline: 400_000 };
    const sut = (basis: Criterion['basis'], unit = 1) =>
      normalizeMeasure({ measure: turnover, basis, unit, reading: reading(1_000_000), reference });
    expect(sut('absolute', 250_000)).toBe(4);
    expect(sut('percentOfPlan')).toBe(125);
    expect(sut('growth')).toBe(150);
  });

  it('does not score against a missing or non-positive plan, nor without a baseline', () => {
    for (const plan of [null, 0, -100]) {
      expect(
        normalizeMeasure({
          measure: turnover,
          basis: 'percentOfPlan',
          unit: 1,
          reading: reading(500),
          reference: { plan, baseline: 1_000 },
        }),
      ).toBeNull();
    }
    expect(
      normalizeMeasure({
        measure: turnover,
        basis: 'growth',
        unit: 1,
        reading: reading(500),
        reference: { plan: 1_000, baseline: null },
      }),
    ).toBeNull();
  });

  it('does not score an undefined value, whatever the basis', () => {
    // An average check of 0 deals with no minimum sample asked for: the value itself is missing.
    const avgCheck: Measure = { metric: 'avgCheck', minDeals: 0 };
    for (const basis of ['absolute', 'percentOfPlan', 'growth'] as const) {
      expect(
        normalizeMeasure({
          measure: avgCheck,
          basis,
          unit: 1,
          reading: reading(null, 0),
          reference: { plan: 1_000, baseline: 1_000 },
        }),
      ).toBeNull();
    }
  });

  it('scores the average check from exactly minDeals deals on (default 1)', () => {
    const sut = (measure: Measure, deals: number) =>
      normalizeMeasure({
        measure,
        basis: 'absolute',
        unit: 100,
        reading: reading(5_000, deals),
        reference: noReference,
      });
    expect(sut({ metric: 'avgCheck', minDeals: 3 }, 2)).toBeNull();
    expect(sut({ metric: 'avgCheck', minDeals: 3 }, 3)).toBe(50);
    expect(sut({ metric: 'avgCheck' }, 1)).toBe(50);
    // Other metrics have no minimum sample: a counter scores without a single deal.
    expect(sut({ metric: 'counter', name: 'calls' }, 0)).toBe(50);
    expect(sut({ metric: 'turnover' }, 0)).toBe(50);
  });

  it('scores conversion from exactly minLeads leads and minDeals won deals on', () => {
    const sut = (measure: Measure, deals: number, leads: number) =>
      normalizeMeasure({
        measure,
        basis: 'absolute',
        unit: 1,
        reading: reading(leads > 0 ? (100 * deals) / leads : null, deals, leads),
        reference: noReference,
      });
    expect(sut({ metric: 'conversion', minLeads: 4 }, 1, 3)).toBeNull();
    expect(sut({ metric: 'conversion', minLeads: 4 }, 1, 4)).toBe(25);
    expect(sut({ metric: 'conversion', minLeads: 4, minDeals: 2 }, 1, 4)).toBeNull();
    expect(sut({ metric: 'conversion', minLeads: 4, minDeals: 2 }, 2, 4)).toBe(50);
    // With the default minDeals (0), no won deal on enough leads is 0 %, which scores.
    expect(sut({ metric: 'conversion' }, 0, 1)).toBe(0);
    expect(sut({ metric: 'conversion' }, 0, 0)).toBeNull();
  });

  it('is value / unit on the absolute basis (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (value, unit) => {
          const normalized = normalizeMeasure({
            measure: turnover,
            basis: 'absolute',
            unit,
            reading: reading(value),
            reference: noReference,
          });
          expect(normalized).toBeCloseTo(value / unit, 9);
        },
      ),
      runs,
    );
  });

  it('reaches 100 exactly at the plan and 0 exactly at the baseline (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), (amount) => {
        const reference = { plan: amount, baseline: amount };
        const at = (basis: Criterion['basis'], value: number) =>
          normalizeMeasure({
            measure: turnover,
            basis,
            unit: 1,
            reading: reading(value),
            reference,
          });
        expect(at('percentOfPlan', amount)).toBe(100);
        expect(at('percentOfPlan', 2 * amount)).toBe(200);
        expect(at('growth', amount)).toBe(0);
        expect(at('growth', 3 * amount)).toBe(200);
        expect(at('growth', 0)).toBe(-100);
      }),
      runs,
    );
  });
});

describe(normalizeCriterion.name, () => {
  it('raises a value to the floor, then lowers it to the cap', () => {
    const sut = (value: number, bounds: Pick<Criterion, 'floor' | 'cap'>) =>
      normalizeCriterion({
        criterion: { metric: 'deals', basis: 'absolute', unit: 2, weight: 1, ...bounds },
        reading: reading(value),
        reference: noReference,
      });
    expect(sut(2, { floor: 3, cap: 5 })).toBe(3);
    expect(sut(8, { floor: 3, cap: 5 })).toBe(4);
    expect(sut(20, { floor: 3, cap: 5 })).toBe(5);
    expect(sut(-20, {})).toBe(-10);
    expect(sut(20, {})).toBe(10);
    expect(sut(2, { floor: 3 })).toBe(3);
    expect(sut(20, { cap: 5 })).toBe(5);
  });

  it('leaves a criterion that does not score unscored, floor or not', () => {
    expect(
      normalizeCriterion({
        criterion: { metric: 'turnover', basis: 'growth', weight: 1, floor: 0, cap: 50 },
        reading: reading(1_000),
        reference: noReference,
      }),
    ).toBeNull();
  });

  it('is the normalized value clamped into [floor, cap] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 200 }),
        (value, floor, span) => {
          const cap = floor + span;
          const normalized = normalizeCriterion({
            criterion: { metric: 'margin', basis: 'absolute', unit: 10, weight: 3, floor, cap },
            reading: reading(value),
            reference: noReference,
          });
          const expected = value / 10 < floor ? floor : value / 10 > cap ? cap : value / 10;
          expect(normalized).toBe(expected);
        },
      ),
      runs,
    );
  });
});

describe(emptyScore.name, () => {
  it('is a zero, ineligible score with one unscored entry per criterion', () => {
    const contest = compileContest({
      file: contestFile({
        criteria: [
          { metric: 'turnover', basis: 'absolute', unit: 10_000 },
          { metric: 'deals', basis: 'absolute', unit: 1 },
        ],
      }),
    });
    expect(emptyScore(contest)).toStrictEqual({
      points: 0,
      criteria: [
        { value: null, normalized: null, points: 0 },
        { value: null, normalized: null, points: 0 },
      ],
      eligible: false,
    });
  });
});
