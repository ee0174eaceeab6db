import { ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import type { IssueCode } from '@podium/contest-model';
import { validationError } from '../common/validation/zod-validation.pipe.js';

/** A 400 naming one field, in the shape of every validation error; `invalid` unless coded. */
export function fieldError(path: string, message: string, code?: IssueCode): HttpException {
  return validationError([{ path, message, code }]);
}

/** A 409 naming the field that collides, in the shape of a validation error. */
export function conflictError(path: string, message: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${path}: ${message}`,
    issues: [{ path, message }],
  });
}

export function notFound(what: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no such ${what}` });
}

/** What PostgreSQL says when a write breaks a constraint (TypeORM copies the fields over). */
export function postgresViolation(error: unknown): { code: string; constraint: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return null;
  return { code, constraint: typeof constraint === 'string' ? constraint : '' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string PostgreSQL accepts as a uuid: anything else cannot name a row. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
