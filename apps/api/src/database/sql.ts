import type { EntityManager } from 'typeorm';

/**
 * How repositories run SQL: every query is written by hand and answers rows of a type declared
 * next to it, through `queryRows` or `queryOne`. Values pg hands back as strings (`bigint`, `numeric`) are
 * turned into numbers only by `safeInteger`.
 */

/** What runs a query: the data source's manager, or a transaction's. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The rows a statement answered. TypeORM's PostgreSQL driver answers UPDATE and DELETE as
 * `[rows, affectedCount]` and INSERT and SELECT as the rows; this answers the rows either way
 * (an UPDATE or DELETE without RETURNING answers none).
 */
export function returned<T = unknown>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]))
    return result[0] as T[];
  return result as T[];
}

/**
 * Runs a statement and answers its rows, typed as the caller declares them. `T` describes the
 * columns as pg delivers them (snake_case, `bigint` as a string): map them in the repository.
 */
export async function queryRows<T>(
  db: Queryable,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<T[]> {
  return returned<T>(await db.query(sql, [...parameters]));
}

/** The first row a statement answered, or null when it answered none. */
export async function queryOne<T>(
  db: Queryable,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<T | null> {
  const [first] = await queryRows<T>(db, sql, parameters);
  return first ?? null;
}

/**
 * A `bigint` or `numeric` column (pg answers them as strings, so no digit is lost) as a number.
 * Money is integer minor units and counters are integers, all within `Number.MAX_SAFE_INTEGER`
 * (CHECKs and the API's validation keep them there); anything else throws rather than answering
 * a rounded or fractional number.
 */
export function safeInteger(value: string | number | bigint, column: string): number {
  const number =
    typeof value === 'string'
      ? /^-?\d+$/.test(value)
        ? Number(value)
        : Number.NaN
      : Number(value);
  if (!Number.isSafeInteger(number))
    throw new RangeError(`${column} = ${String(value)} is not an integer within ±(2^53 − 1)`);
  return number;
}

/** `safeInteger` of a nullable column. */
export function safeIntegerOrNull(
  value: string | number | bigint | null,
  column: string,
): number | null {
  return value === null ? null : safeInteger(value, column);
}

/** What PostgreSQL says when a write breaks a constraint (TypeORM copies the fields over). */
export function postgresViolation(error: unknown): { code: string; constraint: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return null;
  return { code, constraint: typeof constraint === 'string' ? constraint : '' };
}

/** A unique or primary key violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const violation = postgresViolation(error);
  return (
    violation?.code === '23505' && (constraint === undefined || violation.constraint === constraint)
  );
}

/** A foreign key violation: a row still referred to, or a reference to a row just deleted. */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresViolation(error)?.code === '23503';
}
