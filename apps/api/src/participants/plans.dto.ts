import { z } from 'zod';
import { participantIdSchema } from './dto/participant.dto.js';
import { MAX_HISTORY_MONTHS, replaceHistoryIssues } from './dto/history.dto.js';

/** Counts are `integer` columns. */
const count = z.int().min(0).max(2_147_483_647).optional();
/** bigint columns; the API keeps money within safe integers so a JSON number stays exact. */
const minor = z.int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/**
 * One month's plan of one participant: what a contest built from the database sums over the
 * months of its period (money in minor units). Deals and new clients are optional: no plan for
 * them means the criterion falls back to the history's mean.
 */
export const planMonthSchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month YYYY-MM' }),
  turnoverMinor: minor.min(0),
  marginMinor: minor,
  deals: count,
  newClients: count,
});
export type PlanMonth = z.output<typeof planMonthSchema>;

export const replacePlansSchema = z.array(planMonthSchema).max(MAX_HISTORY_MONTHS);
export type ReplacePlansDto = z.output<typeof replacePlansSchema>;

/** A month given twice (the same rule as history). */
export const replacePlansIssues = replaceHistoryIssues;

/** A plan row of any participant, as imports write them. */
export const planRowSchema = z.strictObject({
  participantId: participantIdSchema,
  ...planMonthSchema.shape,
});
export type PlanRow = z.output<typeof planRowSchema>;
