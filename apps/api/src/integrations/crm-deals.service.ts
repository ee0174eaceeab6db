import { Inject, Injectable } from '@nestjs/common';
import {
  allocateProportionally,
  MAX_EVENT_QUANTITY,
  saleMarginProblem,
  type ContestEventInput,
} from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { queryRows } from '../database/sql.js';
import { EventsService } from '../events/events.service.js';
import type { DealLine, DealObservation, LeadObservation } from './crm/deal-observation.js';
import { CrmRepository, type CrmDealState, type HoldReason } from './crm.repository.js';

/** What a CRM integration needs to turn a deal into events. */
export interface CrmContext {
  readonly integrationId: string;
  readonly integrationName: string;
  /** The `source` of the events. */
  readonly source: string;
  /** `lead` (amoCRM) or `deal` (Bitrix24): the externalId of a sale is `<prefix>-<deal id>`. */
  readonly prefix: string;
  /** Only deals in this currency count (a deal whose currency is unknown counts). */
  readonly currency: string;
  /**
   * How a won deal with product rows is counted: `perRow` (default) one sale per row
   * (`<sale>#1`, `<sale>#2`, …, the deal's amount and margin shared in proportion to the rows'
   * amounts; each row is then a deal for `deals`, `avgCheck` and `conversion`), or `main` one
   * sale of the deal's amount whose product and quantity are those of its largest row.
   */
  readonly productRows?: 'perRow' | 'main';
  /**
   * When a deal still won is corrected, its new sale keeps the moment the deal was first counted
   * (`firstCounted`, the default: a CRM's later edit is not a later win) or takes the one the
   * source now reports (`reported`: a 1C document's `Date` is its sale's date, so an accountant
   * re-dating the document moves the sale).
   */
  readonly correctedSaleDate?: 'firstCounted' | 'reported';
}

/**
 * Turns what a CRM says about a deal into sales, reversals and leads, keeping each deal's state in
 * `crm_deals` so that:
 * - won (and not counted yet) → a sale `<prefix>-<id>` (then `<prefix>-<id>/2`, … when won again),
 *   or with product rows counted `perRow` one sale per row, `<sale>#1`, `<sale>#2`, …;
 * - the same news again → nothing (the state already says so);
 * - out of won → a reversal `<sale>/reversal` of each counted sale, for the participant who got it;
 * - still won but another amount, margin, seller, client or rows → a reversal of the old sales and
 *   new ones;
 * - created in a counted pipeline (`createdAt`) → a `lead` event `<prefix>-<id>/lead`, once per
 *   deal, for the seller responsible when Podium first saw it; it stays counted whatever happens
 *   to the deal after (the lead was there);
 * - a won deal's client is new only if the CRM says so and Podium saw no earlier won deal of the
 *   same client from the integration;
 * - a deal of a CRM user mapped to no participant, in another currency, or with its margin field
 *   empty is held (listed for the admin) and applied once mapped or reported again.
 * The deal's row is locked for the transaction, and news older than the state applied is ignored,
 * so concurrent or out-of-order webhooks cannot count a deal twice.
 */
@Injectable()
export class CrmDealsService {
  constructor(
    private readonly crm: CrmRepository,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Applies one observation inside `manager`'s transaction; answers the contests to notify. */
  async apply(
    manager: EntityManager,
    context: CrmContext,
    observation: DealObservation,
  ): Promise<string[]> {
    const now = this.clock.now();
    const { integrationId } = context;
    await this.crm.lockIntegration(manager, integrationId, 'share');
    const state = await this.crm.lockDeal(manager, integrationId, observation.dealId);
    const modifiedAt = new Date(observation.modifiedAt);
    if (state.modifiedAt !== null && modifiedAt < state.modifiedAt) return [];

    const events: ContestEventInput[] = [];
    let next: CrmDealState = { ...state, modifiedAt };
    const base = { dealId: observation.dealId, crmUserId: observation.crmUserId };
    const unmapped = (what: string) => ({
      ...base,
      reason: 'unmapped' as const,
      detail: `CRM user ${observation.crmUserId} is mapped to no participant${what}`,
    });

    // The lead first: it does not depend on whether, or how, the deal is won.
    let leadHold: ReturnType<typeof unmapped> | null = null;
    if (observation.createdAt != null && state.leadExternalId === null) {
      const participantId = await this.crm.participantOf(
        manager,
        integrationId,
        observation.crmUserId,
      );
      if (participantId === null) {
        leadHold = unmapped(': its lead is not counted yet');
      } else {
        const externalId = leadExternalId(context.prefix, observation.dealId);
        const clientId = observation.client?.id;
        events.push({
          type: 'lead',
          source: context.source,
          externalId,
          participantId,
          occurredAt: observation.createdAt,
          ...(clientId === undefined ? {} : { clientId }),
        });
        next = { ...next, leadExternalId: externalId };
      }
    }

    const reverse = (occurredAt: string) => {
      if (!state.won || state.saleExternalId === null || state.saleParticipantId === null) return;
      for (const externalId of countedSales(state))
        events.push({
          type: 'reversal',
          source: context.source,
          externalId: `${externalId}/reversal`,
          reversesExternalId: externalId,
          participantId: state.saleParticipantId,
          occurredAt,
        });
      next = {
        ...next,
        won: false,
        saleExternalId: null,
        saleParticipantId: null,
        saleAmountMinor: null,
        saleMarginMinor: null,
        saleParts: 0,
        saleKey: null,
      };
    };

    if (!observation.won) {
      if (leadHold === null) await this.crm.release(manager, integrationId, observation.dealId);
      else await this.crm.hold(manager, integrationId, { ...leadHold, observation }, now);
      reverse(observation.modifiedAt);
    } else {
      const decision = leadHold
        ? { hold: leadHold }
        : await this.decide(manager, context, observation, unmapped(''));
      if ('hold' in decision) {
        // The counted sale (if any) stays until the CRM says the deal is no longer won.
        await this.crm.hold(manager, integrationId, { ...decision.hold, observation }, now);
      } else {
        await this.crm.release(manager, integrationId, observation.dealId);
        const { participantId, marginMinor } = decision;
        const sale = await this.saleOf(manager, context, observation, marginMinor);
        const unchanged =
          state.won &&
          state.saleParticipantId === participantId &&
          state.saleAmountMinor === observation.amountMinor &&
          state.saleMarginMinor === marginMinor &&
          state.saleKey === sale.key;
        const first = state.won ? countedSales(state)[0] : undefined;
        const redates = context.correctedSaleDate === 'reported';
        // Read only when it can matter: a correction, or a source whose sale dates move.
        const counted =
          first !== undefined && (!unchanged || redates)
            ? await this.saleMoment(manager, context.source, first)
            : null;
        const moved =
          redates && counted !== null && Date.parse(counted) !== Date.parse(observation.occurredAt);
        if (!unchanged || moved) {
          // A deal still won whose amount, margin, seller, client or rows were edited is
          // corrected where its sale stands: the reversal keeps the moment it was won, and so do
          // the new sales, so a later edit neither moves the sale into another period nor leaves
          // the old one counted there — unless the source's own date of the sale moved.
          reverse(counted ?? observation.occurredAt);
          const occurredAt = redates ? observation.occurredAt : (counted ?? observation.occurredAt);
          const sales = state.sales + 1;
          const externalId = saleExternalId(context.prefix, observation.dealId, sales);
          const parts = sale.parts.length > 1 ? sale.parts.length : 0;
          sale.parts.forEach((part, index) =>
            events.push({
              type: 'sale',
              source: context.source,
              externalId: parts > 0 ? `${externalId}#${index + 1}` : externalId,
              participantId,
              occurredAt,
              ...part,
            }),
          );
          next = {
            ...next,
            won: true,
            saleExternalId: externalId,
            saleParticipantId: participantId,
            saleAmountMinor: observation.amountMinor,
            saleMarginMinor: marginMinor,
            saleParts: parts,
            saleKey: sale.key,
            sales,
          };
        }
      }
    }
    await this.crm.saveDeal(manager, integrationId, observation, next, now);
    if (events.length === 0) return [];
    const { contestIds } = await this.events.ingestWithin(manager, events, {
      author: `integration:${context.integrationName}`,
    });
    return contestIds;
  }

  /**
   * Applies a lead that is not a deal (Bitrix24's `crm.lead`): a `lead` event once, held while its
   * CRM user is mapped to no participant. It is kept as a deal that is never won.
   */
  applyLead(manager: EntityManager, context: CrmContext, lead: LeadObservation): Promise<string[]> {
    return this.apply(manager, context, {
      dealId: lead.id,
      crmUserId: lead.crmUserId,
      won: false,
      amountMinor: 0,
      marginMinor: 0,
      currency: null,
      occurredAt: lead.createdAt,
      modifiedAt: lead.createdAt,
      createdAt: lead.createdAt,
      client: lead.clientId == null ? null : { id: lead.clientId, isNew: false },
    });
  }

  /**
   * The sales a won deal is counted as (one, or one per product row), with what identifies them
   * beyond amount, margin and seller (`key`: null for a deal without client or rows, as before
   * those existed).
   */
  private async saleOf(
    manager: EntityManager,
    context: CrmContext,
    observation: DealObservation,
    marginMinor: number,
  ): Promise<{ key: string | null; parts: SalePart[] }> {
    const { client } = observation;
    const clientFields =
      client == null
        ? {}
        : {
            clientId: client.id,
            isNewClient:
              client.isNew &&
              !(await this.crm.clientWonBefore(manager, context.integrationId, {
                clientId: client.id,
                dealId: observation.dealId,
                before: new Date(observation.occurredAt),
              })),
          };
    const rows = countedRows(observation.lines ?? []);
    const mode = context.productRows ?? 'perRow';
    let parts: SalePart[];
    if (rows.length === 0) {
      parts = [{ amountMinor: observation.amountMinor, marginMinor, ...clientFields }];
    } else if (mode === 'main' || rows.length === 1) {
      const main = rows.reduce((best, row) => (row.amountMinor > best.amountMinor ? row : best));
      parts = [
        {
          amountMinor: observation.amountMinor,
          marginMinor,
          ...clientFields,
          product: main.product,
          quantity: main.quantity,
        },
      ];
    } else {
      parts = splitByRows(observation.amountMinor, marginMinor, rows).map((part, index) => ({
        ...part,
        ...clientFields,
        product: rows[index]?.product ?? '',
        quantity: rows[index]?.quantity ?? 1,
      }));
    }
    const key =
      client == null && rows.length === 0
        ? null
        : JSON.stringify({
            mode,
            parts: parts.map(({ amountMinor: _a, marginMinor: _m, ...rest }) => rest),
          });
    return { key, parts };
  }

  /** When the counted sale `externalId` happened (ISO 8601), or null if it is not stored. */
  private async saleMoment(
    manager: EntityManager,
    source: string,
    externalId: string,
  ): Promise<string | null> {
    const rows = await queryRows<{ occurred_at: Date }>(
      manager,
      'SELECT occurred_at FROM events WHERE source = $1 AND external_id = $2',
      [source, externalId],
    );
    return rows[0]?.occurred_at.toISOString() ?? null;
  }

  /** Why a won deal cannot be counted yet, or whom it counts for and with which margin. */
  private async decide(
    manager: EntityManager,
    context: CrmContext,
    observation: DealObservation,
    unmapped: Hold,
  ): Promise<{ hold: Hold } | { participantId: string; marginMinor: number }> {
    const base = { dealId: observation.dealId, crmUserId: observation.crmUserId };
    if (observation.currency !== null && observation.currency !== context.currency) {
      return {
        hold: {
          ...base,
          reason: 'currency',
          detail: `the deal is in ${observation.currency}, the integration counts ${context.currency}`,
        },
      };
    }
    if (observation.marginMinor === null) {
      return {
        hold: { ...base, reason: 'margin', detail: 'the margin field of the deal is empty' },
      };
    }
    // Sent on, the sale would be refused and the whole webhook or sync with it.
    const marginProblem = saleMarginProblem({
      amountMinor: observation.amountMinor,
      marginMinor: observation.marginMinor,
    });
    if (marginProblem !== null) {
      return {
        hold: {
          ...base,
          reason: 'margin',
          detail: `the margin of the deal (${observation.marginMinor}) is above its amount (${observation.amountMinor}) in minor units`,
        },
      };
    }
    const participantId = await this.crm.participantOf(
      manager,
      context.integrationId,
      observation.crmUserId,
    );
    if (participantId === null) return { hold: unmapped };
    return { participantId, marginMinor: observation.marginMinor };
  }
}

/** Why a deal is held: listed for the admin, applied again once the reason is gone. */
interface Hold {
  readonly dealId: string;
  readonly crmUserId: string;
  readonly reason: HoldReason;
  readonly detail: string;
}

/** One sale of a won deal, beyond what every sale of it shares. */
type SalePart = Pick<
  Extract<ContestEventInput, { type: 'sale' }>,
  'amountMinor' | 'marginMinor' | 'clientId' | 'isNewClient' | 'product' | 'quantity'
>;

/** The externalId of a deal's `sales`-th sale: `<prefix>-<deal id>`, then `…/2`, `…/3` … */
export function saleExternalId(prefix: string, dealId: string, sales: number): string {
  return `${prefix}-${dealId}${sales > 1 ? `/${sales}` : ''}`;
}

/** The externalId of a deal's `lead` event. */
export function leadExternalId(prefix: string, dealId: string): string {
  return `${prefix}-${dealId}/lead`;
}

/**
 * The deal of a sale `saleExternalId` made (one of its rows' `…#n` included); null for an
 * externalId it cannot have made.
 */
export function dealOfSale(prefix: string, externalId: string): string | null {
  if (!externalId.startsWith(`${prefix}-`)) return null;
  const rest = externalId.slice(prefix.length + 1);
  const match = /^(.+?)(?:\/([2-9]|[1-9]\d+))?(?:#[1-9]\d*)?$/.exec(rest);
  return match?.[1] ?? null;
}

/** The externalIds of the sales counted for a won deal. */
function countedSales(state: CrmDealState): string[] {
  const { saleExternalId: id, saleParts } = state;
  if (id === null) return [];
  return saleParts === 0 ? [id] : Array.from({ length: saleParts }, (_, i) => `${id}#${i + 1}`);
}

/**
 * The product rows a sale can carry: a row without a product name or with no positive, finite
 * quantity (a CRM's placeholder or a return line) names no product; its amount stays in the
 * deal's, shared among the others.
 */
function countedRows(lines: readonly DealLine[]): DealLine[] {
  return lines.filter(
    (line) =>
      line.product.trim() !== '' &&
      Number.isFinite(line.quantity) &&
      line.quantity > 0 &&
      line.quantity <= MAX_EVENT_QUANTITY &&
      Number.isSafeInteger(line.amountMinor) &&
      line.amountMinor >= 0,
  );
}

/**
 * The deal's amount and margin shared among its rows in proportion to the rows' amounts (by
 * quantity when every row is free), each exactly, by the largest remainder: the parts add up to
 * the deal's figures, and no part's margin is above its amount when the deal's is not.
 */
export function splitByRows(
  amountMinor: number,
  marginMinor: number,
  rows: readonly Pick<DealLine, 'amountMinor' | 'quantity'>[],
): { amountMinor: number; marginMinor: number }[] {
  const byAmount = rows.map((row) => row.amountMinor);
  const weights = byAmount.some((weight) => weight > 0)
    ? byAmount
    : rows.map((row) => row.quantity);
  const amounts = allocateProportionally({ totalMinor: amountMinor, weights });
  const sign = marginMinor < 0 ? -1 : 1;
  const margins = allocateProportionally({
    totalMinor: Math.abs(marginMinor),
    weights,
  }).map((part) => (part === 0 ? 0 : sign * part));
  // The two roundings can put a unit of margin where the amount lost one: move it to a part with
  // room (there is one, since the deal's margin is not above its amount).
  for (let index = 0; index < margins.length; index += 1) {
    let excess = (margins[index] ?? 0) - (amounts[index] ?? 0);
    for (let other = 0; excess > 0 && other < margins.length; other += 1) {
      const room = (amounts[other] ?? 0) - (margins[other] ?? 0);
      if (other === index || room <= 0) continue;
      const moved = Math.min(room, excess);
      margins[other] = (margins[other] ?? 0) + moved;
      margins[index] = (margins[index] ?? 0) - moved;
      excess -= moved;
    }
  }
  return amounts.map((amount, index) => ({
    amountMinor: amount,
    marginMinor: margins[index] ?? 0,
  }));
}
