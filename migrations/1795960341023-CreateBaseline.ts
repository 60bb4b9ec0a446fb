import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBaseline1795960341023 implements MigrationInterface {
  name = 'CreateBaseline1795960341023';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "kind" character varying(16) NOT NULL, "actor_id" uuid, "actor_role" character varying(32), "actor_office_id" uuid, "operation" character varying(64) NOT NULL, "record_type" character varying(64), "record_ids" uuid array NOT NULL DEFAULT '{}', "office_ids" uuid array NOT NULL DEFAULT '{}', "reason" text, "change" jsonb, "request_id" character varying(64), "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_log_actor_office_idx" ON "audit_log" ("actor_office_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_chain_head" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "last_hash" character(64) NOT NULL, CONSTRAINT "PK_9211408bf584034de409b1bbec5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "offices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(8) NOT NULL, "name" character varying(200) NOT NULL, "time_zone" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1ea41502c6dddcec44ad9fcbbb3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "offices_code_key" ON "offices" ("code") `);
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('FIELD_OFFICER', 'SUPERVISOR', 'HEADQUARTERS')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(200) NOT NULL, "role" "public"."user_role" NOT NULL, "office_id" uuid, "active" boolean NOT NULL DEFAULT true, "deactivated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_office_matches_role" CHECK ((role = 'HEADQUARTERS') = (office_id IS NULL)), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_key" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "users_office_id_idx" ON "users" ("office_id") `);
    await queryRunner.query(`CREATE TYPE "public"."case_status" AS ENUM('OPEN', 'CLOSED')`);
    await queryRunner.query(
      `CREATE TYPE "public"."criminal_organization_kind" AS ENUM('CRIMINAL_STREET_GANG', 'TRANSNATIONAL_CRIMINAL_ORGANIZATION')`,
    );
    await queryRunner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "office_id" uuid NOT NULL, "status" "public"."case_status" NOT NULL DEFAULT 'OPEN', "assigned_officer_id" uuid NOT NULL, "opened_by_id" uuid NOT NULL, "version" integer NOT NULL DEFAULT '1', "subject_name" character varying(200) NOT NULL, "subject_date_of_birth" date NOT NULL, "subject_a_number" character(9) NOT NULL, "subject_citizenship" character(2) NOT NULL, "terrorism_or_espionage" boolean NOT NULL DEFAULT false, "border_apprehension_date" date, "border_apprehension_location" character varying(200), "first_present_on" date, "last_released_from_custody_on" date, "gang_organization" character varying(200), "gang_kind" "public"."criminal_organization_kind", "gang_intentional" boolean, "gang_furthered_illegal_activity" boolean, "gang_age_at_participation" smallint, "elderly" boolean NOT NULL DEFAULT false, "serious_illness" boolean NOT NULL DEFAULT false, "pending_relief_application" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" text, CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "cases_subject_a_number_idx" ON "cases" ("subject_a_number") `,
    );
    await queryRunner.query(
      `CREATE INDEX "cases_office_officer_idx" ON "cases" ("office_id", "assigned_officer_id") `,
    );
    await queryRunner.query(`CREATE INDEX "cases_created_idx" ON "cases" ("created_at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "cases_office_created_idx" ON "cases" ("office_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "convictions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "office_id" uuid NOT NULL, "offense" character varying(300) NOT NULL, "jurisdiction" character varying(200) NOT NULL, "convicted_on" date NOT NULL, "aggravated_felony" boolean NOT NULL, "aggravated_felony_subparagraph" character varying(1), "gang_participation_element" boolean NOT NULL, "vacated" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b136d6d35c88c6a9849c7cd441c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "convictions_office_id_idx" ON "convictions" ("office_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "convictions_case_idx" ON "convictions" ("case_id", "convicted_on", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_assigned_officer_id_fkey" FOREIGN KEY ("assigned_officer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_opened_by_id_fkey" FOREIGN KEY ("opened_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "convictions" ADD CONSTRAINT "convictions_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "convictions" ADD CONSTRAINT "convictions_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Not expressible in entities (TypeORM ignores these indexes: synchronize: false).
    await queryRunner.query(
      `CREATE INDEX "audit_log_record_ids_idx" ON "audit_log" USING gin ("record_ids")`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_log_office_ids_idx" ON "audit_log" USING gin ("office_ids")`,
    );
    // The chain starts at sequence 0 with an all-zero hash.
    await queryRunner.query(
      `INSERT INTO "audit_chain_head" ("id", "last_seq", "last_hash") VALUES (1, 0, repeat('0', 64))`,
    );
    // Append-only: the application never updates or deletes audit rows, and the database refuses to.
    await queryRunner.query(`CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_log_append_only" ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION "audit_log_refuse_change"()`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_office_ids_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_record_ids_idx"`);
    await queryRunner.query(
      `ALTER TABLE "convictions" DROP CONSTRAINT "convictions_office_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "convictions" DROP CONSTRAINT "convictions_case_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "cases_opened_by_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "cases_assigned_officer_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "cases_office_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_office_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."convictions_case_idx"`);
    await queryRunner.query(`DROP INDEX "public"."convictions_office_id_idx"`);
    await queryRunner.query(`DROP TABLE "convictions"`);
    await queryRunner.query(`DROP INDEX "public"."cases_office_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cases_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cases_office_officer_idx"`);
    await queryRunner.query(`DROP INDEX "public"."cases_subject_a_number_idx"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TYPE "public"."criminal_organization_kind"`);
    await queryRunner.query(`DROP TYPE "public"."case_status"`);
    await queryRunner.query(`DROP INDEX "public"."users_office_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."offices_code_key"`);
    await queryRunner.query(`DROP TABLE "offices"`);
    await queryRunner.query(`DROP TABLE "audit_chain_head"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_actor_office_idx"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
