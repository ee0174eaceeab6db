import { ConflictException } from '@nestjs/common';
import type { FieldIssue } from '../common/validation/zod-validation.pipe.js';

/** The body of a 409: the same shape as a validation 400, naming the field that collides. */
export function conflictError(issues: readonly FieldIssue[]): ConflictException {
  const [first] = issues;
  const summary = first ? `${first.path || '(body)'}: ${first.message}` : 'conflict';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: summary + more,
    issues,
  });
}

interface PostgresError {
  readonly code?: unknown;
  readonly constraint?: unknown;
}

function postgresError(error: unknown): PostgresError | null {
  if (typeof error !== 'object' || error === null) return null;
  // TypeORM's QueryFailedError copies the driver error's fields onto itself.
  return error as PostgresError;
}

/** A unique or primary key violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresError(error);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

/** A foreign key violation: a row still referenced, or a reference to a row just deleted. */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresError(error)?.code === '23503';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string PostgreSQL accepts as a uuid (so a lookup by it cannot fail with 22P02). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
