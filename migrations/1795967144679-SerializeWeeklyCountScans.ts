import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Figures aggregate the whole counts table (about 160,000 rows at 10 million actions). A parallel
 * plan costs more to start than it saves there: on the 2-core benchmark machine the single-dimension
 * figures took 38-53 ms through GraphQL with parallel workers and 25-40 ms without
 * (docs/benchmarks.md). Not expressible in the entities: a storage parameter, which the schema
 * diff ignores.
 */
export class SerializeWeeklyCountScans1795967144679 implements MigrationInterface {
  name = 'SerializeWeeklyCountScans1795967144679';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enforcement_weekly_counts" SET (parallel_workers = 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enforcement_weekly_counts" RESET (parallel_workers)`);
  }
}
