import { bearer, client, ok, type Schemas } from '../api/client.js';

/** `GET /api/contests/:id/rules`: the rules every reader of the contest may see. */
export type ContestRulesView = Schemas['ContestRules'];

/**
 * The rules of a contest, read with `token` (a display's or a personal link's) or, without one,
 * as the signed-in user.
 */
export function loadRules(contestId: string, token: string | null): Promise<ContestRulesView> {
  return ok(
    client.GET('/api/contests/{id}/rules', {
      params: { path: { id: contestId } },
      ...(token === null ? {} : { headers: bearer(token) }),
    }),
  );
}
