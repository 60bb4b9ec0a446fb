/**
 * What the read model (the weekly compile) asks of the enforcement actions: only this module names
 * `enforcement_actions` and `enforcement_action_voids` in SQL
 * (test/architecture/table-ownership.test.ts). The approval requests and the users come in the
 * same statement through the parts their modules give (`postActionRequestJoin`, `userJoin`).
 */
import type { RequestContext } from '../../common/context';
import type { WeekWindow } from '../../common/calendar';
import { postActionRequestJoin } from '../approvals/approval.queries';
import { userJoin } from '../users/user.queries';

/** An action of the week as the report shows it, with its post-action request if it has one. */
export interface WeekActionRow {
  id: string;
  type: string;
  occurred_at: Date;
  location: string;
  category: string;
  basis: string;
  policy_version_code: string;
  /** The post-action request's for an exigent action, else the one copied onto the action. */
  justification: string | null;
  /** Who approved it beforehand, or who ratified an exigent action. */
  approver: string | null;
  post_id: string | null;
  post_status: string | null;
  post_justified: boolean | null;
  justification_due_at: Date | null;
  justification_submitted_at: Date | null;
}

/**
 * An office's non-void actions in a week (`window`, in its time zone), oldest first, in one
 * statement: one index range of the actions, each with its approver's name and, if exigent, its
 * post-action request. No subject identity is read.
 */
export async function actionsOfWeek(
  ctx: RequestContext,
  officeId: string,
  window: WeekWindow,
): Promise<WeekActionRow[]> {
  const { sql, params } = actionsOfWeekQuery(officeId, window);
  return (await ctx.manager.query(sql, params)) as WeekActionRow[];
}

/**
 * The statement of `actionsOfWeek` and its parameters, for a caller that runs it itself (the
 * weekly report's export reads it through a cursor): rows as `WeekActionRow`.
 */
export function actionsOfWeekQuery(
  officeId: string,
  window: WeekWindow,
): { sql: string; params: unknown[] } {
  return { sql: weekActionsSql(''), params: [officeId, window.start, window.end] };
}

/**
 * A page of `actionsOfWeek`: the actions strictly after `after` in its order (occurred_at, then
 * id), at most `limit` of them, or only the exigent ones: one index range from the cursor on.
 */
export async function actionsOfWeekPage(
  ctx: RequestContext,
  officeId: string,
  window: WeekWindow,
  page: {
    after?: { occurredAt: string; id: string } | null;
    limit?: number;
    exigentOnly?: boolean;
  },
): Promise<WeekActionRow[]> {
  const params: unknown[] = [officeId, window.start, window.end];
  const where: string[] = [];
  if (page.after) {
    params.push(page.after.occurredAt, page.after.id);
    where.push(
      `a.occurred_at >= $4::timestamptz AND (a.occurred_at, a.id) > ($4::timestamptz, $5::uuid)`,
    );
  }
  if (page.exigentOnly) where.push(`a.basis = 'EXIGENT'`);
  const limit = page.limit === undefined ? '' : `LIMIT ${Math.trunc(page.limit)}`;
  return (await ctx.manager.query(
    weekActionsSql(where.map((w) => `AND ${w}`).join(' '), limit),
    params,
  )) as WeekActionRow[];
}

function weekActionsSql(filter: string, limit = ''): string {
  return `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
            CASE WHEN a.basis = 'EXIGENT' THEN p.justification ELSE a.report_reason END AS justification,
            CASE WHEN a.approved_by_id IS NOT NULL THEN ru.name
                 WHEN p.status = 'APPROVED' THEN pu.name END AS approver,
            p.id AS post_id, p.status AS post_status, p.justification IS NOT NULL AS post_justified,
            p.justification_due_at, p.justification_submitted_at
       FROM enforcement_actions a
       ${userJoin('ru', 'a.approved_by_id')}
       ${postActionRequestJoin('p', 'a')}
       ${userJoin('pu', 'p.decided_by_id')}
      WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3 ${filter}
        AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
      ORDER BY a.occurred_at, a.id ${limit}`;
}
