import { allocateProportionally, roundHalfAwayFromZero, roundTo } from '../money/money.js';
import type { Funding, Prize } from '../rules/contest-file.schema.js';

/** `max(0, actualMargin − planMargin)`: company level, one seller's shortfall eats another's surplus. */
export function computeAboveplanMargin({
  planMarginMinor,
  actualMarginMinor,
}: {
  planMarginMinor: number;
  actualMarginMinor: number;
}): number {
  return Math.max(0, actualMarginMinor - planMarginMinor);
}

/** `fund = max(guaranteed, min(cap ?? ∞, round(fundShare × aboveplanMargin)))` (DESIGN §3.2). */
export function computeFund({
  funding,
  aboveplanMarginMinor,
}: {
  funding: Funding;
  aboveplanMarginMinor: number;
}): number {
  const share = roundHalfAwayFromZero(funding.fundShare * aboveplanMarginMinor);
  const capped = funding.capMinor === null ? share : Math.min(funding.capMinor, share);
  return Math.max(funding.guaranteedMinor, capped);
}

/**
 * The above-plan margin (minor units) at which the fund reaches `fundMinor`: `fund / fundShare`
 * (DESIGN §3.2), rounded once; 0 when the guarantee already pays it, null when the cap never lets
 * the fund get there. The fund of that margin always reaches `fundMinor`; since the fund is the
 * share rounded half away from zero, a margin up to `0.5 / fundShare` smaller may reach it too.
 */
export function aboveplanMarginForFund({
  funding,
  fundMinor,
}: {
  funding: Funding;
  fundMinor: number;
}): number | null {
  if (funding.guaranteedMinor >= fundMinor) return 0;
  if (funding.capMinor !== null && funding.capMinor < fundMinor) return null;
  return roundHalfAwayFromZero(fundMinor / funding.fundShare);
}

/**
 * Roughly the turnover that brings `marginMinor` of margin at the plan's margin rate
 * `planMargin / planTurnover` (DESIGN §3.2): `margin × planTurnover / planMargin`, rounded once.
 * Null without a plan margin (no rate to divide by).
 */
export function turnoverAtPlanRate({
  marginMinor,
  planMarginMinor,
  planTurnoverMinor,
}: {
  marginMinor: number;
  planMarginMinor: number;
  planTurnoverMinor: number;
}): number | null {
  if (planMarginMinor <= 0) return null;
  return roundHalfAwayFromZero((marginMinor * planTurnoverMinor) / planMarginMinor);
}

export interface PrizeFunding {
  /** What the place is worth with the current fund (before asking whether anybody wins it). */
  amountMinor: number;
  /** Fully funded: the fund reached {@link requiredFundMinor}. */
  unlocked: boolean;
  /** Fund at which the place is fully funded; null when never (a 0 % pool share). */
  requiredFundMinor: number | null;
}

/**
 * What each prize (in the file's order) is worth for a fund (DESIGN §3.3):
 * - `unlockInOrder`: prizes in order of place (ties: file order, so every league's 1st place
 *   comes before any 2nd place) unlock while the cumulative cost fits; the first that does not fit
 *   stops the unlocking; an unlocked prize is worth its cost, a locked one 0.
 * - `proRata`: every prize is worth cost × min(1, fund / Σ cost); unlocked when fully funded.
 * - `pool`: place k is worth fund × poolPercent_k / 100; unlocked when that reaches its cost.
 * Amounts are split with the largest remainder method, so together they never exceed the fund.
 */
export function fundPrizes({
  funding,
  prizes,
  fundMinor,
}: {
  funding: Funding;
  prizes: readonly Prize[];
  fundMinor: number;
}): PrizeFunding[] {
  const totalCost = prizes.reduce((sum, prize) => sum + prize.costMinor, 0);
  switch (funding.mode) {
    case 'unlockInOrder': {
      const order = prizes
        .map((prize, index) => ({ prize, index }))
        .sort((a, b) => a.prize.place - b.prize.place || a.index - b.index);
      const result: PrizeFunding[] = prizes.map(() => ({
        amountMinor: 0,
        unlocked: false,
        requiredFundMinor: null,
      }));
      let cumulative = 0;
      let open = true;
      for (const { prize, index } of order) {
        cumulative += prize.costMinor;
        open = open && cumulative <= fundMinor;
        result[index] = {
          amountMinor: open ? prize.costMinor : 0,
          unlocked: open,
          requiredFundMinor: cumulative,
        };
      }
      return result;
    }
    case 'proRata': {
      const payable = Math.min(fundMinor, totalCost);
      const amounts = allocateProportionally({
        totalMinor: payable,
        weights: prizes.map((prize) => prize.costMinor),
      });
      return prizes.map((_prize, index) => ({
        amountMinor: amounts[index] ?? 0,
        unlocked: fundMinor >= totalCost,
        requiredFundMinor: totalCost,
      }));
    }
    case 'pool': {
      const percents = prizes.map((prize) => prize.poolPercent ?? 0);
      const percentSum = percents.reduce((sum, percent) => sum + percent, 0);
      const amounts = allocateProportionally({
        totalMinor: roundHalfAwayFromZero((fundMinor * Math.min(100, percentSum)) / 100),
        weights: percents,
      });
      return prizes.map((prize, index) => {
        const percent = percents[index] ?? 0;
        // The smallest whole fund whose share covers the cost (a threshold, not a rounding).
        const requiredFundMinor =
          percent > 0 ? Math.ceil((prize.costMinor * 100) / percent - 1e-9) : null;
        return {
          amountMinor: amounts[index] ?? 0,
          unlocked: requiredFundMinor !== null && fundMinor >= requiredFundMinor,
          requiredFundMinor,
        };
      });
    }
  }
}

export interface PrizeResult {
  place: number;
  league: string | null;
  title: string;
  costMinor: number;
  amountMinor: number;
  unlocked: boolean;
  /** What is paid: the amount, when an eligible participant holds the place; else 0. */
  paidMinor: number;
  winnerParticipantId: string | null;
  requiredFundMinor: number | null;
  /** More fund needed to unlock the place (0 when unlocked); null when never. */
  missingFundMinor: number | null;
  /** More above-plan margin needed to unlock the place (0 when unlocked); null when never. */
  missingAboveplanMarginMinor: number | null;
  /**
   * Roughly the turnover that brings {@link missingAboveplanMarginMinor} at the plan's margin rate
   * (0 when unlocked); null when never, or without a plan margin.
   */
  missingTurnoverMinor: number | null;
}

export interface BreakEven {
  /** Above-plan margin at which every prize is unlocked; null when the cap prevents it. */
  aboveplanMarginMinor: number | null;
  /** The same in turnover above plan: margin / (planMargin / planTurnover). */
  turnoverMinor: number | null;
  /** The same as a percentage of the plan turnover, 2 decimals. */
  percentOverPlan: number | null;
}

export interface FundingResult {
  planMarginMinor: number;
  planTurnoverMinor: number;
  actualMarginMinor: number;
  aboveplanMarginMinor: number;
  fundMinor: number;
  prizes: PrizeResult[];
  prizesPaidMinor: number;
  breakEven: BreakEven;
  /** (aboveplanMargin − prizes paid) / prizes paid, 4 decimals; null when nothing is paid. */
  roi: number | null;
}

export const ROI_DECIMALS = 4;

/** Fund, prizes and their winners, break-even and ROI (DESIGN §3.2–3.3). */
export function computeFunding({
  funding,
  prizes,
  planMarginMinor,
  planTurnoverMinor,
  actualMarginMinor,
  winners,
}: {
  funding: Funding;
  prizes: readonly Prize[];
  planMarginMinor: number;
  planTurnoverMinor: number;
  actualMarginMinor: number;
  /** Winner of each prize (parallel to `prizes`): the eligible participant holding the place. */
  winners: readonly (string | null)[];
}): FundingResult {
  const aboveplanMarginMinor = computeAboveplanMargin({ planMarginMinor, actualMarginMinor });
  const fundMinor = computeFund({ funding, aboveplanMarginMinor });
  const funded = fundPrizes({ funding, prizes, fundMinor });
  const missingMargin = (requiredFundMinor: number | null): number | null => {
    if (requiredFundMinor === null) return null;
    const needed = aboveplanMarginForFund({ funding, fundMinor: requiredFundMinor });
    return needed === null ? null : Math.max(0, needed - aboveplanMarginMinor);
  };
  const prizeResults = prizes.map((prize, index): PrizeResult => {
    const { amountMinor, unlocked, requiredFundMinor } = funded[index] ?? {
      amountMinor: 0,
      unlocked: false,
      requiredFundMinor: null,
    };
    const winnerParticipantId = winners[index] ?? null;
    const missingAboveplanMarginMinor = unlocked ? 0 : missingMargin(requiredFundMinor);
    const reachable =
      requiredFundMinor !== null &&
      (funding.capMinor === null || funding.capMinor >= requiredFundMinor);
    return {
      place: prize.place,
      league: prize.league ?? null,
      title: prize.title,
      costMinor: prize.costMinor,
      amountMinor,
      unlocked,
      paidMinor: winnerParticipantId === null ? 0 : amountMinor,
      winnerParticipantId,
      requiredFundMinor,
      missingFundMinor: unlocked
        ? 0
        : reachable
          ? Math.max(0, requiredFundMinor - fundMinor)
          : null,
      missingAboveplanMarginMinor,
      missingTurnoverMinor:
        missingAboveplanMarginMinor === null
          ? null
          : turnoverAtPlanRate({
              marginMinor: missingAboveplanMarginMinor,
              planMarginMinor,
              planTurnoverMinor,
            }),
    };
  });
  const prizesPaidMinor = prizeResults.reduce((sum, prize) => sum + prize.paidMinor, 0);
  return {
    planMarginMinor,
    planTurnoverMinor,
    actualMarginMinor,
    aboveplanMarginMinor,
    fundMinor,
    prizes: prizeResults,
    prizesPaidMinor,
    breakEven: computeBreakEven({ funding, funded, planMarginMinor, planTurnoverMinor }),
    roi:
      prizesPaidMinor === 0
        ? null
        : roundTo({
            value: (aboveplanMarginMinor - prizesPaidMinor) / prizesPaidMinor,
            decimals: ROI_DECIMALS,
          }),
  };
}

function computeBreakEven({
  funding,
  funded,
  planMarginMinor,
  planTurnoverMinor,
}: {
  funding: Funding;
  funded: readonly PrizeFunding[];
  planMarginMinor: number;
  planTurnoverMinor: number;
}): BreakEven {
  const none: BreakEven = {
    aboveplanMarginMinor: null,
    turnoverMinor: null,
    percentOverPlan: null,
  };
  let requiredFund = 0;
  for (const prize of funded) {
    if (prize.requiredFundMinor === null) return none;
    requiredFund = Math.max(requiredFund, prize.requiredFundMinor);
  }
  const aboveplanMarginMinor = aboveplanMarginForFund({ funding, fundMinor: requiredFund });
  if (aboveplanMarginMinor === null) return none;
  const turnoverMinor = turnoverAtPlanRate({
    marginMinor: aboveplanMarginMinor,
    planMarginMinor,
    planTurnoverMinor,
  });
  const percentOverPlan =
    turnoverMinor !== null && planTurnoverMinor > 0
      ? roundTo({ value: (100 * turnoverMinor) / planTurnoverMinor, decimals: 2 })
      : null;
  return { aboveplanMarginMinor, turnoverMinor, percentOverPlan };
}
