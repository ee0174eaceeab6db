import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * amoCRM and Bitrix24 integrations (issue 8): the hashed secret of their webhook URL, Bitrix24's
 * application token (hashed) and inbound webhook URL, the state of every CRM deal (won or not,
 * the sale it produced), the deals held for an unmapped CRM user, and the durable queue of
 * Bitrix24 deal reads.
 */
export class CrmIntegrations1764240000000 implements MigrationInterface {
  name = 'CrmIntegrations1764240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // CRMs cannot sign: their URL carries a secret, of which only the sha256 is stored.
    await queryRunner.query(`
      ALTER TABLE integrations
        ALTER COLUMN signing_key DROP NOT NULL,
        ADD COLUMN secret_hash text,
        ADD COLUMN application_token_hash text,
        -- The portal's inbound webhook URL holds its own secret; it is needed in clear to call
        -- the portal, and is masked in every answer and never logged.
        ADD COLUMN portal_webhook_url text,
        ADD CONSTRAINT integrations_credentials CHECK (
          (kind = 'webhook' AND signing_key IS NOT NULL)
          OR (kind = 'amocrm' AND secret_hash IS NOT NULL)
          OR (kind = 'bitrix24' AND secret_hash IS NOT NULL AND application_token_hash IS NOT NULL
              AND portal_webhook_url IS NOT NULL))`);
    await queryRunner.query(`
      CREATE TABLE crm_deals (
        integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        deal_id text NOT NULL,
        won boolean NOT NULL DEFAULT false,
        -- The sale counted for the deal while it is won, and what it carried.
        sale_external_id text,
        sale_participant_id text REFERENCES participants (id),
        sale_amount_minor bigint,
        sale_margin_minor bigint,
        -- How many sales the deal has produced: won again after a reversal is a new sale.
        sales integer NOT NULL DEFAULT 0,
        -- The CRM's modification time of the newest state applied: older news is ignored.
        modified_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (integration_id, deal_id),
        CHECK (won = (sale_external_id IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE held_deals (
        integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        deal_id text NOT NULL,
        crm_user_id text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('unmapped', 'currency', 'margin')),
        detail text NOT NULL,
        -- The deal as the CRM last reported it, applied once the reason is gone.
        observation jsonb NOT NULL,
        held_at timestamptz NOT NULL,
        PRIMARY KEY (integration_id, deal_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX held_deals_user ON held_deals (integration_id, crm_user_id)',
    );
    await queryRunner.query(`
      CREATE TABLE crm_fetch_jobs (
        id bigserial PRIMARY KEY,
        integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        deal_id text NOT NULL,
        event text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        -- When the job may be taken next: after a backoff, or after a taker's lease ran out.
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        received_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX crm_fetch_jobs_due ON crm_fetch_jobs (next_attempt_at) WHERE state = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX crm_fetch_jobs_failed ON crm_fetch_jobs (integration_id) WHERE state = 'failed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE crm_fetch_jobs');
    await queryRunner.query('DROP TABLE held_deals');
    await queryRunner.query('DROP TABLE crm_deals');
    await queryRunner.query(`
      ALTER TABLE integrations
        DROP CONSTRAINT integrations_credentials,
        DROP COLUMN portal_webhook_url,
        DROP COLUMN application_token_hash,
        DROP COLUMN secret_hash`);
    await queryRunner.query(`DELETE FROM integrations WHERE signing_key IS NULL`);
    await queryRunner.query('ALTER TABLE integrations ALTER COLUMN signing_key SET NOT NULL');
  }
}
