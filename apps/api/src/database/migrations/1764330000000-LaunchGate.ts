import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The launch gate, clones and monthly repeats (DESIGN §4).
 *
 * `approval` is what the approved simulation concluded: its fairness verdict, a digest of the
 * rules it judged, who approved it and when, and the stored simulation when there is one. A launch
 * compares the digest with the rules as they are.
 *
 * `repeat_monthly` asks for the next calendar month's draft once the period is over; that draft
 * names its source in `repeat_of`, and the unique index makes the repeat happen once per source
 * and month whichever process gets there first. `pending_simulation_id` is the server-side run of
 * such a draft, approved as its scenario once done.
 */
export class LaunchGate1764330000000 implements MigrationInterface {
  name = 'LaunchGate1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE contests
        ADD COLUMN approval jsonb,
        ADD COLUMN repeat_monthly boolean NOT NULL DEFAULT false,
        ADD COLUMN repeat_of uuid REFERENCES contests (id) ON DELETE SET NULL,
        ADD COLUMN pending_simulation_id uuid REFERENCES simulations (id) ON DELETE SET NULL`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX contests_repeat_once ON contests (repeat_of, period_start) WHERE repeat_of IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX contests_repeat_once');
    await queryRunner.query(`
      ALTER TABLE contests DROP COLUMN approval, DROP COLUMN repeat_monthly,
        DROP COLUMN repeat_of, DROP COLUMN pending_simulation_id`);
  }
}
