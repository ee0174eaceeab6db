import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { formatJsonPath } from '@podium/contest-model';
import type { z } from 'zod';

/** One broken rule: the JSON path of the field (`participants[1].plan.turnoverMinor`) and why. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** The body of every validation 4xx: a one-line summary and every issue found. */
export interface ValidationErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly issues: readonly FieldIssue[];
}

export function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): FieldIssue[] {
  return issues.map((issue) => ({
    path: formatJsonPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

export function validationError(issues: readonly FieldIssue[]): BadRequestException {
  const [first] = issues;
  const summary = first ? `${first.path || '(body)'}: ${first.message}` : 'invalid request';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: summary + more,
    issues,
  } satisfies ValidationErrorBody);
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
