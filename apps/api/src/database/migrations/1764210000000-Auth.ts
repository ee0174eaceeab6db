import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access: users with their role (a seller is one participant), login sessions, display tokens and
 * the contests each display shows, API keys for ingestion. Every secret is stored as its SHA-256
 * (tokens, keys) or its Argon2id hash (passwords), never in clear.
 */
export class Auth1764210000000 implements MigrationInterface {
  name = 'Auth1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL,
        participant_id text REFERENCES participants (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_unique UNIQUE (email),
        CONSTRAINT users_email_lower CHECK (email = lower(btrim(email)) AND email <> ''),
        CONSTRAINT users_role_known CHECK (role IN ('admin', 'director', 'manager', 'seller')),
        CONSTRAINT users_seller_has_participant
          CHECK ((role = 'seller') = (participant_id IS NOT NULL))
      )`);
    // One login per seller: two users behind one participant would blur "my details".
    await queryRunner.query(
      'CREATE UNIQUE INDEX users_participant_unique ON users (participant_id) WHERE participant_id IS NOT NULL',
    );

    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT sessions_token_hash_unique UNIQUE (token_hash)
      )`);
    await queryRunner.query('CREATE INDEX sessions_user_idx ON sessions (user_id)');
    await queryRunner.query('CREATE INDEX sessions_expires_idx ON sessions (expires_at)');

    await queryRunner.query(`
      CREATE TABLE displays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        token_hash bytea NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT displays_token_hash_unique UNIQUE (token_hash),
        CONSTRAINT displays_name_not_blank CHECK (length(btrim(name)) > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE display_contests (
        display_id uuid NOT NULL REFERENCES displays (id) ON DELETE CASCADE,
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        position integer NOT NULL DEFAULT 0,
        PRIMARY KEY (display_id, contest_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX display_contests_contest_idx ON display_contests (contest_id)',
    );

    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        key_hash bytea NOT NULL,
        key_prefix text NOT NULL,
        scopes text[] NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_key_hash_unique UNIQUE (key_hash),
        CONSTRAINT api_keys_name_not_blank CHECK (length(btrim(name)) > 0),
        CONSTRAINT api_keys_scopes_not_empty CHECK (cardinality(scopes) > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE api_keys');
    await queryRunner.query('DROP TABLE display_contests');
    await queryRunner.query('DROP TABLE displays');
    await queryRunner.query('DROP TABLE sessions');
    await queryRunner.query('DROP TABLE users');
  }
}
