import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several API processes on one database (issue 9): the simulation queue moves from a process's
 * memory to this table. `queue_order` keeps the order runs were asked in; a process claims the
 * next run with FOR UPDATE SKIP LOCKED, records itself in `claimed_by` and renews `heartbeat_at`
 * while it runs; a run whose heartbeat is older than the lease (its process died) is queued again,
 * at most `attempts` times.
 */
export class ScaleOut1764260000000 implements MigrationInterface {
  name = 'ScaleOut1764260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE simulations
        ADD COLUMN queue_order bigserial,
        ADD COLUMN claimed_by text,
        ADD COLUMN heartbeat_at timestamptz,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0)`);
    await queryRunner.query(
      `CREATE INDEX simulations_queue_idx ON simulations (queue_order) WHERE state = 'queued'`,
    );
    await queryRunner.query(
      `CREATE INDEX simulations_running_idx ON simulations (heartbeat_at) WHERE state = 'running'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX simulations_running_idx');
    await queryRunner.query('DROP INDEX simulations_queue_idx');
    await queryRunner.query(`
      ALTER TABLE simulations
        DROP COLUMN attempts,
        DROP COLUMN heartbeat_at,
        DROP COLUMN claimed_by,
        DROP COLUMN queue_order`);
  }
}
