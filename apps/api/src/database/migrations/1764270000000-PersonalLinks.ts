import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal links: a participant opens their own phone view at `/m/p/<token>` without a password.
 * The token is kept as its SHA-256 only; at most one live link per participant (regenerating
 * revokes the old one), revoked links stay for the record.
 */
export class PersonalLinks1764270000000 implements MigrationInterface {
  name = 'PersonalLinks1764270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE personal_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        participant_id text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT personal_links_token_hash_unique UNIQUE (token_hash)
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX personal_links_one_live ON personal_links (participant_id) WHERE revoked_at IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE personal_links');
  }
}
