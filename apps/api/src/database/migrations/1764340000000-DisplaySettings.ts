import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A display's own settings (DESIGN §7): the language its TV speaks, the slides it rotates through
 * for each contest in their order, the seconds per slide, and whether a deal plays a sound.
 * Existing displays get the defaults of a new one.
 */
export class DisplaySettings1764340000000 implements MigrationInterface {
  name = 'DisplaySettings1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE displays
        ADD COLUMN language text NOT NULL DEFAULT 'ru'
          CONSTRAINT displays_language_known CHECK (language IN ('ru', 'en')),
        ADD COLUMN slides text[] NOT NULL DEFAULT '{leaderboard,prizes,deals}'
          CONSTRAINT displays_slides_known CHECK (
            cardinality(slides) > 0
            AND slides <@ '{leaderboard,prizes,results,teams,newcomers,rules,deals}'::text[]),
        ADD COLUMN slide_seconds integer NOT NULL DEFAULT 20
          CONSTRAINT displays_slide_seconds_range CHECK (slide_seconds BETWEEN 5 AND 600),
        ADD COLUMN sound boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE displays DROP COLUMN language, DROP COLUMN slides, DROP COLUMN slide_seconds, DROP COLUMN sound',
    );
  }
}
