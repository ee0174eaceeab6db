import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

export const clawbackIdSchema = z.coerce
  .number({ error: 'must be a clawback id (a positive integer)' })
  .int({ error: 'must be a clawback id (a positive integer)' })
  .min(1, { error: 'must be a clawback id (a positive integer)' })
  .max(Number.MAX_SAFE_INTEGER);

export const clawbackDecisions = ['recover', 'waive'] as const;
export type ClawbackDecision = (typeof clawbackDecisions)[number];

export const clawbackDecisionSchema = z.strictObject({
  decision: z.enum(clawbackDecisions),
  note: z.string().trim().min(1).max(1000),
});
export type ClawbackDecisionBody = z.infer<typeof clawbackDecisionSchema>;

/** A prize place held, with what it paid. */
export interface HeldPrize {
  readonly place: number;
  readonly league: string | null;
  readonly title: string;
  readonly paidMinor: number;
}

/**
 * What the cancellation would have changed, from the library's evaluation of the contest's events
 * without and with the reversal: the participant's rank, points and prize, the fund and each prize.
 */
export interface ClawbackImpact {
  readonly rankBefore: number;
  readonly rankAfter: number;
  readonly pointsBefore: number;
  readonly pointsAfter: number;
  readonly prizeBefore: HeldPrize | null;
  readonly prizeAfter: HeldPrize | null;
  readonly fundBeforeMinor: number;
  readonly fundAfterMinor: number;
  readonly prizes: readonly {
    readonly place: number;
    readonly league: string | null;
    readonly title: string;
    readonly amountBeforeMinor: number;
    readonly amountAfterMinor: number;
    readonly unlockedBefore: boolean;
    readonly unlockedAfter: boolean;
    readonly winnerBefore: string | null;
    readonly winnerAfter: string | null;
  }[];
}

export interface ClawbackView {
  readonly id: number;
  readonly participantId: string;
  readonly participantName: string;
  readonly source: string;
  readonly saleExternalId: string;
  readonly saleOccurredAt: string;
  readonly amountMinor: number;
  readonly marginMinor: number;
  readonly reversalExternalId: string;
  /** When the reversal says the sale was cancelled. */
  readonly cancelledAt: string;
  readonly recordedAt: string;
  readonly decision: ClawbackDecision | null;
  readonly note: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly wouldHave: ClawbackImpact;
}

const heldPrize = z
  .object({ place: z.int(), league: z.string().nullable(), title: z.string(), paidMinor: z.int() })
  .nullable();

export const clawbackViewSchema = documents<ClawbackView>()(
  z.object({
    id: z.int(),
    participantId: z.string(),
    participantName: z.string(),
    source: z.string(),
    saleExternalId: z.string(),
    saleOccurredAt: z.string(),
    amountMinor: z.int(),
    marginMinor: z.int(),
    reversalExternalId: z.string(),
    cancelledAt: z.string(),
    recordedAt: z.string(),
    decision: z.enum(clawbackDecisions).nullable(),
    note: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    wouldHave: z.object({
      rankBefore: z.int(),
      rankAfter: z.int(),
      pointsBefore: z.number(),
      pointsAfter: z.number(),
      prizeBefore: heldPrize,
      prizeAfter: heldPrize,
      fundBeforeMinor: z.int(),
      fundAfterMinor: z.int(),
      prizes: z.array(
        z.object({
          place: z.int(),
          league: z.string().nullable(),
          title: z.string(),
          amountBeforeMinor: z.int(),
          amountAfterMinor: z.int(),
          unlockedBefore: z.boolean(),
          unlockedAfter: z.boolean(),
          winnerBefore: z.string().nullable(),
          winnerAfter: z.string().nullable(),
        }),
      ),
    }),
  }),
);
