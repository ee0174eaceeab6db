import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { formatJsonPath, issueCode, issueParams, type IssueCode } from '@podium/contest-model';
import type { z } from 'zod';

/**
 * One broken rule: the JSON path of the field (`participants[1].plan.turnoverMinor`), why (an
 * English sentence, for API users and logs) and the rule's stable code, which screens translate:
 * - zod's own issue code for a schema's checks (`invalid_type`, `too_big`, `too_small`,
 *   `invalid_format`, `invalid_value`, `unrecognized_keys`, ...);
 * - for our rules, a camelCase code named as the model's parser names its refusals (`CellCode`:
 *   `required`, `money`, `tooLong`, ...), given to a refinement as `params: { code }`;
 * - `custom` for a refinement with no code of its own, `invalid` for an issue built without one.
 * Every code is one of `ISSUE_CODES`, which the web app has a sentence for. `params` holds what
 * the sentence needs (`{ kind: 'string', min: 8 }` for "at least 8 characters").
 */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: IssueCode | undefined;
  readonly params?: Readonly<Record<string, string | number>> | undefined;
}

/** An issue as a 400 answers it: always with its code. */
export interface AnsweredIssue {
  readonly path: string;
  readonly message: string;
  readonly code: IssueCode;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** The code of an issue built without one. */
export const UNCODED_ISSUE: IssueCode = 'invalid';

/** The body of every validation 4xx: a one-line summary and every issue found. */
export interface ValidationErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly issues: readonly AnsweredIssue[];
}

export function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): AnsweredIssue[] {
  return issues.map((issue) => {
    const params = issueParams(issue);
    return {
      path: formatJsonPath([...prefix, ...issue.path]),
      message: issue.message,
      code: issueCode(issue),
      ...(params === undefined ? {} : { params }),
    };
  });
}

/** The body of a 400 naming `issues`: every 400 of a refused field is built here. */
export function validationErrorBody(issues: readonly FieldIssue[]): ValidationErrorBody {
  const [first] = issues;
  const summary = first ? `${first.path || '(body)'}: ${first.message}` : 'invalid request';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    statusCode: 400,
    error: 'Bad Request',
    message: summary + more,
    issues: issues.map(({ path, message, code, params }) => ({
      path,
      message,
      code: code ?? UNCODED_ISSUE,
      ...(params === undefined ? {} : { params }),
    })),
  };
}

export function validationError(issues: readonly FieldIssue[]): BadRequestException {
  return new BadRequestException(validationErrorBody(issues));
}

/** Validates and converts a body, query or parameter with a zod schema; a 400 names each field. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw validationError(fieldIssues(result.error.issues));
    return result.data;
  }
}
