import type { HistoryMonth } from './contest-file.schema.js';
import { parseInstant } from './period.js';

/*
 * The plan a contest proposes for a participant from the database: the stored monthly plans of
 * its period, and the history's monthly mean where none is stored. The simulator's "participants
 * from the database" and the server's monthly repeat both propose plans here.
 */

/** A proposed plan, money in whole currency units (a plan is a target, not an accounting figure). */
export interface ProposedPlan {
  turnover: number | null;
  margin: number | null;
  deals: number | null;
  newClients: number | null;
  /** The historical average check, in currency units with cents. */
  avgCheck: number | null;
  /** The historical conversion, in percent. */
  conversion: number | null;
}

/** One stored month of a participant's plan (`GET /api/participants/:id/plans`). */
export interface StoredPlanMonth {
  month: string;
  turnoverMinor: number;
  marginMinor: number;
  deals?: number | undefined;
  newClients?: number | undefined;
}

/**
 * The default plan for the contest: the monthly mean of the history × the contest's months
 * (turnover, margin, deals, new clients), and the historical average check and conversion.
 */
export function planFromHistory(history: readonly HistoryMonth[], months: number): ProposedPlan {
  const n = history.length;
  const sum = (pick: (month: HistoryMonth) => number | undefined) =>
    history.reduce((total, month) => total + (pick(month) ?? 0), 0);
  const has = (pick: (month: HistoryMonth) => number | undefined) =>
    history.some((month) => pick(month) !== undefined);
  const perContest = (total: number) => (n === 0 ? 0 : (total / n) * months);
  const turnover = sum((month) => month.turnoverMinor);
  const deals = sum((month) => month.deals);
  const leads = sum((month) => month.leads);
  return {
    turnover: Math.round(perContest(turnover) / 100),
    margin: Math.round(perContest(sum((month) => month.marginMinor)) / 100),
    deals: has((month) => month.deals) ? Math.round(perContest(deals) * 10) / 10 : null,
    newClients: has((month) => month.newClients)
      ? Math.round(perContest(sum((month) => month.newClients)) * 10) / 10
      : null,
    avgCheck: deals > 0 ? Math.round(turnover / deals) / 100 : null,
    conversion: leads > 0 ? Math.round((1000 * deals) / leads) / 10 : null,
  };
}

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
  plans: readonly StoredPlanMonth[];
  history: readonly HistoryMonth[];
  period: { start: string; end: string };
  months: number;
}): ProposedPlan {
  const fallback = planFromHistory(history, months);
  const covered = periodMonths(period);
  const byMonth = new Map(plans.map((plan) => [plan.month, plan]));
  if (covered.length === 0 || !covered.some(({ month }) => byMonth.has(month))) return fallback;
  const perMonth = (total: number | null) =>
    total === null || months === 0 ? null : total / months;
  const sum = (
    stored: (plan: StoredPlanMonth) => number | undefined,
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
    turnover: turnover === null ? null : Math.round(turnover),
    margin: margin === null ? null : Math.round(margin),
    deals: deals === null ? null : Math.round(deals * 10) / 10,
    newClients: newClients === null ? null : Math.round(newClients * 10) / 10,
  };
}
