import type { EntityManager } from 'typeorm';

/** An amoCRM lead of a webhook that was not applied, and why. */
export interface FailedAmocrmLead {
  /** The lead id, or the form key of a lead whose id is unreadable. */
  readonly dealId: string;
  /** The webhook it came in: `leads[status]`, `leads[update]` … */
  readonly event: string;
  readonly reason: string;
}

/**
 * Records leads a webhook named but Podium could not apply, in the caller's transaction, beside
 * the CRM reads that failed (`crm_fetch_jobs`, state `failed`): the admin finds them all in the
 * integration's detail (`GET /api/integrations/:id/held`, `failedFetches`). The webhook is
 * answered 2xx all the same: amoCRM would otherwise re-send the whole batch, good leads included,
 * and finally switch the webhook off.
 */
export async function recordFailedLeads(
  manager: EntityManager,
  integrationId: string,
  failures: readonly FailedAmocrmLead[],
  now: Date,
): Promise<void> {
  if (failures.length === 0) return;
  await manager.query(
    `INSERT INTO crm_fetch_jobs (integration_id, deal_id, event, state, attempts, last_error,
       received_at, finished_at)
     SELECT $1, f.deal_id, f.event, 'failed', 1, f.reason, $4, $4
       FROM unnest($2::text[], $3::text[], $5::text[]) AS f(deal_id, event, reason)`,
    [
      integrationId,
      failures.map((failure) => failure.dealId),
      failures.map((failure) => failure.event),
      now,
      failures.map((failure) => failure.reason.slice(0, 1_000)),
    ],
  );
}
