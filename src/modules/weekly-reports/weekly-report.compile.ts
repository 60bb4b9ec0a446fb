/**
 * The weekly report compiled from the records. It reads only the tables whose changes bump the
 * week's version (`report_week_versions`), which is what lets a kept draft stand for a fresh one:
 * test/integration/report-draft-contract.test.ts checks that from the statements it runs.
 */
import type { RequestContext } from '../../common/context';
import { inTransaction } from '../../common/context';
import { validityAround, type Validity } from '../../common/token-cache';
import { scheduleEntries } from '../assessments/assessment.service';
import { justificationTimeliness } from '../approvals/approval.rules';
import type { OfficeEntity } from '../users/office.entity';
import type {
  CountByKey,
  ExigentRow,
  ReportActionRow,
  WeeklyReportContent,
} from './weekly-report.content';
import { versionsOfWeek } from './weekly-report.due';
import { localTime } from './week';
import { weekWindow } from '../../common/calendar';

const tally = (values: string[]): CountByKey[] => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => ({ key, count }));
};

/**
 * Compiles the week from the records, in two statements: the actions (with their justification
 * and approver, copied onto each action when it was recorded; an exigent action's from its
 * post-action request) and the pre-approval requests made. Void actions do
 * not count. No subject identity is read.
 */
export async function compileWeek(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<WeeklyReportContent> {
  return (await compileWeekTimed(ctx, office, weekStart)).content;
}

/** The compiled week, and the clock times over which it reads the same. */
export async function compileWeekTimed(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<{ content: WeeklyReportContent; validity: Validity }> {
  return inTransaction(ctx, async (tx) => {
    // A week is one index range of a few thousand actions: a parallel plan costs more to start
    // than it saves (22 ms against 11 ms for 2,831 actions at 10 million). Until the end of this
    // transaction only.
    await tx.manager.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true)`);
    return compileWeekRecords(tx, office, weekStart);
  });
}

async function compileWeekRecords(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<{ content: WeeklyReportContent; validity: Validity }> {
  const window = weekWindow(weekStart, office.timeZone);
  const now = ctx.clock.now();
  const rows = (await ctx.manager.query(
    `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
            CASE WHEN a.basis = 'EXIGENT' THEN p.justification ELSE a.report_reason END AS justification,
            CASE WHEN a.approved_by_id IS NOT NULL THEN ru.name
                 WHEN p.status = 'APPROVED' THEN pu.name END AS approver,
            p.id AS post_id, p.status AS post_status, p.justification IS NOT NULL AS post_justified,
            p.justification_due_at, p.justification_submitted_at
       FROM enforcement_actions a
       LEFT JOIN users ru ON ru.id = a.approved_by_id
       -- Only an exigent action has a post-action request: the condition on a.basis inside the
       -- lateral subquery (kept apart by OFFSET 0) spares the index probe for every other row.
       LEFT JOIN LATERAL (
         SELECT r.id, r.status, r.justification, r.decided_by_id, r.justification_due_at,
                r.justification_submitted_at
           FROM approval_requests r
          WHERE a.basis = 'EXIGENT' AND r.enforcement_action_id = a.id AND r.kind = 'POST_ACTION'
         OFFSET 0
       ) p ON true
       LEFT JOIN users pu ON pu.id = p.decided_by_id
      WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
        AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
      ORDER BY a.occurred_at, a.id`,
    [office.id, window.start, window.end],
  )) as {
    id: string;
    type: string;
    occurred_at: Date;
    location: string;
    category: string;
    basis: string;
    policy_version_code: string;
    justification: string | null;
    approver: string | null;
    post_id: string | null;
    post_status: string | null;
    post_justified: boolean | null;
    justification_due_at: Date | null;
    justification_submitted_at: Date | null;
  }[];

  const actions: ReportActionRow[] = rows.map((r) => ({
    actionId: r.id,
    type: r.type,
    occurredAt: localTime(r.occurred_at, office.timeZone),
    location: r.location,
    category: r.category,
    basis: r.basis,
    policyVersion: r.policy_version_code,
    justification: r.justification,
    approver: r.approver,
  }));

  const exigent: ExigentRow[] = rows
    .filter((r) => r.basis === 'EXIGENT' && r.justification_due_at)
    .map((r) => {
      const due = r.justification_due_at as Date;
      const submitted = r.justification_submitted_at;
      const justification = justificationTimeliness(due, submitted, now);
      const ratification =
        r.post_status === 'APPROVED'
          ? 'RATIFIED'
          : r.post_status === 'DENIED'
            ? 'NOT_RATIFIED'
            : r.post_justified
              ? 'AWAITING_DECISION'
              : 'AWAITING_JUSTIFICATION';
      return {
        actionId: r.id,
        occurredAt: localTime(r.occurred_at, office.timeZone),
        justificationDueAt: localTime(due, office.timeZone),
        justificationSubmittedAt: submitted ? localTime(submitted, office.timeZone) : null,
        justification,
        ratification,
      } satisfies ExigentRow;
    });

  const [requests] = (await ctx.manager.query(
    `SELECT count(*)::int AS made,
            count(*) FILTER (WHERE status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE status = 'DENIED')::int AS denied,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - requested_at) / 3600)
              FILTER (WHERE status IN ('APPROVED', 'DENIED')) AS median
       FROM approval_requests
      WHERE requested_week = $2 AND office_id = $1 AND kind <> 'POST_ACTION'`,
    [office.id, weekStart],
  )) as {
    made: number;
    approved: number;
    denied: number;
    pending: number;
    withdrawn: number;
    median: number | null;
  }[];

  const content: WeeklyReportContent = {
    officeCode: office.code,
    timeZone: office.timeZone,
    weekStart,
    from: window.start.toISOString(),
    to: window.end.toISOString(),
    policyVersions: versionsOfWeek(await scheduleEntries(ctx), weekStart),
    actions,
    totalsByCategory: tally(rows.map((r) => r.category)),
    totalsByActionType: tally(rows.map((r) => r.type)),
    totalsByBasis: tally(rows.map((r) => r.basis)),
    requests: {
      made: requests.made,
      approved: requests.approved,
      denied: requests.denied,
      pending: requests.pending,
      withdrawn: requests.withdrawn,
      medianDecisionHours:
        requests.median === null ? null : Math.round(Number(requests.median) * 100) / 100,
    },
    exigent,
    latePostActionCount: exigent.filter((e) => e.justification === 'LATE').length,
    missingPostActionCount: exigent.filter((e) => e.justification === 'MISSING').length,
  };
  const unsubmittedDueTimes = rows
    .filter((r) => r.basis === 'EXIGENT' && r.justification_due_at && !r.justification_submitted_at)
    .map((r) => (r.justification_due_at as Date).getTime());
  return { content, validity: validityAround(now.getTime(), unsubmittedDueTimes) };
}
