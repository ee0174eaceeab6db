import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Simulations and Bitrix24 reads run on the job system (pg-boss, in its own `pgboss` schema,
 * which it creates and migrates itself when the application starts). The hand-written queues'
 * columns go: who claimed a simulation, its heartbeat, its attempts and queue order; when a read
 * is due. The rows stay the product's record of each run and read.
 */
export class JobSystem1764280000000 implements MigrationInterface {
  name = 'JobSystem1764280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX simulations_running_idx');
    await queryRunner.query('DROP INDEX simulations_queue_idx');
    await queryRunner.query(`
      ALTER TABLE simulations
        DROP COLUMN attempts,
        DROP COLUMN heartbeat_at,
        DROP COLUMN claimed_by,
        DROP COLUMN queue_order`);
    await queryRunner.query('DROP INDEX crm_fetch_jobs_due');
    await queryRunner.query('ALTER TABLE crm_fetch_jobs DROP COLUMN next_attempt_at');
    await queryRunner.query(
      `CREATE INDEX crm_fetch_jobs_pending ON crm_fetch_jobs (integration_id) WHERE state = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX crm_fetch_jobs_pending');
    await queryRunner.query(
      'ALTER TABLE crm_fetch_jobs ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()',
    );
    await queryRunner.query(
      `CREATE INDEX crm_fetch_jobs_due ON crm_fetch_jobs (next_attempt_at) WHERE state = 'pending'`,
    );
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
}
