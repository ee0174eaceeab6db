import type { FieldIssue } from '../api/errors.js';
import { apiIssueText } from '../i18n/codes.js';
import type { Locale, MessageKey } from '../i18n/messages.js';

/** Fields the editor shows in percent while the file holds a fraction (0.3 = 30 %). */
const PERCENT_PATHS = new Set(['funding.fundShare', 'scenario.uplift']);

const toPercent = (fraction: number) => Math.round(fraction * 1e6) / 1e4;

/**
 * A problem of the contest file in the reader's language and in the units of the field on screen.
 * The model's English message is the English text (it names the rule most precisely); another
 * language has the sentence of the issue's code, filled with its params — never a translation of
 * the English words. A bound of a field shown in percent is given in percent.
 */
export function issueText(
  issue: FieldIssue,
  locale: Locale,
  translate: (key: MessageKey) => string,
): string {
  const percent = PERCENT_PATHS.has(issue.path);
  if (locale === 'en') {
    return percent
      ? issue.message.replace(
          /(at (?:least|most)|(?:greater|less) than) (-?\d+(?:\.\d+)?)/,
          (_match, bound: string, value: string) => `${bound} ${toPercent(Number(value))}`,
        )
      : issue.message;
  }
  const params =
    percent && issue.params
      ? Object.fromEntries(
          Object.entries(issue.params).map(([key, value]) => [
            key,
            (key === 'min' || key === 'max') && typeof value === 'number'
              ? toPercent(value)
              : value,
          ]),
        )
      : issue.params;
  return apiIssueText(translate, locale, { ...issue, ...(params ? { params } : {}) });
}
