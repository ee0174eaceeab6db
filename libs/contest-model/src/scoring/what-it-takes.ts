import { measureKey } from '../metrics/participant-metrics.js';
import type { Contest } from '../rules/contest.js';
import type { MetricName } from '../rules/contest-file.schema.js';
import type { ParticipantState } from './replay.js';
import { scoreParticipant, type ParticipantScore } from './score-participant.js';

/** The prize place a participant is measured against. */
export type PrizeTarget =
  /** No prize places for the participant's league. */
  | { kind: 'none' }
  /** The participant holds this place now. */
  | { kind: 'held'; place: number; league: string | null }
  /**
   * The lowest prize place of their league; `points` is the total of the eligible participant
   * holding it, null when the place is free (being eligible is enough).
   */
  | { kind: 'reach'; place: number; league: string | null; points: number | null };

export interface CriterionWhatItTakes {
  metric: MetricName;
  product?: string;
  name?: string;
  /**
   * The smallest extra amount of this criterion's metric, alone, that puts the participant's
   * points strictly above the participant one rank up; null when there is nobody above or no
   * amount of this metric can do it (a cap, a gate on another metric, a ratio below its sample).
   */
  toNextPlace: number | null;
  /** The same for holding the lowest prize place of their league (eligible, strictly above its
   * holder); 0 when they already hold a prize place; null when impossible or there is no prize. */
  toPrize: number | null;
}

export interface WhatItTakes {
  nextPlace: { participantId: string; points: number } | null;
  prize: { place: number; league: string | null; held: boolean; points: number | null } | null;
  criteria: CriterionWhatItTakes[];
}

/**
 * "What it takes" (DESIGN §3.4), per criterion: the amount is in the metric's own units — minor
 * units for turnover, margin, product turnover and average check (how much the average check must
 * rise), a count for deals, new clients, units and counters, and additional won deals (on the same
 * leads) for conversion. Only that metric changes; every criterion and gate reading it is
 * re-scored with the real scoring code, so caps, floors, gates and minimum samples all apply.
 * Points are non-decreasing in each amount, so the smallest amount is found by bisection.
 */
export function computeWhatItTakes({
  contest,
  state,
  nextUp,
  prizeTarget,
}: {
  contest: Contest;
  state: ParticipantState;
  nextUp: { participantId: string; points: number } | null;
  prizeTarget: PrizeTarget;
}): WhatItTakes {
  const criteria = contest.criteria.map((criterion): CriterionWhatItTakes => {
    const key = measureKey(criterion);
    const smallest = (goal: (score: ParticipantScore) => boolean): number | null =>
      smallestAmount((amount) =>
        goal(
          scoreParticipant({
            contest,
            participant: state.participant,
            metrics: state.metrics,
            adjustment: { measureKey: key, amount },
          }),
        ),
      );
    const toNextPlace = nextUp === null ? null : smallest((score) => score.points > nextUp.points);
    let toPrize: number | null;
    switch (prizeTarget.kind) {
      case 'none':
        toPrize = null;
        break;
      case 'held':
        toPrize = 0;
        break;
      case 'reach': {
        const threshold = prizeTarget.points;
        toPrize = smallest(
          (score) => score.eligible && (threshold === null || score.points > threshold),
        );
        break;
      }
    }
    return {
      metric: criterion.metric,
      ...(criterion.product === undefined ? {} : { product: criterion.product }),
      ...(criterion.name === undefined ? {} : { name: criterion.name }),
      toNextPlace,
      toPrize,
    };
  });
  return {
    nextPlace: nextUp,
    prize:
      prizeTarget.kind === 'none'
        ? null
        : {
            place: prizeTarget.place,
            league: prizeTarget.league,
            held: prizeTarget.kind === 'held',
            points: prizeTarget.kind === 'reach' ? prizeTarget.points : null,
          },
    criteria,
  };
}

/** Smallest positive integer for which a monotone predicate holds; null when none (≤ 2^53−1). */
function smallestAmount(ok: (amount: number) => boolean): number | null {
  const max = Number.MAX_SAFE_INTEGER;
  if (!ok(max)) return null;
  let high = 1;
  while (high < max && !ok(high)) high = Math.min(max, high * 2);
  let low = Math.floor(high / 2) + 1;
  if (high === 1) return 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (ok(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
