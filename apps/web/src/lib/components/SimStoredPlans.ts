import { parseInstant, type HistoryMonth } from '@podium/contest-model';
import type { Schemas } from '../api/client.js';
import { planFromHistory } from '../state/sim-draft-plans.js';
import type { PlanDraft } from '../state/sim-draft-types.js';

/*
 * The simulator's plan from the database's monthly plans (`GET /api/participants/:id/plans`),
 * for a contest period that may cover months only in part.
 */

/** A stored monthly plan (`GET /api/participants/:id/plans`). */
type StoredPlan = Schemas['PlanMonth'];

/** Each calendar month the period touches, with the share of it inside the period. */
export function periodMonths({ start, end }: { start: string; end: string }): {
  month: string;
  share: number;
}[] {
  let startMs: number;
  let endMs: number;
  try {
    startMs = parseInstant(start);
    endMs = parseInstant(end);
  } catch {
    return [];
  }
  const months: { month: string; share: number }[] = [];
  const cursor = new Date(startMs);
  let from = Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth(), 1);
  while (from < endMs && months.length < 1200) {
    const date = new Date(from);
    const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    const inside = Math.min(to, endMs) - Math.max(from, startMs);
    months.push({
      month: `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`,
      share: inside / (to - from),
    });
    from = to;
  }
  return months;
}

/**
 * The contest's plan from the database: the stored plan of each month of the period (a month
 * the period only partly covers counts by that share), and for a month without one the history's
 * monthly mean, as before plans were stored. Average check and conversion stay historical.
 */
export function planFromStored({
  plans,
  history,
  period,
  months,
}: {
  plans: readonly StoredPlan[];
  history: readonly HistoryMonth[];
  period: { start: string; end: string };
  months: number;
}): PlanDraft {
  const fallback = planFromHistory(history, months);
  const covered = periodMonths(period);
  const byMonth = new Map(plans.map((plan) => [plan.month, plan]));
  if (covered.length === 0 || !covered.some(({ month }) => byMonth.has(month))) return fallback;
  const perMonth = (total: number | null) =>
    total === null || months === 0 ? null : total / months;
  const sum = (
    stored: (plan: StoredPlan) => number | undefined,
    mean: number | null,
    scale: number,
  ): number | null => {
    let total = 0;
    for (const { month, share } of covered) {
      const plan = byMonth.get(month);
      const value = plan === undefined ? undefined : stored(plan);
      if (value !== undefined) total += (value / scale) * share;
      else if (mean !== null) total += mean * share;
      else return null;
    }
    return total;
  };
  const turnover = sum((plan) => plan.turnoverMinor, perMonth(fallback.turnover ?? 0), 100);
  const margin = sum((plan) => plan.marginMinor, perMonth(fallback.margin ?? 0), 100);
  const deals = sum((plan) => plan.deals, perMonth(fallback.deals), 1);
  const newClients = sum((plan) => plan.newClients, perMonth(fallback.newClients), 1);
  return {
    ...fallback,
    // Whole currency units, as planFromHistory: a plan is a target, not an accounting figure.
    turnover: turnover === null ? null : Math.round(turnover),
    margin: margin === null ? null : Math.round(margin),
    deals: deals === null ? null : Math.round(deals * 10) / 10,
    newClients: newClients === null ? null : Math.round(newClients * 10) / 10,
  };
}
