import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddActionReportColumns1795971170530 implements MigrationInterface {
  name = 'AddActionReportColumns1795971170530';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enforcement_actions" ADD "report_reason" text`);
    await queryRunner.query(`ALTER TABLE "enforcement_actions" ADD "approved_by_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Actions already recorded get what the report read from their request and assessment. The
    // table refuses updates, so its trigger is off for this one statement of the migration.
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DISABLE TRIGGER "enforcement_actions_append_only"`,
    );
    await queryRunner.query(`UPDATE "enforcement_actions" a
       SET "report_reason" = CASE a."basis"
             WHEN 'PREAPPROVED' THEN (SELECT r."justification" FROM "approval_requests" r WHERE r."id" = a."approval_request_id")
             WHEN 'EXIGENT' THEN NULL
             ELSE (SELECT s."summary" FROM "assessments" s WHERE s."id" = a."assessment_id") END,
           "approved_by_id" = (SELECT r."decided_by_id" FROM "approval_requests" r WHERE r."id" = a."approval_request_id")`);
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ENABLE TRIGGER "enforcement_actions_append_only"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_approved_by_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "enforcement_actions" DROP COLUMN "approved_by_id"`);
    await queryRunner.query(`ALTER TABLE "enforcement_actions" DROP COLUMN "report_reason"`);
  }
}
