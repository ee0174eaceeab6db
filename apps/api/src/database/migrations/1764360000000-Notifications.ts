import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (DESIGN §6a): the transactional outbox every message is written to in the
 * transaction of the fact that causes it, Telegram chats linked to participants, teams or the
 * whole company, the single-use codes that link them, per-kind switches, the cursor that turns
 * standings changes into messages exactly once, and the participant's language.
 */
export class Notifications1764360000000 implements MigrationInterface {
  name = 'Notifications1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE participants
        ADD COLUMN language text NOT NULL DEFAULT 'ru'
          CONSTRAINT participants_language_known CHECK (language IN ('ru', 'en'))`);
    // One row per message and recipient. `idempotency_key` is what makes a fact's messages
    // exactly once: whoever writes them twice (a retried transaction, two processes deriving the
    // same change) inserts nothing the second time.
    await queryRunner.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        channel text NOT NULL CONSTRAINT notifications_channel_known
          CHECK (channel IN ('telegram', 'email')),
        participant_id text REFERENCES participants (id) ON DELETE CASCADE,
        chat_id bigint,
        email text,
        language text NOT NULL DEFAULT 'ru'
          CONSTRAINT notifications_language_known CHECK (language IN ('ru', 'en')),
        payload jsonb NOT NULL,
        idempotency_key text NOT NULL CONSTRAINT notifications_idempotency_key_unique UNIQUE,
        state text NOT NULL DEFAULT 'queued' CONSTRAINT notifications_state_known
          CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        provider_message_id text,
        CONSTRAINT notifications_recipient CHECK (
          (channel = 'telegram' AND chat_id IS NOT NULL)
          OR (channel = 'email' AND email IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE INDEX notifications_due_idx ON notifications (channel, next_attempt_at, id)
        WHERE state = 'queued'`);
    await queryRunner.query(
      'CREATE INDEX notifications_recent_idx ON notifications (created_at DESC, id DESC)',
    );
    await queryRunner.query(`
      CREATE INDEX notifications_participant_kind_idx
        ON notifications (participant_id, kind, created_at DESC)
        WHERE participant_id IS NOT NULL`);
    // A chat linked to exactly one of: a participant (a private chat), a team or the company
    // (group chats). `blocked_at`: the bot was blocked there; its messages are skipped.
    await queryRunner.query(`
      CREATE TABLE telegram_chats (
        chat_id bigint PRIMARY KEY,
        participant_id text REFERENCES participants (id) ON DELETE CASCADE,
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        company boolean NOT NULL DEFAULT false,
        title text,
        linked_at timestamptz NOT NULL DEFAULT now(),
        blocked_at timestamptz,
        CONSTRAINT telegram_chats_one_subject CHECK (
          (participant_id IS NOT NULL)::int + (team_id IS NOT NULL)::int + company::int = 1)
      )`);
    await queryRunner.query(
      'CREATE INDEX telegram_chats_participant_idx ON telegram_chats (participant_id)',
    );
    await queryRunner.query('CREATE INDEX telegram_chats_team_idx ON telegram_chats (team_id)');
    // Link codes: only their SHA-256 is kept; used once, within 24 hours.
    await queryRunner.query(`
      CREATE TABLE telegram_link_codes (
        code_hash text PRIMARY KEY,
        participant_id text REFERENCES participants (id) ON DELETE CASCADE,
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        company boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by_chat bigint,
        CONSTRAINT telegram_link_codes_one_subject CHECK (
          (participant_id IS NOT NULL)::int + (team_id IS NOT NULL)::int + company::int = 1)
      )`);
    // A kind switched off for a subject: `participant:<id>`, `chat:<id>` or `email:<address>`.
    await queryRunner.query(`
      CREATE TABLE notification_switches (
        subject text NOT NULL,
        kind text NOT NULL,
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subject, kind)
      )`);
    // How far each counting contest's standings have been turned into messages: `seq` of the
    // contest's event sequence, and each participant's rank and prize place at that point (null
    // until first computed: a cursor is written at launch, in the launch's transaction, and the
    // places at its `seq` are rebuilt from the log when first needed).
    await queryRunner.query(`
      CREATE TABLE notification_cursors (
        contest_id uuid PRIMARY KEY REFERENCES contests (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        places jsonb,
        fund_minor bigint NOT NULL DEFAULT 0,
        unlocked text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notification_cursors');
    await queryRunner.query('DROP TABLE notification_switches');
    await queryRunner.query('DROP TABLE telegram_link_codes');
    await queryRunner.query('DROP TABLE telegram_chats');
    await queryRunner.query('DROP TABLE notifications');
    await queryRunner.query('ALTER TABLE participants DROP COLUMN language');
  }
}
