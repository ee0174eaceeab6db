import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live forecasts of contests (DESIGN §3.7): each computed forecast is a row; the newest one by
 * `seq` and `as_of` is the contest's latest. A row that is neither its UTC day's latest nor taken
 * for a published checkpoint is pruned when a newer one of the same day is stored, so a contest
 * keeps one forecast per day (the charts) and one per published checkpoint.
 */
export class Forecasts1764350000000 implements MigrationInterface {
  name = 'Forecasts1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contest_forecasts (
        id bigserial PRIMARY KEY,
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        seq bigint NOT NULL CONSTRAINT contest_forecasts_seq_range CHECK (seq >= 0),
        as_of timestamptz NOT NULL,
        day date NOT NULL,
        computed_at timestamptz NOT NULL,
        checkpoint integer CONSTRAINT contest_forecasts_checkpoint_range CHECK (checkpoint >= 1),
        forecast jsonb NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX contest_forecasts_latest ON contest_forecasts (contest_id, seq DESC, as_of DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX contest_forecasts_days ON contest_forecasts (contest_id, day, as_of)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE contest_forecasts');
  }
}
