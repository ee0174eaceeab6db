import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live contests: participant attributes and CRM identities, monthly history, contests with their
 * rules, plans, prize images and audit trail, the append-only event log with its per-contest
 * gap-free sequence, checkpoints and final results.
 */
export class LiveContests1764200000000 implements MigrationInterface {
  name = 'LiveContests1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE participants
        ADD COLUMN is_newcomer boolean,
        ADD COLUMN league text,
        ADD CONSTRAINT participants_name_not_blank CHECK (length(btrim(name)) > 0)`);

    // A CRM user id maps to one participant per source (amoCRM user 42 → "p7").
    await queryRunner.query(`
      CREATE TABLE participant_external_ids (
        source text NOT NULL,
        external_id text NOT NULL,
        participant_id text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, external_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX participant_external_ids_participant_idx ON participant_external_ids (participant_id)',
    );

    await queryRunner.query(`
      CREATE TABLE participant_history (
        participant_id text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
        month date NOT NULL,
        turnover_minor bigint NOT NULL CHECK (turnover_minor >= 0),
        margin_minor bigint NOT NULL,
        deals integer CHECK (deals >= 0),
        new_clients integer CHECK (new_clients >= 0),
        leads integer CHECK (leads >= 0),
        products jsonb,
        counters jsonb,
        PRIMARY KEY (participant_id, month),
        CONSTRAINT participant_history_month_first_day CHECK (extract(day FROM month) = 1)
      )`);

    await queryRunner.query(`
      CREATE TABLE contests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        currency char(3) NOT NULL,
        state text NOT NULL DEFAULT 'draft',
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        grace_days integer NOT NULL DEFAULT 3 CHECK (grace_days BETWEEN 0 AND 60),
        show_amounts boolean NOT NULL DEFAULT false,
        rules jsonb NOT NULL,
        frozen_file jsonb,
        scenario jsonb,
        last_seq bigint NOT NULL DEFAULT 0,
        launched_at timestamptz,
        closed_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contests_state_known
          CHECK (state IN ('draft', 'scheduled', 'live', 'closing', 'closed')),
        CONSTRAINT contests_period_ordered CHECK (period_start < period_end),
        CONSTRAINT contests_frozen_once_launched CHECK (state = 'draft' OR frozen_file IS NOT NULL)
      )`);
    await queryRunner.query('CREATE INDEX contests_state_idx ON contests (state)');

    await queryRunner.query(`
      CREATE TABLE contest_participants (
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        participant_id text NOT NULL REFERENCES participants (id),
        plan jsonb NOT NULL,
        PRIMARY KEY (contest_id, participant_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX contest_participants_participant_idx ON contest_participants (participant_id)',
    );

    await queryRunner.query(`
      CREATE TABLE contest_audit (
        id bigserial PRIMARY KEY,
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        from_state text,
        to_state text,
        details jsonb
      )`);
    await queryRunner.query(
      'CREATE INDEX contest_audit_contest_idx ON contest_audit (contest_id, id)',
    );

    await queryRunner.query(`
      CREATE TABLE prize_images (
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        league text NOT NULL DEFAULT '',
        place integer NOT NULL CHECK (place >= 1),
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (contest_id, league, place)
      )`);

    // The event log: append-only, idempotent on (source, external_id).
    await queryRunner.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        external_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('sale', 'lead', 'reversal', 'counter')),
        participant_id text NOT NULL REFERENCES participants (id),
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        payload_hash text NOT NULL,
        author text,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_source_external_id_unique UNIQUE (source, external_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX events_participant_occurred_idx ON events (participant_id, occurred_at)',
    );
    await queryRunner.query(`
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: record a reversal or a correction instead';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_append_only()`);

    // Which events count for which contest, in the order live standings apply them: seq is
    // gap-free per contest and assigned in the transaction that stores the event.
    await queryRunner.query(`
      CREATE TABLE contest_events (
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq >= 1),
        event_id bigint NOT NULL REFERENCES events (id),
        PRIMARY KEY (contest_id, seq),
        CONSTRAINT contest_events_once UNIQUE (contest_id, event_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE checkpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        number integer NOT NULL CHECK (number >= 1),
        boundary timestamptz NOT NULL,
        seq bigint NOT NULL,
        standings jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        published_by text,
        CONSTRAINT checkpoints_number_unique UNIQUE (contest_id, number)
      )`);

    await queryRunner.query(`
      CREATE TABLE contest_results (
        contest_id uuid PRIMARY KEY REFERENCES contests (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        standings jsonb NOT NULL,
        report jsonb NOT NULL,
        closed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'contest_results',
      'checkpoints',
      'contest_events',
      'events',
      'prize_images',
      'contest_audit',
      'contest_participants',
      'contests',
      'participant_history',
      'participant_external_ids',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    await queryRunner.query('DROP FUNCTION events_append_only()');
    await queryRunner.query(`
      ALTER TABLE participants
        DROP CONSTRAINT participants_name_not_blank,
        DROP COLUMN league,
        DROP COLUMN is_newcomer`);
  }
}
