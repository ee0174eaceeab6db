import type { Locale } from './i18n/messages.js';

const localeTags: Record<Locale, string> = { en: 'en-US', ru: 'ru-RU' };

/**
 * Money from integer minor units, in the contest's currency and the reader's language: the
 * narrow symbol in both languages ("56 878 ₽", "₽56,878"), never the ISO code.
 */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(localeTags[locale], {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    maximumFractionDigits: 0,
  }).format(minor / 100);
}

/**
 * The currency's narrow symbol in the reader's language ("₽" for RUB, "$" for USD), as
 * {@link formatMoney} shows it: for labels such as "Стоимость, ₽". A code Intl does not accept (one
 * being typed) is shown as it is.
 */
export function currencySymbol(currency: string, locale: Locale): string {
  try {
    const parts = new Intl.NumberFormat(localeTags[locale], {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
    }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

export function formatNumber(value: number, locale: Locale, fractionDigits = 2): string {
  return new Intl.NumberFormat(localeTags[locale], {
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** A share as a percentage in the reader's language: 0.125 → "12.5 %" ("12,5 %" in Russian). */
export function formatPercent(share: number, locale: Locale, fractionDigits = 1): string {
  return new Intl.NumberFormat(localeTags[locale], {
    style: 'percent',
    maximumFractionDigits: fractionDigits,
  }).format(share);
}

/**
 * A probability as a whole percent. A forecast that is not final is never certain: below 1 % it
 * reads "<1 %" and above 99 % ">99 %", not 0 % or 100 %; a final one (the period is over) says
 * what happened.
 */
export function formatChance(p: number, locale: Locale, final = false): string {
  if (!final && p < 0.005) return `<${formatPercent(0.01, locale, 0)}`;
  if (!final && p >= 0.995) return `>${formatPercent(0.99, locale, 0)}`;
  return formatPercent(p, locale, 0);
}
