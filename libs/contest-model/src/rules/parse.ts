import { z } from 'zod';
import { contestFileSchema, FILE_ISSUE_CODES, type ContestFile } from './contest-file.schema.js';
import { contestEventSchema, type ContestEvent } from './event.schema.js';
import { formatJsonPath } from './json-path.js';
import type { CellCode } from '../parse/cell.js';

/**
 * One problem in an input, with the JSON path of the bad field (`funding.fundShare`), the
 * sentence that says it, and the stable code of the rule it broke (see {@link issueCode}).
 */
export interface ValidationIssue {
  path: string;
  message: string;
  code?: IssueCode;
  params?: Readonly<Record<string, string | number>>;
}

/** zod's own issue codes (zod 4), for a schema's checks. */
export const ZOD_ISSUE_CODES = [
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'custom',
] as const satisfies readonly z.core.$ZodIssue['code'][];

/**
 * The codes of our own rules, named like the cell parser's refusals: what a refinement gives as
 * `params: { code }` and what the API's services and pipes name directly. `invalid` is an issue
 * built without a code.
 */
export const OWN_ISSUE_CODES = [
  'invalid',
  'required',
  'exclusive',
  'nameTaken',
  'sourceTaken',
  'sourceFixed',
  'revoked',
  'privateAddress',
  'unknownParticipant',
  'sellerOnly',
  'unstorable',
  'notUtf8',
  'blankPassword',
  'commonPassword',
  'unknownContest',
  'notCounted',
  'notReversible',
  'outsidePeriod',
  'imageFormat',
  'imageCorrupt',
  'imagePixels',
  'saleOnly',
  'unsupported',
  'requiresApi',
] as const;

/** The cell parser's codes ({@link CellCode}), which forms and connectors answer with too. */
export const CELL_ISSUE_CODES = [
  'tooLong',
  'money',
  'number',
  'integer',
  'positive',
  'negative',
  'tooLarge',
  'date',
  'month',
  'instant',
  'boolean',
  'role',
  'eventType',
] as const satisfies readonly CellCode[];

/** Every code an issue of a 400 can carry: each screen has a sentence for each. */
export const ISSUE_CODES: readonly IssueCode[] = [
  ...ZOD_ISSUE_CODES,
  ...OWN_ISSUE_CODES,
  ...FILE_ISSUE_CODES,
  ...CELL_ISSUE_CODES,
];

export type IssueCode =
  | (typeof ZOD_ISSUE_CODES)[number]
  | (typeof OWN_ISSUE_CODES)[number]
  | (typeof FILE_ISSUE_CODES)[number]
  | (typeof CELL_ISSUE_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set<string>(ISSUE_CODES);

/**
 * The stable code of a zod issue, for screens to translate: a refinement's own code, given as
 * `params: { code }` and named like the cell parser's (`required`, `money`), else zod's issue
 * code (`invalid_type`, `too_big`, `too_small`, `invalid_format`, `custom`, ...). A refinement's
 * code missing from {@link OWN_ISSUE_CODES} answers `custom`, which every screen can say.
 */
export function issueCode(issue: z.core.$ZodIssue): IssueCode {
  const own: unknown = issue.code === 'custom' ? issue.params?.['code'] : undefined;
  return typeof own === 'string' && KNOWN_CODES.has(own) ? (own as IssueCode) : issue.code;
}

/**
 * The values an issue's sentence needs: a format's `kind` (`date`, `datetime`, `regex`, …), a
 * size limit's `min`/`max`, and `kind`, which sentence
 * says it — `string` (characters), `array` (items), `exclusive` (a number's bound it must pass),
 * else a number's inclusive bound — so a screen can say "at least 8 characters". A refinement
 * gives its own next to its code: `params: { code: 'too_small', kind: 'string', min: 8 }`.
 */
export function issueParams(
  issue: z.core.$ZodIssue,
): Readonly<Record<string, string | number>> | undefined {
  if (issue.code === 'custom') {
    const own = Object.entries(issue.params ?? {}).filter(
      (entry): entry is [string, string | number] =>
        entry[0] !== 'code' && (typeof entry[1] === 'string' || typeof entry[1] === 'number'),
    );
    return own.length > 0 ? Object.fromEntries(own) : undefined;
  }
  // Which format: a screen can say "a date YYYY-MM-DD" rather than "not in the expected format".
  if (issue.code === 'invalid_format') return { kind: issue.format };
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const kind =
    issue.origin === 'string' || issue.origin === 'array'
      ? issue.origin
      : issue.inclusive === false
        ? 'exclusive'
        : 'inclusive';
  return issue.code === 'too_small'
    ? { kind, min: Number(issue.minimum) }
    : { kind, max: Number(issue.maximum) };
}

export type ParseResult<T> =
  { success: true; data: T } | { success: false; issues: ValidationIssue[] };

/** Validates a contest file (already parsed from JSON) and applies the defaults. */
export function parseContestFile(input: unknown): ParseResult<ContestFile> {
  return toResult(contestFileSchema.safeParse(input, { error: friendlyMessage }));
}

/** Validates one ingested event and applies the defaults. */
export function parseContestEvent(input: unknown): ParseResult<ContestEvent> {
  return toResult(contestEventSchema.safeParse(input, { error: friendlyMessage }));
}

function toResult<T>(result: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (result.success) {
    return { success: true, data: result.data };
  }
  return {
    success: false,
    issues: result.error.issues.map((issue) => ({
      path: formatJsonPath(issue.path),
      message: issue.message,
      code: issueCode(issue),
      ...paramsOf(issue),
    })),
  };
}

function paramsOf(issue: z.core.$ZodIssue): { params?: Readonly<Record<string, string | number>> } {
  const params = issueParams(issue);
  return params === undefined ? {} : { params };
}

/** Messages that say what the rule is, for people editing a contest file by hand. */
function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} items`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'int' && issue.maximum === Number.MAX_SAFE_INTEGER) {
        return 'must be a safe integer (at most 9007199254740991)';
      }
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'int' && issue.minimum === Number.MIN_SAFE_INTEGER) {
        return 'must be a safe integer (at least -9007199254740991)';
      }
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'invalid_format':
      if (issue.format === 'date') return 'must be a date YYYY-MM-DD';
      if (issue.format === 'datetime')
        return 'must be an ISO 8601 instant with a zone, e.g. 2026-03-02T10:00:00Z';
      return undefined;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_union':
      if ('discriminator' in issue && Array.isArray(issue['options'])) {
        return `must be one of ${(issue['options'] as unknown[]).map((option) => JSON.stringify(option)).join(', ')}`;
      }
      return 'must be a date YYYY-MM-DD or an ISO 8601 instant with a zone';
    default:
      return undefined;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
