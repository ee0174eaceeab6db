import type { Criterion } from '../rules/contest-file.schema.js';

/** Why a criterion's figure is no secret when a contest hides amounts. */
export type RecomputableReason =
  /** The only criterion: total points = weight × normalized value. */
  | 'soleCriterion'
  /**
   * A count (deals, new clients) worth more points per unit than every other criterion can add
   * together (each of them capped): the total, divided by that step, gives the count back.
   */
  | 'dominantCount'
  /** Deals: every deal is celebrated by name on the TV and phones, so anyone can count them. */
  | 'dealCelebrations';

export interface RecomputableCriterion {
  /** Index into the contest's `criteria`. */
  readonly index: number;
  readonly reason: RecomputableReason;
  /**
   * What comes back: the raw `value` (an amount or a count; up to the cap when there is one), or
   * only the `normalized` figure (% of plan, % growth: the amount needs the participant's plan or
   * history, which a viewer without the figures does not get).
   */
  readonly reveals: 'value' | 'normalized';
}

type RuleCriterion = Pick<Criterion, 'metric' | 'basis' | 'unit' | 'weight' | 'cap' | 'floor'>;

/** Metrics that are whole counts: one more of them is one step of points. */
const COUNT_METRICS = new Set<Criterion['metric']>(['deals', 'newClients']);

/** The least normalized value a criterion can score without a floor. */
const lowestNormalized = (criterion: RuleCriterion) =>
  criterion.floor ?? (criterion.basis === 'growth' ? -100 : 0);

/**
 * Which criteria a viewer can recompute for another participant from what a contest that hides
 * amounts still shows: each participant's total points (and how it moves), and the deal
 * celebrations. Per-criterion figures themselves are never shown (the API's redaction).
 *
 * The decision: a total is one equation. With one criterion it gives that criterion back. With
 * several it gives none back in general (many splits give the same total) — except a whole count
 * whose step of points (weight / unit) is larger than the whole range every other criterion can
 * span, which needs all of them capped. Deals are counted from the celebrations whatever the
 * points say. Finer inferences (from how the total moves with each celebrated deal) are not
 * claimed here: the warning is about figures anyone can read off, not about every inference.
 */
export function recomputableWhenHidden({
  criteria,
}: {
  criteria: readonly RuleCriterion[];
}): RecomputableCriterion[] {
  const reveals = (criterion: RuleCriterion) =>
    criterion.basis === 'absolute' ? ('value' as const) : ('normalized' as const);
  if (criteria.length === 1) {
    const [only] = criteria as [RuleCriterion];
    return [{ index: 0, reason: 'soleCriterion', reveals: reveals(only) }];
  }
  const found: RecomputableCriterion[] = [];
  criteria.forEach((criterion, index) => {
    if (COUNT_METRICS.has(criterion.metric) && criterion.basis === 'absolute') {
      const step = criterion.weight / (criterion.unit ?? 1);
      let othersRange = 0;
      for (const [other, each] of criteria.entries()) {
        if (other === index) continue;
        othersRange +=
          each.cap === undefined ? Infinity : each.weight * (each.cap - lowestNormalized(each));
      }
      if (step > othersRange) {
        found.push({ index, reason: 'dominantCount', reveals: 'value' });
        return;
      }
    }
    if (criterion.metric === 'deals') {
      found.push({ index, reason: 'dealCelebrations', reveals: 'value' });
    }
  });
  return found;
}
