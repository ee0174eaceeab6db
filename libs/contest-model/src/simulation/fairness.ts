import { roundTo } from '../money/money.js';
import { formatShare, simulationMessage, type SimulationMessage } from './messages.js';
import type { Forecast } from './summary.js';

/**
 * Thresholds of the fairness verdict (DESIGN §3.5). A contest is `unbalanced` when any holds:
 * - newcomers' share of prize chances is below `newcomerShareRatio` × their share of headcount
 *   (newcomers with a third of the headcount should hold at least a sixth of the chances);
 * - the effective number of contenders is below `contendersPerPlace` × the number of places,
 *   or `contendersShare` × the headcount when that is smaller (small teams);
 * - one participant takes first place with a probability above `maxPFirst`.
 * The point estimates are compared; the spec's standard errors say how firm they are.
 */
export const FAIRNESS_THRESHOLDS = {
  newcomerShareRatio: 0.5,
  contendersPerPlace: 2,
  contendersShare: 0.5,
  maxPFirst: 0.5,
  /** Below this P(all prizes funded) an `info` message says so (not part of the verdict). */
  pAllPrizesFunded: 0.5,
} as const;

export interface Fairness {
  /** Σ P(any prize) over newcomers / number of prize places. */
  newcomerPrizeShare: number;
  newcomerHeadcountShare: number;
  /** (Σ p)² / Σ p², p = P(any prize): how many participants really compete for the places. */
  effectiveContenders: number;
  maxPFirst: number;
  maxPFirstParticipantId: string | null;
  verdict: 'balanced' | 'unbalanced';
  warnings: SimulationMessage[];
}

export function assessFairness({
  forecast,
  places,
}: {
  forecast: Forecast;
  /** Number of prize places, all groups together. */
  places: number;
}): Fairness {
  const { participants } = forecast;
  const n = participants.length;
  const newcomers = participants.filter((participant) => participant.isNewcomer);
  const newcomerPrizeShare =
    places === 0 ? 0 : newcomers.reduce((sum, participant) => sum + participant.pPrize, 0) / places;
  const newcomerHeadcountShare = n === 0 ? 0 : newcomers.length / n;
  let sum = 0;
  let squares = 0;
  let top: (typeof participants)[number] | null = null;
  for (const participant of participants) {
    sum += participant.pPrize;
    squares += participant.pPrize * participant.pPrize;
    if (top === null || participant.pFirst > top.pFirst) top = participant;
  }
  const effectiveContenders = squares > 0 ? (sum * sum) / squares : 0;
  const maxPFirst = top?.pFirst ?? 0;
  const warnings: SimulationMessage[] = [];
  if (
    newcomers.length > 0 &&
    newcomerPrizeShare < FAIRNESS_THRESHOLDS.newcomerShareRatio * newcomerHeadcountShare
  ) {
    warnings.push(
      simulationMessage({
        key: 'fairness.newcomers',
        params: {
          prizeShare: formatShare(newcomerPrizeShare),
          headcountShare: formatShare(newcomerHeadcountShare),
        },
      }),
    );
  }
  const contendersNeeded = Math.min(
    FAIRNESS_THRESHOLDS.contendersPerPlace * places,
    FAIRNESS_THRESHOLDS.contendersShare * n,
  );
  if (places > 0 && effectiveContenders < contendersNeeded) {
    warnings.push(
      simulationMessage({
        key: 'fairness.fewContenders',
        params: { contenders: roundTo({ value: effectiveContenders, decimals: 1 }), places },
      }),
    );
  }
  if (top !== null && maxPFirst > FAIRNESS_THRESHOLDS.maxPFirst) {
    warnings.push(
      simulationMessage({
        key: 'fairness.dominantFirst',
        params: {
          name: top.name,
          participantId: top.participantId,
          pFirst: formatShare(maxPFirst),
        },
      }),
    );
  }
  const verdict = warnings.length > 0 ? 'unbalanced' : 'balanced';
  if (forecast.pAllPrizesFunded < FAIRNESS_THRESHOLDS.pAllPrizesFunded) {
    warnings.push(
      simulationMessage({
        key: 'fund.unlikely',
        severity: 'info',
        params: { pAllPrizesFunded: formatShare(forecast.pAllPrizesFunded) },
      }),
    );
  }
  return {
    newcomerPrizeShare: roundTo({ value: newcomerPrizeShare, decimals: 6 }),
    newcomerHeadcountShare: roundTo({ value: newcomerHeadcountShare, decimals: 6 }),
    effectiveContenders: roundTo({ value: effectiveContenders, decimals: 4 }),
    maxPFirst,
    maxPFirstParticipantId: top?.participantId ?? null,
    verdict,
    warnings,
  };
}
