/**
 * What the read model (the weekly compile, the figures) asks of the approval requests: only this
 * module names `approval_requests` in SQL (test/architecture/table-ownership.test.ts). Pre-approval
 * requests (before an action, or to remove a vulnerable person) count in the week they were made;
 * a post-action request is reported with its exigent action.
 */
import type { EntityManager } from 'typeorm';
import { inTransaction, type RequestContext } from '../../common/context';
import { ApprovalRequestEntity } from './approval.entity';
import type { ActionType } from '../enforcement-actions/action-type';

/**
 * A post-action request of the action `action` (an alias of `enforcement_actions`), as a lateral
 * join named `alias`: its id, status, justification, decider and justification times. Only an
 * exigent action has one: the condition on its basis inside the subquery (kept apart by OFFSET 0)
 * spares the index probe for every other row.
 */
export const postActionRequestJoin = (alias: string, action: string): string =>
  `LEFT JOIN LATERAL (
         SELECT r.id, r.status, r.justification, r.decided_by_id, r.justification_due_at,
                r.justification_submitted_at
           FROM approval_requests r
          WHERE ${action}.basis = 'EXIGENT' AND r.enforcement_action_id = ${action}.id AND r.kind = 'POST_ACTION'
         OFFSET 0
       ) ${alias} ON true`;

/** How a set of requests stands, and the median hours from request to decision of the decided. */
export interface RequestTally {
  requested: number;
  approved: number;
  denied: number;
  pending: number;
  withdrawn: number;
  median: number | null;
}

/** The aggregates of a `RequestTally`, over requests aliased `r`. */
const TALLY = `count(*)::int AS requested,
            count(*) FILTER (WHERE r.status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE r.status = 'DENIED')::int AS denied,
            count(*) FILTER (WHERE r.status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE r.status = 'WITHDRAWN')::int AS withdrawn,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.requested_at) / 3600)
              FILTER (WHERE r.status IN ('APPROVED', 'DENIED')) AS median`;

/** The pre-approval requests an office made in a week (`weekStart`, its Monday), in one statement. */
export async function requestsOfWeek(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<RequestTally> {
  const [tally] = (await ctx.manager.query(
    `SELECT ${TALLY}
       FROM approval_requests r
      WHERE r.requested_week = $2 AND r.office_id = $1 AND r.kind <> 'POST_ACTION'`,
    [officeId, weekStart],
  )) as RequestTally[];
  return tally;
}

/** What figures of requests group by. */
export type RequestGrouping = 'week' | 'officeId' | 'actionType';

const GROUP_COLUMNS: Record<RequestGrouping, string> = {
  week: 'r.requested_week',
  officeId: 'r.office_id',
  actionType: 'r.action_type',
};
const GROUP_NAMES: Record<RequestGrouping, string> = {
  week: 'week',
  officeId: 'office_id',
  actionType: 'action_type',
};

export interface RequestFiguresQuery {
  /** Mondays, inclusive. */
  firstWeek: string;
  lastWeek: string;
  /** Every office when undefined. */
  officeIds: string[] | undefined;
  actionTypes: ActionType[] | null;
  /** In this order, which is also the answer's. */
  groupBy: RequestGrouping[];
  /**
   * Offices ranked by their order here instead of by id (the exports' order by office code): the
   * rows come ordered by week, this rank, then action type.
   */
  officeOrder?: string[];
}

export type RequestFiguresRow = RequestTally & {
  week?: string;
  office_id?: string;
  action_type?: ActionType;
};

/**
 * The pre-approval requests made in a range of weeks, tallied per group (rows ordered by the
 * groups), in one statement. The medians sort every decided request in range (about 540,000 over
 * five years at 10 million actions): in memory rather than in temporary files, for this
 * statement's transaction.
 */
export async function requestFigures(
  ctx: RequestContext,
  q: RequestFiguresQuery,
): Promise<RequestFiguresRow[]> {
  const { sql, params } = requestFiguresQuery(q);
  return inTransaction(ctx, async (tx) => {
    await tx.manager.query(`SELECT set_config('work_mem', '64MB', true)`);
    return (await tx.manager.query(sql, params)) as RequestFiguresRow[];
  });
}

/** The session settings `requestFiguresQuery`'s statement wants in its transaction. */
export const REQUEST_FIGURES_SETTINGS: Readonly<Record<string, string>> = { work_mem: '64MB' };

/**
 * The statement of `requestFigures` and its parameters, for a caller that runs it itself (the
 * streamed exports read it through a cursor): rows as `RequestFiguresRow`.
 */
export function requestFiguresQuery(q: RequestFiguresQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.firstWeek, q.lastWeek];
  const where = ['r.requested_week BETWEEN $1 AND $2', "r.kind <> 'POST_ACTION'"];
  if (q.officeIds) {
    params.push(q.officeIds);
    where.push(`r.office_id = ANY($${params.length}::uuid[])`);
  }
  if (q.actionTypes) {
    params.push(q.actionTypes);
    where.push(`r.action_type = ANY($${params.length}::action_type[])`);
  }
  const columns = q.groupBy.map((g) => GROUP_COLUMNS[g]);
  let order = columns;
  if (q.officeOrder && q.groupBy.includes('officeId')) {
    params.push(q.officeOrder);
    const rank = `array_position($${params.length}::uuid[], r.office_id)`;
    order = columns.map((c) => (c === GROUP_COLUMNS.officeId ? rank : c));
  }
  const sql = `SELECT ${[...q.groupBy.map((g, i) => `${columns[i]} AS ${GROUP_NAMES[g]}`), TALLY].join(', ')}
    FROM approval_requests r
   WHERE ${where.join(' AND ')}
   ${columns.length ? `GROUP BY ${columns.join(', ')} ORDER BY ${order.join(', ')}` : ''}`;
  return { sql, params };
}

/**
 * One request as committed, by id, with no caller's scope: for the live hub, which reads it once
 * per event and then checks each subscriber's right to see it.
 */
export function committedRequest(
  manager: EntityManager,
  id: string,
): Promise<ApprovalRequestEntity | null> {
  return manager.getRepository(ApprovalRequestEntity).findOne({ where: { id } });
}
