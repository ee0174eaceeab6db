import { formatPercent } from '../format.js';
import { i18n } from '../i18n/i18n.svelte.js';

/** A share as a percentage in the interface's language: 0.125 → "12.5 %". */
export function percent(share: number, digits = 1): string {
  return formatPercent(share, i18n.locale, digits);
}

/** A return on the prizes, whole percent; "—" when there is none to tell. */
export function roi(value: number | null): string {
  return value === null ? '—' : percent(value, 0);
}
