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
