/**
 * Routes with a request budget per principal (per user, display or API key; per address for
 * anonymous callers), enforced by the guard after the access table: over budget answers 429 with
 * `Retry-After`. Keyed like the access table.
 */
export const ROUTE_RATE_LIMITS: Readonly<
  Record<string, { readonly limit: number; readonly windowMs: number }>
> = {
  // Generous: a CRM replaying a backlog posts batches of up to 1,000 events per request, and
  // integrations that post deal by deal run many requests at once. The budget stops a runaway
  // loop, not a busy sales floor: 1,000 requests a second per key, averaged over a minute.
  'POST /api/events': { limit: 60_000, windowMs: 60_000 },
  // Guessing a personal link: 30 tries a minute per address is plenty for a phone opening its
  // own link, and nothing for an attacker against 256-bit tokens.
  'POST /api/personal-links/open': { limit: 30, windowMs: 60_000 },
};
