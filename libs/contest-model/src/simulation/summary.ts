import {
  computeAboveplanMargin,
  computeFund,
  fundPrizes,
  ROI_DECIMALS,
} from '../funding/funding.js';
import { roundHalfAwayFromZero, roundTo } from '../money/money.js';
import type { ProfileSource, SamplingModel } from './sampling-model.js';
import type { BlockResult } from './trial-block.js';

/** Probabilities and their standard errors are shown with this many decimals. */
export const PROBABILITY_DECIMALS = 6;
export const HISTOGRAM_BINS = 20;
/** Break-even uplift is searched in [-1, this]; beyond it the contest does not pay for itself. */
export const MAX_BREAK_EVEN_UPLIFT = 20;

/** Mean (with its standard error) and quantiles of an amount over the trials, minor units. */
export interface AmountDistribution {
  meanMinor: number;
  standardErrorMinor: number;
  p10Minor: number;
  p50Minor: number;
  p90Minor: number;
}

export interface HistogramBin {
  /** Inclusive. */
  fromMinor: number;
  /** Exclusive, except for the last bin. */
  toMinor: number;
  count: number;
}

export interface PrizeForecast {
  place: number;
  league: string | null;
  title: string;
  costMinor: number;
  /** P(the fund unlocks the place). */
  pUnlocked: number;
  pUnlockedSe: number;
  /** P(the place is unlocked and held by an eligible participant, i.e. paid). */
  pPaid: number;
  pPaidSe: number;
}

export interface ParticipantForecast {
  participantId: string;
  name: string;
  team: string | null;
  league: string | null;
  isNewcomer: boolean;
  /** Where the sampled figures came from, and what they are (monthly, before uplift). */
  source: ProfileSource;
  turnoverMeanMinor: number;
  turnoverCv: number;
  /** P(holding place 1 of their prize group at the end), funded or not. */
  pFirst: number;
  pFirstSe: number;
  /** P(holding any prize place of their group), funded or not. */
  pPrize: number;
  pPrizeSe: number;
  /** P(being paid a prize: a place held and unlocked). */
  pPaid: number;
  pPaidSe: number;
  /** Mean overall rank (1 = top of the whole standings). */
  expectedRank: number;
  expectedRankSe: number;
}

/** Everything one run of the trials says, before the fairness verdict. */
export interface Forecast {
  trials: number;
  fund: AmountDistribution & { histogram: HistogramBin[] };
  pAllPrizesFunded: number;
  pAllPrizesFundedSe: number;
  prizesPaid: AmountDistribution;
  prizes: PrizeForecast[];
  roi: {
    /** Share of trials where something is paid (ROI defined). */
    pDefined: number;
    mean: number | null;
    p10: number | null;
    p50: number | null;
    p90: number | null;
  };
  actualMargin: AmountDistribution;
  aboveplanMargin: AmountDistribution;
  actualTurnover: AmountDistribution;
  /**
   * The no-contest baseline forecast (DESIGN §3.2): the same draws with uplift 0. The live
   * contest's report compares the actual margin with `marginMinor.meanMinor` (incremental margin).
   */
  baseline: {
    uplift: 0;
    marginMinor: AmountDistribution;
    turnoverMinor: AmountDistribution;
    aboveplanMarginMinor: AmountDistribution;
    /** Expected margin the contest adds over the baseline: E[actual] − E[baseline]. */
    incrementalMarginMinor: number;
  };
  /**
   * The uplift at which P(all prizes funded) reaches 0.5, by bisection on the same draws (common
   * random numbers); null when not reached by {@link MAX_BREAK_EVEN_UPLIFT}, -1 when the
   * guarantee alone funds everything.
   */
  breakEvenUplift: number | null;
  participants: ParticipantForecast[];
  /** Per criterion: share of all points it gives, over trials and participants. */
  criteriaPointsShare: number[];
  /** Per participant × criterion means (`[participant][criterion]`), for remedies. */
  meanValue: number[][];
  meanNormalized: number[][];
}

/** Adds up a run's blocks (in block order, so the result does not depend on who ran them). */
export function summarizeBlocks({
  model,
  blocks,
}: {
  model: SamplingModel;
  blocks: readonly BlockResult[];
}): Forecast {
  const ordered = [...blocks].sort((a, b) => a.block - b.block);
  const trials = ordered.reduce((sum, block) => sum + block.trials, 0);
  if (trials !== model.scenario.trials) {
    throw new RangeError(`blocks hold ${trials} trials, expected ${model.scenario.trials}`);
  }
  const concat = (pick: (block: BlockResult) => Float64Array | Uint8Array) => {
    const all = new Float64Array(trials);
    let offset = 0;
    for (const block of ordered) {
      all.set(pick(block), offset);
      offset += block.trials;
    }
    return all;
  };
  const sum = (pick: (block: BlockResult) => Float64Array, length: number) => {
    const total = new Float64Array(length);
    for (const block of ordered) {
      const values = pick(block);
      for (let index = 0; index < length; index += 1) {
        total[index] = (total[index] as number) + (values[index] as number);
      }
    }
    return total;
  };
  const { contest } = model;
  const n = model.participants;
  const criteria = contest.criteria.length;
  const fund = concat((block) => block.fundMinor);
  const allUnlocked = concat((block) => block.allUnlocked);
  const roiValues = concat((block) => block.roi).filter((value) => !Number.isNaN(value));
  const baselineMargin = concat((block) => block.baselineMargin).map(roundHalfAwayFromZero);
  const baselineTurnover = concat((block) => block.baselineTurnover).map(roundHalfAwayFromZero);
  const actualMargin = concat((block) => block.actualMarginMinor);
  const first = sum((block) => block.first, n);
  const place = sum((block) => block.place, n);
  const paid = sum((block) => block.paid, n);
  const rankSum = sum((block) => block.rankSum, n);
  const rankSquareSum = sum((block) => block.rankSquareSum, n);
  const valueSum = sum((block) => block.valueSum, n * criteria);
  const normalizedSum = sum((block) => block.normalizedSum, n * criteria);
  const pointsSum = sum((block) => block.pointsSum, n * criteria);
  const prizeUnlocked = sum((block) => block.prizeUnlocked, contest.prizes.length);
  const prizePaid = sum((block) => block.prizePaid, contest.prizes.length);
  const pAllPrizesFunded = mean(allUnlocked);
  const criterionPoints = Array.from({ length: criteria }, (_value, c) => {
    let total = 0;
    for (let i = 0; i < n; i += 1) total += pointsSum[i * criteria + c] as number;
    return total;
  });
  const allPoints = criterionPoints.reduce((total, value) => total + value, 0);
  const roiSorted = Float64Array.from(roiValues).sort();
  const actual = amountDistribution(actualMargin);
  const baselineMarginDistribution = amountDistribution(baselineMargin);
  return {
    trials,
    fund: { ...amountDistribution(fund), histogram: histogram(fund) },
    pAllPrizesFunded: probability(pAllPrizesFunded),
    pAllPrizesFundedSe: probabilityError(pAllPrizesFunded, trials),
    prizesPaid: amountDistribution(concat((block) => block.prizesPaidMinor)),
    prizes: contest.prizes.map((prize, index): PrizeForecast => {
      const pUnlocked = (prizeUnlocked[index] as number) / trials;
      const pPaid = (prizePaid[index] as number) / trials;
      return {
        place: prize.place,
        league: prize.league ?? null,
        title: prize.title,
        costMinor: prize.costMinor,
        pUnlocked: probability(pUnlocked),
        pUnlockedSe: probabilityError(pUnlocked, trials),
        pPaid: probability(pPaid),
        pPaidSe: probabilityError(pPaid, trials),
      };
    }),
    roi: {
      pDefined: probability(roiValues.length / trials),
      mean:
        roiValues.length === 0 ? null : roundTo({ value: mean(roiValues), decimals: ROI_DECIMALS }),
      p10: roiQuantile(roiSorted, 0.1),
      p50: roiQuantile(roiSorted, 0.5),
      p90: roiQuantile(roiSorted, 0.9),
    },
    actualMargin: actual,
    aboveplanMargin: amountDistribution(
      actualMargin.map((margin) =>
        computeAboveplanMargin({
          planMarginMinor: contest.planMarginMinor,
          actualMarginMinor: margin,
        }),
      ),
    ),
    actualTurnover: amountDistribution(concat((block) => block.actualTurnoverMinor)),
    baseline: {
      uplift: 0,
      marginMinor: baselineMarginDistribution,
      turnoverMinor: amountDistribution(baselineTurnover),
      aboveplanMarginMinor: amountDistribution(
        baselineMargin.map((margin) =>
          computeAboveplanMargin({
            planMarginMinor: contest.planMarginMinor,
            actualMarginMinor: margin,
          }),
        ),
      ),
      incrementalMarginMinor: actual.meanMinor - baselineMarginDistribution.meanMinor,
    },
    // A forecast's margin is partly counted, not (1 + u) × a baseline: no break-even for it.
    breakEvenUplift:
      model.condition === null
        ? breakEvenUplift({ model, baselineMargin: concat((block) => block.baselineMargin) })
        : null,
    participants: contest.participants.map((participant, i): ParticipantForecast => {
      const profile = model.profiles[i];
      const pFirst = (first[i] as number) / trials;
      const pPrize = (place[i] as number) / trials;
      const pPaid = (paid[i] as number) / trials;
      const rankMean = (rankSum[i] as number) / trials;
      const rankVariance =
        trials > 1
          ? Math.max(
              0,
              ((rankSquareSum[i] as number) - trials * rankMean * rankMean) / (trials - 1),
            )
          : 0;
      return {
        participantId: participant.id,
        name: participant.name,
        team: participant.team,
        league: participant.league,
        isNewcomer: participant.isNewcomer,
        source: profile?.source ?? 'history',
        turnoverMeanMinor: roundHalfAwayFromZero(profile?.turnoverMeanMinor ?? 0),
        turnoverCv: roundTo({ value: profile?.turnoverCv ?? 0, decimals: 4 }),
        pFirst: probability(pFirst),
        pFirstSe: probabilityError(pFirst, trials),
        pPrize: probability(pPrize),
        pPrizeSe: probabilityError(pPrize, trials),
        pPaid: probability(pPaid),
        pPaidSe: probabilityError(pPaid, trials),
        expectedRank: roundTo({ value: rankMean, decimals: 3 }),
        expectedRankSe: roundTo({ value: Math.sqrt(rankVariance / trials), decimals: 3 }),
      };
    }),
    criteriaPointsShare: criterionPoints.map((points) =>
      allPoints > 0 ? probability(points / allPoints) : 0,
    ),
    meanValue: Array.from({ length: n }, (_value, i) =>
      Array.from(
        { length: criteria },
        (_unused, c) => (valueSum[i * criteria + c] as number) / trials,
      ),
    ),
    meanNormalized: Array.from({ length: n }, (_value, i) =>
      Array.from(
        { length: criteria },
        (_unused, c) => (normalizedSum[i * criteria + c] as number) / trials,
      ),
    ),
  };
}

/**
 * Bisection over the uplift for P(all prizes funded) = 0.5 with common random numbers: a trial's
 * margin at uplift u is (1 + u) × its baseline margin (turnover is linear in 1 + u), rounded once
 * for the company instead of once per seller (a difference of at most half a minor unit per
 * seller), and goes through the real `computeFund`; the fund that unlocks every prize is found
 * once with the real `fundPrizes` (unlocking is monotone in the fund).
 */
function breakEvenUplift({
  model,
  baselineMargin,
}: {
  model: SamplingModel;
  baselineMargin: Float64Array;
}): number | null {
  const { contest } = model;
  const allUnlocked = (fundMinor: number) =>
    fundPrizes({ funding: contest.funding, prizes: contest.prizes, fundMinor }).every(
      (prize) => prize.unlocked,
    );
  // Unlocking is monotone in the fund: find once the smallest fund that unlocks every prize.
  let fundLow = 0;
  let fundHigh = contest.prizes.reduce((sum, prize) => sum + prize.costMinor, 0);
  while (!allUnlocked(fundHigh)) fundHigh *= 2;
  if (allUnlocked(fundLow)) fundHigh = fundLow;
  while (fundHigh - fundLow > 1) {
    const middle = Math.floor((fundLow + fundHigh) / 2);
    if (allUnlocked(middle)) fundHigh = middle;
    else fundLow = middle;
  }
  const fundForAll = fundHigh;
  const pFunded = (uplift: number): number => {
    let funded = 0;
    for (const margin of baselineMargin) {
      const fundMinor = computeFund({
        funding: contest.funding,
        aboveplanMarginMinor: computeAboveplanMargin({
          planMarginMinor: contest.planMarginMinor,
          actualMarginMinor: roundHalfAwayFromZero((1 + uplift) * margin),
        }),
      });
      if (fundMinor >= fundForAll) funded += 1;
    }
    return funded / baselineMargin.length;
  };
  let low = -1;
  let high = MAX_BREAK_EVEN_UPLIFT;
  if (pFunded(low) >= 0.5) return low;
  if (pFunded(high) < 0.5) return null;
  // P is a non-decreasing step function of u: keep P(low) < 0.5 ≤ P(high).
  while (high - low > 1e-5) {
    const middle = (low + high) / 2;
    if (pFunded(middle) >= 0.5) high = middle;
    else low = middle;
  }
  return roundTo({ value: high, decimals: 4 });
}

function mean(values: ArrayLike<number>): number {
  let total = 0;
  for (let index = 0; index < values.length; index += 1) total += values[index] as number;
  return values.length === 0 ? 0 : total / values.length;
}

function probability(p: number): number {
  return roundTo({ value: p, decimals: PROBABILITY_DECIMALS });
}

/** The binomial standard error √(p(1 − p) / N). */
export function probabilityError(p: number, trials: number): number {
  return roundTo({ value: Math.sqrt((p * (1 - p)) / trials), decimals: PROBABILITY_DECIMALS });
}

/** Quantile q of sorted values, linear between order statistics (Hyndman & Fan type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(sorted.length - 1, below + 1)] as number;
  return lower + (upper - lower) * (position - below);
}

function roiQuantile(sorted: Float64Array, q: number): number | null {
  return sorted.length === 0
    ? null
    : roundTo({ value: quantile(sorted, q), decimals: ROI_DECIMALS });
}

function amountDistribution(values: Float64Array): AmountDistribution {
  const sorted = Float64Array.from(values).sort();
  const average = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  const variance = values.length > 1 ? squares / (values.length - 1) : 0;
  return {
    meanMinor: roundHalfAwayFromZero(average),
    standardErrorMinor: roundHalfAwayFromZero(Math.sqrt(variance / values.length)),
    p10Minor: roundHalfAwayFromZero(quantile(sorted, 0.1)),
    p50Minor: roundHalfAwayFromZero(quantile(sorted, 0.5)),
    p90Minor: roundHalfAwayFromZero(quantile(sorted, 0.9)),
  };
}

/** {@link HISTOGRAM_BINS} equal bins from the smallest to the largest fund (one when all equal). */
function histogram(values: Float64Array): HistogramBin[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (max === min) return [{ fromMinor: min, toMinor: max, count: values.length }];
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_value, index) =>
    index === HISTOGRAM_BINS ? max : roundHalfAwayFromZero(min + index * width),
  );
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const value of values) {
    let bin = Math.min(HISTOGRAM_BINS - 1, Math.floor((value - min) / width));
    // Edges are rounded: move to the bin whose rounded edges hold the value.
    while (bin > 0 && value < (edges[bin] as number)) bin -= 1;
    while (bin < HISTOGRAM_BINS - 1 && value >= (edges[bin + 1] as number)) bin += 1;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((count, index) => ({
    fromMinor: edges[index] as number,
    toMinor: edges[index + 1] as number,
    count,
  }));
}
