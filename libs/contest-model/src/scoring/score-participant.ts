import { roundHalfAwayFromZero } from '../money/money.js';
import {
  measureKey,
  readMetricInto,
  type MetricAdjustment,
  type MetricReading,
  type ParticipantMetrics,
} from '../metrics/participant-metrics.js';
import type { Contest, ContestParticipant, MeasureReference } from '../rules/contest.js';
import type { Basis, Criterion, EligibilityGate, Measure } from '../rules/contest-file.schema.js';

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
  into,
}: {
  contest: Contest;
  participant: ContestParticipant;
  metrics: ParticipantMetrics;
  adjustment?: MetricAdjustment | undefined;
  /**
   * A score to overwrite instead of allocating one (the simulator scores millions of times);
   * it must come from {@link emptyScore} of the same contest.
   */
  into?: ParticipantScore | undefined;
}): ParticipantScore {
  const score = into ?? emptyScore(contest);
  let total = 0;
  const { criteria, gates } = contest;
  const reading = scratchReading;
  for (let index = 0; index < criteria.length; index += 1) {
    const criterion = criteria[index] as Criterion;
    readMetricInto(metrics, criterion, extraFor(adjustment, criterion), reading);
    const normalized = clampCriterion(
      criterion,
      normalizeReading(
        criterion,
        criterion.basis,
        criterion.unit ?? 1,
        reading,
        participant.criterionRefs[index] ?? NO_REFERENCE,
      ),
    );
    const points = normalized === null ? 0 : criterion.weight * normalized;
    total += points;
    const out = score.criteria[index] as CriterionScore;
    out.value = reading.value;
    out.normalized = normalized;
    out.points = points;
  }
  let eligible = true;
  for (let index = 0; index < gates.length && eligible; index += 1) {
    const gate = gates[index] as EligibilityGate;
    const normalized = normalizeReading(
      gate,
      gate.basis,
      1,
      readMetricInto(metrics, gate, extraFor(adjustment, gate), reading),
      participant.gateRefs[index] ?? NO_REFERENCE,
    );
    eligible = normalized !== null && normalized >= gate.min;
  }
  score.points = roundHalfAwayFromZero(total * POINTS_SCALE) / POINTS_SCALE;
  score.eligible = eligible;
  return score;
}

/** 10^{@link POINTS_DECIMALS}: what `roundTo` multiplies by, without recomputing it per score. */
const POINTS_SCALE = 10 ** POINTS_DECIMALS;

/** Scoring is synchronous and never re-entered: one reading serves every metric it reads. */
const scratchReading: MetricReading = { value: null, deals: 0, leads: 0 };

function extraFor(adjustment: MetricAdjustment | undefined, measure: Measure): number {
  return adjustment !== undefined && adjustment.measureKey === measureKey(measure)
    ? adjustment.amount
    : 0;
}

/** A zero score with one entry per criterion, to pass as `into`. */
export function emptyScore(contest: Contest): ParticipantScore {
  return {
    points: 0,
    criteria: contest.criteria.map(() => ({ value: null, normalized: null, points: 0 })),
    eligible: false,
  };
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
  return clampCriterion(
    criterion,
    normalizeReading(criterion, criterion.basis, criterion.unit ?? 1, reading, reference),
  );
}

/** Floor, then cap, of a criterion's normalized value (null stays null: it does not score). */
function clampCriterion(criterion: Criterion, normalized: number | null): number | null {
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
  return normalizeReading(measure, basis, unit, reading, reference);
}

/** {@link normalizeMeasure} with positional arguments: scoring calls it millions of times. */
function normalizeReading(
  measure: Measure,
  basis: Basis,
  unit: number,
  reading: MetricReading,
  reference: MeasureReference,
): number | null {
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
