import {
  CONTEST_STATES,
  contestFileSchema,
  planSchema,
  scenarioSchema,
} from '@podium/contest-model';
import { z } from 'zod';

export const contestIdSchema = z.uuid({ error: 'must be a contest id (UUID)' });

/** The lifecycle's states, from the contest-model state machine. */
export const contestStates = CONTEST_STATES;

export const listContestsQuerySchema = z.strictObject({
  state: z.enum(contestStates).optional(),
});

/** `POST /api/contests` and `PUT /api/contests/:id`: the contest file of DESIGN §10. */
export const createContestSchema = contestFileSchema;

/** What stays editable once live: texts and presentation, never the rules. */
export const updateContestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2_000).optional(),
    graceDays: z.int().min(0).max(60).optional(),
    showAmounts: z.boolean().optional(),
    prizeTitles: z
      .array(
        z.strictObject({
          place: z.int().min(1),
          league: z.string().min(1).optional(),
          title: z.string().trim().min(1).max(200),
        }),
      )
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });
export type UpdateContest = z.infer<typeof updateContestSchema>;

export const plansBodySchema = z.record(z.string().min(1), planSchema);
export type PlansBody = z.infer<typeof plansBodySchema>;

export const approveScenarioSchema = z.strictObject({
  scenario: scenarioSchema,
  /** The no-contest baseline forecast (simulation with uplift 0): expected margin of the period. */
  baselineMarginMinor: z.int().min(0).nullable().default(null),
  simulationId: z.string().min(1).optional(),
});
export type ApproveScenario = z.infer<typeof approveScenarioSchema>;

export const correctionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('reverse'),
    eventId: z
      .int()
      .min(1)
      .meta({ description: 'The stored event (sale, lead, counter) to cancel.' }),
    reason: z.string().trim().min(1).max(500),
  }),
  z.strictObject({
    kind: z.literal('sale'),
    participantId: z.string().min(1),
    occurredAt: z.iso.datetime({ offset: true }),
    amountMinor: z.int().min(0),
    marginMinor: z.int(),
    clientId: z.string().min(1).optional(),
    isNewClient: z.boolean().default(false),
    product: z.string().min(1).optional(),
    quantity: z.number().positive().default(1),
    reason: z.string().trim().min(1).max(500),
  }),
]);
export type Correction = z.infer<typeof correctionSchema>;

export const feedQuerySchema = z.strictObject({
  beforeSeq: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const placeParamSchema = z.coerce.number().int().min(1).max(100);
export const leagueQuerySchema = z.strictObject({ league: z.string().min(1).max(100).optional() });
