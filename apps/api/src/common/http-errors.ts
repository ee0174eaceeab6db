import { ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import type { IssueCode } from '@podium/contest-model';
import { validationError, type FieldIssue } from './validation/zod-validation.pipe.js';

/** A 400 naming one field, in the shape of every validation error; `invalid` unless coded. */
export function fieldError(
  path: string,
  message: string,
  code?: IssueCode,
  params?: Readonly<Record<string, string | number>>,
): HttpException {
  return validationError([{ path, message, code, params }]);
}

/**
 * Why a request conflicts with what is stored, the `code` of every 409 (a client tells them
 * apart without reading the English message):
 * - `taken`: a unique name, id, e-mail or CRM identity belongs to another record;
 * - `in_use`: the record is still referred to (a team's participants, a participant's events),
 *   or a record it refers to changed meanwhile;
 * - `last_admin`: the change would leave no admin;
 * - `contest_state`: the contest's state does not allow it (rules frozen, not closed yet …);
 * - `period_ended`: the contest's period is over, so it cannot be launched;
 * - `not_simulated`: the launch gate: no simulation of the contest's rules as they are is
 *   approved (none, or the rules changed since);
 * - `unbalanced`: the launch gate: the approved simulation's fairness verdict is unbalanced;
 * - `simulation_state`: the simulation has finished, or has no result yet;
 * - `payload_mismatch`: an event's source and externalId are stored with another payload;
 * - `totals_bound`: a contest's totals would pass the largest exact integer;
 * - `sync_running`: a pull sync of the integration is already under way;
 * - `revoked`: the integration is revoked;
 * - `decided`: the decision was made already (a clawback recovered or waived);
 * - `kind`: the record's kind does not allow it (the reconciliation of a non-CRM integration);
 * - `not_live`: the contest has not started counting yet (draft, scheduled): no forecast.
 */
export type ConflictCode =
  | 'taken'
  | 'in_use'
  | 'last_admin'
  | 'contest_state'
  | 'period_ended'
  | 'not_simulated'
  | 'unbalanced'
  | 'simulation_state'
  | 'payload_mismatch'
  | 'totals_bound'
  | 'sync_running'
  | 'revoked'
  | 'decided'
  | 'kind'
  | 'not_live'
  | 'telegram_off';

/**
 * A 409: `{ statusCode, error, code, message, issues }`, the issues naming the fields that
 * collide in the shape of a validation error; a bare message when no field is to blame. The
 * message sums the issues up unless `summary` says it.
 */
export function conflictError(
  code: ConflictCode,
  problem: string | readonly FieldIssue[],
  summary?: string,
): ConflictException {
  const issues = typeof problem === 'string' ? [] : problem;
  const [first] = issues;
  const message =
    typeof problem === 'string'
      ? problem
      : (summary ??
        `${first ? `${first.path || '(body)'}: ${first.message}` : 'conflict'}${
          issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
        }`);
  return new ConflictException({ statusCode: 409, error: 'Conflict', code, message, issues });
}

export function notFound(what: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no such ${what}` });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string PostgreSQL accepts as a uuid: anything else cannot name a row (22P02). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
