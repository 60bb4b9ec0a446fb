/**
 * The week versions (`report_week_versions`, this module's table): written only by database
 * triggers, in the same transaction as any change to a record a week's report is compiled from
 * (migrations AddReportWeekVersions and AddOfficeWeekStart; the synthetic seed fills it in bulk),
 * and read only here, as the tokens under which kept drafts (weekly-report.drafts.ts) and approval
 * figures (stats.service.ts) stay valid.
 */
import type { RequestContext } from '../../common/context';

/** The week's version token, or null if nothing was ever recorded. */
export async function weekToken(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<string | null> {
  const [row] = (await ctx.manager.query(
    `SELECT version FROM report_week_versions WHERE office_id = $1 AND week_start = $2`,
    [officeId, weekStart],
  )) as { version: string }[];
  return row?.version ?? null;
}

/**
 * A token for the office-weeks from `firstWeek` to `lastWeek` (of `officeIds`, or of every office).
 * A version only grows, and a row is never deleted, so the count and sum of the range's versions
 * change with any record of it.
 */
export async function weeksToken(
  ctx: RequestContext,
  range: { firstWeek: string; lastWeek: string; officeIds: string[] | undefined },
): Promise<string> {
  const params: unknown[] = [range.firstWeek, range.lastWeek];
  if (range.officeIds) params.push(range.officeIds);
  const [versions] = (await ctx.manager.query(
    `SELECT count(*)::text AS weeks, coalesce(sum(version), 0)::text AS total
       FROM report_week_versions
      WHERE week_start BETWEEN $1 AND $2 ${range.officeIds ? 'AND office_id = ANY($3::uuid[])' : ''}`,
    params,
  )) as { weeks: string; total: string }[];
  return `${versions.weeks}:${versions.total}`;
}
