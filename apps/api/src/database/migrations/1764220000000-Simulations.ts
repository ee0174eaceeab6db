import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Simulation runs (DESIGN §3.5, issue 4): what was asked (the contest file, scenario overrides,
 * remedies), the state of the run, its last progress and its result. The result is `json`, not
 * `jsonb`, so it reads back byte for byte as the simulator wrote it (jsonb reorders keys); so
 * is the file, whose key order the run then sees exactly as it was posted.
 */
export class Simulations1764220000000 implements MigrationInterface {
  name = 'Simulations1764220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE simulations (
        id uuid PRIMARY KEY,
        state text NOT NULL
          CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        contest_id uuid REFERENCES contests (id) ON DELETE SET NULL,
        file json NOT NULL,
        scenario jsonb NOT NULL,
        remedies boolean NOT NULL,
        progress jsonb NOT NULL,
        result json,
        error text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((state = 'done') = (result IS NOT NULL))
      )`);
    await queryRunner.query(
      'CREATE INDEX simulations_created_idx ON simulations (created_at DESC, id DESC)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE simulations');
  }
}
