import { isMoneyMetric, type MetricName } from '@podium/contest-model';
import { formatMoney, formatNumber } from '../format.js';
import type { Schemas } from '../api/client.js';
import type { Locale, MessageKey } from '../i18n/messages.js';
import { criterionLabel } from '../live-format.js';

/** A criterion's raw value in its units: money, a percentage or a count; a dash when hidden. */
export function formatMetric(
  metric: MetricName,
  value: number | null,
  currency: string,
  locale: Locale,
): string {
  if (value === null) return '—';
  if (isMoneyMetric(metric)) return formatMoney(value, currency, locale);
  if (metric === 'conversion') return `${formatNumber(value, locale, 1)} %`;
  return formatNumber(value, locale);
}

/**
 * The criteria's titles from the contest file, else the metric's name in the reader's language
 * (with its product, or a counter's own name): a criterion without a title never shows its
 * metric's identifier.
 */
export function criterionTitles(
  file: Pick<Schemas['ContestDefinition'], 'criteria'> | null,
  t: (key: MessageKey) => string,
): string[] {
  return (file?.criteria ?? []).map((criterion) => criterion.title ?? criterionLabel(criterion, t));
}

export function formatDate(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleDateString(locale === 'ru' ? 'ru-RU' : 'en-US', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function formatDateTime(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-US', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A contest period, whose end is exclusive (the day after the last day). */
export function formatPeriod(period: { start: string; end: string }, locale: Locale): string {
  const last = new Date(Date.parse(period.end) - 1).toISOString();
  return `${formatDate(period.start, locale)} – ${formatDate(last, locale)}`;
}
