import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stored revision read a part at a time without unpacking its whole content: its actions a row
 * each (keyset pages by when, then id), and its content without the actions (`summary`) with their
 * number. Existing revisions are filled from their content; the revisions table refuses updates
 * (trigger), so it is set aside for this one fill, by the owner, inside the migration.
 */
export class AddRevisionActions1796650000000 implements MigrationInterface {
  name = 'AddRevisionActions1796650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "weekly_report_revision_actions" ("revision_id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "action_id" uuid NOT NULL, "action" jsonb NOT NULL, CONSTRAINT "PK_f0d3329231091314f2d7df2781d" PRIMARY KEY ("revision_id", "occurred_at", "action_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "weekly_report_revisions" ADD "summary" jsonb`);
    await queryRunner.query(`ALTER TABLE "weekly_report_revisions" ADD "action_count" integer`);
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" DISABLE TRIGGER "weekly_report_revisions_append_only"`,
    );
    await queryRunner.query(
      `UPDATE "weekly_report_revisions"
          SET "summary" = "content" - 'actions',
              "action_count" = jsonb_array_length("content" -> 'actions')`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" ENABLE TRIGGER "weekly_report_revisions_append_only"`,
    );
    await queryRunner.query(`ALTER TABLE "weekly_report_revisions" ALTER "summary" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revisions" ALTER "action_count" SET NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "weekly_report_revision_actions" ("revision_id", "occurred_at", "action_id", "action")
       SELECT r.id, (a.value ->> 'occurredAt')::timestamptz, (a.value ->> 'actionId')::uuid, a.value
         FROM "weekly_report_revisions" r, jsonb_array_elements(r."content" -> 'actions') a`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revision_actions" ADD CONSTRAINT "weekly_report_revision_actions_revision_id_fkey" FOREIGN KEY ("revision_id") REFERENCES "weekly_report_revisions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "weekly_report_revision_actions_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "weekly_report_revision_actions" FOR EACH STATEMENT EXECUTE FUNCTION "records_refuse_change"()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER "weekly_report_revision_actions_append_only" ON "weekly_report_revision_actions"`,
    );
    await queryRunner.query(
      `ALTER TABLE "weekly_report_revision_actions" DROP CONSTRAINT "weekly_report_revision_actions_revision_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "weekly_report_revisions" DROP COLUMN "action_count"`);
    await queryRunner.query(`ALTER TABLE "weekly_report_revisions" DROP COLUMN "summary"`);
    await queryRunner.query(`DROP TABLE "weekly_report_revision_actions"`);
  }
}
