/**
 * The two report sources read from the database a part at a time (see `report-source.ts`): a
 * draft's live records, and a stored revision's JSON.
 */
import type { RequestContext } from '../../common/context';
import type { WeekWindow } from '../../common/calendar';
import { requestsOfWeek } from '../approvals/approval.queries';
import type { ScheduleEntry } from '../assessments/policy/engine';
import { actionsOfWeekPage } from '../enforcement-actions/enforcement-action.queries';
import type { OfficeEntity } from '../users/office.entity';
import { exigentRows, reportAction, reportRequests } from './weekly-report.compile';
import type { CountByKey, WeeklyReportContent } from './weekly-report.content';
import { versionsOfWeek } from './weekly-report.due';
import { once, type ReportSource, type ReportTotals } from './report-source';

/** Keys in the order the compile's tallies give them (JavaScript string order). */
function sorted(counts: Map<string, number>): CountByKey[] {
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => ({ key, count }));
}

/**
 * An office-week's totals from the counts table (kept exact with the actions in the same
 * transaction, `counts.ts`): a handful of rows instead of the week's actions.
 */
export async function weekTotals(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<ReportTotals> {
  const rows = (await ctx.manager.query(
    `SELECT category, action_type, basis, action_count AS n
       FROM enforcement_weekly_counts
      WHERE office_id = $1 AND week_start = $2 AND action_count > 0`,
    [officeId, weekStart],
  )) as { category: string; action_type: string; basis: string; n: number }[];
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  const byCategory = new Map<string, number>();
  const byType = new Map<string, number>();
  const byBasis = new Map<string, number>();
  let actions = 0;
  for (const r of rows) {
    add(byCategory, r.category, r.n);
    add(byType, r.action_type, r.n);
    add(byBasis, r.basis, r.n);
    actions += r.n;
  }
  return {
    byCategory: sorted(byCategory),
    byActionType: sorted(byType),
    byBasis: sorted(byBasis),
    actions,
  };
}

/**
 * A draft read from the live records, each part in its own statement when selected: the totals
 * from the counts table, the actions one keyset page at a time (one index range from the cursor),
 * the requests' tally, and the exigent actions alone. `totals` may be handed in, read already.
 */
export function liveSource(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
  window: WeekWindow,
  schedule: ScheduleEntry[],
  totals?: ReportTotals,
): ReportSource {
  const now = ctx.clock.now();
  const readTotals = once(async () => totals ?? weekTotals(ctx, office.id, weekStart));
  const exigent = once(async () =>
    exigentRows(
      await actionsOfWeekPage(ctx, office.id, window, { exigentOnly: true }),
      office.timeZone,
      now,
    ),
  );
  return {
    policyVersions: () => Promise.resolve(versionsOfWeek(schedule, weekStart)),
    totals: readTotals,
    async actions(first, after) {
      const rows = await actionsOfWeekPage(ctx, office.id, window, { after, limit: first + 1 });
      return {
        items: rows.slice(0, first).map((r) => reportAction(r, office.timeZone)),
        hasNextPage: rows.length > first,
        totalCount: async () => (await readTotals()).actions,
      };
    },
    requests: once(async () => reportRequests(await requestsOfWeek(ctx, office.id, weekStart))),
    exigent,
    postActionCounts: once(async () => {
      const rows = await exigent();
      return {
        late: rows.filter((e) => e.justification === 'LATE').length,
        missing: rows.filter((e) => e.justification === 'MISSING').length,
      };
    }),
  };
}

/** The content of a stored revision but its actions (`summary`), and how many actions it has. */
type RevisionHead = Omit<WeeklyReportContent, 'actions'> & { actionCount: number };

/**
 * A stored revision, read a part at a time: its summary (the content without the actions: totals,
 * requests, the exigent list) in one small statement, and the actions a keyset page at a time from
 * their rows (`weekly_report_revision_actions`, in the report's order), so a week of thousands of
 * actions is never unpacked or sent whole.
 */
export function revisionSource(ctx: RequestContext, revisionId: string): ReportSource {
  const head = once(async () => {
    const [row] = (await ctx.manager.query(
      `SELECT summary, action_count FROM weekly_report_revisions WHERE id = $1`,
      [revisionId],
    )) as { summary: Omit<WeeklyReportContent, 'actions'>; action_count: number }[];
    return { ...row.summary, actionCount: row.action_count } as RevisionHead;
  });
  return {
    policyVersions: async () => (await head()).policyVersions,
    totals: async () => {
      const h = await head();
      return {
        byCategory: h.totalsByCategory,
        byActionType: h.totalsByActionType,
        byBasis: h.totalsByBasis,
        actions: h.actionCount,
      };
    },
    async actions(first, after) {
      const params: unknown[] = [revisionId, first + 1];
      let from = '';
      if (after) {
        params.push(after.occurredAt, after.id);
        from = `AND (occurred_at, action_id) > ($3::timestamptz, $4::uuid)`;
      }
      const rows = (await ctx.manager.query(
        `SELECT action FROM weekly_report_revision_actions
          WHERE revision_id = $1 ${from}
          ORDER BY occurred_at, action_id
          LIMIT $2`,
        params,
      )) as { action: WeeklyReportContent['actions'][number] }[];
      return {
        items: rows.slice(0, first).map((r) => r.action),
        hasNextPage: rows.length > first,
        totalCount: async () => (await head()).actionCount,
      };
    },
    requests: async () => (await head()).requests,
    exigent: async () => (await head()).exigent,
    postActionCounts: async () => {
      const h = await head();
      return { late: h.latePostActionCount, missing: h.missingPostActionCount };
    },
  };
}
