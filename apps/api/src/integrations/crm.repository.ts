import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger, safeIntegerOrNull } from '../database/sql.js';
import type { DealObservation } from './crm/deal-observation.js';

/**
 * A CRM deal's state: won or not, the sale counted for it while it is won, and the lead counted
 * for it once.
 */
export interface CrmDealState {
  readonly won: boolean;
  /**
   * The counted sale, or, when it was counted per product row (`saleParts` > 0), the id its rows'
   * sales `<id>#1` … `<id>#<saleParts>` are made of.
   */
  readonly saleExternalId: string | null;
  readonly saleParticipantId: string | null;
  readonly saleAmountMinor: number | null;
  readonly saleMarginMinor: number | null;
  readonly saleParts: number;
  /** What else the counted sale said (client, product rows, how they were counted), or null. */
  readonly saleKey: string | null;
  readonly sales: number;
  /** The deal's `lead` event once counted; never counted twice. */
  readonly leadExternalId: string | null;
  readonly modifiedAt: Date | null;
}

export type HoldReason = 'unmapped' | 'currency' | 'margin';

export interface HeldDeal {
  readonly dealId: string;
  readonly crmUserId: string;
  readonly reason: HoldReason;
  readonly detail: string;
  readonly observation: DealObservation;
  readonly heldAt: Date;
}

export interface FailedFetch {
  readonly dealId: string;
  readonly event: string;
  readonly attempts: number;
  readonly error: string;
  readonly receivedAt: Date;
  readonly failedAt: Date;
}

interface DealRow {
  won: boolean;
  sale_external_id: string | null;
  sale_participant_id: string | null;
  sale_amount_minor: string | null;
  sale_margin_minor: string | null;
  sale_parts: number;
  sale_key: string | null;
  sales: number;
  lead_external_id: string | null;
  modified_at: Date | null;
}

/**
 * The deals of CRM integrations, the deals held back, and what the admin sees of the Bitrix24
 * deal reads (the reads themselves: `Bitrix24ReadsRepository`).
 */
@Injectable()
export class CrmRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the integration's row: `share` for applying deals (concurrent webhooks do not wait for
   * each other), `update` for changing the mapping, so a deal cannot be held for a CRM user
   * whose mapping committed meanwhile.
   */
  async lockIntegration(manager: EntityManager, integrationId: string, mode: 'share' | 'update') {
    await manager.query(
      `SELECT 1 FROM integrations WHERE id = $1 FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
      [integrationId],
    );
  }

  /** The deal's state, locked until the transaction ends (created, not won, when new). */
  async lockDeal(
    manager: EntityManager,
    integrationId: string,
    dealId: string,
  ): Promise<CrmDealState> {
    await manager.query(
      `INSERT INTO crm_deals (integration_id, deal_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [integrationId, dealId],
    );
    const rows = await queryRows<DealRow>(
      manager,
      `SELECT * FROM crm_deals WHERE integration_id = $1 AND deal_id = $2 FOR UPDATE`,
      [integrationId, dealId],
    );
    const row = rows[0];
    if (!row) throw new Error('a locked CRM deal has no row');
    return {
      won: row.won,
      saleExternalId: row.sale_external_id,
      saleParticipantId: row.sale_participant_id,
      saleAmountMinor: safeIntegerOrNull(row.sale_amount_minor, 'sale_amount_minor'),
      saleMarginMinor: safeIntegerOrNull(row.sale_margin_minor, 'sale_margin_minor'),
      saleParts: row.sale_parts,
      saleKey: row.sale_key,
      sales: row.sales,
      leadExternalId: row.lead_external_id,
      modifiedAt: row.modified_at,
    };
  }

  /**
   * Writes the deal's new state and what the CRM said of it (`observation`: the owner, the won
   * moment, the amount and currency, whether won outside the counted pipelines, the client — the
   * CRM's side of the reconciliation and of new clients), in one statement on the row `lockDeal`
   * locked.
   */
  async saveDeal(
    manager: EntityManager,
    integrationId: string,
    observation: DealObservation,
    state: CrmDealState,
    now: Date,
  ): Promise<void> {
    const won = observation.won || observation.outsidePipeline === true;
    await manager.query(
      `UPDATE crm_deals SET won = $3, sale_external_id = $4, sale_participant_id = $5,
         sale_amount_minor = $6, sale_margin_minor = $7, sales = $8, modified_at = $9, updated_at = $10,
         crm_user_id = $11, won_at = $12, outside_pipeline = $13, amount_minor = $14, currency = $15,
         sale_parts = $16, sale_key = $17, lead_external_id = $18, client_id = $19
       WHERE integration_id = $1 AND deal_id = $2`,
      [
        integrationId,
        observation.dealId,
        state.won,
        state.saleExternalId,
        state.saleParticipantId,
        state.saleAmountMinor,
        state.saleMarginMinor,
        state.sales,
        state.modifiedAt,
        now,
        observation.crmUserId,
        won ? observation.occurredAt : null,
        !observation.won && observation.outsidePipeline === true,
        observation.amountMinor,
        observation.currency,
        state.saleParts,
        state.saleKey,
        state.leadExternalId,
        observation.client?.id ?? null,
      ],
    );
  }

  /**
   * Does Podium's history of the integration hold another deal of `clientId` won before
   * `before`? (Its won moment is kept while the CRM reports it won, in a counted pipeline or not.)
   */
  async clientWonBefore(
    manager: EntityManager,
    integrationId: string,
    { clientId, dealId, before }: { clientId: string; dealId: string; before: Date },
  ): Promise<boolean> {
    const rows = await queryRows<unknown>(
      manager,
      `SELECT 1 FROM crm_deals
        WHERE integration_id = $1 AND client_id = $2 AND deal_id <> $3 AND won_at < $4
        LIMIT 1`,
      [integrationId, clientId, dealId, before],
    );
    return rows.length > 0;
  }

  async participantOf(
    manager: EntityManager,
    integrationId: string,
    crmUserId: string,
  ): Promise<string | null> {
    const rows = await queryRows<{ participant_id: string }>(
      manager,
      'SELECT participant_id FROM integration_mappings WHERE integration_id = $1 AND crm_user_id = $2',
      [integrationId, crmUserId],
    );
    return rows[0]?.participant_id ?? null;
  }

  async hold(
    manager: EntityManager,
    integrationId: string,
    held: Omit<HeldDeal, 'heldAt'>,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO held_deals (integration_id, deal_id, crm_user_id, reason, detail, observation, held_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (integration_id, deal_id) DO UPDATE SET crm_user_id = EXCLUDED.crm_user_id,
         reason = EXCLUDED.reason, detail = EXCLUDED.detail, observation = EXCLUDED.observation,
         held_at = EXCLUDED.held_at`,
      [
        integrationId,
        held.dealId,
        held.crmUserId,
        held.reason,
        held.detail,
        JSON.stringify(held.observation),
        now,
      ],
    );
  }

  async release(manager: EntityManager, integrationId: string, dealId: string): Promise<void> {
    await manager.query('DELETE FROM held_deals WHERE integration_id = $1 AND deal_id = $2', [
      integrationId,
      dealId,
    ]);
  }

  /** Deals held because their CRM user had no participant, for these (now mapped) users. */
  async heldForUsers(
    manager: EntityManager,
    integrationId: string,
    crmUserIds: readonly string[],
  ): Promise<DealObservation[]> {
    const rows = await queryRows<{ observation: DealObservation }>(
      manager,
      `SELECT observation FROM held_deals
       WHERE integration_id = $1 AND reason = 'unmapped' AND crm_user_id = ANY($2::text[])
       ORDER BY held_at, deal_id`,
      [integrationId, crmUserIds],
    );
    return rows.map((row) => row.observation);
  }

  async held(integrationId: string): Promise<HeldDeal[]> {
    const rows = await queryRows<{
      deal_id: string;
      crm_user_id: string;
      reason: HoldReason;
      detail: string;
      observation: DealObservation;
      held_at: Date;
    }>(
      this.dataSource,
      'SELECT * FROM held_deals WHERE integration_id = $1 ORDER BY held_at, deal_id',
      [integrationId],
    );
    return rows.map((row) => ({
      dealId: row.deal_id,
      crmUserId: row.crm_user_id,
      reason: row.reason,
      detail: row.detail,
      observation: row.observation,
      heldAt: row.held_at,
    }));
  }

  async failedFetches(integrationId: string): Promise<FailedFetch[]> {
    const rows = await queryRows<{
      deal_id: string;
      event: string;
      attempts: number;
      last_error: string;
      received_at: Date;
      finished_at: Date;
    }>(
      this.dataSource,
      `SELECT deal_id, event, attempts, last_error, received_at, finished_at FROM crm_fetch_jobs
       WHERE integration_id = $1 AND state = 'failed' ORDER BY finished_at DESC, id DESC LIMIT 200`,
      [integrationId],
    );
    return rows.map((row) => ({
      dealId: row.deal_id,
      event: row.event,
      attempts: row.attempts,
      error: row.last_error,
      receivedAt: row.received_at,
      failedAt: row.finished_at,
    }));
  }

  /** Jobs not finished yet, for the admin (retrying ones show their last error). */
  async pendingFetches(integrationId: string): Promise<number> {
    const rows = await queryRows<{ count: string }>(
      this.dataSource,
      `SELECT count(*) FROM crm_fetch_jobs WHERE integration_id = $1 AND state = 'pending'`,
      [integrationId],
    );
    return safeInteger(rows[0]?.count ?? 0, 'count');
  }

  /**
   * Is the source used by a CRM integration, revoked ones included? A source is never reused: a
   * new integration's `lead-<id>` would collide with an old one's events of the same source.
   */
  async sourceTaken(source: string): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource,
      `SELECT 1 FROM integrations WHERE kind <> 'webhook'
         AND COALESCE(settings->>'source', kind) = $1`,
      [source],
    );
    return rows.length > 0;
  }
}
