import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two coarser sums of `enforcement_weekly_counts` for the figures that do not need its full
 * grain (docs/benchmarks.md): over every office, and per office-week. Filled from the counts
 * already kept.
 */
export class AddFigureRollups1795972466292 implements MigrationInterface {
  name = 'AddFigureRollups1795972466292';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "enforcement_counts_by_week" ("week_start" date NOT NULL, "category" "public"."priority_category" NOT NULL, "action_type" "public"."action_type" NOT NULL, "basis" "public"."enforcement_basis" NOT NULL, "action_count" integer NOT NULL DEFAULT '0', CONSTRAINT "enforcement_counts_by_week_nonnegative" CHECK (action_count >= 0), CONSTRAINT "PK_10095229ff5b154b189ccb7db38" PRIMARY KEY ("week_start", "category", "action_type", "basis"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "enforcement_counts_by_office_week" ("office_id" uuid NOT NULL, "week_start" date NOT NULL, "action_count" integer NOT NULL DEFAULT '0', CONSTRAINT "enforcement_counts_by_office_week_nonnegative" CHECK (action_count >= 0), CONSTRAINT "PK_2dbe686316bb958683a00e94671" PRIMARY KEY ("office_id", "week_start"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "enforcement_counts_by_office_week_week_idx" ON "enforcement_counts_by_office_week" ("week_start") `,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_counts_by_office_week" ADD CONSTRAINT "enforcement_counts_by_office_week_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`INSERT INTO "enforcement_counts_by_week" ("week_start", "category", "action_type", "basis", "action_count")
       SELECT "week_start", "category", "action_type", "basis", sum("action_count")
         FROM "enforcement_weekly_counts" GROUP BY 1, 2, 3, 4`);
    await queryRunner.query(`INSERT INTO "enforcement_counts_by_office_week" ("office_id", "week_start", "action_count")
       SELECT "office_id", "week_start", sum("action_count") FROM "enforcement_weekly_counts" GROUP BY 1, 2`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "enforcement_counts_by_office_week" DROP CONSTRAINT "enforcement_counts_by_office_week_office_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."enforcement_counts_by_office_week_week_idx"`);
    await queryRunner.query(`DROP TABLE "enforcement_counts_by_office_week"`);
    await queryRunner.query(`DROP TABLE "enforcement_counts_by_week"`);
  }
}
