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
  /**
   * The deal's client, when the integration reads clients: a stable id, namespaced by what it is
   * (`company-12`, `contact-5`, a 1C counterparty's `Контрагент_Key`), and whether the CRM's own
   * data shows no earlier won deal of that client. A won sale carries it as `clientId` and
   * `isNewClient` (new only if Podium's history of the integration agrees). Absent or null: none.
   */
  readonly client?: DealClient | null;
  /**
   * The deal's product rows, when the integration reads them (Bitrix24
   * `crm.deal.productrows.get`, amoCRM catalog elements linked to the lead, a 1C document's
   * `Товары`). A won deal with rows is counted as its context's `productRows` says. Absent or
   * empty: one sale without a product.
   */
  readonly lines?: readonly DealLine[];
  /**
   * When the deal was created (ISO 8601 with offset), when the integration counts leads and the
   * deal is in a counted pipeline: a `lead` event for its responsible seller at that moment, once
   * per deal. Absent or null: no lead.
   */
  readonly createdAt?: string | null;
}

export interface DealClient {
  readonly id: string;
  readonly isNew: boolean;
}

/** One product row of a deal. */
export interface DealLine {
  /** The product as the contests' criteria name it (the sale's `product`). */
  readonly product: string;
  /** Units, > 0. */
  readonly quantity: number;
  /** The row's amount in the deal's currency, integer minor units, ≥ 0. */
  readonly amountMinor: number;
}

/**
 * A lead that is not a deal (Bitrix24's `crm.lead` entity), when the integration counts them: a
 * `lead` event `<prefix>-<id>/lead` for its responsible seller, dated at its creation.
 */
export interface LeadObservation {
  /** Unique among the integration's deals and leads (e.g. `L17` for Bitrix24 lead 17). */
  readonly id: string;
  readonly crmUserId: string;
  /** ISO 8601 with offset. */
  readonly createdAt: string;
  readonly clientId?: string | null;
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
