import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a CRM deal's state needs beyond one sale: a won deal counted per product row (its sales
 * `<sale>#1` … `<sale>#<sale_parts>`), what else the counted sale said (`sale_key`: its client and
 * rows, so an edit of those alone is a correction), the deal's `lead` event, counted once, and
 * its client, so a deal is a new client's only when Podium saw no earlier won deal of that client.
 */
export class CrmDealRows1764365000000 implements MigrationInterface {
  name = 'CrmDealRows1764365000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE crm_deals
        ADD COLUMN sale_parts integer NOT NULL DEFAULT 0 CONSTRAINT crm_deals_sale_parts CHECK (sale_parts >= 0),
        ADD COLUMN sale_key text,
        ADD COLUMN lead_external_id text,
        ADD COLUMN client_id text`);
    await queryRunner.query(
      `CREATE INDEX crm_deals_client ON crm_deals (integration_id, client_id, won_at)
         WHERE client_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX crm_deals_client');
    await queryRunner.query(`
      ALTER TABLE crm_deals DROP COLUMN sale_parts, DROP COLUMN sale_key,
        DROP COLUMN lead_external_id, DROP COLUMN client_id`);
  }
}
