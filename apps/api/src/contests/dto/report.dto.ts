import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { ContestReport } from '../contest-report.js';
import { clawbackViewSchema, type ClawbackView } from './clawback.dto.js';

/** `GET /api/contests/:id/report`: the report frozen at the close, and the clawbacks since. */
export type ContestReportView = ContestReport & {
  readonly contestId: string;
  readonly closedAt: string;
  readonly seq: number;
  readonly clawbacks: readonly ClawbackView[];
};

const nullableInt = z.int().nullable();

export const contestReportViewSchema = documents<ContestReportView>()(
  z.object({
    contestId: z.string(),
    closedAt: z.string(),
    seq: z.int(),
    currency: z.string(),
    planMarginMinor: z.int(),
    actualMarginMinor: z.int(),
    aboveplanMarginMinor: z.int(),
    fundMinor: z.int(),
    prizesPaidMinor: z.int(),
    prizes: z.array(
      z.object({
        place: z.int(),
        league: z.string().nullable(),
        title: z.string(),
        costMinor: z.int(),
        amountMinor: z.int(),
        unlocked: z.boolean(),
        paidMinor: z.int(),
        winnerParticipantId: z.string().nullable(),
        requiredFundMinor: nullableInt,
        missingFundMinor: nullableInt,
        missingAboveplanMarginMinor: nullableInt,
        missingTurnoverMinor: nullableInt,
      }),
    ),
    roi: z.number().nullable(),
    baselineMarginMinor: nullableInt,
    incrementalMarginMinor: nullableInt,
    incrementalRoi: z.number().nullable(),
    clawbacks: z.array(clawbackViewSchema),
  }),
);
