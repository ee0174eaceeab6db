import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * amoCRM through its API: the integration's long-lived access token, encrypted (AES-256-GCM,
 * common/secret-box.ts: it must be read back in clear to call amoCRM, so it cannot be hashed),
 * and the amoCRM account its webhooks must come from (`{ id, subdomain }`, learned from the
 * first call or given in the settings): a call from another account is refused.
 */
export class AmocrmApi1764310000000 implements MigrationInterface {
  name = 'AmocrmApi1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE integrations
        ADD COLUMN access_token_encrypted text,
        ADD COLUMN crm_account jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE integrations
        DROP COLUMN access_token_encrypted,
        DROP COLUMN crm_account`);
  }
}
