import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline jobs that ran (approval reminders, overdue justifications, escalations): one row per
 * request and kind, its unique key what makes each job run once across service processes and
 * restarts.
 */
export class AddApprovalDeadlineRuns1796500000000 implements MigrationInterface {
  name = 'AddApprovalDeadlineRuns1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."approval_deadline_kind" AS ENUM('JUSTIFICATION_DUE_SOON', 'JUSTIFICATION_OVERDUE', 'ESCALATED')`,
    );
    await queryRunner.query(
      `CREATE TABLE "approval_deadline_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "office_id" uuid NOT NULL, "kind" "public"."approval_deadline_kind" NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2a5ad0dabf2e8691c6fdc84134d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "approval_deadline_runs_office_idx" ON "approval_deadline_runs" ("office_id", "ran_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "approval_deadline_runs_request_kind_key" ON "approval_deadline_runs" ("request_id", "kind") `,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_deadline_runs" ADD CONSTRAINT "approval_deadline_runs_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "approval_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_deadline_runs" ADD CONSTRAINT "approval_deadline_runs_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "approval_deadline_runs" DROP CONSTRAINT "approval_deadline_runs_office_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_deadline_runs" DROP CONSTRAINT "approval_deadline_runs_request_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."approval_deadline_runs_request_kind_key"`);
    await queryRunner.query(`DROP INDEX "public"."approval_deadline_runs_office_idx"`);
    await queryRunner.query(`DROP TABLE "approval_deadline_runs"`);
    await queryRunner.query(`DROP TYPE "public"."approval_deadline_kind"`);
  }
}
