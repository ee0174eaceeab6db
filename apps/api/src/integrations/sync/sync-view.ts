import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { SyncState } from './crm-sync.repository.js';
import { intervalMinutesOf, nextDueAt, type SyncRun } from './crm-sync.service.js';

/** A CRM integration's pull sync as the admin sees it (`sync` of `GET /api/integrations`). */
export interface SyncView {
  readonly lastStartedAt: string | null;
  readonly lastFinishedAt: string | null;
  readonly outcome: 'ok' | 'failed' | null;
  readonly error: string | null;
  readonly consecutiveFailures: number;
  readonly read: number;
  readonly applied: number;
  readonly failures: readonly { dealId: string; reason: string }[];
  readonly intervalMinutes: number;
  /** When the next scheduled sync is due; null for a revoked integration (never synced again). */
  readonly nextDueAt: string | null;
}

export function syncView(
  integration: { settings: Record<string, unknown>; revokedAt: Date | null },
  state: SyncState | null,
  now: Date,
): SyncView {
  const minutes = intervalMinutesOf(integration.settings);
  return {
    lastStartedAt: state?.lastStartedAt?.toISOString() ?? null,
    lastFinishedAt: state?.lastFinishedAt?.toISOString() ?? null,
    outcome: state?.outcome ?? null,
    error: state?.lastError ?? null,
    consecutiveFailures: state?.consecutiveFailures ?? 0,
    read: state?.dealsRead ?? 0,
    applied: state?.dealsApplied ?? 0,
    failures: state?.failures ?? [],
    intervalMinutes: minutes,
    nextDueAt: integration.revokedAt === null ? nextDueAt(state, minutes, now).toISOString() : null,
  };
}

const failure = z.object({ dealId: z.string(), reason: z.string() });
const outcome = z.enum(['ok', 'failed']);

export const syncViewSchema = documents<SyncView>()(
  z.object({
    lastStartedAt: z.string().nullable(),
    lastFinishedAt: z.string().nullable(),
    outcome: outcome.nullable(),
    error: z.string().nullable(),
    consecutiveFailures: z.int(),
    read: z.int(),
    applied: z.int(),
    failures: z.array(failure),
    intervalMinutes: z.int(),
    nextDueAt: z.string().nullable(),
  }),
);

export const syncRunSchema = documents<SyncRun>()(
  z.object({
    outcome,
    read: z.int(),
    applied: z.int(),
    failures: z.array(failure),
    error: z.string().nullable(),
    cursor: z
      .object({
        modifiedSince: z.string(),
        extra: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      })
      .nullable(),
    startedAt: z.string(),
    finishedAt: z.string(),
  }),
);

/** A CRM integration whose syncs keep failing: the contest page's alert. */
export interface SyncAlert {
  readonly integrationId: string;
  readonly name: string;
  readonly kind: string;
  readonly consecutiveFailures: number;
  readonly error: string | null;
  readonly lastFinishedAt: string | null;
}

export const syncAlertSchema = documents<SyncAlert>()(
  z.object({
    integrationId: z.string(),
    name: z.string(),
    kind: z.string(),
    consecutiveFailures: z.int(),
    error: z.string().nullable(),
    lastFinishedAt: z.string().nullable(),
  }),
);
