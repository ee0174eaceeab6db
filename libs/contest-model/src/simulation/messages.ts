/** A plain-language message of the simulator: a stable key, its parameters and both texts. */
export interface SimulationMessage {
  key: MessageKey;
  /** `warning` counts toward the `unbalanced` verdict; `info` does not. */
  severity: 'warning' | 'info';
  params: Record<string, string | number>;
  text: LocalizedText;
}

export interface LocalizedText {
  en: string;
  ru: string;
}

/**
 * Message texts, English and Russian. `{name}` is replaced by a parameter; shares are passed
 * already formatted as whole percentages. Keys are stable: the web app may carry its own texts.
 */
export const SIMULATION_MESSAGES = {
  'fairness.newcomers': {
    en: 'Newcomers hold {prizeShare} of prize chances but are {headcountShare} of the team.',
    ru: 'У новичков {prizeShare} шансов на призы, хотя их {headcountShare} команды.',
  },
  'fairness.fewContenders': {
    en: 'Only about {contenders} sellers have a real chance at the {places} prize places.',
    ru: 'Реальные шансы на {places} призовых мест есть лишь примерно у {contenders} продавцов.',
  },
  'fairness.dominantFirst': {
    en: '{name} takes first place in {pFirst} of simulated outcomes.',
    ru: '{name} занимает первое место в {pFirst} смоделированных исходов.',
  },
  'fund.unlikely': {
    en: 'The fund covers every prize in only {pAllPrizesFunded} of outcomes.',
    ru: 'Фонд покрывает все призы лишь в {pAllPrizesFunded} исходов.',
  },
  'remedy.percentOfPlan.title': {
    en: 'Score absolute criteria as a percentage of plan',
    ru: 'Считать абсолютные критерии в процентах от плана',
  },
  'remedy.percentOfPlan.description': {
    en: 'Absolute criteria ({criteria}) switch to a percentage of plan, weighted to keep their share of points; each seller is measured against their own plan.',
    ru: 'Абсолютные критерии ({criteria}) переходят на % от плана с весом, сохраняющим их долю баллов; каждый продавец соревнуется со своим планом.',
  },
  'remedy.newcomerLeague.title': {
    en: 'Add a newcomer league',
    ru: 'Добавить лигу новичков',
  },
  'remedy.newcomerLeague.description': {
    en: 'Newcomers compete among themselves for one prize worth {cost}; the existing places go to veterans.',
    ru: 'Новички соревнуются между собой за отдельный приз стоимостью {cost}; прежние места разыгрывают ветераны.',
  },
  'remedy.capDominantCriterion.title': {
    en: 'Cap the dominant criterion',
    ru: 'Ограничить доминирующий критерий',
  },
  'remedy.capDominantCriterion.description': {
    en: 'Criterion {criterion} gives {pointsShare} of all points; it would count only up to {capLevel}.',
    ru: 'Критерий {criterion} даёт {pointsShare} всех баллов; он будет засчитываться только до {capLevel}.',
  },
  'remedy.extraPlace.title': {
    en: 'One more prize place',
    ru: 'Ещё одно призовое место',
  },
  'remedy.extraPlace.description': {
    en: 'Every prize group gets one more place at the cost of its current last place ({cost} in all).',
    ru: 'В каждой призовой группе появляется ещё одно место по цене её последнего места (всего {cost}).',
  },
} as const satisfies Record<string, LocalizedText>;

export type MessageKey = keyof typeof SIMULATION_MESSAGES;

/** An amount a message names: integer minor units of a currency. */
export interface MoneyParam {
  minor: number;
  currency: string;
}

/**
 * Fills a message's texts with its parameters. Amounts (`money`) are written in each language as
 * the screens write money ("25 000 ₽", "₽25,000"); `params` carries each one as the
 * locale-neutral `name` ("25000.00 RUB"), `nameMinor` and `currency`, for a screen with its own
 * texts. A `localized` parameter is already written in each language (a level such as "150 % of
 * plan"); the screens with their own texts rebuild it from the neutral `params`.
 */
export function simulationMessage({
  key,
  severity = 'warning',
  params: plain = {},
  money = {},
  localized = {},
}: {
  key: MessageKey;
  severity?: 'warning' | 'info';
  params?: Record<string, string | number>;
  money?: Record<string, MoneyParam>;
  localized?: Record<string, LocalizedText>;
}): SimulationMessage {
  const params: Record<string, string | number> = { ...plain };
  for (const [name, amount] of Object.entries(money)) {
    params[name] = formatMoney(amount);
    params[`${name}Minor`] = amount.minor;
    params['currency'] = amount.currency;
  }
  const fill = (template: string, locale: keyof LocalizedText) =>
    template.replace(/\{(\w+)\}/g, (match, name: string) => {
      const amount = money[name];
      if (amount !== undefined) return formatMoneyIn(locale, amount);
      const written = localized[name];
      if (written !== undefined) return written[locale];
      if (!(name in params)) return match;
      const value = params[name];
      // Russian writes a decimal comma: 1.8 → "1,8", "0.6 %" → "0,6 %" (params stay neutral).
      if (locale === 'ru' && (typeof value === 'number' || SHARE.test(String(value)))) {
        return String(value).replace('.', ',');
      }
      return String(value);
    });
  const texts = SIMULATION_MESSAGES[key];
  return {
    key,
    severity,
    params,
    text: { en: fill(texts.en, 'en'), ru: fill(texts.ru, 'ru') },
  };
}

/** What {@link formatShare} writes. */
const SHARE = /^\d+(\.\d+)? %$/;

/** 0.0412 → "4 %" (whole percent; below 1 % one decimal). */
export function formatShare(share: number): string {
  const percent = share * 100;
  const shown = percent > 0 && percent < 1 ? percent.toFixed(1) : String(Math.round(percent));
  return `${shown} %`;
}

/** 12000000 minor units of RUB → "120000.00 RUB" (locale-neutral, for `params`). */
export function formatMoney({ minor, currency }: { minor: number; currency: string }): string {
  return `${(minor / 100).toFixed(2)} ${currency}`;
}

const MONEY_LOCALES: Record<keyof LocalizedText, string> = { en: 'en-US', ru: 'ru-RU' };

/** A number as each language writes it: 1250.5 → "1,250.5" (en), "1 250,5" (ru). */
export function formatNumberIn(locale: keyof LocalizedText, value: number): string {
  return new Intl.NumberFormat(MONEY_LOCALES[locale], { maximumFractionDigits: 2 }).format(value);
}

/**
 * Money as the screens write it: 2500000 minor units of RUB → "25 000 ₽" (ru), "₽25,000" (en);
 * kopecks only when there are any.
 */
export function formatMoneyIn(
  locale: keyof LocalizedText,
  { minor, currency }: MoneyParam,
): string {
  return new Intl.NumberFormat(MONEY_LOCALES[locale], {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: minor % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(minor / 100);
}
