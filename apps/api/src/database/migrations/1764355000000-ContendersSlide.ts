import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A display may show the top contenders' chances from the live forecast (DESIGN §3.7, §7): the
 * slide kinds a display's settings accept gain `contenders`.
 */
export class ContendersSlide1764355000000 implements MigrationInterface {
  name = 'ContendersSlide1764355000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE displays
        DROP CONSTRAINT displays_slides_known,
        ADD CONSTRAINT displays_slides_known CHECK (
          cardinality(slides) > 0
          AND slides <@ '{leaderboard,prizes,contenders,results,teams,newcomers,rules,deals}'::text[])`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE displays SET slides = array_remove(slides, 'contenders')
        WHERE 'contenders' = ANY (slides)`);
    // A display that showed nothing else shows the default slides again.
    await queryRunner.query(`
      UPDATE displays SET slides = '{leaderboard,prizes,deals}' WHERE cardinality(slides) = 0`);
    await queryRunner.query(`
      ALTER TABLE displays
        DROP CONSTRAINT displays_slides_known,
        ADD CONSTRAINT displays_slides_known CHECK (
          cardinality(slides) > 0
          AND slides <@ '{leaderboard,prizes,results,teams,newcomers,rules,deals}'::text[])`);
  }
}
