import { roundHalfAwayFromZero } from '@podium/contest-model';

/**
 * A CRM deal as the CRM last reported it, in Podium's terms: what one webhook (amoCRM) or one
 * read of the deal (Bitrix24) says. Stored as JSON while the deal is held.
 */
export interface DealObservation {
  readonly dealId: string;
  /** The responsible CRM user (amoCRM `responsible_user_id`, Bitrix24 `ASSIGNED_BY_ID`). */
  readonly crmUserId: string;
  /** Won in a counted pipeline. */
  readonly won: boolean;
  readonly amountMinor: number;
  /** Null when the margin comes from a CRM field that is empty. */
  readonly marginMinor: number | null;
  /** Null when the CRM does not say (amoCRM has one account currency). */
  readonly currency: string | null;
  /** When the sale happened (ISO 8601 with offset). */
  readonly occurredAt: string;
  /** The CRM's modification time of this state: news older than what was applied is ignored. */
  readonly modifiedAt: string;
}

/** Up to 13 integer digits: 100× that is still an exact integer in JavaScript. */
const DECIMAL = /^-?\d{1,13}(\.\d+)?$/;

/** Is this a decimal amount in major units ("1500", "1500.5", "1500.50")? */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value.trim());
}

/**
 * Major units as CRMs send them ("1500.50", 1500.5) → integer minor units, with the model's one
 * rounding rule (half away from zero). Every currency the contests use has 2 decimals.
 */
export function majorToMinor(value: string | number): number {
  const number = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(number)) throw new RangeError(`not an amount: ${String(value)}`);
  return roundHalfAwayFromZero(number * 100);
}

/** The margin of a deal worth `amountMinor` at `rate` (0..1), in minor units. */
export function marginAtRate(amountMinor: number, rate: number): number {
  return roundHalfAwayFromZero(amountMinor * rate);
}
