import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

export const reconciliationQuerySchema = z.strictObject({
  contestId: z.uuid({ error: 'must be a contest id (UUID)' }),
});

/**
 * Why a won deal the CRM reported and a sale the contest counts do not match: held (`unmapped`,
 * `currency`, `margin`), its read from the CRM failed, won outside the period or outside the
 * counted pipelines, counted for a seller the contest does not have, or counted while the CRM no
 * longer reports it won (cancelled after the contest closed: see its clawbacks).
 */
export const differenceReasons = [
  'unmapped',
  'currency',
  'margin',
  'failedRead',
  'outsidePeriod',
  'outsidePipeline',
  'notInContest',
  'notWonInCrm',
] as const;
export type DifferenceReason = (typeof differenceReasons)[number];

export interface ReconciliationSide {
  readonly count: number;
  /** In the contest's currency; deals in another currency are counted but not summed. */
  readonly amountMinor: number;
}

export interface ReconciliationDifference {
  readonly dealId: string;
  readonly reason: DifferenceReason;
  readonly detail: string;
  readonly crmUserId: string | null;
  readonly participantId: string | null;
  readonly wonAt: string | null;
  readonly amountMinor: number | null;
  readonly currency: string | null;
}

export interface ReconciliationView {
  readonly integrationId: string;
  readonly contestId: string;
  readonly contestName: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly currency: string;
  /** Won deals the CRM reported for the period (counted pipelines or not). */
  readonly crm: ReconciliationSide;
  /**
   * Deals of this integration the contest counts (a deal counted per product row is one) and the
   * amount of their sales.
   */
  readonly podium: ReconciliationSide;
  readonly differences: readonly ReconciliationDifference[];
}

const side = z.object({ count: z.int(), amountMinor: z.int() });

export const reconciliationViewSchema = documents<ReconciliationView>()(
  z.object({
    integrationId: z.string(),
    contestId: z.string(),
    contestName: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    currency: z.string(),
    crm: side,
    podium: side,
    differences: z.array(
      z.object({
        dealId: z.string(),
        reason: z.enum(differenceReasons),
        detail: z.string(),
        crmUserId: z.string().nullable(),
        participantId: z.string().nullable(),
        wonAt: z.string().nullable(),
        amountMinor: z.int().nullable(),
        currency: z.string().nullable(),
      }),
    ),
  }),
);
