import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { ContestSummary } from '../contests.service.js';

const contestStates = ['draft', 'scheduled', 'live', 'closing', 'closed'] as const;

/** What `GET /api/contests` lists and `GET /api/contests/:id` answers, for the document. */
export const contestSummarySchema = documents<ContestSummary>()(
  z.object({
    id: z.string(),
    name: z.string(),
    state: z.enum(contestStates),
    currency: z.string(),
    period: z.object({ start: z.string(), end: z.string() }),
    graceDays: z.int(),
    showAmounts: z.boolean(),
    seq: z.int(),
    participants: z.int(),
    prizes: z.array(
      z.object({
        place: z.int(),
        league: z.string().nullable(),
        title: z.string(),
        costMinor: z.int(),
        hasImage: z.boolean().optional(),
      }),
    ),
    launchedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    approval: z
      .object({
        verdict: z.enum(['balanced', 'unbalanced']),
        approvedAt: z.string(),
        approvedBy: z.string(),
        simulationId: z.string().nullable(),
        current: z.boolean().meta({ description: 'The rules are the ones the simulation judged' }),
      })
      .nullable()
      .optional()
      .meta({ description: 'Staff only: the approved simulation and its fairness verdict' }),
    repeatMonthly: z
      .boolean()
      .optional()
      .meta({ description: "Staff only: the next month's draft is made once the period ends" }),
  }),
);

/** The answer to creating a contest, and to moving it to another state (launch, close…). */
export const createdContestSchema = z.object({ id: z.string(), state: z.enum(contestStates) });
