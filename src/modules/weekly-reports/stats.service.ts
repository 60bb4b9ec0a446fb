/**
 * Figures for reporting tools. Group and filter keys come from enums only, each mapped here to a
 * fixed SQL expression: no client text reaches SQL. Enforcement counts read the per-week counts
 * tables (this module's, kept in the same transaction as each action); approval figures read the
 * requests through the approvals module (`requestFigures`), and each answer is kept while no
 * request of its office-weeks changes. Offices are grouped by id and named by the users module.
 */
import { readScope } from '../../auth/permissions';
import { serviceCache } from '../../common/caches';
import type { RequestContext } from '../../common/context';
import { TokenCache } from '../../common/token-cache';
import { badInput } from '../../common/errors';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import type { OfficeEntity } from '../users/office.entity';
import { officeCodes, readableOffices } from '../users/office.service';
import { checkDateRange } from './date-range';
import { weeksToken } from './week-versions';
import {
  requestFigures,
  type RequestFiguresRow,
  type RequestGrouping,
} from '../approvals/approval.queries';
import { weekStartOf } from '../../common/calendar';
import { tooManyRows } from './stats.limits';

/**
 * approvalStats answers per scope, filter and grouping, weighed by their rows. A row is a few
 * hundred bytes, and an answer at most a few thousand rows.
 */
export const approvalFiguresCache = serviceCache(
  'approvalFigures',
  () => new TokenCache<ApprovalStatsRow[]>(20_000),
);

export enum StatsDimension {
  WEEK = 'WEEK',
  OFFICE = 'OFFICE',
  CATEGORY = 'CATEGORY',
  ACTION_TYPE = 'ACTION_TYPE',
  BASIS = 'BASIS',
}

export interface StatsFilter {
  from: string;
  to: string;
  officeCodes?: string[] | null;
  categories?: PriorityCategory[] | null;
  actionTypes?: ActionType[] | null;
  bases?: EnforcementBasis[] | null;
}

export interface EnforcementStatsRow {
  week: string | null;
  officeCode: string | null;
  category: PriorityCategory | null;
  actionType: ActionType | null;
  basis: EnforcementBasis | null;
  count: number;
}

export interface ApprovalStatsRow {
  week: string | null;
  officeCode: string | null;
  actionType: ActionType | null;
  requested: number;
  approved: number;
  denied: number;
  pending: number;
  withdrawn: number;
  /** approved / (approved + denied); null when nothing was decided. */
  approvalRate: number | null;
  medianDecisionHours: number | null;
}

export interface Scope {
  officeIds: string[] | undefined;
  /** The offices named by the filter, read already (their codes need no second look-up). */
  named: OfficeEntity[];
  firstWeek: string;
  lastWeek: string;
}

/** The week range and the offices a caller may see: supervisors their office only. */
export async function scopeOf(ctx: RequestContext, filter: StatsFilter): Promise<Scope> {
  checkDateRange(filter);
  const mine = readScope(ctx.user);
  let officeIds: string[] | undefined;
  let named: OfficeEntity[] = [];
  if (filter.officeCodes?.length) {
    // Naming another office is answered like naming one that does not exist.
    named = await readableOffices(ctx, filter.officeCodes);
    officeIds = named.map((o) => o.id);
  } else if (mine !== undefined) {
    officeIds = [mine];
  }
  // Inclusive weeks: the week holding `from` through the week holding `to` (Mondays).
  const firstWeek = weekStartOf(new Date(`${filter.from}T12:00:00Z`), 'UTC');
  const lastWeek = weekStartOf(new Date(`${filter.to}T12:00:00Z`), 'UTC');
  return { officeIds, named, firstWeek, lastWeek };
}

/** Grouped by the office's id: its code is looked up for the (few) offices in the answer. */
export const ENFORCEMENT_COLUMNS: Record<StatsDimension, string> = {
  [StatsDimension.WEEK]: 'c.week_start',
  [StatsDimension.OFFICE]: 'c.office_id',
  [StatsDimension.CATEGORY]: 'c.category',
  [StatsDimension.ACTION_TYPE]: 'c.action_type',
  [StatsDimension.BASIS]: 'c.basis',
};

const ORDER: StatsDimension[] = [
  StatsDimension.WEEK,
  StatsDimension.OFFICE,
  StatsDimension.CATEGORY,
  StatsDimension.ACTION_TYPE,
  StatsDimension.BASIS,
];

export function dimensions(groupBy: StatsDimension[]): StatsDimension[] {
  const unique = new Set(groupBy);
  return ORDER.filter((d) => unique.has(d));
}

/**
 * The coarsest counts table that still holds every key the query groups or filters by: the sum
 * over all offices when no office is named, scoped or grouped; the office-week totals when no
 * category, type or basis is; else the full grain. Each is kept exact in the same transaction as
 * the actions (counts.ts), so all three give the same figures.
 */
export function countsTable(scope: Scope, dims: StatsDimension[], filter: StatsFilter): string {
  const byOffice = scope.officeIds !== undefined || dims.includes(StatsDimension.OFFICE);
  const byDetail =
    !!filter.categories?.length ||
    !!filter.actionTypes?.length ||
    !!filter.bases?.length ||
    dims.some((d) => d !== StatsDimension.WEEK && d !== StatsDimension.OFFICE);
  if (!byOffice) return 'enforcement_counts_by_week';
  if (!byDetail) return 'enforcement_counts_by_office_week';
  return 'enforcement_weekly_counts';
}

/** With `maxRows`: BAD_USER_INPUT if the answer has more rows (read: at most one more). */
export async function enforcementStats(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
  maxRows?: number,
): Promise<EnforcementStatsRow[]> {
  const scope = await scopeOf(ctx, filter);
  const dims = dimensions(groupBy);
  const query = enforcementStatsQuery(scope, dims, filter);
  const params = query.params;
  const sql = maxRows === undefined ? query.sql : `${query.sql} LIMIT ${maxRows + 1}`;
  const rows = (await ctx.manager.query(sql, params)) as Record<string, string | null>[];
  if (maxRows !== undefined && rows.length > maxRows)
    throw tooManyRows('enforcementStats', maxRows);
  const codes = await officeCodesOf(
    ctx,
    scope,
    rows.map((r) => r.office ?? undefined),
  );
  const figures = rows.map((r) => ({
    week: (r.week as string | undefined) ?? null,
    officeCode: codes.get(r.office as string) ?? null,
    category: (r.category as PriorityCategory | undefined) ?? null,
    actionType: (r.action_type as ActionType | undefined) ?? null,
    basis: (r.basis as EnforcementBasis | undefined) ?? null,
    count: Number(r.count),
  }));
  return byOfficeCode(figures);
}

/** The counts tables whose rows are already one per key of these dimensions (no grouping needed). */
export function isFullGrain(table: string, dims: StatsDimension[]): boolean {
  const key = dims.join(',');
  const { WEEK: W, OFFICE: O, CATEGORY: C, ACTION_TYPE: T, BASIS: B } = StatsDimension;
  return (
    (table === 'enforcement_weekly_counts' && key === [W, O, C, T, B].join(',')) ||
    (table === 'enforcement_counts_by_office_week' && key === [W, O].join(',')) ||
    (table === 'enforcement_counts_by_week' && key === [W, C, T, B].join(','))
  );
}

/** The counts rows in the scope and filter: the table, the conditions and their parameters. */
export function countsWhere(
  scope: Scope,
  dims: StatsDimension[],
  filter: StatsFilter,
): { table: string; where: string[]; params: unknown[] } {
  const params: unknown[] = [scope.firstWeek, scope.lastWeek];
  const where = ['c.week_start BETWEEN $1 AND $2', 'c.action_count <> 0'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (scope.officeIds) add('c.office_id = ANY(?::uuid[])', scope.officeIds);
  if (filter.categories?.length) add('c.category = ANY(?::priority_category[])', filter.categories);
  if (filter.actionTypes?.length) add('c.action_type = ANY(?::action_type[])', filter.actionTypes);
  if (filter.bases?.length) add('c.basis = ANY(?::enforcement_basis[])', filter.bases);
  return { table: countsTable(scope, dims, filter), where, params };
}

/**
 * The statement of `enforcementStats` and its parameters, for the scope and dimensions (in
 * `dimensions` order) given; rows keyed week, office (its id), category, action_type, basis and
 * count. Where the counts table holds one row per group already (all five keys), it is read as
 * it is: no grouping, no hash table of 160,000 groups.
 */
export function enforcementStatsQuery(
  scope: Scope,
  dims: StatsDimension[],
  filter: StatsFilter,
): { sql: string; params: unknown[] } {
  const { table, where, params } = countsWhere(scope, dims, filter);
  const select = dims.map((d) => `${ENFORCEMENT_COLUMNS[d]} AS ${d.toLowerCase()}`);
  const keys = dims.map((d) => ENFORCEMENT_COLUMNS[d]);
  const full = isFullGrain(table, dims);
  const sql = `SELECT ${[...select, `${full ? 'c.action_count' : 'sum(c.action_count)'}::bigint AS count`].join(', ')}
                 FROM ${table} c
                WHERE ${where.join(' AND ')}
                ${full ? '' : `${keys.length ? `GROUP BY ${keys.join(', ')}` : ''} HAVING sum(c.action_count) > 0`}
                ${keys.length ? `ORDER BY ${keys.join(', ')}` : ''}`;
  return { sql, params };
}

/** The codes of the offices `ids` (an answer's), without asking again for those known. */
export async function officeCodesOf(
  ctx: RequestContext,
  scope: Scope,
  ids: (string | undefined)[],
): Promise<Map<string, string>> {
  const codes = new Map(scope.named.map((o) => [o.id, o.code]));
  const { officeId, officeCode } = ctx.user;
  if (officeId && officeCode) codes.set(officeId, officeCode);
  const unknown = [...new Set(ids)].filter(
    (id): id is string => id !== undefined && !codes.has(id),
  );
  if (unknown.length) for (const [id, code] of await officeCodes(ctx, unknown)) codes.set(id, code);
  return codes;
}

/**
 * Rows ordered by week, office id and the other groups, ordered by week and office code instead:
 * a stable sort, so each office's rows keep their order within a week.
 */
function byOfficeCode<T extends { week: string | null; officeCode: string | null }>(
  rows: T[],
): T[] {
  const compare = (x: string | null, y: string | null) =>
    (x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0;
  return rows.sort((a, b) => compare(a.week, b.week) || compare(a.officeCode, b.officeCode));
}

/** What approval figures group by, in the approvals module's terms. */
export const APPROVAL_GROUPS: Partial<Record<StatsDimension, RequestGrouping>> = {
  [StatsDimension.WEEK]: 'week',
  [StatsDimension.OFFICE]: 'officeId',
  [StatsDimension.ACTION_TYPE]: 'actionType',
};

/** With `maxRows`: BAD_USER_INPUT if the answer has more rows. */
export async function approvalStats(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
  maxRows?: number,
): Promise<ApprovalStatsRow[]> {
  const rows = await approvalFigures(ctx, filter, groupBy);
  if (maxRows !== undefined && rows.length > maxRows) throw tooManyRows('approvalStats', maxRows);
  return rows;
}

/** The whole answer of `approvalStats`, kept per scope, filter and grouping (see the cache). */
export async function approvalFigures(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
): Promise<ApprovalStatsRow[]> {
  for (const [i, d] of groupBy.entries()) {
    if (!APPROVAL_GROUPS[d])
      throw badInput(
        `groupBy.${i}`,
        `${d} is not a dimension of approval requests (WEEK, OFFICE, ACTION_TYPE)`,
      );
  }
  if (filter.categories?.length)
    throw badInput('filter.categories', 'does not apply to approval requests');
  if (filter.bases?.length) throw badInput('filter.bases', 'does not apply to approval requests');
  const scope = await scopeOf(ctx, filter);
  const dims = dimensions(groupBy);
  const actionTypes = filter.actionTypes?.length ? [...new Set(filter.actionTypes)].sort() : null;
  if (ctx.manager.queryRunner?.isTransactionActive)
    return computeApprovalStats(ctx, scope, dims, actionTypes);
  // The answer depends only on the pre-approval requests of the scope's office-weeks, and every
  // change to one of those gives its office-week a new version (`report_week_versions`, kept by
  // triggers), read before the requests: the answer's token.
  const key = JSON.stringify([
    scope.officeIds ?? null,
    scope.firstWeek,
    scope.lastWeek,
    actionTypes,
    dims,
  ]);
  const token = await weeksToken(ctx, scope);
  const cache = ctx.deps.caches.get(approvalFiguresCache);
  const hit = cache.get(key, token, 0);
  if (hit) return hit;
  const rows = await computeApprovalStats(ctx, scope, dims, actionTypes);
  cache.set(key, token, rows, rows.length + 1);
  return rows;
}

async function computeApprovalStats(
  ctx: RequestContext,
  scope: Scope,
  dims: StatsDimension[],
  actionTypes: ActionType[] | null,
): Promise<ApprovalStatsRow[]> {
  const rows = await requestFigures(ctx, {
    firstWeek: scope.firstWeek,
    lastWeek: scope.lastWeek,
    officeIds: scope.officeIds,
    actionTypes,
    groupBy: dims.map((d) => APPROVAL_GROUPS[d] as RequestGrouping),
  });
  const codes = await officeCodesOf(
    ctx,
    scope,
    rows.map((r) => r.office_id),
  );
  const figures = rows
    .filter((r) => Number(r.requested) > 0)
    .map((r) => approvalStatsRow(r, (r.office_id && codes.get(r.office_id)) ?? null));
  return byOfficeCode(figures);
}

/** One row of `requestFigures` as approvalStats answers it (rates and medians rounded). */
export function approvalStatsRow(
  r: RequestFiguresRow,
  officeCode: string | null,
): ApprovalStatsRow {
  const approved = Number(r.approved);
  const denied = Number(r.denied);
  return {
    week: r.week ?? null,
    officeCode,
    actionType: r.action_type ?? null,
    requested: Number(r.requested),
    approved,
    denied,
    pending: Number(r.pending),
    withdrawn: Number(r.withdrawn),
    approvalRate:
      approved + denied > 0 ? Math.round((approved / (approved + denied)) * 10000) / 10000 : null,
    medianDecisionHours:
      r.median === null || r.median === undefined ? null : Math.round(Number(r.median) * 100) / 100,
  };
}
