import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each CRM integration's pull sync stands: the cursor up to which the CRM's changes have
 * been read and applied (stored with each applied page, in that page's transaction), and the last
 * run's status for the admin (when, its outcome and error, the deals it read and applied, the
 * deals it could not read) with the failed runs in a row that raise the managers' alert.
 * A row appears with an integration's first sync and goes with the integration.
 */
export class CrmSync1764300000000 implements MigrationInterface {
  name = 'CrmSync1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE crm_sync_states (
        integration_id uuid PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
        cursor jsonb,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        outcome text,
        last_error text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        deals_read integer NOT NULL DEFAULT 0,
        deals_applied integer NOT NULL DEFAULT 0,
        failures jsonb NOT NULL DEFAULT '[]',
        CONSTRAINT crm_sync_states_outcome_known CHECK (outcome IN ('ok', 'failed')),
        CONSTRAINT crm_sync_states_counts_positive
          CHECK (consecutive_failures >= 0 AND deals_read >= 0 AND deals_applied >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE crm_sync_states');
  }
}
