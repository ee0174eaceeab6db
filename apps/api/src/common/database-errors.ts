import { Catch, HttpStatus, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { RateLimitedException } from '../auth/rate-limited.exception.js';
import { RateLimitedFilter } from '../auth/rate-limited.filter.js';

/** Seconds a client is told to wait while PostgreSQL is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * Error codes that mean "the database cannot be reached or is going away", not "this query is
 * wrong": sockets refused or cut (Node), and PostgreSQL's admin_shutdown, crash_shutdown,
 * cannot_connect_now, too_many_connections and the connection_exception class.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Messages of node-postgres for the same situations (it throws plain Errors for these). */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /query read timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

/**
 * True when `error` (or what it wraps: TypeORM's `driverError`, `cause`, an AggregateError's
 * `errors`) says PostgreSQL is unreachable rather than that the request was wrong, including a
 * query on a runner TypeORM released because its connection broke.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  // TypeORM releases a runner itself when its connection emits 'error' (PostgreSQL cut it, e.g.
  // a restart) and the next query on it throws one of these, without the cause. The API releases
  // its runners only after their last query, so a query on a released one means a cut connection.
  if (
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError
  ) {
    return true;
  }
  const candidate = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
  if (
    typeof candidate.message === 'string' &&
    UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string))
  ) {
    return true;
  }
  if (Array.isArray(candidate.errors)) {
    return candidate.errors.some((inner: unknown) => isDatabaseUnavailable(inner, depth + 1));
  }
  return (
    isDatabaseUnavailable(candidate.driverError, depth + 1) ||
    isDatabaseUnavailable(candidate.cause, depth + 1)
  );
}

/** The body of the 503 answered while PostgreSQL is away. */
export const DATABASE_UNAVAILABLE_BODY = {
  statusCode: HttpStatus.SERVICE_UNAVAILABLE,
  error: 'Service Unavailable',
  message: `the database is unavailable: nothing was done; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
} as const;

/**
 * Global filter: an exception caused by an unreachable PostgreSQL (a guard resolving a token, a
 * service, a repository) answers 503 with `Retry-After` instead of a 500, so clients and load
 * balancers retry. Nothing was acknowledged: a write that failed this way was rolled back or never
 * began. Every other exception goes where it went before (rate limits keep their `Retry-After`),
 * whichever order Nest tries the global filters in.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Database');
  private readonly rateLimited = new RateLimitedFilter();
  private lastLoggedAt = 0;

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'http' && isDatabaseUnavailable(exception)) {
      // One line per second at most: a client retrying in a loop must not flood the log.
      const now = Date.now();
      if (now - this.lastLoggedAt > 1_000) {
        this.lastLoggedAt = now;
        this.logger.warn(
          `database unavailable, answering 503: ${exception instanceof Error ? exception.message : String(exception)}`,
        );
      }
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      void reply
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .header('cache-control', 'no-store')
        .send(DATABASE_UNAVAILABLE_BODY);
      return;
    }
    if (exception instanceof RateLimitedException) {
      this.rateLimited.catch(exception, host);
      return;
    }
    super.catch(exception, host);
  }
}
