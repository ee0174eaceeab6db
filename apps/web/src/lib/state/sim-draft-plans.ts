import { monthsBetween, parseInstant, type HistoryMonth } from '@podium/contest-model';
import type { PlanDraft, RulesDraft } from './sim-draft-types.js';

/** Contest length in months (fractional), or 1 while the period is not valid yet. */
export function contestMonths(rules: Pick<RulesDraft, 'start' | 'end'>): number {
  try {
    const startMs = parseInstant(rules.start);
    const endMs = parseInstant(rules.end);
    if (!(endMs > startMs)) return 1;
    return monthsBetween({ startMs, endMs });
  } catch {
    return 1;
  }
}

/**
 * The default plan for the contest: the monthly mean of the history × the contest's months
 * (turnover, margin, deals, new clients), and the historical average check and conversion.
 */
export function planFromHistory(history: readonly HistoryMonth[], months: number): PlanDraft {
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
    // Whole currency units: a plan is a target, not an accounting figure.
    turnover: Math.round(perContest(turnover) / 100),
    margin: Math.round(perContest(sum((month) => month.marginMinor)) / 100),
    deals: has((month) => month.deals) ? Math.round(perContest(deals) * 10) / 10 : null,
    newClients: has((month) => month.newClients)
      ? Math.round(perContest(sum((month) => month.newClients)) * 10) / 10
      : null,
    avgCheck: deals > 0 ? Math.round(turnover / deals) / 100 : null,
    conversion: leads > 0 ? Math.round((1000 * deals) / leads) / 10 : null,
    products: undefined,
    counters: undefined,
  };
}
