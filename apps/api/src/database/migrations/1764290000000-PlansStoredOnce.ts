import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contest's plans are stored once: in the contest file (`contests.rules`, and
 * `contests.frozen_file` once launched), where standings, `GET /api/contests/:id/plans` and the
 * launch read them. `contest_participants.plan` was a copy written next to every file and read by
 * nothing; the table stays, as the list of who a contest counts (`ingest_events` and a launch's
 * backfill join it).
 *
 * Before the column goes, a participant of a file without a plan takes the copy's, so no plan
 * stored only there is lost. `participant_plans` is another thing: each seller's plan per month,
 * from which a new contest's plans can be drawn; it does not hold a contest's plans.
 */
export class PlansStoredOnce1764290000000 implements MigrationInterface {
  name = 'PlansStoredOnce1764290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['rules', 'frozen_file']) {
      await queryRunner.query(`
        UPDATE contests c
           SET ${column} = jsonb_set(c.${column}, '{participants}', (
                 SELECT jsonb_agg(
                          CASE WHEN p.participant ? 'plan' OR cp.plan IS NULL THEN p.participant
                               ELSE p.participant || jsonb_build_object('plan', cp.plan) END
                          ORDER BY p.position)
                   FROM jsonb_array_elements(c.${column} -> 'participants')
                          WITH ORDINALITY AS p(participant, position)
                   LEFT JOIN contest_participants cp
                     ON cp.contest_id = c.id AND cp.participant_id = p.participant ->> 'id'))
         WHERE jsonb_typeof(c.${column} -> 'participants') = 'array'
           AND EXISTS (
                 SELECT 1 FROM jsonb_array_elements(c.${column} -> 'participants') AS p(participant)
                   JOIN contest_participants cp
                     ON cp.contest_id = c.id AND cp.participant_id = p.participant ->> 'id'
                  WHERE NOT p.participant ? 'plan')`);
    }
    await queryRunner.query('ALTER TABLE contest_participants DROP COLUMN plan');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contest_participants ADD COLUMN plan jsonb');
    await queryRunner.query(`
      UPDATE contest_participants cp
         SET plan = coalesce(p.participant -> 'plan', '{}'::jsonb)
        FROM contests c,
             jsonb_array_elements(coalesce(c.frozen_file, c.rules) -> 'participants') AS p(participant)
       WHERE c.id = cp.contest_id AND p.participant ->> 'id' = cp.participant_id`);
    await queryRunner.query(
      "UPDATE contest_participants SET plan = '{}'::jsonb WHERE plan IS NULL",
    );
    await queryRunner.query('ALTER TABLE contest_participants ALTER COLUMN plan SET NOT NULL');
  }
}
