import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly plans per participant (issue 7, "plans"): what a contest built from the database takes
 * as each seller's plan for the months of its period, before the history's mean is used.
 * Money in minor units, counts as integers; a missing count is "no plan for it".
 */
export class Plans1764250000000 implements MigrationInterface {
  name = 'Plans1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE participant_plans (
        participant_id text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
        -- The first day of the month: one plan per participant and month.
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        turnover_minor bigint NOT NULL CHECK (turnover_minor >= 0),
        margin_minor bigint NOT NULL,
        deals integer CHECK (deals >= 0),
        new_clients integer CHECK (new_clients >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (participant_id, month)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE participant_plans');
  }
}
