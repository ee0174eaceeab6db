import {
  CONTEST_STATES,
  contestFileSchema,
  periodSchema,
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
    repeatMonthly: z.boolean().optional().meta({
      description:
        'Once the period (exactly one calendar month) is over, make the next month a draft',
    }),
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

/** The fairness verdict of a simulation (DESIGN §3.5). */
export const verdictSchema = z.enum(['balanced', 'unbalanced']);
export type Verdict = z.infer<typeof verdictSchema>;

export const approveScenarioSchema = z.strictObject({
  scenario: scenarioSchema,
  /** The no-contest baseline forecast (simulation with uplift 0): expected margin of the period. */
  baselineMarginMinor: z.int().min(0).nullable().default(null),
  simulationId: z
    .uuid({ error: 'must be a simulation id (UUID)' })
    .optional()
    .meta({ description: 'A finished stored simulation of this contest: its verdict is approved' }),
  verdict: verdictSchema.optional().meta({
    description:
      'The verdict of a simulation run elsewhere (the browser); required without `simulationId`',
  }),
  pAllPrizesFunded: z.number().min(0).max(1).optional().meta({
    description:
      "The chance that every prize is funded in a run elsewhere (the browser): the live forecast warns staff when it falls below it; a stored run's own is used with `simulationId`",
  }),
});
export type ApproveScenario = z.infer<typeof approveScenarioSchema>;

/** `POST /api/contests/:id/launch`: no body, or an override of the launch gate with its reason. */
export const launchSchema = z
  .strictObject({
    override: z
      .strictObject({ reason: z.string().trim().min(1).max(500) })
      .optional()
      .meta({
        description:
          'Launch although the contest is not simulated, its rules changed since, or its verdict is unbalanced',
      }),
  })
  .optional();
export type LaunchBody = z.infer<typeof launchSchema>;

/** `POST /api/contests/:id/clone`: the new draft's name and period, else the source's. */
export const cloneContestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    period: periodSchema.optional(),
  })
  .optional();
export type CloneContest = z.infer<typeof cloneContestSchema>;

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
