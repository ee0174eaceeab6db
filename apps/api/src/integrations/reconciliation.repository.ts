import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows, safeIntegerOrNull } from '../database/sql.js';
import type { HoldReason } from './crm.repository.js';

/** A deal the CRM last reported won (in a counted pipeline or not), as `crm_deals` remembers it. */
export interface ReportedDeal {
  readonly dealId: string;
  readonly crmUserId: string | null;
  readonly wonAt: Date;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly outsidePipeline: boolean;
  /** Who the deal's sale counts for while it is counted. */
  readonly saleParticipantId: string | null;
  /** The CRM's modification time of that news. */
  readonly modifiedAt: Date | null;
  readonly held: { readonly reason: HoldReason; readonly detail: string } | null;
}

/** A deal whose last read from the CRM was given up. */
export interface FailedRead {
  readonly dealId: string;
  readonly error: string;
  readonly receivedAt: Date;
}

/**
 * What the CRM last said of each deal (written with the deal's state, `CrmRepository.saveDeal`)
 * and the reads of it that failed: the CRM's side of an integration's reconciliation.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deals reported won for `[start, end)`: won in it, or whose news of being won came in it
   * (modified then) while the win is dated outside it.
   */
  async reportedWon(integrationId: string, start: Date, end: Date): Promise<ReportedDeal[]> {
    const rows = await queryRows<{
      deal_id: string;
      crm_user_id: string | null;
      won_at: Date;
      amount_minor: string | null;
      currency: string | null;
      outside_pipeline: boolean;
      sale_participant_id: string | null;
      modified_at: Date | null;
      reason: HoldReason | null;
      detail: string | null;
    }>(
      this.dataSource,
      `SELECT d.deal_id, d.crm_user_id, d.won_at, d.amount_minor, d.currency, d.outside_pipeline,
              d.sale_participant_id, d.modified_at, h.reason, h.detail
         FROM crm_deals d
         LEFT JOIN held_deals h ON h.integration_id = d.integration_id AND h.deal_id = d.deal_id
        WHERE d.integration_id = $1 AND d.won_at IS NOT NULL
          AND ((d.won_at >= $2 AND d.won_at < $3) OR (d.modified_at >= $2 AND d.modified_at < $3))
        ORDER BY d.won_at, d.deal_id`,
      [integrationId, start, end],
    );
    return rows.map((row) => ({
      dealId: row.deal_id,
      crmUserId: row.crm_user_id,
      wonAt: row.won_at,
      amountMinor: safeIntegerOrNull(row.amount_minor, 'amount_minor'),
      currency: row.currency,
      outsidePipeline: row.outside_pipeline,
      saleParticipantId: row.sale_participant_id,
      modifiedAt: row.modified_at,
      held: row.reason === null ? null : { reason: row.reason, detail: row.detail ?? '' },
    }));
  }

  /**
   * Deals whose newest read failed (no read of them finished since), received from `start` on:
   * what the CRM says of them is unknown.
   */
  async failedReads(integrationId: string, start: Date): Promise<FailedRead[]> {
    const rows = await queryRows<{ deal_id: string; last_error: string; received_at: Date }>(
      this.dataSource,
      `SELECT DISTINCT ON (f.deal_id) f.deal_id, f.last_error, f.received_at
         FROM crm_fetch_jobs f
        WHERE f.integration_id = $1 AND f.state = 'failed' AND f.received_at >= $2
          AND NOT EXISTS (SELECT 1 FROM crm_fetch_jobs g
                           WHERE g.integration_id = f.integration_id AND g.deal_id = f.deal_id
                             AND g.state = 'done' AND g.id > f.id)
        ORDER BY f.deal_id, f.id DESC`,
      [integrationId, start],
    );
    return rows.map((row) => ({
      dealId: row.deal_id,
      error: row.last_error,
      receivedAt: row.received_at,
    }));
  }
}
