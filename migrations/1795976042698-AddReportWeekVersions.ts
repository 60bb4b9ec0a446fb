import { MigrationInterface, QueryRunner } from 'typeorm';

/** The office-local Monday of an action's time (the same week `weekStartOf` computes). */
const ACTION_WEEK = `date_trunc('week', a."occurred_at" AT TIME ZONE o."time_zone")::date`;

/**
 * A version token per office-week (`report_week_versions`), so that a compiled draft of the weekly
 * report can be reused until something it was compiled from changes. Statement triggers with
 * transition tables keep it in the same transaction as the change, whatever wrote it (the
 * services, the synthetic seed, a hand correction): enforcement actions and their voids, and
 * approval requests (a pre-approval request counts in the week it was made; a post-action request
 * belongs to its action's week). Every new value comes from one sequence, so a value is never
 * reused, not even after the table is emptied. Office-weeks with records get a first value here.
 */
export class AddReportWeekVersions1795976042698 implements MigrationInterface {
  name = 'AddReportWeekVersions1795976042698';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_week_versions" ("office_id" uuid NOT NULL, "week_start" date NOT NULL, "version" bigint NOT NULL, CONSTRAINT "PK_58e61b35283fdf560e987295108" PRIMARY KEY ("office_id", "week_start"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_week_versions" ADD CONSTRAINT "report_week_versions_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "offices"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`CREATE SEQUENCE "report_week_version_seq"`);
    // Keys in a fixed order, so two statements touching the same weeks never wait in a cycle.
    await queryRunner.query(`CREATE FUNCTION "report_weeks_touch"(office_ids uuid[], weeks date[])
      RETURNS void LANGUAGE sql AS $$
        INSERT INTO "report_week_versions" ("office_id", "week_start", "version")
        SELECT k.office_id, k.week_start, nextval('report_week_version_seq')
          FROM (SELECT DISTINCT u.office_id, u.week_start
                  FROM unnest(office_ids, weeks) AS u(office_id, week_start)
                 ORDER BY 1, 2) k
        ON CONFLICT ("office_id", "week_start")
        DO UPDATE SET "version" = nextval('report_week_version_seq')
      $$`);
    await queryRunner.query(`CREATE FUNCTION "report_weeks_of_actions"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM "report_weeks_touch"(array_agg(a."office_id"), array_agg(${ACTION_WEEK}))
           FROM changed a JOIN "offices" o ON o."id" = a."office_id";
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "report_weeks_of_voids"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM "report_weeks_touch"(array_agg(a."office_id"), array_agg(${ACTION_WEEK}))
           FROM changed v
           JOIN "enforcement_actions" a ON a."id" = v."enforcement_action_id"
           JOIN "offices" o ON o."id" = a."office_id";
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "report_weeks_of_requests"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM "report_weeks_touch"(array_agg(k.office_id), array_agg(k.week_start))
           FROM (SELECT r."office_id", r."requested_week" AS week_start
                   FROM changed r WHERE r."kind" <> 'POST_ACTION'
                 UNION ALL
                 SELECT a."office_id", ${ACTION_WEEK}
                   FROM changed r
                   JOIN "enforcement_actions" a ON a."id" = r."enforcement_action_id"
                   JOIN "offices" o ON o."id" = a."office_id"
                  WHERE r."kind" = 'POST_ACTION') k;
        RETURN NULL;
      END $$`);
    for (const [table, fn] of TRIGGERS) {
      for (const [event, transition, suffix] of EVENTS) {
        await queryRunner.query(
          `CREATE TRIGGER "${table}_report_weeks_${suffix}" AFTER ${event} ON "${table}" REFERENCING ${transition} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
        );
      }
    }
    await queryRunner.query(`INSERT INTO "report_week_versions" ("office_id", "week_start", "version")
       SELECT k.office_id, k.week_start, nextval('report_week_version_seq')
         FROM (SELECT "office_id", "week_start" FROM "enforcement_counts_by_office_week"
               UNION
               SELECT DISTINCT "office_id", "requested_week" FROM "approval_requests"
                WHERE "kind" <> 'POST_ACTION') k`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of TRIGGERS) {
      for (const [, , suffix] of EVENTS) {
        await queryRunner.query(`DROP TRIGGER "${table}_report_weeks_${suffix}" ON "${table}"`);
      }
    }
    for (const [, fn] of TRIGGERS) await queryRunner.query(`DROP FUNCTION "${fn}"()`);
    await queryRunner.query(`DROP FUNCTION "report_weeks_touch"(uuid[], date[])`);
    await queryRunner.query(`DROP SEQUENCE "report_week_version_seq"`);
    await queryRunner.query(
      `ALTER TABLE "report_week_versions" DROP CONSTRAINT "report_week_versions_office_id_fkey"`,
    );
    await queryRunner.query(`DROP TABLE "report_week_versions"`);
  }
}

const TRIGGERS = [
  ['enforcement_actions', 'report_weeks_of_actions'],
  ['enforcement_action_voids', 'report_weeks_of_voids'],
  ['approval_requests', 'report_weeks_of_requests'],
] as const;

/**
 * A trigger with a transition table serves one event and, here, one table: an update touches the
 * weeks of its rows as they were and as they are (a row moved to another week by hand changes
 * both weeks), through two triggers.
 */
const EVENTS = [
  ['INSERT', 'NEW', 'insert'],
  ['UPDATE', 'NEW', 'update'],
  ['UPDATE', 'OLD', 'update_old'],
  ['DELETE', 'OLD', 'delete'],
] as const;
