/**
 * The sums the service keeps in step with every action (counts.ts), rebuilt after the bulk load
 * from the actions in one scan each, and a version token for every office-week with records.
 */
import type pg from 'pg';

export async function rebuildRollups(c: pg.Client): Promise<void> {
  await c.query(`INSERT INTO enforcement_weekly_counts (office_id, week_start, category, action_type, basis, action_count)
      SELECT a.office_id, office_week_start(a.occurred_at, o.time_zone), a.category, a.type, a.basis, count(*)
        FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
       WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
       GROUP BY 1, 2, 3, 4, 5`);
  // The coarser sums the figures read (counts.ts keeps all three in step).
  await c.query(`INSERT INTO enforcement_counts_by_week (week_start, category, action_type, basis, action_count)
          SELECT week_start, category, action_type, basis, sum(action_count)
            FROM enforcement_weekly_counts GROUP BY 1, 2, 3, 4`);
  await c.query(`INSERT INTO enforcement_counts_by_office_week (office_id, week_start, action_count)
          SELECT office_id, week_start, sum(action_count) FROM enforcement_weekly_counts GROUP BY 1, 2`);
  // A version token for every office-week with records (as migration AddReportWeekVersions).
  await c.query(`INSERT INTO report_week_versions (office_id, week_start, version)
          SELECT k.office_id, k.week_start, nextval('report_week_version_seq')
            FROM (SELECT office_id, week_start FROM enforcement_counts_by_office_week
                  UNION
                  SELECT DISTINCT office_id, requested_week FROM approval_requests
                   WHERE kind <> 'POST_ACTION') k
          ON CONFLICT (office_id, week_start) DO UPDATE SET version = nextval('report_week_version_seq')`);
}
