import { aboveplanMarginForFund, fundPrizes } from '../funding/funding.js';
import { roundTo } from '../money/money.js';
// Type-only imports of the schemas, and no zod: screens import this module by its own path
// (`@podium/contest-model/describe-rules`) without the schemas.
import type { Basis, FundingMode, MetricName } from './contest-file.schema.js';
import type { ContestRules } from './contest-rules.js';
import { isMoneyMetric } from './metric-kinds.js';
import { monthsBetween, parseInstant } from './period.js';

/** An amount of a metric in its own units: money (minor units), a count, or a percentage. */
export type RulesAmount =
  { kind: 'money'; minor: number } | { kind: 'count'; n: number } | { kind: 'percent'; n: number };

/**
 * A level of a criterion or gate as a seller measures it: an amount of the metric (absolute), a
 * percentage of their own plan, or a growth in % over their usual result.
 */
export type RulesLevel =
  | { basis: 'absolute'; amount: RulesAmount }
  | { basis: 'percentOfPlan'; percent: number }
  | { basis: 'growth'; percent: number };

export interface RulesMeasure {
  metric: MetricName;
  product: string | null;
  name: string | null;
}

/** Ratio metrics score only from a minimum sample (defaults of the scoring applied). */
export interface RulesMinSample {
  deals: number;
  leads: number;
}

export interface CriterionFacts {
  measure: RulesMeasure;
  title: string | null;
  basis: Basis;
  /** Points for one step: per `per` of the metric (absolute), per 1 % of plan or of growth. */
  weight: number;
  /** absolute: the amount of the metric worth `weight` points; null for the other bases. */
  per: RulesAmount | null;
  /** The most that counts, and the points it gives (weight × cap). */
  cap: { level: RulesLevel; points: number } | null;
  /** The least that counts once the criterion scores, and the points it gives. */
  floor: { level: RulesLevel; points: number } | null;
  minSample: RulesMinSample | null;
}

export interface GateFacts {
  measure: RulesMeasure;
  min: RulesLevel;
  minSample: RulesMinSample | null;
}

export interface LeagueFacts {
  by: 'tenure' | 'role' | 'team' | 'field';
  /** tenure: below this many months in the company at the start is a newcomer. */
  newcomerMonths: number | null;
  /** The leagues that have prizes, in the order of the prize list. */
  leagues: string[];
}

export interface PrizeFacts {
  place: number;
  league: string | null;
  title: string;
  costMinor: number;
  hasImage: boolean;
  /** pool mode: the share of the fund for this place. */
  poolPercent: number | null;
  /** The fund at which this prize is fully paid; null when it never is. */
  requiredFundMinor: number | null;
  /**
   * The team's margin above plan at which the fund reaches {@link requiredFundMinor}: 0 when the
   * guarantee pays it, null when the fund's cap never lets it.
   */
  aboveplanMarginMinor: number | null;
}

export interface FundingFacts {
  /** Share of the above-plan margin that goes to the fund, in percent. */
  sharePercent: number;
  /** Paid even when the team misses its plan; null when there is no guarantee. */
  guaranteedMinor: number | null;
  capMinor: number | null;
  mode: FundingMode;
  totalCostMinor: number;
  /** The fund that pays every prize, and the above-plan margin that makes it (see PrizeFacts). */
  allPrizes: { fundMinor: number | null; aboveplanMarginMinor: number | null };
}

export interface RulesFacts {
  period: { start: string; end: string; months: number };
  description: string | null;
  currency: string;
  criteria: CriterionFacts[];
  /** Empty: everyone in the ranking may win. */
  gates: GateFacts[];
  leagues: LeagueFacts | null;
  /** Prizes by league (one group, `league: null`, without leagues), places in order. */
  prizeGroups: { league: string | null; prizes: PrizeFacts[] }[];
  funding: FundingFacts;
  teams: { aggregate: 'sum' | 'average'; teams: number } | null;
}

type Measured = ContestRules['criteria'][number] | ContestRules['eligibility'][number];

/**
 * What the rules say, as structured facts for a screen to put into words in its language: every
 * criterion with its weight, unit, basis, cap, floor and minimum sample; the gates; the leagues;
 * the prizes with the fund and margin that unlock each; the funding rule; team standings. Levels
 * are converted to what a seller measures (a cap of 10 on `newClients` per 1 is 10 new clients).
 */
export function describeRules({ rules }: { rules: ContestRules }): RulesFacts {
  const startMs = parseInstant(rules.period.start);
  const endMs = parseInstant(rules.period.end);
  const funding = {
    fundShare: rules.funding.fundShare,
    guaranteedMinor: rules.funding.guaranteedMinor,
    capMinor: rules.funding.capMinor,
    mode: rules.funding.mode,
  };
  const prizes = rules.prizes.map((prize) => ({
    place: prize.place,
    title: prize.title,
    costMinor: prize.costMinor,
    ...(prize.league === null ? {} : { league: prize.league }),
    ...(prize.poolPercent === null ? {} : { poolPercent: prize.poolPercent }),
  }));
  const required = fundPrizes({ funding, prizes, fundMinor: 0 }).map(
    (prize) => prize.requiredFundMinor,
  );
  const marginFor = (fundMinor: number | null): number | null =>
    fundMinor === null ? null : aboveplanMarginForFund({ funding, fundMinor });

  const prizeGroups: RulesFacts['prizeGroups'] = [];
  rules.prizes.forEach((prize, index) => {
    const requiredFundMinor = required[index] ?? null;
    const facts: PrizeFacts = {
      place: prize.place,
      league: prize.league,
      title: prize.title,
      costMinor: prize.costMinor,
      hasImage: prize.hasImage,
      poolPercent: prize.poolPercent,
      requiredFundMinor,
      aboveplanMarginMinor: marginFor(requiredFundMinor),
    };
    const group = prizeGroups.find((candidate) => candidate.league === prize.league);
    if (group === undefined) prizeGroups.push({ league: prize.league, prizes: [facts] });
    else group.prizes.push(facts);
  });
  for (const group of prizeGroups) group.prizes.sort((a, b) => a.place - b.place);

  const allFund = required.some((fund) => fund === null)
    ? null
    : Math.max(0, ...(required as number[]));

  return {
    period: {
      start: rules.period.start,
      end: rules.period.end,
      months: monthsBetween({ startMs, endMs }),
    },
    description: rules.description,
    currency: rules.currency,
    criteria: rules.criteria.map((criterion) => {
      const unit = criterion.unit ?? 1;
      const bound = (value: number | null) =>
        value === null
          ? null
          : {
              level: levelOf({ measure: criterion, value: value, unit }),
              points: criterion.weight * value,
            };
      return {
        measure: measureOf(criterion),
        title: criterion.title,
        basis: criterion.basis,
        weight: criterion.weight,
        per: criterion.basis === 'absolute' ? amountOf(criterion.metric, unit) : null,
        cap: bound(criterion.cap),
        floor: bound(criterion.floor),
        minSample: minSampleOf(criterion),
      };
    }),
    gates: rules.eligibility.map((gate) => ({
      measure: measureOf(gate),
      min: levelOf({ measure: gate, value: gate.min, unit: 1 }),
      minSample: minSampleOf(gate),
    })),
    leagues:
      rules.leagues === null
        ? null
        : {
            by: rules.leagues.by,
            newcomerMonths: rules.leagues.by === 'tenure' ? rules.leagues.newcomerMonths : null,
            leagues: prizeGroups.flatMap((group) => (group.league === null ? [] : [group.league])),
          },
    prizeGroups,
    funding: {
      // 0.3 × 100 is 30.000000000000004 in floating point.
      sharePercent: roundTo({ value: rules.funding.fundShare * 100, decimals: 4 }),
      guaranteedMinor: rules.funding.guaranteedMinor > 0 ? rules.funding.guaranteedMinor : null,
      capMinor: rules.funding.capMinor,
      mode: rules.funding.mode,
      totalCostMinor: rules.prizes.reduce((sum, prize) => sum + prize.costMinor, 0),
      allPrizes: { fundMinor: allFund, aboveplanMarginMinor: marginFor(allFund) },
    },
    teams: rules.teamStandings,
  };
}

function measureOf(measure: Measured): RulesMeasure {
  return { metric: measure.metric, product: measure.product, name: measure.name };
}

/** A raw metric value in its units (money in minor units, conversion in %). */
function amountOf(metric: MetricName, value: number): RulesAmount {
  if (isMoneyMetric(metric)) return { kind: 'money', minor: value };
  if (metric === 'conversion') return { kind: 'percent', n: value };
  return { kind: 'count', n: value };
}

/** A normalized value back in the seller's terms: absolute × unit is the metric's amount. */
export function levelOf({
  measure,
  value,
  unit,
}: {
  measure: { basis: Basis; metric: MetricName };
  value: number;
  unit: number;
}): RulesLevel {
  switch (measure.basis) {
    case 'absolute':
      return { basis: 'absolute', amount: amountOf(measure.metric, value * unit) };
    case 'percentOfPlan':
      return { basis: 'percentOfPlan', percent: value };
    case 'growth':
      return { basis: 'growth', percent: value };
  }
}

/** The scoring's minimum samples (see `normalizeMeasure`): avgCheck 1 deal, conversion 1 lead. */
function minSampleOf(measure: Measured): RulesMinSample | null {
  if (measure.metric === 'avgCheck') return { deals: measure.minDeals ?? 1, leads: 0 };
  if (measure.metric === 'conversion')
    return { deals: measure.minDeals ?? 0, leads: measure.minLeads ?? 1 };
  return null;
}
