import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 1C:Enterprise read through its standard OData interface (kind `1c-odata`). 1C keeps no
 * modification time, only each object's `DataVersion`: `onec_documents` remembers, per sale
 * document read, the version (and the register margin, when the margin comes from 1C) last
 * applied, so a sync that reads the same document again costs nothing, and the document's date,
 * so a document that disappears from 1C within the sync's window is noticed.
 */
export class OnecOdata1764370000000 implements MigrationInterface {
  name = 'OnecOdata1764370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE integrations DROP CONSTRAINT integrations_kind_check`);
    await queryRunner.query(`
      ALTER TABLE integrations ADD CONSTRAINT integrations_kind_check
        CHECK (kind IN ('webhook', 'amocrm', 'bitrix24', '1c-odata'))`);
    // 1C posts nothing (no webhook secret); it is read with a password, sealed like amoCRM's token.
    await queryRunner.query(`ALTER TABLE integrations DROP CONSTRAINT integrations_credentials`);
    await queryRunner.query(`
      ALTER TABLE integrations ADD CONSTRAINT integrations_credentials CHECK (
        (kind = 'webhook' AND signing_key IS NOT NULL)
        OR (kind = 'amocrm' AND secret_hash IS NOT NULL)
        OR (kind = 'bitrix24' AND secret_hash IS NOT NULL AND application_token_hash IS NOT NULL
            AND portal_webhook_url IS NOT NULL)
        OR (kind = '1c-odata' AND access_token_encrypted IS NOT NULL))`);
    await queryRunner.query(`
      CREATE TABLE onec_documents (
        integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
        ref_key text NOT NULL,
        fingerprint text NOT NULL,
        document_date timestamptz NOT NULL,
        PRIMARY KEY (integration_id, ref_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE onec_documents`);
    await queryRunner.query(`DELETE FROM integrations WHERE kind = '1c-odata'`);
    await queryRunner.query(`ALTER TABLE integrations DROP CONSTRAINT integrations_credentials`);
    await queryRunner.query(`
      ALTER TABLE integrations ADD CONSTRAINT integrations_credentials CHECK (
        (kind = 'webhook' AND signing_key IS NOT NULL)
        OR (kind = 'amocrm' AND secret_hash IS NOT NULL)
        OR (kind = 'bitrix24' AND secret_hash IS NOT NULL AND application_token_hash IS NOT NULL
            AND portal_webhook_url IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE integrations DROP CONSTRAINT integrations_kind_check`);
    await queryRunner.query(`
      ALTER TABLE integrations ADD CONSTRAINT integrations_kind_check
        CHECK (kind IN ('webhook', 'amocrm', 'bitrix24'))`);
  }
}
