import { Inject, Injectable } from '@nestjs/common';
import { saleMarginProblem, type ContestEventInput } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { queryRows } from '../database/sql.js';
import { EventsService } from '../events/events.service.js';
import type { DealObservation } from './crm/deal-observation.js';
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
}

/**
 * Turns what a CRM says about a deal into sales and reversals, keeping each deal's state in
 * `crm_deals` so that:
 * - won (and not counted yet) → a sale `<prefix>-<id>` (then `<prefix>-<id>/2`, … when won again);
 * - the same news again → nothing (the state already says so);
 * - out of won → a reversal `<sale>/reversal` of the counted sale, for the participant who got it;
 * - still won but another amount, margin or seller → a reversal of the old sale and a new sale;
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
    const reverse = (occurredAt: string) => {
      if (!state.won || state.saleExternalId === null || state.saleParticipantId === null) return;
      events.push({
        type: 'reversal',
        source: context.source,
        externalId: `${state.saleExternalId}/reversal`,
        reversesExternalId: state.saleExternalId,
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
      };
    };

    if (!observation.won) {
      await this.crm.release(manager, integrationId, observation.dealId);
      reverse(observation.modifiedAt);
    } else {
      const decision = await this.decide(manager, context, observation);
      if ('hold' in decision) {
        const { hold } = decision;
        // The counted sale (if any) stays until the CRM says the deal is no longer won.
        await this.crm.hold(manager, integrationId, { ...hold, observation }, now);
        await this.crm.saveDeal(manager, integrationId, observation, next, now);
        return [];
      }
      await this.crm.release(manager, integrationId, observation.dealId);
      const { participantId, marginMinor } = decision;
      const unchanged =
        state.won &&
        state.saleParticipantId === participantId &&
        state.saleAmountMinor === observation.amountMinor &&
        state.saleMarginMinor === marginMinor;
      if (!unchanged) {
        // A deal still won whose amount, margin or seller was edited is corrected where its sale
        // stands: the reversal and the new sale keep the moment it was won, so a later edit
        // neither moves the sale into another period nor leaves the old one counted there.
        const occurredAt =
          (state.won && state.saleExternalId !== null
            ? await this.saleMoment(manager, context.source, state.saleExternalId)
            : null) ?? observation.occurredAt;
        reverse(occurredAt);
        const sales = state.sales + 1;
        const externalId = saleExternalId(context.prefix, observation.dealId, sales);
        events.push({
          type: 'sale',
          source: context.source,
          externalId,
          participantId,
          occurredAt,
          amountMinor: observation.amountMinor,
          marginMinor,
        });
        next = {
          ...next,
          won: true,
          saleExternalId: externalId,
          saleParticipantId: participantId,
          saleAmountMinor: observation.amountMinor,
          saleMarginMinor: marginMinor,
          sales,
        };
      }
    }
    await this.crm.saveDeal(manager, integrationId, observation, next, now);
    const { contestIds } = await this.events.ingestWithin(manager, events, {
      author: `integration:${context.integrationName}`,
    });
    return contestIds;
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
  ): Promise<
    | { hold: { dealId: string; crmUserId: string; reason: HoldReason; detail: string } }
    | { participantId: string; marginMinor: number }
  > {
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
    if (participantId === null) {
      return {
        hold: {
          ...base,
          reason: 'unmapped',
          detail: `CRM user ${observation.crmUserId} is mapped to no participant`,
        },
      };
    }
    return { participantId, marginMinor: observation.marginMinor };
  }
}

/** The externalId of a deal's `sales`-th sale: `<prefix>-<deal id>`, then `…/2`, `…/3` … */
export function saleExternalId(prefix: string, dealId: string, sales: number): string {
  return `${prefix}-${dealId}${sales > 1 ? `/${sales}` : ''}`;
}

/** The deal of a sale `saleExternalId` made; null for an externalId it cannot have made. */
export function dealOfSale(prefix: string, externalId: string): string | null {
  if (!externalId.startsWith(`${prefix}-`)) return null;
  const rest = externalId.slice(prefix.length + 1);
  const match = /^(.+?)(?:\/([2-9]|[1-9]\d+))?$/.exec(rest);
  return match?.[1] ?? null;
}
