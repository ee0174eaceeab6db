import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows } from '../../database/sql.js';
import type { PullFailure, SyncCursor } from './crm-puller.js';

/** Where an integration's pull sync stands, and how its last run went. */
export interface SyncState {
  readonly integrationId: string;
  readonly cursor: SyncCursor | null;
  readonly lastStartedAt: Date | null;
  readonly lastFinishedAt: Date | null;
  readonly outcome: 'ok' | 'failed' | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  readonly dealsRead: number;
  readonly dealsApplied: number;
  readonly failures: readonly PullFailure[];
}

/** A CRM integration the scheduler may sync: not revoked, of a kind with a puller. */
export interface SyncCandidate {
  readonly integrationId: string;
  readonly kind: string;
  readonly settings: Record<string, unknown>;
  readonly lastStartedAt: Date | null;
}

interface Row {
  integration_id: string;
  cursor: SyncCursor | null;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  outcome: 'ok' | 'failed' | null;
  last_error: string | null;
  consecutive_failures: number;
  deals_read: number;
  deals_applied: number;
  failures: PullFailure[];
}

const toState = (row: Row): SyncState => ({
  integrationId: row.integration_id,
  cursor: row.cursor,
  lastStartedAt: row.last_started_at,
  lastFinishedAt: row.last_finished_at,
  outcome: row.outcome,
  lastError: row.last_error,
  consecutiveFailures: row.consecutive_failures,
  dealsRead: row.deals_read,
  dealsApplied: row.deals_applied,
  failures: row.failures,
});

/** The `crm_sync_states` table: each CRM integration's sync cursor and last run. */
@Injectable()
export class CrmSyncRepository {
  constructor(private readonly dataSource: DataSource) {}

  async state(integrationId: string): Promise<SyncState | null> {
    const row = await queryOne<Row>(
      this.dataSource,
      'SELECT * FROM crm_sync_states WHERE integration_id = $1',
      [integrationId],
    );
    return row ? toState(row) : null;
  }

  async states(integrationIds: readonly string[]): Promise<Map<string, SyncState>> {
    const rows = await queryRows<Row>(
      this.dataSource,
      'SELECT * FROM crm_sync_states WHERE integration_id = ANY($1::uuid[])',
      [integrationIds],
    );
    return new Map(rows.map((row) => [row.integration_id, toState(row)]));
  }

  /** A run begins: its start is recorded (the schedule counts from it), the cursor kept. */
  async start(integrationId: string, startedAt: Date): Promise<SyncState> {
    const rows = await queryRows<Row>(
      this.dataSource,
      `INSERT INTO crm_sync_states (integration_id, last_started_at) VALUES ($1, $2)
       ON CONFLICT (integration_id) DO UPDATE SET last_started_at = EXCLUDED.last_started_at
       RETURNING *`,
      [integrationId, startedAt],
    );
    return toState(rows[0] as Row);
  }

  /** Stores how far the run has read, in the transaction that applied that page. */
  async saveCursor(
    manager: EntityManager,
    integrationId: string,
    cursor: SyncCursor,
  ): Promise<void> {
    await manager.query('UPDATE crm_sync_states SET cursor = $2 WHERE integration_id = $1', [
      integrationId,
      JSON.stringify(cursor),
    ]);
  }

  /** A run ended: its outcome, and the failed runs in a row (reset by a good one). */
  async finish(
    integrationId: string,
    run: {
      finishedAt: Date;
      outcome: 'ok' | 'failed';
      error: string | null;
      read: number;
      applied: number;
      failures: readonly PullFailure[];
    },
  ): Promise<SyncState> {
    const rows = await queryRows<Row>(
      this.dataSource,
      `UPDATE crm_sync_states SET last_finished_at = $2, outcome = $3, last_error = $4,
         deals_read = $5, deals_applied = $6, failures = $7,
         consecutive_failures = CASE WHEN $3 = 'ok' THEN 0 ELSE consecutive_failures + 1 END
       WHERE integration_id = $1 RETURNING *`,
      [
        integrationId,
        run.finishedAt,
        run.outcome,
        run.error,
        run.read,
        run.applied,
        JSON.stringify(run.failures),
      ],
    );
    return toState(rows[0] as Row);
  }

  /** Integrations of these kinds that are not revoked, with the start of their last sync. */
  async candidates(kinds: readonly string[]): Promise<SyncCandidate[]> {
    const rows = await queryRows<{
      id: string;
      kind: string;
      settings: Record<string, unknown>;
      last_started_at: Date | null;
    }>(
      this.dataSource,
      `SELECT i.id, i.kind, i.settings, s.last_started_at
         FROM integrations i LEFT JOIN crm_sync_states s ON s.integration_id = i.id
        WHERE i.revoked_at IS NULL AND i.kind = ANY($1::text[])
        ORDER BY s.last_started_at NULLS FIRST, i.id`,
      [kinds],
    );
    return rows.map((row) => ({
      integrationId: row.id,
      kind: row.kind,
      settings: row.settings,
      lastStartedAt: row.last_started_at,
    }));
  }

  /** The earliest start of the live and closing contests' periods: where a first sync reads from. */
  async earliestLiveStart(): Promise<Date | null> {
    const row = await queryOne<{ start: Date | null }>(
      this.dataSource,
      `SELECT min(period_start) AS start FROM contests WHERE state IN ('live', 'closing')`,
    );
    return row?.start ?? null;
  }

  /**
   * CRM integrations (not revoked) whose last `threshold` syncs or more failed in a row: what the
   * contest page warns about, since sales may be missing from its standings.
   */
  async failing(threshold: number): Promise<
    {
      integrationId: string;
      name: string;
      kind: string;
      consecutiveFailures: number;
      lastError: string | null;
      lastFinishedAt: Date | null;
    }[]
  > {
    const rows = await queryRows<{
      id: string;
      name: string;
      kind: string;
      consecutive_failures: number;
      last_error: string | null;
      last_finished_at: Date | null;
    }>(
      this.dataSource,
      `SELECT i.id, i.name, i.kind, s.consecutive_failures, s.last_error, s.last_finished_at
         FROM crm_sync_states s JOIN integrations i ON i.id = s.integration_id
        WHERE i.revoked_at IS NULL AND s.consecutive_failures >= $1
        ORDER BY i.name`,
      [threshold],
    );
    return rows.map((row) => ({
      integrationId: row.id,
      name: row.name,
      kind: row.kind,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error,
      lastFinishedAt: row.last_finished_at,
    }));
  }
}
