import { metricSchema, basisSchema } from '@podium/contest-model';
import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { StandingsSnapshot } from '../../standings/standings.service.js';
import type { CheckpointView } from '../results.service.js';

const criterionRowSchema = z.object({
  metric: metricSchema,
  product: z.string().optional(),
  name: z.string().optional(),
  basis: basisSchema,
  value: z.number().nullable(),
  normalized: z.number().nullable(),
  points: z.number().nullable(),
});

const whatItTakesSchema = z.object({
  nextPlace: z.object({ participantId: z.string(), points: z.number() }).nullable(),
  prize: z
    .object({
      place: z.int(),
      league: z.string().nullable(),
      held: z.boolean(),
      points: z.number().nullable(),
    })
    .nullable(),
  criteria: z.array(
    z.object({
      metric: metricSchema,
      product: z.string().optional(),
      name: z.string().optional(),
      toNextPlace: z.number().nullable(),
      toPrize: z.number().nullable(),
    }),
  ),
});

const standingRowSchema = z.object({
  participantId: z.string(),
  name: z.string(),
  team: z.string().nullable(),
  league: z.string().nullable(),
  rank: z.int(),
  points: z.number(),
  eligible: z.boolean(),
  reachedAt: z.string().nullable(),
  prize: z.object({ place: z.int(), league: z.string().nullable() }).nullable(),
  criteria: z.array(criterionRowSchema),
  // Absent from another participant's row when the contest hides amounts.
  whatItTakes: whatItTakesSchema.optional(),
});

const prizeResultSchema = z.object({
  place: z.int(),
  league: z.string().nullable(),
  title: z.string(),
  costMinor: z.int(),
  amountMinor: z.int(),
  unlocked: z.boolean(),
  paidMinor: z.int(),
  winnerParticipantId: z.string().nullable(),
  requiredFundMinor: z.int().nullable(),
  missingFundMinor: z.int().nullable(),
  missingAboveplanMarginMinor: z.int().nullable(),
  missingTurnoverMinor: z.int().nullable(),
});

/** `GET /api/contests/:id/standings`: the evaluation as the caller may see it, with its seq. */
export const standingsSchema = documents<StandingsSnapshot>()(
  z.object({
    contestId: z.string(),
    seq: z.int(),
    name: z.string(),
    currency: z.string(),
    period: z.object({ start: z.string(), end: z.string() }),
    asOf: z.string().nullable(),
    planMarginMinor: z.int(),
    planTurnoverMinor: z.int(),
    actualMarginMinor: z.int(),
    actualTurnoverMinor: z.int(),
    aboveplanMarginMinor: z.int(),
    fundMinor: z.int(),
    prizes: z.array(prizeResultSchema),
    prizesPaidMinor: z.int(),
    breakEven: z.object({
      aboveplanMarginMinor: z.int().nullable(),
      turnoverMinor: z.int().nullable(),
      percentOverPlan: z.number().nullable(),
    }),
    roi: z.number().nullable(),
    standings: z.array(standingRowSchema),
    teams: z.array(
      z.object({ team: z.string(), rank: z.int(), points: z.number(), members: z.int() }),
    ),
  }),
);

/** One checkpoint of `GET /api/contests/:id/checkpoints`: the standings frozen at a boundary. */
export const checkpointSchema = documents<CheckpointView>()(
  z.object({
    id: z.string(),
    contestId: z.string(),
    number: z.int(),
    boundary: z.string(),
    seq: z.int(),
    standings: standingsSchema,
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
    publishedBy: z.string().nullable(),
  }),
);
