/**
 * The rows an `UPDATE … RETURNING` or `DELETE … RETURNING` answered: TypeORM's PostgreSQL driver
 * answers UPDATE and DELETE as `[rows, affectedCount]`, INSERT and SELECT as the rows — so the
 * length of an UPDATE's raw answer is always 2, whether it changed a row or not.
 */
export function returned<T = unknown>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]))
    return result[0] as T[];
  return result as T[];
}
