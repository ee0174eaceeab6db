import type { StandingRow } from '@podium/contest-model';
import type { Principal } from '../auth/principal.js';
import { isStaff, redactRows, type Redaction } from '../standings/redaction.js';

/** Who a contest's room is for: staff see every amount, the public what the contest shows. */
export const AUDIENCES = ['staff', 'public'] as const;
export type Audience = (typeof AUDIENCES)[number];

export function audienceOf(principal: Principal): Audience {
  return isStaff(principal) ? 'staff' : 'public';
}

/** An audience's view of amounts, for one viewer (`self`) or a whole room (null). */
export function redactionOf(
  audience: Audience,
  showAmounts: boolean,
  self: string | null,
): Redaction {
  return { allVisible: audience === 'staff' || showAmounts, self };
}

/** Rows for an audience: {@link redactRows} with the audience's view of amounts. */
export function rowsFor(
  rows: readonly StandingRow[],
  audience: Audience,
  showAmounts: boolean,
  self: string | null,
): StandingRow[] {
  return redactRows(rows, redactionOf(audience, showAmounts, self));
}
