/**
 * The figures and a weekly report's actions as files (GET /exports/..., src/server/exports): the
 * same scope, statements and rows as enforcementStats, approvalStats and weeklyReport, but ordered
 * entirely in SQL (by office code, as the GraphQL answers are) so the server can stream them
 * through a cursor without holding them. Parameter errors name the HTTP query parameter.
 */
import type { RequestContext } from '../../common/context';
import { badInput, notFound } from '../../common/errors';
import type { RowExport } from '../../common/row-export';
import { inlineParams } from '../../common/sql-literal';
import { weekStartOf, weekWindow } from '../../common/calendar';
import { requestFiguresQuery, REQUEST_FIGURES_SETTINGS } from '../approvals/approval.queries';
import type { RequestFiguresRow, RequestGrouping } from '../approvals/approval.queries';
import {
  actionsOfWeekQuery,
  type WeekActionRow,
} from '../enforcement-actions/enforcement-action.queries';
import { allOffices, readableOffice } from '../users/office.service';
import type { ReportActionRow } from './weekly-report.content';
import { checkWeekStart, ReportStatus } from './weekly-report.due';
import { revisionsOf } from './weekly-report.service';
import { localTime } from './week';
import {
  APPROVAL_GROUPS,
  approvalStatsRow,
  dimensions,
  scopeOf,
  StatsDimension,
  type Scope,
  type StatsFilter,
} from './stats.service';
import { ENFORCEMENT_FILE_COLUMNS, enforcementStatsFileQuery } from './stats.files';

/**
 * The offices an answer may hold, by id: their codes, and their ids in code order (the rank the
 * statement orders by). Read before the export's statement: an office created in between has no
 * actions yet.
 */
async function officesOf(
  ctx: RequestContext,
  scope: Scope,
): Promise<{ codes: Map<string, string>; order: string[]; list: { id: string; code: string }[] }> {
  const offices: { id: string; code: string }[] = scope.named.length
    ? scope.named
    : scope.officeIds === undefined
      ? await allOffices(ctx)
      : [{ id: ctx.user.officeId as string, code: ctx.user.officeCode as string }];
  const sorted = [...offices].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    codes: new Map(sorted.map((o) => [o.id, o.code])),
    order: sorted.map((o) => o.id),
    list: sorted.map((o) => ({ id: o.id, code: o.code })),
  };
}

const stem = (what: string, filter: StatsFilter, dims: StatsDimension[]) =>
  `${what}_${filter.from}_${filter.to}${dims.length ? `_${dims.join('-')}` : '_TOTAL'}`;

/** A week as the GraphQL rows give it: the DATE parser's 'YYYY-MM-DD' string. */
const dateOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * enforcementStats as a file: one row per group, the grouped dimensions then `count`. The statement
 * gives each column as the file holds it, so on a real PostgreSQL the server writes the file
 * itself (`copy`): 160,000 rows are never parsed into objects and formatted again here.
 */
export async function enforcementStatsExport(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
): Promise<RowExport> {
  const scope = await scopeOf(ctx, filter);
  const dims = dimensions(groupBy);
  const offices = await officesOf(ctx, scope);
  const { sql, params } = enforcementStatsFileQuery(scope, dims, filter, offices.list);
  const columns = [...dims.map((d) => ENFORCEMENT_FILE_COLUMNS[d]), 'count'];
  return {
    fileStem: stem('enforcement-stats', filter, dims),
    columns,
    sql,
    params,
    copy: inlineParams(sql, params),
    // All five dimensions over five years sort 162,883 rows: in memory, not in temporary files
    // (the default 4 MB spills), for this statement's transaction; dates written as ISO dates.
    settings: { work_mem: '64MB', DateStyle: 'ISO, YMD' },
    values: (r) => [
      ...dims.map((d) => (r[ENFORCEMENT_FILE_COLUMNS[d]] as string | null) ?? null),
      Number(r.count),
    ],
    audit: {
      operation: 'exportEnforcementStats',
      recordType: 'EnforcementStats',
      recordIds: [],
      officeIds: scope.officeIds ?? [],
      request: { ...filter, groupBy: dims },
    },
  };
}

const APPROVAL_COLUMNS = [
  'requested',
  'approved',
  'denied',
  'pending',
  'withdrawn',
  'approvalRate',
  'medianDecisionHours',
] as const;

/** approvalStats as a file: one row per group, the grouped dimensions then the tallies. */
export async function approvalStatsExport(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
): Promise<RowExport> {
  for (const d of groupBy)
    if (!APPROVAL_GROUPS[d])
      throw badInput(
        'groupBy',
        `${d} is not a dimension of approval requests (WEEK, OFFICE, ACTION_TYPE)`,
      );
  if (filter.categories?.length)
    throw badInput('categories', 'does not apply to approval requests');
  if (filter.bases?.length) throw badInput('bases', 'does not apply to approval requests');
  const scope = await scopeOf(ctx, filter);
  const dims = dimensions(groupBy);
  const offices = await officesOf(ctx, scope);
  const actionTypes = filter.actionTypes?.length ? [...new Set(filter.actionTypes)].sort() : null;
  const { sql, params } = requestFiguresQuery({
    firstWeek: scope.firstWeek,
    lastWeek: scope.lastWeek,
    officeIds: scope.officeIds,
    actionTypes,
    groupBy: dims.map((d) => APPROVAL_GROUPS[d] as RequestGrouping),
    officeOrder: offices.order,
  });
  return {
    fileStem: stem('approval-stats', filter, dims),
    columns: [...dims.map((d) => ENFORCEMENT_FILE_COLUMNS[d]), ...APPROVAL_COLUMNS],
    // The statement groups only requests in range: every group has one at least.
    sql,
    params,
    settings: REQUEST_FIGURES_SETTINGS,
    values: (raw) => {
      const r = approvalStatsRow(
        { ...(raw as unknown as RequestFiguresRow), week: dateOf(raw.week) ?? undefined },
        offices.codes.get(raw.office_id as string) ?? null,
      );
      return [
        ...dims.map((d) =>
          d === StatsDimension.WEEK
            ? r.week
            : d === StatsDimension.OFFICE
              ? r.officeCode
              : r.actionType,
        ),
        ...APPROVAL_COLUMNS.map((c) => r[c]),
      ];
    },
    audit: {
      operation: 'exportApprovalStats',
      recordType: 'ApprovalStats',
      recordIds: [],
      officeIds: scope.officeIds ?? [],
      request: { ...filter, groupBy: dims },
    },
  };
}

/** The columns of a weekly report's export: where each action came from, then the action. */
const REPORT_COLUMNS = [
  'officeCode',
  'weekStart',
  'status',
  'revision',
  'actionId',
  'type',
  'occurredAt',
  'location',
  'category',
  'basis',
  'policyVersion',
  'justification',
  'approver',
] as const;

const ACTION_KEYS = REPORT_COLUMNS.slice(4) as readonly (keyof ReportActionRow)[];

/**
 * The actions of an office's week as weeklyReport shows them, one row each, with the revision
 * they come from: the latest submitted one (or `revision`), else the live draft compiled from the
 * records now (status DRAFT, no revision).
 */
export async function weeklyReportExport(
  ctx: RequestContext,
  args: { officeCode: string; weekStart: string; revision?: number | null },
): Promise<RowExport> {
  checkWeekStart('weekStart', args.weekStart);
  const office = await readableOffice(ctx, args.officeCode);
  if (args.weekStart > weekStartOf(ctx.clock.now(), office.timeZone))
    throw badInput('weekStart', 'the week has not started yet');
  const all = await revisionsOf(ctx, office.id, args.weekStart);
  const asked = args.revision ?? null;
  const rev = asked === null ? all[all.length - 1] : all.find((r) => r.revision === asked);
  if (asked !== null && !rev) throw notFound('Weekly report revision', String(asked));
  const status = !rev
    ? ReportStatus.DRAFT
    : rev.revision === 1
      ? ReportStatus.SUBMITTED
      : ReportStatus.AMENDED;
  const head = [office.code, args.weekStart, status, rev?.revision ?? null];
  const audit = {
    operation: 'exportWeeklyReport',
    recordType: 'WeeklyReport',
    recordIds: rev ? [rev.id] : [],
    officeIds: [office.id],
    request: { ...args, revision: rev?.revision ?? null, status },
  };
  const fileStem = `weekly-report_${office.code}_${args.weekStart}_${rev ? `r${rev.revision}` : 'draft'}`;
  if (rev)
    return {
      fileStem,
      columns: REPORT_COLUMNS,
      // The frozen actions, a row each, in the report's order.
      sql: `SELECT action FROM weekly_report_revision_actions
             WHERE revision_id = $1
             ORDER BY occurred_at, action_id`,
      params: [rev.id],
      settings: {},
      values: (r) => {
        const action = r.action as ReportActionRow;
        return [...head, ...ACTION_KEYS.map((k) => action[k] ?? null)];
      },
      audit,
    };
  const { sql, params } = actionsOfWeekQuery(
    office.id,
    weekWindow(args.weekStart, office.timeZone),
  );
  return {
    fileStem,
    columns: REPORT_COLUMNS,
    sql,
    params,
    // As the compile: one index range, where a parallel plan costs more than it saves.
    settings: { max_parallel_workers_per_gather: '0' },
    values: (raw) => {
      const r = raw as unknown as WeekActionRow;
      return [
        ...head,
        r.id,
        r.type,
        localTime(r.occurred_at, office.timeZone),
        r.location,
        r.category,
        r.basis,
        r.policy_version_code,
        r.justification,
        r.approver,
      ];
    },
    audit,
  };
}
