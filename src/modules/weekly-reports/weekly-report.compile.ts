/**
 * The weekly report compiled from the records, read through the modules that own them
 * (`actionsOfWeek`, `requestsOfWeek`, the office handed in). It reads only the tables whose
 * changes bump the week's version (`report_week_versions`), which is what lets a kept draft stand for a fresh one:
 * test/integration/report-draft-contract.test.ts checks that from the statements it runs.
 */
import type { RequestContext } from '../../common/context';
import { inTransaction } from '../../common/context';
import { validityAround, type Validity } from '../../common/token-cache';
import { scheduleEntries } from '../assessments/assessment.service';
import { requestsOfWeek } from '../approvals/approval.queries';
import { justificationTimeliness } from '../approvals/approval.rules';
import {
  actionsOfWeek,
  type WeekActionRow,
} from '../enforcement-actions/enforcement-action.queries';
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

export const tally = (values: string[]): CountByKey[] => {
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
  const rows = await actionsOfWeek(ctx, office.id, window);

  const actions = rows.map((r) => reportAction(r, office.timeZone));
  const exigent = exigentRows(rows, office.timeZone, now);

  const requests = await requestsOfWeek(ctx, office.id, weekStart);

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
    requests: reportRequests(requests),
    exigent,
    latePostActionCount: exigent.filter((e) => e.justification === 'LATE').length,
    missingPostActionCount: exigent.filter((e) => e.justification === 'MISSING').length,
  };
  const unsubmittedDueTimes = rows
    .filter((r) => r.basis === 'EXIGENT' && r.justification_due_at && !r.justification_submitted_at)
    .map((r) => (r.justification_due_at as Date).getTime());
  return { content, validity: validityAround(now.getTime(), unsubmittedDueTimes) };
}

/** One action as the report shows it. */
export function reportAction(r: WeekActionRow, timeZone: string): ReportActionRow {
  return {
    actionId: r.id,
    type: r.type,
    occurredAt: localTime(r.occurred_at, timeZone),
    location: r.location,
    category: r.category,
    basis: r.basis,
    policyVersion: r.policy_version_code,
    justification: r.justification,
    approver: r.approver,
  };
}

/** The exigent actions among `rows` and where their post-action justification stands at `now`. */
export function exigentRows(rows: WeekActionRow[], timeZone: string, now: Date): ExigentRow[] {
  return rows
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
        occurredAt: localTime(r.occurred_at, timeZone),
        justificationDueAt: localTime(due, timeZone),
        justificationSubmittedAt: submitted ? localTime(submitted, timeZone) : null,
        justification,
        ratification,
      } satisfies ExigentRow;
    });
}

/** The week's pre-approval requests as the report shows them. */
export function reportRequests(
  requests: Awaited<ReturnType<typeof requestsOfWeek>>,
): WeeklyReportContent['requests'] {
  return {
    made: requests.requested,
    approved: requests.approved,
    denied: requests.denied,
    pending: requests.pending,
    withdrawn: requests.withdrawn,
    medianDecisionHours:
      requests.median === null ? null : Math.round(Number(requests.median) * 100) / 100,
  };
}
