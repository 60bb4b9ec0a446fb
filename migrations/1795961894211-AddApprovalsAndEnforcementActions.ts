import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddApprovalsAndEnforcementActions1795961894211 implements MigrationInterface {
  name = 'AddApprovalsAndEnforcementActions1795961894211';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."approval_kind" AS ENUM('PRE_ACTION', 'POST_ACTION', 'VULNERABLE_REMOVAL')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."action_type" AS ENUM('ARREST', 'DETAINER_ISSUED', 'CUSTODY_UNDER_DETAINER', 'NOTICE_TO_APPEAR', 'DETENTION', 'RELEASE_ON_CONDITIONS', 'REMOVAL')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."approval_status" AS ENUM('PENDING', 'APPROVED', 'DENIED', 'WITHDRAWN')`,
    );
    await queryRunner.query(
      `CREATE TABLE "approval_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "office_id" uuid NOT NULL, "kind" "public"."approval_kind" NOT NULL, "action_type" "public"."action_type" NOT NULL, "status" "public"."approval_status" NOT NULL DEFAULT 'PENDING', "justification" text, "policy_version_code" character varying(32) NOT NULL, "requested_by_id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_reason" text, "expires_at" TIMESTAMP WITH TIME ZONE, "enforcement_action_id" uuid, "justification_due_at" TIMESTAMP WITH TIME ZONE, "justification_submitted_at" TIMESTAMP WITH TIME ZONE, "justification_submitted_by_id" uuid, CONSTRAINT "PK_484806bb8ff331b851fc75973c0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "approval_requests_action_idx" ON "approval_requests" ("enforcement_action_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "approval_requests_office_requested_idx" ON "approval_requests" ("office_id", "requested_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "approval_requests_case_idx" ON "approval_requests" ("case_id", "action_type", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "approval_requests_office_queue_idx" ON "approval_requests" ("office_id", "requested_at", "id") WHERE status = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."enforcement_basis" AS ENUM('PRESUMED_PRIORITY', 'PREAPPROVED', 'EXIGENT', 'ASSESSED')`,
    );
    await queryRunner.query(
      `CREATE TABLE "enforcement_actions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "office_id" uuid NOT NULL, "type" "public"."action_type" NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "location" character varying(300) NOT NULL, "basis" "public"."enforcement_basis" NOT NULL, "category" "public"."priority_category" NOT NULL, "policy_version_code" character varying(32) NOT NULL, "assessment_id" uuid, "approval_request_id" uuid, "exigent_narrative" text, "recorded_by_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_44bc75cda9e4716ea1e598d03a1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "enforcement_actions_case_idx" ON "enforcement_actions" ("case_id", "occurred_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "enforcement_actions_office_occurred_idx" ON "enforcement_actions" ("office_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "enforcement_action_voids" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "enforcement_action_id" uuid NOT NULL, "office_id" uuid NOT NULL, "reason" text NOT NULL, "voided_by_id" uuid NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3fa8556ed6cf93186114fa32825" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "enforcement_action_voids_action_key" ON "enforcement_action_voids" ("enforcement_action_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "enforcement_action_voids_office_id_idx" ON "enforcement_action_voids" ("office_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_enforcement_action_id_fkey" FOREIGN KEY ("enforcement_action_id") REFERENCES "enforcement_actions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_approval_request_id_fkey" FOREIGN KEY ("approval_request_id") REFERENCES "approval_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" ADD CONSTRAINT "enforcement_actions_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" ADD CONSTRAINT "enforcement_action_voids_action_id_fkey" FOREIGN KEY ("enforcement_action_id") REFERENCES "enforcement_actions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" ADD CONSTRAINT "enforcement_action_voids_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" ADD CONSTRAINT "enforcement_action_voids_voided_by_id_fkey" FOREIGN KEY ("voided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Actions and their voids are records: never changed or deleted (a mistake is voided, on record).
    await queryRunner.query(`CREATE FUNCTION "records_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "enforcement_actions_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "enforcement_actions" FOR EACH STATEMENT EXECUTE FUNCTION "records_refuse_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "enforcement_action_voids_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "enforcement_action_voids" FOR EACH STATEMENT EXECUTE FUNCTION "records_refuse_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER "enforcement_action_voids_append_only" ON "enforcement_action_voids"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "enforcement_actions_append_only" ON "enforcement_actions"`,
    );
    await queryRunner.query(`DROP FUNCTION "records_refuse_change"()`);
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" DROP CONSTRAINT "enforcement_action_voids_voided_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" DROP CONSTRAINT "enforcement_action_voids_office_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_action_voids" DROP CONSTRAINT "enforcement_action_voids_action_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_recorded_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_approval_request_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_assessment_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_office_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enforcement_actions" DROP CONSTRAINT "enforcement_actions_case_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_enforcement_action_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_decided_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_requested_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_office_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "approval_requests" DROP CONSTRAINT "approval_requests_case_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."enforcement_action_voids_office_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."enforcement_action_voids_action_key"`);
    await queryRunner.query(`DROP TABLE "enforcement_action_voids"`);
    await queryRunner.query(`DROP INDEX "public"."enforcement_actions_office_occurred_idx"`);
    await queryRunner.query(`DROP INDEX "public"."enforcement_actions_case_idx"`);
    await queryRunner.query(`DROP TABLE "enforcement_actions"`);
    await queryRunner.query(`DROP TYPE "public"."enforcement_basis"`);
    await queryRunner.query(`DROP INDEX "public"."approval_requests_office_queue_idx"`);
    await queryRunner.query(`DROP INDEX "public"."approval_requests_case_idx"`);
    await queryRunner.query(`DROP INDEX "public"."approval_requests_office_requested_idx"`);
    await queryRunner.query(`DROP INDEX "public"."approval_requests_action_idx"`);
    await queryRunner.query(`DROP TABLE "approval_requests"`);
    await queryRunner.query(`DROP TYPE "public"."approval_status"`);
    await queryRunner.query(`DROP TYPE "public"."action_type"`);
    await queryRunner.query(`DROP TYPE "public"."approval_kind"`);
  }
}
