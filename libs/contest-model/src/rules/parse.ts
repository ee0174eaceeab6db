import { z } from 'zod';
import { contestFileSchema, type ContestFile } from './contest-file.schema.js';
import { contestEventSchema, type ContestEvent } from './event.schema.js';
import { formatJsonPath } from './json-path.js';

/**
 * One problem in an input, with the JSON path of the bad field (`funding.fundShare`), the
 * sentence that says it, and the stable code of the rule it broke (see {@link issueCode}).
 */
export interface ValidationIssue {
  path: string;
  message: string;
  code?: string;
}

/**
 * The stable code of a zod issue, for screens to translate: a refinement's own code, given as
 * `params: { code }` and named like the cell parser's (`required`, `money`), else zod's issue
 * code (`invalid_type`, `too_big`, `too_small`, `invalid_format`, `custom`, ...).
 */
export function issueCode(issue: z.core.$ZodIssue): string {
  const own: unknown = issue.code === 'custom' ? issue.params?.['code'] : undefined;
  return typeof own === 'string' ? own : issue.code;
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
    })),
  };
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
