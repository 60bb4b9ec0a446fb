import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAssessments1795961444525 implements MigrationInterface {
  name = 'AddAssessments1795961444525';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "policy_versions" ("code" character varying(32) NOT NULL, "effective_from" date, "effective_to" date, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e9c28515c0e55149790d15fffe2" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."priority_category" AS ENUM('NATIONAL_SECURITY', 'BORDER_SECURITY', 'PUBLIC_SAFETY', 'OTHER')`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "office_id" uuid NOT NULL, "policy_version_code" character varying(32) NOT NULL, "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "as_of_date" date NOT NULL, "categories" "public"."priority_category" array NOT NULL, "primary_category" "public"."priority_category" NOT NULL, "presumed_priority" boolean NOT NULL, "requires_preapproval" boolean NOT NULL, "reasons" jsonb NOT NULL, "determinations" jsonb NOT NULL, "facts_snapshot" jsonb NOT NULL, "summary" text NOT NULL, "assessed_by_id" uuid NOT NULL, "assessed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a3442bd80a00e9111cefca57f6c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "assessments_office_id_idx" ON "assessments" ("office_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "assessments_case_idx" ON "assessments" ("case_id", "assessed_at", "id") `,
    );
    await queryRunner.query(`ALTER TABLE "cases" ADD "latest_assessment_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "cases_latest_assessment_idx" ON "cases" ("latest_assessment_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_latest_assessment_id_fkey" FOREIGN KEY ("latest_assessment_id") REFERENCES "assessments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" ADD CONSTRAINT "assessments_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" ADD CONSTRAINT "assessments_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" ADD CONSTRAINT "assessments_policy_version_code_fkey" FOREIGN KEY ("policy_version_code") REFERENCES "policy_versions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" ADD CONSTRAINT "assessments_assessed_by_id_fkey" FOREIGN KEY ("assessed_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The versions the engine holds, with the dates they took effect (effective_to inclusive).
    await queryRunner.query(`INSERT INTO "policy_versions" ("code", "effective_from", "effective_to") VALUES
      ('DHS-2021-01-20', '2021-01-20', '2021-02-17'),
      ('ICE-2021-02-18', '2021-02-18', '2021-11-28'),
      ('DHS-2021-09-30', '2021-11-29', NULL)`);
    // Assessments are records: never changed, only superseded.
    await queryRunner.query(`CREATE FUNCTION "assessments_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'assessments are never changed: record a new one'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "assessments_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "assessments" FOR EACH STATEMENT EXECUTE FUNCTION "assessments_refuse_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "assessments_append_only" ON "assessments"`);
    await queryRunner.query(`DROP FUNCTION "assessments_refuse_change"()`);
    await queryRunner.query(
      `ALTER TABLE "assessments" DROP CONSTRAINT "assessments_assessed_by_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" DROP CONSTRAINT "assessments_policy_version_code_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" DROP CONSTRAINT "assessments_office_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "assessments" DROP CONSTRAINT "assessments_case_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "cases" DROP CONSTRAINT "cases_latest_assessment_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."cases_latest_assessment_idx"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "latest_assessment_id"`);
    await queryRunner.query(`DROP INDEX "public"."assessments_case_idx"`);
    await queryRunner.query(`DROP INDEX "public"."assessments_office_id_idx"`);
    await queryRunner.query(`DROP TABLE "assessments"`);
    await queryRunner.query(`DROP TYPE "public"."priority_category"`);
    await queryRunner.query(`DROP TABLE "policy_versions"`);
  }
}
