/**
 * After the load: the three sums of the counts agree with a direct count of the actions not void,
 * and every office-week with records has a report week version. Throws when not.
 */
import type { DataSource } from 'typeorm';

/** The number of actions not void (equal to every sum of the counts). */
export async function checkRollups(ds: DataSource): Promise<{ direct: string }> {
  const [check] = (await ds.query(
    `SELECT (SELECT coalesce(sum(action_count), 0) FROM enforcement_weekly_counts)::bigint AS counted,
              (SELECT coalesce(sum(action_count), 0) FROM enforcement_counts_by_week)::bigint AS by_week,
              (SELECT coalesce(sum(action_count), 0) FROM enforcement_counts_by_office_week)::bigint AS by_office_week,
              (SELECT count(*) FROM enforcement_actions a
                WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id))::bigint AS direct`,
  )) as { counted: string; by_week: string; by_office_week: string; direct: string }[];
  if (
    check.counted !== check.direct ||
    check.by_week !== check.direct ||
    check.by_office_week !== check.direct
  )
    throw new Error(
      `weekly counts hold ${check.counted} actions (summed over offices ${check.by_week}, per office-week ${check.by_office_week}), a direct count ${check.direct}`,
    );
  const [unversioned] = (await ds.query(
    `SELECT count(*)::int AS weeks
         FROM (SELECT office_id, week_start FROM enforcement_counts_by_office_week
               UNION
               SELECT office_id, requested_week FROM approval_requests WHERE kind <> 'POST_ACTION') k
        WHERE NOT EXISTS (SELECT 1 FROM report_week_versions v
                           WHERE v.office_id = k.office_id AND v.week_start = k.week_start)`,
  )) as { weeks: number }[];
  if (unversioned.weeks)
    throw new Error(`${unversioned.weeks} office-weeks with records have no report week version`);
  return check;
}
