import type { CriterionRow, LiveContestState, MetricName } from '@podium/contest-model';
import { formatMoney, formatNumber } from './format.js';
import type { Locale, MessageKey } from './i18n/messages.js';

/**
 * Formatting shared by the live screens: texts with `{placeholders}`, plural forms, criteria in
 * their own units, "what it takes" amounts, clock times and countdowns. Types only from the
 * contest model, so a screen importing this does not pull the model (and zod) into its bundle.
 */

type Translate = (key: MessageKey) => string;

const localeTags: Record<Locale, string> = { en: 'en-US', ru: 'ru-RU' };

/** Replaces `{name}` in a text with the given values. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The plural category for `n` in `locale`, narrowed to the forms the message files carry. */
export function pluralOf(n: number, locale: Locale): 'one' | 'few' | 'many' | 'other' {
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(localeTags[locale]);
    pluralRules.set(locale, rules);
  }
  const category = rules.select(n);
  return category === 'one' || category === 'few' || category === 'many' ? category : 'other';
}

/** Money metrics are minor units; the others are counts or percentages. */
export function isMoneyMetric(metric: MetricName): boolean {
  return (
    metric === 'turnover' ||
    metric === 'margin' ||
    metric === 'productTurnover' ||
    metric === 'avgCheck'
  );
}

interface Measure {
  readonly metric: MetricName;
  readonly product?: string | null;
  readonly name?: string | null;
}

/** "Turnover", "New clients", "Turnover: Widgets", a counter's own name. */
export function criterionLabel(measure: Measure, t: Translate): string {
  if (measure.metric === 'counter') return measure.name ?? t('board.metric.counter');
  const label = t(`board.metric.${measure.metric}`);
  return fill(label, { product: measure.product ?? '' });
}

/** A criterion's raw value in its units: money, a count, or a percentage; null when hidden. */
export function formatCriterionValue(
  row: Pick<CriterionRow, 'metric' | 'value'>,
  currency: string,
  locale: Locale,
): string | null {
  if (row.value === null) return null;
  if (isMoneyMetric(row.metric)) return formatMoney(row.value, currency, locale);
  if (row.metric === 'conversion') return `${formatNumber(row.value, locale, 1)} %`;
  return formatNumber(row.value, locale, 2);
}

/** What the normalized value means: "105 % of plan", "+12 % vs usual", or nothing for absolute. */
export function formatNormalized(
  row: Pick<CriterionRow, 'basis' | 'normalized'>,
  locale: Locale,
  t: Translate,
): string | null {
  if (row.normalized === null) return null;
  if (row.basis === 'percentOfPlan')
    return fill(t('board.basis.percentOfPlan'), { n: formatNumber(row.normalized, locale, 0) });
  if (row.basis === 'growth') {
    const sign = row.normalized > 0 ? '+' : '';
    return fill(t('board.basis.growth'), {
      n: sign + formatNumber(row.normalized, locale, 0),
    });
  }
  return null;
}

/**
 * "+180 000 ₽ turnover", "+2 new clients", "+1 won deal on the same leads": the amount of one
 * criterion's metric that "what it takes" asks for, in that metric's units (DESIGN §3.4).
 */
export function formatTake(
  measure: Measure,
  amount: number,
  currency: string,
  locale: Locale,
  t: Translate,
): string {
  const product = measure.product ?? '';
  switch (measure.metric) {
    case 'turnover':
    case 'margin':
    case 'avgCheck':
    case 'productTurnover':
      return fill(t(`board.take.${measure.metric}`), {
        amount: formatMoney(amount, currency, locale),
        product,
      });
    case 'counter':
      return fill(t('board.take.counter'), {
        n: formatNumber(amount, locale, 0),
        name: measure.name ?? t('board.metric.counter'),
      });
    case 'deals':
    case 'newClients':
    case 'conversion':
    case 'productUnits':
      return fill(t(`board.take.${measure.metric}.${pluralOf(amount, locale)}`), {
        n: formatNumber(amount, locale, 0),
        product,
      });
  }
}

const pointsFormats = new Map<Locale, Intl.NumberFormat>();

/** Points always with two decimals, so columns of them line up. */
export function formatPointsNumber(points: number, locale: Locale): string {
  let format = pointsFormats.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(localeTags[locale], {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    pointsFormats.set(locale, format);
  }
  return format.format(points);
}

/** "155.19 points" / "155,19 балла". */
export function formatPoints(points: number, locale: Locale, t: Translate): string {
  return fill(t(`board.points.${pluralOf(points, locale)}`), {
    n: formatPointsNumber(points, locale),
  });
}

/** A league's name: the four the model names are translated, any other is shown as given. */
export function leagueLabel(league: string | null, t: Translate): string | null {
  if (league === null) return null;
  switch (league) {
    case 'veteran':
    case 'newcomer':
    case 'hunter':
    case 'farmer':
      return t(`board.league.${league}`);
    default:
      return league;
  }
}

const clockFormats = new Map<Locale, Intl.DateTimeFormat>();

/** "14:05" in the reader's language. */
export function formatClock(date: Date, locale: Locale): string {
  let format = clockFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(localeTags[locale], { hour: '2-digit', minute: '2-digit' });
    clockFormats.set(locale, format);
  }
  return format.format(date);
}

/** "3 December" in the reader's language. */
export function formatDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTags[locale], { day: 'numeric', month: 'long' }).format(
    date,
  );
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "12 d 04:31:10" or "04:31:10". */
export function formatDuration(ms: number, t: Translate, { seconds = true } = {}): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const clock = seconds
    ? `${pad(hours)}:${pad(minutes)}:${pad(total % 60)}`
    : `${pad(hours)}:${pad(minutes)}`;
  return days > 0 ? `${fill(t('board.days'), { n: days })} ${clock}` : clock;
}

/**
 * The line under a contest's name: how long until it starts or ends, or that it is closing or
 * finished. `graceDays` is how long late deals are taken after the end (null when unknown).
 */
export function countdownText({
  state,
  period,
  graceDays,
  now,
  locale,
  t,
  seconds = true,
}: {
  state: LiveContestState;
  period: { start: string; end: string };
  graceDays: number | null;
  now: number;
  locale: Locale;
  t: Translate;
  seconds?: boolean;
}): string {
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  switch (state) {
    case 'draft':
    case 'scheduled':
      return fill(t('board.startsIn'), { time: formatDuration(start - now, t, { seconds }) });
    case 'live':
      return now < end
        ? fill(t('board.endsIn'), { time: formatDuration(end - now, t, { seconds }) })
        : fill(t('board.closing'), {
            date: formatDay(new Date(end + (graceDays ?? 0) * 86_400_000), locale),
          });
    case 'closing':
      return fill(t('board.closing'), {
        date: formatDay(new Date(end + (graceDays ?? 0) * 86_400_000), locale),
      });
    case 'closed':
      return t('board.closed');
  }
}
