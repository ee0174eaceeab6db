import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrations that deliver deals (DESIGN §10): their settings, the key that signs a generic
 * webhook's requests, and the mapping of CRM user ids to participants.
 */
export class Integrations1764230000000 implements MigrationInterface {
  name = 'Integrations1764230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE integrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('webhook', 'amocrm', 'bitrix24')),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        settings jsonb NOT NULL DEFAULT '{}',
        -- HMAC verification needs the key itself: it is stored, never logged nor shown again.
        signing_key text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT integrations_name_unique UNIQUE (name)
      )`);
    await queryRunner.query(`
      CREATE TABLE integration_mappings (
        integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        crm_user_id text NOT NULL,
        participant_id text NOT NULL REFERENCES participants (id),
        PRIMARY KEY (integration_id, crm_user_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE integration_mappings');
    await queryRunner.query('DROP TABLE integrations');
  }
}
