import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each request keeps the Monday of its office's local week (offices never change zone), so
 * approval figures group and filter by a date instead of converting every request's time
 * (about 1 s of a 1.4 s five-year approvalStats at 600,000 requests). The covering index for the
 * figures and the weekly report's request summary is rebuilt on that week.
 */
export class AddApprovalRequestWeeks1795973682731 implements MigrationInterface {
  name = 'AddApprovalRequestWeeks1795973682731';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "approval_requests" ADD "requested_week" date`);
    await queryRunner.query(`UPDATE "approval_requests" r
       SET "requested_week" = date_trunc('week', r."requested_at" AT TIME ZONE o."time_zone")::date
      FROM "offices" o WHERE o."id" = r."office_id"`);
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ALTER COLUMN "requested_week" SET NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."approval_requests_preapproval_stats_idx"`);
    await queryRunner.query(
      `CREATE INDEX "approval_requests_preapproval_stats_idx" ON "approval_requests" ("requested_week", "office_id") INCLUDE ("status", "action_type", "requested_at", "decided_at") WHERE kind <> 'POST_ACTION'`,
    );
    // The planner needs the new column's statistics to choose that index (a vacuum, which sets
    // the visibility map for index-only scans, cannot run in a migration's transaction).
    await queryRunner.query(`ANALYZE "approval_requests"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."approval_requests_preapproval_stats_idx"`);
    await queryRunner.query(
      `CREATE INDEX "approval_requests_preapproval_stats_idx" ON "approval_requests" ("office_id", "requested_at") INCLUDE ("status", "action_type", "decided_at") WHERE kind <> 'POST_ACTION'`,
    );
    await queryRunner.query(`ALTER TABLE "approval_requests" DROP COLUMN "requested_week"`);
  }
}
