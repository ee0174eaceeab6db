import { roundTo, type EvaluationResult } from '@podium/contest-model';
import type { ContestRecord } from './contests.repository.js';

export interface ContestReport {
  readonly currency: string;
  readonly planMarginMinor: number;
  readonly actualMarginMinor: number;
  readonly aboveplanMarginMinor: number;
  readonly fundMinor: number;
  readonly prizesPaidMinor: number;
  readonly prizes: EvaluationResult['prizes'];
  readonly roi: number | null;
  /** The approved scenario's no-contest forecast of the margin; null when none was approved. */
  readonly baselineMarginMinor: number | null;
  /** Actual margin − baseline: what the contest caused, not merely what beat the plan. */
  readonly incrementalMarginMinor: number | null;
  readonly incrementalRoi: number | null;
}

/** The final report of a contest from its final standings and its approved scenario. */
export function reportOf({
  contest,
  standings,
}: {
  contest: ContestRecord;
  standings: EvaluationResult;
}): ContestReport {
  const baseline =
    typeof contest.scenario?.baselineMarginMinor === 'number'
      ? contest.scenario.baselineMarginMinor
      : null;
  const incremental = baseline === null ? null : standings.actualMarginMinor - baseline;
  return {
    currency: contest.currency,
    planMarginMinor: standings.planMarginMinor,
    actualMarginMinor: standings.actualMarginMinor,
    aboveplanMarginMinor: standings.aboveplanMarginMinor,
    fundMinor: standings.fundMinor,
    prizesPaidMinor: standings.prizesPaidMinor,
    prizes: standings.prizes,
    roi: standings.roi,
    baselineMarginMinor: baseline,
    incrementalMarginMinor: incremental,
    incrementalRoi:
      incremental === null || standings.prizesPaidMinor === 0
        ? null
        : roundTo({
            value: (incremental - standings.prizesPaidMinor) / standings.prizesPaidMinor,
            decimals: 4,
          }),
  };
}
