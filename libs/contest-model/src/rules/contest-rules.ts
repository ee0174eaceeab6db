import { z } from 'zod';
import {
  basisSchema,
  fundingModeSchema,
  metricSchema,
  type ContestFile,
} from './contest-file.schema.js';
import { parseInstant } from './period.js';

const measureShape = {
  metric: metricSchema,
  /** productTurnover and productUnits: the product or category. */
  product: z.string().nullable(),
  /** counter: the counter's name. */
  name: z.string().nullable(),
  basis: basisSchema,
  minDeals: z.int().nullable(),
  minLeads: z.int().nullable(),
};

/**
 * The rules of a contest as every participant may read them: what scores, who may win, the
 * prizes and how the fund pays them. Nothing of anyone's plan, history or figures. Absent
 * options are `null` (not left out), so a screen reads every rule the same way.
 */
export const contestRulesSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  currency: z.string(),
  /** ISO instants; `end` is exclusive. */
  period: z.object({ start: z.string(), end: z.string() }),
  criteria: z.array(
    z.object({
      ...measureShape,
      title: z.string().nullable(),
      unit: z.number().nullable(),
      weight: z.number(),
      cap: z.number().nullable(),
      floor: z.number().nullable(),
    }),
  ),
  eligibility: z.array(z.object({ ...measureShape, min: z.number() })),
  leagues: z
    .object({ by: z.enum(['tenure', 'role', 'team', 'field']), newcomerMonths: z.int() })
    .nullable(),
  prizes: z.array(
    z.object({
      place: z.int(),
      league: z.string().nullable(),
      title: z.string(),
      costMinor: z.int(),
      poolPercent: z.number().nullable(),
      /** A picture is stored for the prize (`GET /api/contests/:id/prizes/:place/image`). */
      hasImage: z.boolean(),
    }),
  ),
  funding: z.object({
    fundShare: z.number(),
    guaranteedMinor: z.int(),
    capMinor: z.int().nullable(),
    mode: fundingModeSchema,
  }),
  /** Team standings: how members' points add up, and how many teams; null without teams. */
  teamStandings: z
    .object({ aggregate: z.enum(['sum', 'average']), teams: z.int().min(1) })
    .nullable(),
});
export type ContestRules = z.infer<typeof contestRulesSchema>;

/**
 * The readable rules of a contest file. `hasImage` says which prizes have a stored picture
 * (pictures live outside the file).
 */
export function contestRulesOf({
  file,
  hasImage,
}: {
  file: Omit<ContestFile, 'events'>;
  hasImage: (prize: { place: number; league: string | null }) => boolean;
}): ContestRules {
  const measure = (
    source: ContestFile['criteria'][number] | ContestFile['eligibility'][number],
  ) => ({
    metric: source.metric,
    product: source.product ?? null,
    name: source.name ?? null,
    basis: source.basis,
    minDeals: source.minDeals ?? null,
    minLeads: source.minLeads ?? null,
  });
  const teams = new Set(
    file.participants.flatMap((participant) =>
      participant.team === undefined ? [] : [participant.team],
    ),
  );
  return {
    name: file.name,
    description:
      file.description === undefined || file.description === '' ? null : file.description,
    currency: file.currency,
    period: {
      start: new Date(parseInstant(file.period.start)).toISOString(),
      end: new Date(parseInstant(file.period.end)).toISOString(),
    },
    criteria: file.criteria.map((criterion) => ({
      ...measure(criterion),
      title: criterion.title ?? null,
      unit: criterion.unit ?? null,
      weight: criterion.weight,
      cap: criterion.cap ?? null,
      floor: criterion.floor ?? null,
    })),
    eligibility: file.eligibility.map((gate) => ({ ...measure(gate), min: gate.min })),
    leagues:
      file.leagues === undefined
        ? null
        : { by: file.leagues.by, newcomerMonths: file.leagues.newcomerMonths },
    prizes: file.prizes.map((prize) => {
      const league = prize.league ?? null;
      return {
        place: prize.place,
        league,
        title: prize.title,
        costMinor: prize.costMinor,
        poolPercent: prize.poolPercent ?? null,
        hasImage: hasImage({ place: prize.place, league }),
      };
    }),
    funding: {
      fundShare: file.funding.fundShare,
      guaranteedMinor: file.funding.guaranteedMinor,
      capMinor: file.funding.capMinor,
      mode: file.funding.mode,
    },
    teamStandings:
      teams.size === 0 ? null : { aggregate: file.teamStandings.aggregate, teams: teams.size },
  };
}
