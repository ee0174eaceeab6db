import { addUtcMonths, roundHalfAwayFromZero } from '@podium/contest-model';

/**
 * The plan's margin up to `asOfMs` from stored monthly plans (DESIGN §3.7): the contest's months
 * are consecutive calendar-month steps from its start (the last one cut at its end), each
 * participant's plan of a step is the stored plan of the month it starts in, and the step holding
 * `asOfMs` counts for its elapsed share. Undefined unless every participant has a stored plan for
 * every step: then the contest's own plan × the elapsed share of the period stands (the model's
 * default).
 */
export function planMarginToDate({
  startMs,
  endMs,
  asOfMs,
  participantIds,
  plans,
}: {
  startMs: number;
  endMs: number;
  asOfMs: number;
  participantIds: readonly string[];
  plans: readonly { participantId: string; month: string; marginMinor: number }[];
}): number | undefined {
  const byKey = new Map(plans.map((plan) => [`${plan.participantId}|${plan.month}`, plan]));
  let total = 0;
  for (let step = 0; ; step += 1) {
    const from = addUtcMonths({ ms: startMs, months: step });
    if (from >= endMs) break;
    const to = Math.min(addUtcMonths({ ms: startMs, months: step + 1 }), endMs);
    const share = Math.min(1, Math.max(0, (asOfMs - from) / (to - from)));
    const month = new Date(from).toISOString().slice(0, 7);
    for (const participantId of participantIds) {
      const plan = byKey.get(`${participantId}|${month}`);
      if (plan === undefined) return undefined;
      total += plan.marginMinor * share;
    }
  }
  return roundHalfAwayFromZero(total);
}
