import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddWeeklyReports1795962188736 implements MigrationInterface {
  name = 'AddWeeklyReports1795962188736';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "weekly_report_revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "week_start" date NOT NULL, "revision" integer NOT NULL, "content" jsonb NOT NULL, "note" text, "amend_reason" text, "submitted_by_id" uuid NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "data_cutoff" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "weekly_report_revisions_reason" CHECK ((revision = 1) = (amend_reason IS NULL)), CONSTRAINT "PK_611948155f5e6c097f9a6ff6e37" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "weekly_report_revisions_week_idx" ON "weekly_report_revisions" ("week_start", "office_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "weekly_report_revisions_key" ON "weekly_report_revisions" ("office_id", "week_start", "revision") `,
    );
    await queryRunner.query(
      `CREATE TABLE "enforcement_weekly_counts" ("office_id" uuid NOT NULL, "week_start" date NOT NULL, "category" "public"."priority_category" NOT NULL, "action_type" "public"."action_type" NOT NULL, "basis" "public"."enforcement_basis" NOT NULL, "action_count" integer NOT NULL DEFAULT '0', CONSTRAINT "enforcement_weekly_counts_nonnegative" CHECK (action_count >= 0), CONSTRAINT "PK_7dd1ecc3400a3f45af43987fdfb" PRIMARY KEY ("office_id", "week_start", "category", "action_type", "basis"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "enforcement_weekly_counts_week_idx" ON "enforcement_weekly_counts" ("week_start", "office_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" ADD CONSTRAINT "weekly_report_revisions_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" ADD CONSTRAINT "weekly_report_revisions_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_weekly_counts" ADD CONSTRAINT "enforcement_weekly_counts_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Submitted revisions are frozen snapshots.
    await queryRunner.query(
      `CREATE TRIGGER "weekly_report_revisions_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "weekly_report_revisions" FOR EACH STATEMENT EXECUTE FUNCTION "records_refuse_change"()`,
    );
    // Counts for the actions recorded before this migration (voided ones do not count).
    await queryRunner.query(`INSERT INTO "enforcement_weekly_counts" ("office_id", "week_start", "category", "action_type", "basis", "action_count")
      SELECT a.office_id, date_trunc('week', a.occurred_at AT TIME ZONE o.time_zone)::date, a.category, a.type, a.basis, count(*)
        FROM "enforcement_actions" a JOIN "offices" o ON o.id = a.office_id
       WHERE NOT EXISTS (SELECT 1 FROM "enforcement_action_voids" v WHERE v.enforcement_action_id = a.id)
       GROUP BY 1, 2, 3, 4, 5`);
    // Approval statistics group requests by office and time.
    await queryRunner.query(
      `CREATE INDEX "approval_requests_office_stats_idx" ON "approval_requests" ("office_id", "requested_at") INCLUDE ("status", "action_type", "decided_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."approval_requests_office_stats_idx"`);
    await queryRunner.query(
      `DROP TRIGGER "weekly_report_revisions_append_only" ON "weekly_report_revisions"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_weekly_counts" DROP CONSTRAINT "enforcement_weekly_counts_office_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" DROP CONSTRAINT "weekly_report_revisions_submitted_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" DROP CONSTRAINT "weekly_report_revisions_office_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."enforcement_weekly_counts_week_idx"`);
    await queryRunner.query(`DROP TABLE "enforcement_weekly_counts"`);
    await queryRunner.query(`DROP INDEX "public"."weekly_report_revisions_key"`);
    await queryRunner.query(`DROP INDEX "public"."weekly_report_revisions_week_idx"`);
    await queryRunner.query(`DROP TABLE "weekly_report_revisions"`);
  }
}
