import { fill } from '../live-format.js';
import { messages, type Locale, type MessageKey } from './messages.js';

type Params = Readonly<Record<string, string | number>>;

/**
 * The reader's sentence for an issue's stable code, looked up under each of `prefixes` in turn
 * (`cell.money`, `import.code.duplicate`) and filled with the issue's params; a size limit's
 * sentence by its `kind` first (`issue.too_small.string`: "at least 8 characters"). Null for a
 * code the app has no sentence for, so the caller shows the server's English instead.
 */
export function codeText(
  translate: (key: MessageKey) => string,
  code: string | undefined,
  params: Params = {},
  prefixes: readonly string[] = ['cell.'],
): string | null {
  if (code === undefined) return null;
  const kind = params['kind'];
  for (const prefix of prefixes) {
    const keys = [`${prefix}${code}`];
    if (typeof kind === 'string') keys.unshift(`${prefix}${code}.${kind}`);
    for (const key of keys) {
      if (key in messages.en) return fill(translate(key as MessageKey), { ...params });
    }
  }
  return null;
}

/** The prefixes an API issue's code is looked up under: the API's codes, then the cell parser's. */
export const API_ISSUE_PREFIXES = ['issue.', 'cell.'] as const;

/**
 * Codes whose sentence only says "is invalid": the server's own message says what is wrong, so
 * an English screen shows it, and another language the translated generic sentence.
 */
const GENERIC_CODES: ReadonlySet<string> = new Set(['invalid', 'custom']);

/** What an issue of a refused API request says to the reader, in the screen's language. */
export function apiIssueText(
  translate: (key: MessageKey) => string,
  locale: Locale,
  issue: { readonly message: string; readonly code?: string; readonly params?: Params },
): string {
  if (locale === 'en' && issue.code !== undefined && GENERIC_CODES.has(issue.code)) {
    return issue.message;
  }
  return codeText(translate, issue.code, issue.params, API_ISSUE_PREFIXES) ?? issue.message;
}
