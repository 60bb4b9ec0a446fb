/** The weekly report of the busiest office's busiest draft week, and reporting compliance. */
import { weekWindow } from '../../common/calendar';
import { reportDraftCache } from '../../modules/weekly-reports/report.caches';
import { type BenchEnv, type Case, timed } from './harness';

/** The report's totals and its first 100 actions (the rest page on with `after`). */
export const WEEKLY_REPORT = `query ($office: String!, $week: Date!) {
  weeklyReport(officeCode: $office, weekStart: $week) {
    officeCode weekStart from to status dueAt late policyVersions
    actions(first: 100) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { actionId type occurredAt location category basis policyVersion justification approver } }
    }
    totalsByCategory { key count } totalsByActionType { key count } totalsByBasis { key count }
    requests { made approved denied pending withdrawn medianDecisionHours }
    exigentActions { actionId occurredAt justificationDueAt justificationSubmittedAt justification ratification }
    latePostActionCount missingPostActionCount
  }
}`;
const COMPLIANCE = `query ($week: Date!) {
  reportingCompliance(weekStart: $week) { officeCode weekStart dueAt status submittedAt revisions }
}`;
export function reportCases(
  { client, service, tokens, graphql, received, rowCounts }: BenchEnv,
  busiest: { id: string; code: string; tz: string },
  week: { week: string },
  compliance: { week: string },
): Case[] {
  const cases: Case[] = [];
  // The weekly report, as read again while the week is unchanged (from the service's draft
  // cache), then compiled from the records (two statements).
  const window = weekWindow(week.week, busiest.tz);
  const reportSql = async () => {
    const actions = await client.query(
      `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
              CASE a.basis WHEN 'PREAPPROVED' THEN r.justification WHEN 'EXIGENT' THEN p.justification
                           ELSE s.summary END AS justification,
              CASE WHEN r.id IS NOT NULL THEN ru.name WHEN p.status = 'APPROVED' THEN pu.name END AS approver,
              p.id AS post_id, p.status AS post_status, p.justification_due_at, p.justification_submitted_at
         FROM enforcement_actions a
         LEFT JOIN approval_requests r ON r.id = a.approval_request_id
         LEFT JOIN users ru ON ru.id = r.decided_by_id
         LEFT JOIN approval_requests p ON p.enforcement_action_id = a.id AND p.kind = 'POST_ACTION'
         LEFT JOIN users pu ON pu.id = p.decided_by_id
         LEFT JOIN assessments s ON s.id = a.assessment_id
        WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
          AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
        ORDER BY a.occurred_at, a.id
        LIMIT 100`,
      [busiest.id, window.start, window.end],
    );
    // The week's totals, counted from its actions.
    const totals = await client.query<{ n: string }>(
      `SELECT a.category, a.type, a.basis, count(*) AS n FROM enforcement_actions a
        WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
          AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
        GROUP BY 1, 2, 3`,
      [busiest.id, window.start, window.end],
    );
    await client.query(
      `SELECT count(*) AS made, count(*) FILTER (WHERE status = 'APPROVED') AS approved,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - requested_at) / 3600)
                FILTER (WHERE status IN ('APPROVED', 'DENIED')) AS median
         FROM approval_requests
        WHERE office_id = $1 AND requested_at >= $2 AND requested_at < $3 AND kind <> 'POST_ACTION'`,
      [busiest.id, window.start, window.end],
    );
    return {
      ids: actions.rows.map((r: { id: string }) => r.id),
      total: totals.rows.reduce((sum, r) => sum + Number(r.n), 0),
    };
  };
  const reportName = `weeklyReport ${busiest.code} ${week.week}, totals + first 100 actions (supervisor)`;
  cases.push({
    name: reportName,
    goalMs: 30,
    api: () =>
      timed(() =>
        received(tokens.supervisor, WEEKLY_REPORT, { office: busiest.code, week: week.week }),
      ),
    sql: () => timed(reportSql),
    check: async () => {
      const data = await graphql<{ weeklyReport: ReportPage }>(tokens.supervisor, WEEKLY_REPORT, {
        office: busiest.code,
        week: week.week,
      });
      const direct = await reportSql();
      return checkPage(reportName, data.weeklyReport, direct, rowCounts);
    },
  });
  // The same read with the draft cache emptied before each run: the first read of a week, and the
  // first after each change to it (a week this big is read a page at a time, never compiled).
  cases.push({
    name: `${reportName}, compiled (draft cache emptied)`,
    sameRowsAs: reportName,
    goalMs: 30,
    api: () => {
      service.caches.get(reportDraftCache).clear();
      return timed(() =>
        received(tokens.supervisor, WEEKLY_REPORT, { office: busiest.code, week: week.week }),
      );
    },
    sql: () => timed(reportSql),
  });

  // Compliance for that week, every office (headquarters).
  const complianceSql = () =>
    client.query(
      `SELECT o.code, r.revision, r.submitted_at FROM offices o
         LEFT JOIN weekly_report_revisions r ON r.office_id = o.id AND r.week_start = $1
        ORDER BY o.code, r.revision`,
      [compliance.week],
    );
  cases.push({
    name: `reportingCompliance ${compliance.week} (HQ)`,
    goalMs: 50,
    api: () => timed(() => received(tokens.hq, COMPLIANCE, { week: compliance.week })),
    sql: () => timed(complianceSql),
    check: async () => {
      const data = await graphql<{ reportingCompliance: { status: string }[] }>(
        tokens.hq,
        COMPLIANCE,
        { week: compliance.week },
      );
      rowCounts.set(`reportingCompliance ${compliance.week} (HQ)`, data.reportingCompliance.length);
      const tally = new Map<string, number>();
      for (const r of data.reportingCompliance) tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
      return [...tally].map(([status, n]) => `${n} ${status}`).join(', ');
    },
  });

  return cases;
}

interface ReportPage {
  actions: { totalCount: number; edges: { node: { actionId: string } }[] };
  totalsByCategory: { count: number }[];
}

/** The page's actions are the first 100 of the direct query, its totals the direct count. */
export function checkPage(
  name: string,
  report: ReportPage,
  direct: { ids: string[]; total: number },
  rowCounts: Map<string, number>,
): string {
  const ids = report.actions.edges.map((e) => e.node.actionId);
  rowCounts.set(name, ids.length);
  const totals = report.totalsByCategory.reduce((sum, t) => sum + t.count, 0);
  if (ids.join() !== direct.ids.join())
    throw new Error(`${name}: the first ${ids.length} actions differ from the direct query`);
  if (report.actions.totalCount !== direct.total || totals !== direct.total)
    throw new Error(
      `${name}: totalCount ${report.actions.totalCount}, totals ${totals}, direct ${direct.total}`,
    );
  return `first ${ids.length} equal, totals equal (${direct.total} actions)`;
}
