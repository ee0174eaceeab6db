import type { LiveForecastView } from '@podium/contest-model';
import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import type { ForecastHistoryPoint } from '../forecasts.service.js';

const probability = z.number().min(0).max(1);

/** `GET /api/contests/:id/forecast` (and the `forecast` socket event's payload). */
export const forecastSchema = documents<LiveForecastView>()(
  z.object({
    contestId: z.string(),
    seq: z.int(),
    asOf: z.string(),
    computedAt: z.string(),
    elapsedFraction: probability,
    final: z.boolean(),
    trials: z.int(),
    fund: z.object({
      meanMinor: z.int(),
      p10Minor: z.int(),
      p50Minor: z.int(),
      p90Minor: z.int(),
    }),
    pAllPrizesFunded: probability,
    prizes: z.array(
      z.object({
        place: z.int(),
        league: z.string().nullable(),
        title: z.string(),
        costMinor: z.int(),
        pUnlocked: probability,
      }),
    ),
    participants: z.array(
      z.object({
        participantId: z.string(),
        pFirst: probability,
        pPrize: probability,
        expectedRank: z.number(),
      }),
    ),
    pace: z.object({
      planMarginToDateMinor: z.int(),
      actualMarginMinor: z.int(),
      projectedMarginP50Minor: z.int(),
    }),
    approved: z
      .object({
        pAllPrizesFunded: probability.nullable(),
        alertMargin: probability,
        below: z.boolean(),
      })
      .nullable()
      .meta({
        description:
          'Staff only (null for sellers and displays): the approved simulation’s chance that every prize is funded, the alert margin, and whether the forecast fell below it by more than the margin',
      }),
  }),
);

const historyPointSchema = documents<ForecastHistoryPoint>()(
  z.object({
    day: z.string(),
    seq: z.int(),
    asOf: z.string(),
    checkpoint: z.int().nullable(),
    fund: z.object({ p10Minor: z.int(), p50Minor: z.int(), p90Minor: z.int() }),
    pAllPrizesFunded: probability,
    pace: z.object({ planMarginToDateMinor: z.int(), actualMarginMinor: z.int() }),
    participants: z.array(z.object({ participantId: z.string(), pPrize: probability })),
  }),
);

/** `GET /api/contests/:id/forecast/history`. */
export const forecastHistorySchema = documents<{ points: ForecastHistoryPoint[] }>()(
  z.object({ points: z.array(historyPointSchema) }),
);
