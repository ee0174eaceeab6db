import { computeFunding } from '../funding/funding.js';
import { roundHalfAwayFromZero } from '../money/money.js';
import {
  copyMetrics,
  emptyMetrics,
  type ParticipantMetrics,
} from '../metrics/participant-metrics.js';
import type { RankKey } from '../ranking/rank-key.js';
import { rankOrderScratch, sortByRank } from '../ranking/rank-order.js';
import { prizeGroupOf } from '../rules/contest.js';
import {
  emptyScore,
  scoreParticipant,
  type CriterionScore,
  type ParticipantScore,
} from '../scoring/score-participant.js';
import { assignPrizes } from '../standings/standings-result.js';
import { mix32 } from '../rng/hash.js';
import { normal } from '../rng/normal.js';
import { poisson } from '../rng/poisson.js';
import { streamGenerator } from '../rng/streams.js';
import type { SamplingModel } from './sampling-model.js';

/**
 * Trials are cut into blocks of this many; block b draws from its own two streams (2b: turnover
 * shocks, 2b + 1: counts), so a block gives the same result on any worker, and the whole run is
 * identical whatever the number of workers. Part of the reproducibility contract: changing it
 * changes every result of a seed.
 */
export const BLOCK_SIZE = 500;

export function blockCount(trials: number): number {
  return Math.ceil(trials / BLOCK_SIZE);
}

/**
 * What one block of trials adds up to. Per-trial figures keep their order (quantiles, histogram
 * and break-even need them); the rest are sums. Typed arrays only: a block crosses a worker
 * boundary by structured clone.
 */
export interface BlockResult {
  block: number;
  trials: number;
  fundMinor: Float64Array;
  prizesPaidMinor: Float64Array;
  actualMarginMinor: Float64Array;
  actualTurnoverMinor: Float64Array;
  /** Σ margin with uplift 0 on the same draws, unrounded: the no-contest baseline. */
  baselineMargin: Float64Array;
  baselineTurnover: Float64Array;
  /** ROI of the trial, NaN when nothing is paid (ROI undefined). */
  roi: Float64Array;
  /** 1 when every prize is unlocked. */
  allUnlocked: Uint8Array;
  /** Per participant: trials holding place 1 of their group, any place, a paid place. */
  first: Float64Array;
  place: Float64Array;
  paid: Float64Array;
  rankSum: Float64Array;
  rankSquareSum: Float64Array;
  /** Per participant × criterion (`[participant * criteria + criterion]`). */
  valueSum: Float64Array;
  normalizedSum: Float64Array;
  pointsSum: Float64Array;
  /** Per prize (file order): trials where it is unlocked, where it is paid. */
  prizeUnlocked: Float64Array;
  prizePaid: Float64Array;
}

/** Runs the trials of block `block` (DESIGN §3.5), each through the real scoring and funding. */
export function simulateBlock({
  model,
  block,
}: {
  model: SamplingModel;
  block: number;
}): BlockResult {
  const { contest, scenario, participants: n } = model;
  const firstTrial = block * BLOCK_SIZE;
  const trials = Math.min(BLOCK_SIZE, scenario.trials - firstTrial);
  if (!(trials > 0)) throw new RangeError(`block ${block} is past the last trial`);
  const shocks = streamGenerator({ seed: scenario.seed, stream: 2 * block });
  const countsRng = streamGenerator({ seed: scenario.seed, stream: 2 * block + 1 });
  const criteria = contest.criteria.length;
  const prizes = contest.prizes.length;
  const result: BlockResult = {
    block,
    trials,
    fundMinor: new Float64Array(trials),
    prizesPaidMinor: new Float64Array(trials),
    actualMarginMinor: new Float64Array(trials),
    actualTurnoverMinor: new Float64Array(trials),
    baselineMargin: new Float64Array(trials),
    baselineTurnover: new Float64Array(trials),
    roi: new Float64Array(trials),
    allUnlocked: new Uint8Array(trials),
    first: new Float64Array(n),
    place: new Float64Array(n),
    paid: new Float64Array(n),
    rankSum: new Float64Array(n),
    rankSquareSum: new Float64Array(n),
    valueSum: new Float64Array(n * criteria),
    normalizedSum: new Float64Array(n * criteria),
    pointsSum: new Float64Array(n * criteria),
    prizeUnlocked: new Float64Array(prizes),
    prizePaid: new Float64Array(prizes),
  };
  const growth = 1 + scenario.uplift;
  const common = Math.sqrt(scenario.correlation);
  const own = Math.sqrt(1 - scenario.correlation);
  const { turnoverMean, sigma, halfSigmaSquared, marginRate, rampFraction } = model;
  const unitTurnover = new Float64Array(n);
  // A forecast adds each trial's draws to what has been counted (DESIGN §3.7): each block has its
  // own copy, whose figures a trial does not draw keep their counted values.
  const { condition, drawnMonths } = model;
  const metrics: ParticipantMetrics[] =
    condition === null
      ? Array.from({ length: n }, emptyMetrics)
      : condition.actual.map(copyMetrics);
  const countedTurnover = Float64Array.from(metrics, (each) => each.turnoverMinor);
  const countedMargin = Float64Array.from(metrics, (each) => each.marginMinor);
  // Once nothing is left to draw, ties are broken as in the standings: who reached the total first.
  const countedReachedAt =
    condition !== null && drawnMonths.length === 0 ? condition.reachedAtMs : null;
  const keys: RankKey[] = contest.participants.map((participant) => ({
    points: 0,
    reachedAtMs: 0,
    participantId: participant.id,
  }));
  const scores: ParticipantScore[] = Array.from({ length: n }, () => emptyScore(contest));
  const eligible = new Uint8Array(n);
  const order = new Int32Array(n);
  const ranking = rankOrderScratch(n);
  const indexOf = new Map(
    contest.participants.map((participant, index) => [participant.id, index]),
  );
  const groups = contest.participants.map(prizeGroupOf);
  const countSetters = model.counts.map((count) => countSetter(count.key));
  const countMeans = model.counts.map((count) => count.mean);
  const countBases = model.counts.map((count) => count.base);
  const counts = countSetters.length;
  const shareSetters = model.shares.map((share) => productTurnoverSetter(share.key));
  const shareValues = model.shares.map((share) => share.share);
  const shareBases = model.shares.map((share) => share.base);
  const { valueSum, normalizedSum, pointsSum, rankSum, rankSquareSum } = result;
  const seedMix = mix32(scenario.seed) ^ mix32(Math.floor(scenario.seed / 0x1_0000_0000));
  // Per participant, the salt of their tie-break hash (the same for every trial).
  const tieSalt = Int32Array.from({ length: n }, (_value, i) => Math.imul(i + 1, 0x9e37_79b9));

  for (let trial = 0; trial < trials; trial += 1) {
    // Turnover per participant in units of their monthly mean: Σ months ramp × fraction × shock.
    unitTurnover.fill(0);
    for (let drawn = 0; drawn < drawnMonths.length; drawn += 1) {
      const month = drawnMonths[drawn] as number;
      const market = common * normal(shocks);
      const row = month * n;
      for (let i = 0; i < n; i += 1) {
        const s = sigma[i] as number;
        unitTurnover[i] =
          (unitTurnover[i] as number) +
          (rampFraction[row + i] as number) *
            Math.exp(s * (market + own * normal(shocks)) - (halfSigmaSquared[i] as number));
      }
    }

    let baselineMargin = 0;
    let baselineTurnover = 0;
    let actualMargin = 0;
    let actualTurnover = 0;
    const trialMix = mix32(seedMix ^ (firstTrial + trial));
    for (let i = 0; i < n; i += 1) {
      const unit = unitTurnover[i] as number;
      const base = (turnoverMean[i] as number) * unit;
      const rate = marginRate[i] as number;
      const turnoverSoFar = countedTurnover[i] as number;
      const marginSoFar = countedMargin[i] as number;
      baselineTurnover += turnoverSoFar + base;
      baselineMargin += marginSoFar + base * rate;
      const turnover = base * growth;
      const participantMetrics = metrics[i] as ParticipantMetrics;
      const turnoverMinor = turnoverSoFar + roundHalfAwayFromZero(turnover);
      const marginMinor = marginSoFar + roundHalfAwayFromZero(turnover * rate);
      participantMetrics.turnoverMinor = turnoverMinor;
      participantMetrics.marginMinor = marginMinor;
      actualTurnover += turnoverMinor;
      actualMargin += marginMinor;
      // Counts are Poisson around their monthly means scaled by T / m (ramp and uplift included).
      const scale = growth * unit;
      for (let c = 0; c < counts; c += 1) {
        (countSetters[c] as CountSetter)(
          participantMetrics,
          ((countBases[c] as Float64Array)[i] as number) +
            poisson(countsRng, ((countMeans[c] as Float64Array)[i] as number) * scale),
        );
      }
      for (let p = 0; p < shareSetters.length; p += 1) {
        (shareSetters[p] as CountSetter)(
          participantMetrics,
          ((shareBases[p] as Float64Array)[i] as number) +
            roundHalfAwayFromZero(turnover * ((shareValues[p] as Float64Array)[i] as number)),
        );
      }
      const score = scoreParticipant({
        contest,
        participant: contest.participants[i] as (typeof contest.participants)[number],
        metrics: participantMetrics,
        into: scores[i],
      });
      const key = keys[i] as RankKey;
      key.points = score.points;
      key.reachedAtMs =
        countedReachedAt === null
          ? mix32(trialMix ^ (tieSalt[i] as number))
          : (countedReachedAt[i] ?? null);
      eligible[i] = score.eligible ? 1 : 0;
      const offset = i * criteria;
      const criterionScores = score.criteria;
      for (let c = 0; c < criteria; c += 1) {
        const criterion = criterionScores[c] as CriterionScore;
        add(valueSum, offset + c, criterion.value ?? 0);
        add(normalizedSum, offset + c, criterion.normalized ?? 0);
        add(pointsSum, offset + c, criterion.points);
      }
    }

    sortByRank({ keys, order, scratch: ranking });
    for (let rank = 0; rank < n; rank += 1) {
      const i = order[rank] as number;
      add(rankSum, i, rank + 1);
      add(rankSquareSum, i, (rank + 1) * (rank + 1));
    }
    const holders = assignPrizes({
      contest,
      eligibleInOrder: (group, count) => {
        const ids: string[] = [];
        for (let rank = 0; rank < n && ids.length < count; rank += 1) {
          const i = order[rank] as number;
          if (eligible[i] === 1 && groups[i] === group)
            ids.push((keys[i] as RankKey).participantId);
        }
        return ids;
      },
    });
    const funding = computeFunding({
      funding: contest.funding,
      prizes: contest.prizes,
      planMarginMinor: contest.planMarginMinor,
      planTurnoverMinor: contest.planTurnoverMinor,
      actualMarginMinor: actualMargin,
      winners: holders.winners,
    });
    let allUnlocked = 1;
    funding.prizes.forEach((prize, index) => {
      if (prize.unlocked) add(result.prizeUnlocked, index, 1);
      else allUnlocked = 0;
      if (prize.winnerParticipantId === null) return;
      const i = indexOf.get(prize.winnerParticipantId) as number;
      add(result.place, i, 1);
      if (prize.place === 1) add(result.first, i, 1);
      if (prize.paidMinor > 0) {
        add(result.paid, i, 1);
        add(result.prizePaid, index, 1);
      }
    });
    result.fundMinor[trial] = funding.fundMinor;
    result.prizesPaidMinor[trial] = funding.prizesPaidMinor;
    result.actualMarginMinor[trial] = actualMargin;
    result.actualTurnoverMinor[trial] = actualTurnover;
    result.baselineMargin[trial] = baselineMargin;
    result.baselineTurnover[trial] = baselineTurnover;
    result.roi[trial] = funding.roi ?? Number.NaN;
    result.allUnlocked[trial] = allUnlocked;
  }
  return result;
}

type CountSetter = (metrics: ParticipantMetrics, value: number) => void;

function countSetter(key: string): CountSetter {
  switch (key) {
    case 'deals':
      return (metrics, value) => {
        metrics.deals = value;
      };
    case 'leads':
      return (metrics, value) => {
        metrics.leads = value;
      };
    case 'newClients':
      // A sampled count of distinct new clients: no client ids to deduplicate.
      return (metrics, value) => {
        metrics.anonymousNewClients = value;
      };
  }
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const name = key.slice(colon + 1);
  if (kind === 'counter') {
    return (metrics, value) => {
      metrics.counters.set(name, value);
    };
  }
  return (metrics, value) => {
    const product = metrics.products.get(name) ?? { turnoverMinor: 0, units: 0 };
    product.units = value;
    metrics.products.set(name, product);
  };
}

function productTurnoverSetter(key: string): CountSetter {
  const name = key.slice(key.indexOf(':') + 1);
  return (metrics, value) => {
    const product = metrics.products.get(name) ?? { turnoverMinor: 0, units: 0 };
    product.turnoverMinor = value;
    metrics.products.set(name, product);
  };
}

function add(sums: Float64Array, index: number, value: number): void {
  sums[index] = (sums[index] as number) + value;
}
