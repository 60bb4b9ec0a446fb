import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "An office's week" once in SQL, mirroring `weekStartOf` (weekly-reports/week.ts): the Monday of
 * the week holding `ts` in the office's time zone. IMMUTABLE like the two built-ins it is made of
 * (`timezone(text, timestamptz)` and `date_trunc(text, timestamp)`), and one SQL expression, so
 * the planner inlines it: a query calling it plans as the expression written out. The triggers of
 * `report_week_versions`, the synthetic seed and the benchmark call it.
 *
 * It also closes the draft cache's gap (test/integration/report-draft-contract.test.ts): the
 * compile reads the approvers' names (`users`) and the office's code and time zone (`offices`),
 * which no trigger watched. A renamed user now bumps the weeks whose actions name them as
 * approver (directly, or as the ratifier of the post-action request); an office whose code or
 * time zone changes bumps every week it has a version for.
 */
const WEEK_FN = `CREATE FUNCTION "office_week_start"(ts timestamptz, zone text) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('week', ts AT TIME ZONE zone)::date $$`;

const actionsFn = (week: string) => `CREATE OR REPLACE FUNCTION "report_weeks_of_actions"()
  RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM "report_weeks_touch"(array_agg(a."office_id"), array_agg(${week}))
       FROM changed a JOIN "offices" o ON o."id" = a."office_id";
    RETURN NULL;
  END $$`;

const voidsFn = (week: string) => `CREATE OR REPLACE FUNCTION "report_weeks_of_voids"()
  RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM "report_weeks_touch"(array_agg(a."office_id"), array_agg(${week}))
       FROM changed v
       JOIN "enforcement_actions" a ON a."id" = v."enforcement_action_id"
       JOIN "offices" o ON o."id" = a."office_id";
    RETURN NULL;
  END $$`;

const requestsFn = (week: string) => `CREATE OR REPLACE FUNCTION "report_weeks_of_requests"()
  RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM "report_weeks_touch"(array_agg(k.office_id), array_agg(k.week_start))
       FROM (SELECT r."office_id", r."requested_week" AS week_start
               FROM changed r WHERE r."kind" <> 'POST_ACTION'
             UNION ALL
             SELECT a."office_id", ${week}
               FROM changed r
               JOIN "enforcement_actions" a ON a."id" = r."enforcement_action_id"
               JOIN "offices" o ON o."id" = a."office_id"
              WHERE r."kind" = 'POST_ACTION') k;
    RETURN NULL;
  END $$`;

const ACTION_WEEK = `"office_week_start"(a."occurred_at", o."time_zone")`;
/** What 1795976042698-AddReportWeekVersions wrote out, for `down`. */
const ACTION_WEEK_BEFORE = `date_trunc('week', a."occurred_at" AT TIME ZONE o."time_zone")::date`;

export class AddOfficeWeekStart1796300000000 implements MigrationInterface {
  name = 'AddOfficeWeekStart1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(WEEK_FN);
    await queryRunner.query(actionsFn(ACTION_WEEK));
    await queryRunner.query(voidsFn(ACTION_WEEK));
    await queryRunner.query(requestsFn(ACTION_WEEK));
    // Renames only: deactivating a user changes nothing a report shows. An update touching no
    // name returns before reading any action.
    await queryRunner.query(`CREATE FUNCTION "report_weeks_of_users"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n."id" = o."id"
                        WHERE o."name" IS DISTINCT FROM n."name") THEN
          RETURN NULL;
        END IF;
        PERFORM "report_weeks_touch"(array_agg(k.office_id), array_agg(k.week_start))
           FROM (SELECT a."office_id", ${ACTION_WEEK} AS week_start
                   FROM new_rows u
                   JOIN old_rows p ON p."id" = u."id" AND p."name" IS DISTINCT FROM u."name"
                   JOIN "enforcement_actions" a ON a."approved_by_id" = u."id"
                   JOIN "offices" o ON o."id" = a."office_id"
                 UNION ALL
                 SELECT a."office_id", ${ACTION_WEEK}
                   FROM new_rows u
                   JOIN old_rows p ON p."id" = u."id" AND p."name" IS DISTINCT FROM u."name"
                   JOIN "approval_requests" r
                     ON r."decided_by_id" = u."id" AND r."kind" = 'POST_ACTION'
                   JOIN "enforcement_actions" a ON a."id" = r."enforcement_action_id"
                   JOIN "offices" o ON o."id" = a."office_id") k;
        RETURN NULL;
      END $$`);
    // A report shows the office's code, and its week and times in the office's time zone.
    await queryRunner.query(`CREATE FUNCTION "report_weeks_of_offices"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM "report_weeks_touch"(array_agg(v."office_id"), array_agg(v."week_start"))
           FROM "report_week_versions" v
          WHERE v."office_id" IN (
                SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
                 WHERE o."code" IS DISTINCT FROM n."code"
                    OR o."time_zone" IS DISTINCT FROM n."time_zone");
        RETURN NULL;
      END $$`);
    for (const [table, fn] of WATCHED) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_report_weeks_update" AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, fn] of WATCHED) {
      await queryRunner.query(`DROP TRIGGER "${table}_report_weeks_update" ON "${table}"`);
      await queryRunner.query(`DROP FUNCTION "${fn}"()`);
    }
    await queryRunner.query(requestsFn(ACTION_WEEK_BEFORE));
    await queryRunner.query(voidsFn(ACTION_WEEK_BEFORE));
    await queryRunner.query(actionsFn(ACTION_WEEK_BEFORE));
    await queryRunner.query(`DROP FUNCTION "office_week_start"(timestamptz, text)`);
  }
}

const WATCHED = [
  ['users', 'report_weeks_of_users'],
  ['offices', 'report_weeks_of_offices'],
] as const;
