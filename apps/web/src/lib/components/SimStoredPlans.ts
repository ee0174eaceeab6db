import { planFromStored as propose, type HistoryMonth } from '@podium/contest-model';
import type { Schemas } from '../api/client.js';
import type { PlanDraft } from '../state/sim-draft-types.js';

/*
 * The simulator's plan from the database's monthly plans (`GET /api/participants/:id/plans`),
 * for a contest period that may cover months only in part: the library's rule, which the
 * server's monthly repeat proposes its plans with too.
 */

/** The contest's plan from the database, as a draft (see `planFromStored` of the library). */
export function planFromStored(input: {
  plans: readonly Schemas['PlanMonth'][];
  history: readonly HistoryMonth[];
  period: { start: string; end: string };
  months: number;
}): PlanDraft {
  return { ...propose(input), products: undefined, counters: undefined };
}
