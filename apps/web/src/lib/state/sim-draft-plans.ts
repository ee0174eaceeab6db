import {
  monthsBetween,
  parseInstant,
  planFromHistory as proposeFromHistory,
  type HistoryMonth,
} from '@podium/contest-model';
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

/** The default plan for the contest from the history (the library's rule), as a draft. */
export function planFromHistory(history: readonly HistoryMonth[], months: number): PlanDraft {
  return { ...proposeFromHistory(history, months), products: undefined, counters: undefined };
}
