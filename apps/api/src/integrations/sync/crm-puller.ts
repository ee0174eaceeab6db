import type { EntityManager } from 'typeorm';
import type { DealObservation, LeadObservation } from '../crm/deal-observation.js';
import type { IntegrationRecord } from '../integrations.repository.js';

/**
 * Where a CRM's pull sync stands: the CRM's modification time up to which every change has been
 * read and applied (ISO 8601), and whatever else the kind needs to resume (e.g. a page token).
 * Stored per integration once a page has been applied, so a sync that fails half-way resumes
 * where it stopped; reading a change twice is harmless (a deal's state decides).
 */
export interface SyncCursor {
  readonly modifiedSince: string;
  readonly extra?: Readonly<Record<string, string | number>>;
}

/** A deal the CRM reported but the sync could not turn into an observation. */
export interface PullFailure {
  readonly dealId: string;
  /** The reason, in the CRM's own words where it gave some; never a credential. */
  readonly reason: string;
}

/** One page of changes: applied in one transaction, then `cursor` is stored. */
export interface PulledPage {
  readonly observations: readonly DealObservation[];
  /** Leads that are not deals (Bitrix24's `crm.lead`), when the integration counts them. */
  readonly leads?: readonly LeadObservation[];
  readonly failures: readonly PullFailure[];
  readonly cursor: SyncCursor;
  /**
   * What the kind keeps per deal beyond `crm_deals` (1C: the document versions read), written in
   * the page's transaction, so it is stored exactly when the page's observations are applied.
   */
  readonly commit?: (manager: EntityManager) => Promise<void>;
}

/**
 * Reads what changed in one kind of CRM since a cursor, through the CRM's REST API, as pages of
 * observations in modification order. `since` is null on an integration's first sync, which
 * reads from `from` (the earliest start of the live contests' periods). A puller throws for
 * a call that failed after its retries: the sync stops there
 * and the next one resumes from the last stored cursor.
 */
export interface CrmPuller {
  readonly kind: 'amocrm' | 'bitrix24' | '1c-odata';
  pages(
    integration: IntegrationRecord,
    since: SyncCursor | null,
    from: Date,
    signal: AbortSignal,
  ): AsyncIterable<PulledPage>;
}

/** Nest injection token of the list of pullers, one per CRM kind. */
export const CRM_PULLERS = Symbol('CRM_PULLERS');
