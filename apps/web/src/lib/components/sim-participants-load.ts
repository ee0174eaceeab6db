import type { HistoryMonth } from '@podium/contest-model';
import { client, ok, type Schemas } from '../api/client.js';
import type { SimDraft } from '../state/sim-draft.svelte.js';
import type { ParticipantDraft } from '../state/sim-draft-types.js';
import { planFromStored } from './SimStoredPlans.js';

/** Requests in flight at once while reading each participant's history and plans. */
const PARALLEL = 6;

/**
 * The stored participants (of `team`, or all) as the simulator's drafts: their history, and
 * a plan from the stored monthly plans of the period (months without one take the history's
 * mean).
 */
export async function participantsFromDatabase(
  draft: SimDraft,
  team: string,
): Promise<ParticipantDraft[]> {
  const query = { limit: 1000, ...(team ? { team } : {}) };
  const page = await ok(client.GET('/api/participants', { params: { query } }));
  const histories: Record<string, HistoryMonth[]> = {};
  const plans: Record<string, Schemas['PlanMonth'][]> = {};
  const queue = [...page.items];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const params = { path: { id: next.id } };
        [histories[next.id], plans[next.id]] = await Promise.all([
          ok(client.GET('/api/participants/{id}/history', { params })),
          ok(client.GET('/api/participants/{id}/plans', { params })),
        ]);
      }
    }),
  );
  const period = { start: draft.rules.start, end: draft.rules.end };
  return page.items.map((item): ParticipantDraft => {
    const history = histories[item.id] ?? [];
    return {
      id: item.id,
      name: item.name,
      team: item.team ?? '',
      role: item.role,
      hiredOn: item.hiredOn ?? '',
      isNewcomer: item.isNewcomer,
      league: item.league ?? '',
      plan: planFromStored({ plans: plans[item.id] ?? [], history, period, months: draft.months }),
      history,
      stats: undefined,
    };
  });
}

/** The team names to pick from; none when they cannot be read. */
export async function teamNames(): Promise<string[]> {
  try {
    return (await ok(client.GET('/api/teams'))).map((each) => each.name);
  } catch {
    return [];
  }
}
