import type {
  ContestRules,
  CriterionFacts,
  RulesAmount,
  RulesFacts,
  RulesLevel,
  RulesMeasure,
  RulesMinSample,
} from '@podium/contest-model';
// By its own path: the facts without the model's schemas (and zod) in the phone and TV bundles.
import { describeRules } from '@podium/contest-model/describe-rules';
import { formatPeriod } from './components/ManagerFormat.js';
import { formatMoney, formatNumber } from './format.js';
import type { Locale, MessageKey } from './i18n/messages.js';
import { criterionLabel, fill, leagueLabel, pluralOf } from './live-format.js';

type Translate = (key: MessageKey) => string;

export interface CriterionText {
  title: string;
  /** What one step is worth: "10 points for every new client". */
  main: string;
  weight: string;
  /** Cap, floor, growth and minimum-sample notes, in that order. */
  notes: string[];
  /** The cap's level alone ("200 % of plan"), for a screen with room for few words. */
  capLevel: string | null;
}

export interface PrizeText {
  place: number;
  league: string | null;
  title: string;
  costMinor: number;
  hasImage: boolean;
  placeText: string;
  cost: string;
  /** Pool share, and what unlocks it; null when the funding mode says it for every prize. */
  share: string | null;
  unlock: string | null;
}

/** The rules in the reader's language: every section of `describeRules`, as sentences. */
export interface RulesText {
  currency: string;
  period: string;
  description: string | null;
  criteria: CriterionText[];
  pointsNote: string;
  gates: string[];
  gatesNote: string;
  leagues: string | null;
  prizeGroups: { league: string | null; label: string | null; prizes: PrizeText[] }[];
  funding: string[];
  /** "30 % of the margin above plan, guaranteed ₽50,000, at most ₽500,000". */
  fundingShort: string;
  teams: string | null;
}

/** Puts the rules into words in `locale` (texts in `messages/rules.ts`). */
export function rulesText(rules: ContestRules, locale: Locale, t: Translate): RulesText {
  const facts = describeRules({ rules });
  const words = new Words(facts.currency, locale, t);
  const { funding } = facts;
  const money = (minor: number) => formatMoney(minor, facts.currency, locale);
  const fundingLines = [fill(t('rules.fund.share'), { n: words.number(funding.sharePercent) })];
  if (funding.guaranteedMinor !== null)
    fundingLines.push(fill(t('rules.fund.guaranteed'), { amount: money(funding.guaranteedMinor) }));
  if (funding.capMinor !== null)
    fundingLines.push(fill(t('rules.fund.cap'), { amount: money(funding.capMinor) }));
  fundingLines.push(t(`rules.fund.mode.${funding.mode}`));
  fundingLines.push(fill(t('rules.fund.total'), { amount: money(funding.totalCostMinor) }));
  const all = funding.allPrizes.aboveplanMarginMinor;
  fundingLines.push(
    all === null
      ? t('rules.fund.allNever')
      : all === 0
        ? t('rules.fund.allGuaranteed')
        : fill(t('rules.fund.all'), { amount: money(all) }),
  );
  const short = [fill(t('rules.fund.short'), { n: words.number(funding.sharePercent) })];
  if (funding.guaranteedMinor !== null)
    short.push(fill(t('rules.fund.shortGuaranteed'), { amount: money(funding.guaranteedMinor) }));
  if (funding.capMinor !== null)
    short.push(fill(t('rules.fund.shortCap'), { amount: money(funding.capMinor) }));

  return {
    currency: facts.currency,
    period: fill(t('rules.period'), { period: formatPeriod(facts.period, locale) }),
    description: facts.description,
    criteria: facts.criteria.map((criterion) => words.criterion(criterion)),
    pointsNote: t('rules.points.sum'),
    gates:
      facts.gates.length === 0
        ? [t('rules.gates.none')]
        : facts.gates.map((gate) =>
            [
              fill(t('rules.gates.line'), {
                metric: criterionLabel(gate.measure, t),
                level: words.level(gate.measure, gate.min),
              }),
              ...(gate.minSample === null ? [] : [words.minSample(gate.minSample)]),
            ].join('. '),
          ),
    gatesNote: facts.gates.length === 0 ? '' : t('rules.gates.note'),
    leagues: leaguesText(facts, t),
    prizeGroups: facts.prizeGroups.map((group) => ({
      league: group.league,
      label: leagueLabel(group.league, t),
      prizes: group.prizes.map((prize) => ({
        place: prize.place,
        league: prize.league,
        title: prize.title,
        costMinor: prize.costMinor,
        hasImage: prize.hasImage,
        placeText: fill(t('board.place'), { n: prize.place }),
        cost: fill(t('rules.prizes.cost'), { amount: money(prize.costMinor) }),
        share:
          prize.poolPercent === null
            ? null
            : fill(t('rules.prizes.pool'), { n: words.number(prize.poolPercent) }),
        unlock:
          funding.mode === 'proRata'
            ? null
            : prize.aboveplanMarginMinor === null
              ? t('board.neverUnlocks')
              : prize.aboveplanMarginMinor === 0
                ? t('rules.prizes.guaranteed')
                : fill(t('rules.prizes.unlocksAt'), { amount: money(prize.aboveplanMarginMinor) }),
      })),
    })),
    funding: fundingLines,
    fundingShort: short.join(', '),
    teams:
      facts.teams === null
        ? null
        : fill(t(`rules.teams.${facts.teams.aggregate}`), { n: facts.teams.teams }),
  };
}

function leaguesText(facts: RulesFacts, t: Translate): string | null {
  const { leagues } = facts;
  if (leagues === null) return null;
  switch (leagues.by) {
    case 'tenure':
      return fill(t('rules.leagues.tenure'), { n: leagues.newcomerMonths ?? 0 });
    case 'role':
      return t('rules.leagues.role');
    case 'team':
      return t('rules.leagues.team');
    case 'field':
      return fill(t('rules.leagues.field'), {
        leagues: leagues.leagues.map((league) => leagueLabel(league, t) ?? league).join(', '),
      });
  }
}

/** Amounts, levels and counts in the reader's language. */
class Words {
  constructor(
    private readonly currency: string,
    private readonly locale: Locale,
    private readonly t: Translate,
  ) {}

  number(value: number): string {
    return formatNumber(value, this.locale, 2);
  }

  points(value: number): string {
    return fill(this.t(`rules.points.${pluralOf(value, this.locale)}`), { n: this.number(value) });
  }

  /** "3 deals", "₽50,000", "12 % conversion": an amount of a measure. */
  amount(measure: RulesMeasure, amount: RulesAmount): string {
    switch (amount.kind) {
      case 'money':
        return formatMoney(amount.minor, this.currency, this.locale);
      case 'percent':
        return fill(this.t('rules.level.conversion'), { n: this.number(amount.n) });
      case 'count':
        return this.count(measure, amount.n);
    }
  }

  count(measure: RulesMeasure, n: number): string {
    const values = { n: this.number(n), product: measure.product ?? '', name: measure.name ?? '' };
    switch (measure.metric) {
      case 'deals':
      case 'newClients':
      case 'productUnits':
        return fill(this.t(`rules.count.${measure.metric}.${pluralOf(n, this.locale)}`), values);
      default:
        return fill(this.t('rules.count.counter'), {
          ...values,
          name: measure.name ?? criterionLabel(measure, this.t),
        });
    }
  }

  level(measure: RulesMeasure, level: RulesLevel): string {
    switch (level.basis) {
      case 'absolute':
        return this.amount(measure, level.amount);
      case 'percentOfPlan':
        return fill(this.t('rules.level.percentOfPlan'), { n: this.number(level.percent) });
      case 'growth':
        return fill(this.t('rules.level.growth'), {
          n: (level.percent > 0 ? '+' : '') + this.number(level.percent),
        });
    }
  }

  minSample(sample: RulesMinSample): string {
    const parts = [
      ...(sample.deals > 0
        ? [this.count({ metric: 'deals', product: null, name: null }, sample.deals)]
        : []),
      ...(sample.leads > 0
        ? [
            fill(this.t(`rules.count.leads.${pluralOf(sample.leads, this.locale)}`), {
              n: this.number(sample.leads),
            }),
          ]
        : []),
    ];
    const [a, b] = parts;
    const list = b === undefined ? (a ?? '') : fill(this.t('rules.and'), { a: a ?? '', b });
    return fill(this.t('rules.minSample'), { sample: list });
  }

  /** "10 points for every new client", "1 point for every ₽10,000 of turnover". */
  perStep(criterion: CriterionFacts): string {
    const points = this.points(criterion.weight);
    const { measure, per } = criterion;
    if (criterion.basis === 'percentOfPlan')
      return fill(this.t('rules.per.percentOfPlan'), { points });
    if (criterion.basis === 'growth') return fill(this.t('rules.per.growth'), { points });
    if (per === null) return points;
    switch (per.kind) {
      case 'money':
        return fill(this.t('rules.per.money'), {
          points,
          amount: formatMoney(per.minor, this.currency, this.locale),
          metric: this.metricWord(measure),
        });
      case 'percent':
        return per.n === 1
          ? fill(this.t('rules.per.percent.one'), { points })
          : fill(this.t('rules.per.percent'), { points, n: this.number(per.n) });
      case 'count':
        if (per.n === 1) {
          switch (measure.metric) {
            case 'deals':
            case 'newClients':
            case 'productUnits':
            case 'counter':
              return fill(this.t(`rules.per.one.${measure.metric}`), {
                points,
                product: measure.product ?? '',
                name: measure.name ?? '',
              });
          }
        }
        return fill(this.t('rules.per.count'), { points, count: this.count(measure, per.n) });
    }
  }

  /** "of turnover", "маржи": a money metric after an amount. */
  metricWord(measure: RulesMeasure): string {
    switch (measure.metric) {
      case 'turnover':
      case 'margin':
      case 'avgCheck':
      case 'productTurnover':
        return fill(this.t(`rules.metricWord.${measure.metric}`), {
          product: measure.product ?? '',
        });
      default:
        return criterionLabel(measure, this.t);
    }
  }

  criterion(criterion: CriterionFacts): CriterionText {
    const { measure } = criterion;
    const capLevel = criterion.cap === null ? null : this.level(measure, criterion.cap.level);
    const notes =
      criterion.cap === null || capLevel === null
        ? []
        : [
            fill(this.t('rules.cap'), {
              level: capLevel,
              points: this.points(criterion.cap.points),
            }),
          ];
    if (criterion.floor !== null)
      notes.push(
        fill(this.t('rules.floor'), {
          level: this.level(measure, criterion.floor.level),
          points: this.points(criterion.floor.points),
        }),
      );
    if (criterion.basis === 'growth') {
      notes.push(this.t('rules.growth.usual'));
      if (criterion.floor === null || criterion.floor.points < 0)
        notes.push(this.t('rules.growth.minus'));
    }
    if (criterion.minSample !== null) notes.push(this.minSample(criterion.minSample));
    return {
      title: criterion.title ?? criterionLabel(measure, this.t),
      main: this.perStep(criterion),
      weight: fill(this.t('rules.weight'), { n: this.number(criterion.weight) }),
      notes,
      capLevel,
    };
  }
}
