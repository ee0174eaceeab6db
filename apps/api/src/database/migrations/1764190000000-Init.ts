import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: teams and participants, the people every contest is about. Participant ids
 * are the ids of the contest file (`"p1"`, a CRM user id, …), so they are text, not generated.
 */
export class Init1764190000000 implements MigrationInterface {
  name = 'Init1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT teams_name_unique UNIQUE (name),
        CONSTRAINT teams_name_not_blank CHECK (length(btrim(name)) > 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE participants (
        id text PRIMARY KEY,
        name text NOT NULL,
        team_id uuid REFERENCES teams (id) ON DELETE SET NULL,
        role text NOT NULL DEFAULT 'hunter',
        hired_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT participants_id_not_blank CHECK (length(btrim(id)) > 0),
        CONSTRAINT participants_role_known CHECK (role IN ('hunter', 'farmer'))
      )`);
    await queryRunner.query('CREATE INDEX participants_team_id_idx ON participants (team_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE participants');
    await queryRunner.query('DROP TABLE teams');
  }
}
