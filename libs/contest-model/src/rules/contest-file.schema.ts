import { z } from 'zod';
import { contestEventSchema, instantSchema } from './event.schema.js';
import { formatJsonPath } from './json-path.js';
import { isRatioMetric } from './metric-kinds.js';

export { isMoneyMetric, isRatioMetric } from './metric-kinds.js';

const minorSchema = z.int();
const nonNegativeMinorSchema = z.int().min(0);
const dateSchema = z.iso.date();
const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month YYYY-MM' });

export const metricNames = [
  'turnover',
  'margin',
  'deals',
  'newClients',
  'avgCheck',
  'conversion',
  'productTurnover',
  'productUnits',
  'counter',
] as const;
export const metricSchema = z.enum(metricNames);
export type MetricName = z.infer<typeof metricSchema>;

export const basisSchema = z.enum(['absolute', 'percentOfPlan', 'growth']);
export type Basis = z.infer<typeof basisSchema>;

export const fundingModeSchema = z.enum(['unlockInOrder', 'proRata', 'pool']);
export type FundingMode = z.infer<typeof fundingModeSchema>;

const measureFields = {
  metric: metricSchema,
  product: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Product or category, for productTurnover and productUnits only.' }),
  name: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Counter name, for metric counter only.' }),
  basis: basisSchema,
  minDeals: z
    .int()
    .min(0)
    .optional()
    .meta({ description: 'avgCheck and conversion: deals needed before the metric scores.' }),
  minLeads: z
    .int()
    .min(0)
    .optional()
    .meta({ description: 'conversion: leads needed before the metric scores (default 1).' }),
};

export const criterionSchema = z.strictObject({
  ...measureFields,
  unit: z
    .number()
    .positive()
    .optional()
    .meta({ description: 'absolute basis: amount of the metric worth one normalized point.' }),
  weight: z.number().positive().default(1),
  cap: z.number().optional().meta({ description: 'Upper bound of the normalized value.' }),
  floor: z.number().optional().meta({ description: 'Lower bound of the normalized value.' }),
  title: z.string().min(1).optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const eligibilityGateSchema = z.strictObject({
  ...measureFields,
  min: z.number().meta({
    description:
      'Minimum normalized value (absolute: the raw metric; percentOfPlan: % of plan; growth: % growth).',
  }),
});
export type EligibilityGate = z.infer<typeof eligibilityGateSchema>;

/** What a criterion or gate measures. */
export type Measure = Pick<Criterion, 'metric' | 'product' | 'name' | 'minDeals' | 'minLeads'>;

export const fundingSchema = z.strictObject({
  fundShare: z
    .number()
    .gt(0)
    .max(1)
    .meta({ description: 'Share of the above-plan margin that goes to the fund, in (0, 1].' }),
  guaranteedMinor: nonNegativeMinorSchema.default(0),
  capMinor: nonNegativeMinorSchema.nullable().default(null),
  mode: fundingModeSchema.default('unlockInOrder'),
});
export type Funding = z.infer<typeof fundingSchema>;

export const prizeSchema = z.strictObject({
  place: z.int().min(1),
  title: z.string().min(1),
  costMinor: nonNegativeMinorSchema,
  image: z.string().min(1).optional(),
  league: z.string().min(1).optional(),
  poolPercent: z
    .number()
    .gt(0)
    .max(100)
    .optional()
    .meta({ description: 'pool mode: percentage of the fund for this place.' }),
});
export type Prize = z.infer<typeof prizeSchema>;

export const leaguesSchema = z.strictObject({
  by: z.enum(['tenure', 'role', 'team', 'field']).meta({
    description:
      "tenure: 'newcomer' | 'veteran'; role: 'hunter' | 'farmer'; team: the team name; field: the participant's league.",
  }),
  newcomerMonths: z.int().min(1).default(6),
});
export type Leagues = z.infer<typeof leaguesSchema>;

export const teamStandingsSchema = z.strictObject({
  aggregate: z.enum(['sum', 'average']).default('sum'),
});
export type TeamStandingsRules = z.infer<typeof teamStandingsSchema>;

const productPlanSchema = z.strictObject({
  turnoverMinor: nonNegativeMinorSchema.optional(),
  units: z.number().min(0).optional(),
});

export const planSchema = z.strictObject({
  turnoverMinor: nonNegativeMinorSchema,
  marginMinor: minorSchema,
  deals: z.number().min(0).optional(),
  newClients: z.number().min(0).optional(),
  avgCheckMinor: nonNegativeMinorSchema.optional(),
  conversion: z.number().min(0).optional(),
  products: z.record(z.string().min(1), productPlanSchema).optional(),
  counters: z.record(z.string().min(1), z.number().min(0)).optional(),
});
export type Plan = z.infer<typeof planSchema>;

export const historyMonthSchema = z.strictObject({
  month: monthSchema,
  turnoverMinor: nonNegativeMinorSchema,
  marginMinor: minorSchema,
  deals: z.int().min(0).optional(),
  newClients: z.int().min(0).optional(),
  leads: z.int().min(0).optional(),
  products: z.record(z.string().min(1), productPlanSchema).optional(),
  counters: z.record(z.string().min(1), z.number()).optional(),
});
export type HistoryMonth = z.infer<typeof historyMonthSchema>;

export const participantStatsSchema = z.strictObject({
  turnoverMeanMinor: z.number().min(0),
  turnoverCv: z.number().min(0).optional(),
  marginRate: z.number().optional(),
  dealsMean: z.number().min(0).optional(),
  newClientsMean: z.number().min(0).optional(),
  leadsMean: z.number().min(0).optional(),
});
export type ParticipantStats = z.infer<typeof participantStatsSchema>;

export const participantSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  team: z.string().min(1).optional(),
  role: z.enum(['hunter', 'farmer']).optional(),
  hiredOn: dateSchema.optional(),
  isNewcomer: z.boolean().optional(),
  league: z.string().min(1).optional(),
  plan: planSchema.meta({ description: 'Plan for the whole contest period.' }),
  history: z.array(historyMonthSchema).optional(),
  stats: participantStatsSchema.optional(),
});
export type Participant = z.infer<typeof participantSchema>;

export const scenarioSchema = z.strictObject({
  uplift: z.number().min(-1).default(0.1),
  correlation: z.number().min(0).max(1).default(0.3),
  trials: z.int().min(1).max(1_000_000).default(10_000),
  seed: z.int().default(1),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const periodSchema = z.strictObject({
  start: z.union([dateSchema, instantSchema]).meta({
    description: 'Inclusive. A date alone means 00:00 UTC.',
  }),
  end: z.union([dateSchema, instantSchema]).meta({
    description: 'Exclusive. A date alone means 00:00 UTC.',
  }),
});
export type Period = z.infer<typeof periodSchema>;

const contestFileShape = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as RUB' })
    .default('RUB'),
  period: periodSchema,
  funding: fundingSchema,
  prizes: z.array(prizeSchema).min(1),
  criteria: z.array(criterionSchema).min(1).max(8),
  eligibility: z.array(eligibilityGateSchema).default([]),
  leagues: leaguesSchema.optional(),
  teamStandings: teamStandingsSchema.default({ aggregate: 'sum' }),
  participants: z.array(participantSchema).min(1),
  events: z.array(contestEventSchema).default([]),
  scenario: scenarioSchema.optional(),
});

type ContestFileShape = z.infer<typeof contestFileShape>;
/**
 * The codes of the cross-field rules below (and of the sale's margin rule in event.schema.ts),
 * one per rule, for screens to translate with the issue's params; the English message stays for
 * the API, the CLI and people reading files.
 */
export const FILE_ISSUE_CODES = [
  'afterStart',
  'capBelowGuarantee',
  'duplicateId',
  'duplicateMonth',
  'requiredForMetric',
  'productMetricOnly',
  'counterOnly',
  'ratioOnly',
  'conversionOnly',
  'planRequired',
  'planPositive',
  'requiredForAbsolute',
  'absoluteOnly',
  'floorAboveCap',
  'leagueAllOrNone',
  'duplicatePlace',
  'placesGap',
  'requiredForPool',
  'poolOnly',
  'poolOver100',
  'leaguesUndefined',
  'requiredForLeagues',
  'leagueRequired',
  'unknownLeague',
  'duplicateEvent',
  'selfReversal',
  'marginAboveAmount',
  'noHistory',
] as const;
export type FileIssueCode = (typeof FILE_ISSUE_CODES)[number];

type Params = Readonly<Record<string, string | number>>;
/** A rule's code; an event naming nobody in the file has the API's code for the same refusal. */
type RuleCode = FileIssueCode | 'unknownParticipant';
type Issue = { path: (string | number)[]; message: string; code: RuleCode; params?: Params };
type Add = (path: Issue['path'], message: string, code: RuleCode, params?: Params) => void;

/** The contest file of DESIGN.md §10: what the simulator saves, the CLI reads and the API accepts. */
export const contestFileSchema = contestFileShape.superRefine((file, ctx) => {
  for (const issue of crossFieldIssues(file)) {
    ctx.addIssue({
      code: 'custom',
      path: issue.path,
      message: issue.message,
      params: { code: issue.code, ...issue.params },
    });
  }
});
export type ContestFile = z.infer<typeof contestFileSchema>;

/**
 * The contest file without its events, as the API stores and serves it. The shape only: it
 * describes an answer and validates nothing (`contestFileSchema` checks the cross-field rules).
 */
export const contestDefinitionSchema = contestFileShape.omit({ events: true });
/** A contest file as written by hand (defaults not yet applied). */
export type ContestFileInput = z.input<typeof contestFileSchema>;

function crossFieldIssues(file: ContestFileShape): Issue[] {
  const issues: Issue[] = [];
  const add: Add = (path, message, code, params) => {
    issues.push({ path, message, code, ...(params === undefined ? {} : { params }) });
  };

  if (Date.parse(file.period.start) >= Date.parse(file.period.end)) {
    add(['period', 'end'], 'must be after period.start', 'afterStart');
  }

  const { funding } = file;
  if (funding.capMinor !== null && funding.capMinor < funding.guaranteedMinor) {
    add(['funding', 'capMinor'], 'must be at least funding.guaranteedMinor', 'capBelowGuarantee');
  }

  const participantIds = new Set<string>();
  file.participants.forEach((participant, index) => {
    if (participantIds.has(participant.id)) {
      add(
        ['participants', index, 'id'],
        `duplicate participant id "${participant.id}"`,
        'duplicateId',
        {
          id: participant.id,
        },
      );
    }
    participantIds.add(participant.id);
    const months = new Set<string>();
    participant.history?.forEach((month, monthIndex) => {
      if (months.has(month.month)) {
        add(
          ['participants', index, 'history', monthIndex, 'month'],
          'duplicate month',
          'duplicateMonth',
        );
      }
      months.add(month.month);
    });
  });

  const checkMeasure = (measure: Measure & { basis: Basis }, path: Issue['path']): void => {
    const needsProduct = measure.metric === 'productTurnover' || measure.metric === 'productUnits';
    if (needsProduct && measure.product === undefined) {
      add([...path, 'product'], `is required for metric ${measure.metric}`, 'requiredForMetric', {
        metric: measure.metric,
      });
    }
    if (!needsProduct && measure.product !== undefined) {
      add(
        [...path, 'product'],
        'is only allowed with productTurnover or productUnits',
        'productMetricOnly',
      );
    }
    if (measure.metric === 'counter' && measure.name === undefined) {
      add([...path, 'name'], 'is required for metric counter', 'requiredForMetric', {
        metric: 'counter',
      });
    }
    if (measure.metric !== 'counter' && measure.name !== undefined) {
      add([...path, 'name'], 'is only allowed with metric counter', 'counterOnly');
    }
    if (measure.minDeals !== undefined && !isRatioMetric(measure.metric)) {
      add([...path, 'minDeals'], 'is only allowed with avgCheck or conversion', 'ratioOnly');
    }
    if (measure.minLeads !== undefined && measure.metric !== 'conversion') {
      add([...path, 'minLeads'], 'is only allowed with conversion', 'conversionOnly');
    }
    if (measure.basis === 'percentOfPlan') {
      file.participants.forEach((participant, index) => {
        const plan = planFor({ plan: participant.plan, measure });
        if (plan.value === undefined) {
          add(
            ['participants', index, 'plan', ...plan.path],
            `is required: ${formatJsonPath(path)} scores ${measure.metric} as percentOfPlan`,
            'planRequired',
            { measure: formatJsonPath(path), metric: measure.metric },
          );
        } else if (plan.value <= 0) {
          add(
            ['participants', index, 'plan', ...plan.path],
            `must be positive: ${formatJsonPath(path)} scores ${measure.metric} as percentOfPlan`,
            'planPositive',
            { measure: formatJsonPath(path), metric: measure.metric },
          );
        }
      });
    }
  };

  file.criteria.forEach((criterion, index) => {
    const path = ['criteria', index];
    checkMeasure(criterion, path);
    if (criterion.basis === 'absolute' && criterion.unit === undefined) {
      add([...path, 'unit'], 'is required with basis absolute', 'requiredForAbsolute');
    }
    if (criterion.basis !== 'absolute' && criterion.unit !== undefined) {
      add([...path, 'unit'], 'is only allowed with basis absolute', 'absoluteOnly');
    }
    if (
      criterion.cap !== undefined &&
      criterion.floor !== undefined &&
      criterion.floor > criterion.cap
    ) {
      add([...path, 'floor'], 'must not be greater than cap', 'floorAboveCap');
    }
  });
  file.eligibility.forEach((gate, index) => {
    checkMeasure(gate, ['eligibility', index]);
  });

  checkPrizes(file, add);
  checkLeagues(file, add);
  checkEvents(file, participantIds, add);
  return issues;
}

function checkPrizes(file: ContestFileShape, add: Add) {
  const withLeague = file.prizes.filter((prize) => prize.league !== undefined).length;
  if (withLeague > 0 && withLeague < file.prizes.length) {
    file.prizes.forEach((prize, index) => {
      if (prize.league === undefined) {
        add(
          ['prizes', index, 'league'],
          'is required: either every prize has a league or none',
          'leagueAllOrNone',
        );
      }
    });
  }
  const placesByLeague = new Map<string, number[]>();
  file.prizes.forEach((prize, index) => {
    const league = prize.league ?? '';
    const places = placesByLeague.get(league) ?? [];
    if (places.includes(prize.place)) {
      add(
        ['prizes', index, 'place'],
        `duplicate place ${prize.place}${prize.league === undefined ? '' : ` in league ${prize.league}`}`,
        'duplicatePlace',
        { place: prize.place, league: prize.league ?? '' },
      );
    }
    places.push(prize.place);
    placesByLeague.set(league, places);
  });
  for (const [league, places] of placesByLeague) {
    const max = Math.max(...places);
    if (max !== new Set(places).size) {
      const index = file.prizes.findIndex(
        (prize) => (prize.league ?? '') === league && prize.place === max,
      );
      add(
        ['prizes', index, 'place'],
        `places must run 1..n without gaps${league === '' ? '' : ` in league ${league}`}`,
        'placesGap',
        { league },
      );
    }
  }
  const pool = file.funding.mode === 'pool';
  let percentSum = 0;
  file.prizes.forEach((prize, index) => {
    if (pool && prize.poolPercent === undefined) {
      add(
        ['prizes', index, 'poolPercent'],
        'is required with funding.mode pool',
        'requiredForPool',
      );
    }
    if (!pool && prize.poolPercent !== undefined) {
      add(['prizes', index, 'poolPercent'], 'is only allowed with funding.mode pool', 'poolOnly');
    }
    percentSum += prize.poolPercent ?? 0;
  });
  if (pool && percentSum > 100 + 1e-9) {
    add(['prizes'], `poolPercent must add up to at most 100, got ${percentSum}`, 'poolOver100', {
      sum: percentSum,
    });
  }
}

function checkLeagues(file: ContestFileShape, add: Add) {
  const { leagues } = file;
  const usesLeagues = file.prizes.some((prize) => prize.league !== undefined);
  if (leagues === undefined) {
    if (usesLeagues) {
      const index = file.prizes.findIndex((prize) => prize.league !== undefined);
      add(
        ['prizes', index, 'league'],
        'needs a top-level "leagues" definition',
        'leaguesUndefined',
      );
    }
    return;
  }
  const possible = new Set<string>();
  file.participants.forEach((participant, index) => {
    const path = ['participants', index];
    switch (leagues.by) {
      case 'tenure':
        if (participant.hiredOn === undefined && participant.isNewcomer === undefined) {
          add(
            [...path, 'hiredOn'],
            'is required (or isNewcomer) with leagues.by tenure',
            'requiredForLeagues',
            { by: 'tenure' },
          );
        }
        possible.add('newcomer').add('veteran');
        break;
      case 'role':
        if (participant.role === undefined)
          add([...path, 'role'], 'is required with leagues.by role', 'requiredForLeagues', {
            by: 'role',
          });
        possible.add('hunter').add('farmer');
        break;
      case 'team':
        if (participant.team === undefined)
          add([...path, 'team'], 'is required with leagues.by team', 'requiredForLeagues', {
            by: 'team',
          });
        else possible.add(participant.team);
        break;
      case 'field':
        if (participant.league === undefined) {
          add([...path, 'league'], 'is required with leagues.by field', 'requiredForLeagues', {
            by: 'field',
          });
        } else possible.add(participant.league);
        break;
    }
  });
  file.prizes.forEach((prize, index) => {
    if (prize.league === undefined) {
      add(['prizes', index, 'league'], 'is required when "leagues" is set', 'leagueRequired');
    } else if (!possible.has(prize.league)) {
      add(
        ['prizes', index, 'league'],
        `unknown league "${prize.league}" (leagues.by ${leagues.by} gives ${[...possible].join(', ') || 'none'})`,
        'unknownLeague',
        { league: prize.league, by: leagues.by, options: [...possible].join(', ') || '—' },
      );
    }
  });
}

function checkEvents(file: ContestFileShape, participantIds: Set<string>, add: Add) {
  const firstByKey = new Map<string, { index: number; json: string }>();
  file.events.forEach((event, index) => {
    if (!participantIds.has(event.participantId)) {
      add(
        ['events', index, 'participantId'],
        `unknown participant "${event.participantId}"`,
        'unknownParticipant',
      );
    }
    const key = `${event.source}\u0000${event.externalId}`;
    const json = JSON.stringify(event);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, { index, json });
    } else if (first.json !== json) {
      add(
        ['events', index, 'externalId'],
        `repeats events[${first.index}] (same source and externalId) with a different payload`,
        'duplicateEvent',
        { index: first.index },
      );
    }
    if (event.type === 'reversal' && event.reversesExternalId === event.externalId) {
      add(
        ['events', index, 'reversesExternalId'],
        'a reversal cannot reverse itself',
        'selfReversal',
      );
    }
  });
}

/** The participant's plan for what a measure counts, and where it lives in `plan`. */
export function planFor({ plan, measure }: { plan: Plan; measure: Measure }): {
  value: number | undefined;
  path: string[];
} {
  switch (measure.metric) {
    case 'turnover':
      return { value: plan.turnoverMinor, path: ['turnoverMinor'] };
    case 'margin':
      return { value: plan.marginMinor, path: ['marginMinor'] };
    case 'deals':
      return { value: plan.deals, path: ['deals'] };
    case 'newClients':
      return { value: plan.newClients, path: ['newClients'] };
    case 'avgCheck':
      return { value: plan.avgCheckMinor, path: ['avgCheckMinor'] };
    case 'conversion':
      return { value: plan.conversion, path: ['conversion'] };
    case 'productTurnover': {
      const product = measure.product ?? '';
      return {
        value: plan.products?.[product]?.turnoverMinor,
        path: ['products', product, 'turnoverMinor'],
      };
    }
    case 'productUnits': {
      const product = measure.product ?? '';
      return { value: plan.products?.[product]?.units, path: ['products', product, 'units'] };
    }
    case 'counter': {
      const name = measure.name ?? '';
      return { value: plan.counters?.[name], path: ['counters', name] };
    }
  }
}
