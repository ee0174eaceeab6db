import { z } from 'zod';

const share = z.number().min(0).max(1);
const minor = z.number().finite();
const distribution = z.object({
  meanMinor: minor,
  p10Minor: minor,
  p50Minor: minor,
  p90Minor: minor,
});

/**
 * What an export reads of a simulation result the browser computed: the fields of the library's
 * `SimulationResult` that the tables show (others are dropped).
 */
export const simulationExportSchema = z.object({
  name: z.string().max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code' }),
  trials: z.int().min(1),
  planMarginMinor: minor,
  planTurnoverMinor: minor,
  prizesCostMinor: minor,
  fund: distribution,
  pAllPrizesFunded: share,
  breakEvenUplift: z.number().nullable(),
  fairness: z.object({
    verdict: z.enum(['balanced', 'unbalanced']),
    effectiveContenders: z.number(),
    newcomerPrizeShare: z.number(),
    maxPFirst: share,
  }),
  prizes: z
    .array(
      z.object({
        place: z.int(),
        league: z.string().nullable(),
        title: z.string(),
        costMinor: minor,
        pUnlocked: share,
        pPaid: share,
      }),
    )
    .max(1_000),
  participants: z
    .array(
      z.object({
        participantId: z.string(),
        name: z.string(),
        team: z.string().nullable(),
        league: z.string().nullable(),
        isNewcomer: z.boolean(),
        pFirst: share,
        pPrize: share,
        pPaid: share,
        expectedRank: z.number(),
        turnoverMeanMinor: minor,
      }),
    )
    .max(10_000),
});
export type SimulationExportResult = z.output<typeof simulationExportSchema>;
