import type { PipeTransform } from '@nestjs/common';
import { formatJsonPath } from '@podium/contest-model';
import type { z } from 'zod';
import {
  fieldIssues,
  validationError,
  type FieldIssue,
} from '../common/validation/zod-validation.pipe.js';

/** A rule across items broken: where (`[3, 'id']`) and why. */
export interface BatchIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * `ZodValidationPipe` plus rules across the items of a body (an id or a month given twice). The
 * cross rules read the raw body and run even when an item fails the schema: zod skips
 * refinements once an item fails hard (`2.5` for an integer), and a batch's 400 must name every
 * bad item at once.
 */
export class BatchValidationPipe<T extends z.ZodType> implements PipeTransform<
  unknown,
  z.output<T>
> {
  constructor(
    private readonly schema: T,
    private readonly crossIssues: (input: unknown) => BatchIssue[],
  ) {}

  transform(value: unknown): z.output<T> {
    const result = this.schema.safeParse(value);
    const issues: FieldIssue[] = [
      ...(result.success ? [] : fieldIssues(result.error.issues)),
      ...this.crossIssues(value).map((issue) => ({
        path: formatJsonPath([...issue.path]),
        message: issue.message,
      })),
    ];
    if (issues.length > 0 || !result.success) throw validationError(issues);
    return result.data;
  }
}
