import { roundTo } from '../money/money.js';
import {
  readMetric,
  type MetricAdjustment,
  type MetricReading,
  type ParticipantMetrics,
} from '../metrics/participant-metrics.js';
import type { Contest, ContestParticipant, MeasureReference } from '../rules/contest.js';
import type { Basis, Criterion, Measure } from '../rules/contest-file.schema.js';

export interface CriterionScore {
  /** The raw metric (minor units, counts, % for conversion); null when undefined (0 deals). */
  value: number | null;
  /** The value after basis, unit, floor and cap; null when the criterion does not score. */
  normalized: number | null;
  /** weight × normalized, unrounded (0 when the criterion does not score). */
  points: number;
}

export interface ParticipantScore {
  /** Total points rounded to 2 decimals: what is shown, ranked and compared. */
  points: number;
  criteria: CriterionScore[];
  /** Passes every eligibility gate. */
  eligible: boolean;
}

/** Points precision: ranking, ties and "what it takes" all work on the rounded total. */
export const POINTS_DECIMALS = 2;

/**
 * Scores one participant's metrics against the contest's criteria and gates (DESIGN §3.4). The
 * single implementation of the scoring rules: evaluate, live standings, "what it takes" and the
 * simulator all call it.
 */
export function scoreParticipant({
  contest,
  participant,
  metrics,
  adjustment,
}: {
  contest: Contest;
  participant: ContestParticipant;
  metrics: ParticipantMetrics;
  adjustment?: MetricAdjustment | undefined;
}): ParticipantScore {
  let total = 0;
  const criteria = contest.criteria.map((criterion, index): CriterionScore => {
    const reading = readMetric({ metrics, measure: criterion, adjustment });
    const normalized = normalizeCriterion({
      criterion,
      reading,
      reference: participant.criterionRefs[index] ?? NO_REFERENCE,
    });
    const points = normalized === null ? 0 : criterion.weight * normalized;
    total += points;
    return { value: reading.value, normalized, points };
  });
  const eligible = contest.gates.every((gate, index) => {
    const normalized = normalizeMeasure({
      measure: gate,
      basis: gate.basis,
      unit: 1,
      reading: readMetric({ metrics, measure: gate, adjustment }),
      reference: participant.gateRefs[index] ?? NO_REFERENCE,
    });
    return normalized !== null && normalized >= gate.min;
  });
  return { points: roundTo({ value: total, decimals: POINTS_DECIMALS }), criteria, eligible };
}

const NO_REFERENCE: MeasureReference = { plan: null, baseline: null };

/** A criterion's normalized value: basis, then floor and cap; null when it does not score. */
export function normalizeCriterion({
  criterion,
  reading,
  reference,
}: {
  criterion: Criterion;
  reading: MetricReading;
  reference: MeasureReference;
}): number | null {
  const normalized = normalizeMeasure({
    measure: criterion,
    basis: criterion.basis,
    unit: criterion.unit ?? 1,
    reading,
    reference,
  });
  if (normalized === null) return null;
  let clamped = normalized;
  if (criterion.floor !== undefined) clamped = Math.max(criterion.floor, clamped);
  if (criterion.cap !== undefined) clamped = Math.min(criterion.cap, clamped);
  return clamped;
}

/**
 * A metric on its basis: `absolute` value / unit, `percentOfPlan` 100 × value / plan, `growth`
 * 100 × (value / baseline − 1). Null when it does not score: a ratio metric below its minimum
 * sample (avgCheck: `minDeals`, default 1; conversion: `minLeads`, default 1, and `minDeals`,
 * default 0), an undefined value, or a missing plan or baseline.
 */
export function normalizeMeasure({
  measure,
  basis,
  unit,
  reading,
  reference,
}: {
  measure: Measure;
  basis: Basis;
  unit: number;
  reading: MetricReading;
  reference: MeasureReference;
}): number | null {
  if (measure.metric === 'avgCheck' && reading.deals < (measure.minDeals ?? 1)) return null;
  if (
    measure.metric === 'conversion' &&
    (reading.leads < (measure.minLeads ?? 1) || reading.deals < (measure.minDeals ?? 0))
  ) {
    return null;
  }
  const { value } = reading;
  if (value === null) return null;
  switch (basis) {
    case 'absolute':
      return value / unit;
    case 'percentOfPlan':
      return reference.plan === null || reference.plan <= 0 ? null : (100 * value) / reference.plan;
    case 'growth':
      return reference.baseline === null ? null : 100 * (value / reference.baseline - 1);
  }
}
