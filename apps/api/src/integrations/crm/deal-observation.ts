import { parseMoneyCell, roundHalfAwayFromZero } from '@podium/contest-model';

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
  /**
   * Won, but in a pipeline (amoCRM) or deal category (Bitrix24) the integration does not count:
   * not a sale, listed by the reconciliation. Absent in observations stored before it existed.
   */
  readonly outsidePipeline?: boolean;
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

/**
 * An amount in major units as a CRM sends it ("1500.50", 1500.5, a custom field a person typed
 * as "1 500,50", Bitrix24's money type "1500.50|RUB") → integer minor units, read as the file
 * import reads a cell (the model's one parser and one rounding); null when it is not an amount.
 * Every currency the contests use has 2 decimals.
 */
export function crmMinor(value: string | number): number | null {
  const amount = typeof value === 'string' ? (value.split('|')[0] ?? '') : value;
  const parsed = parseMoneyCell(amount);
  return parsed.ok ? parsed.value : null;
}

/** The margin of a deal worth `amountMinor` at `rate` (0..1), in minor units. */
export function marginAtRate(amountMinor: number, rate: number): number {
  return roundHalfAwayFromZero(amountMinor * rate);
}
