/**
 * The paged forms of the figures (`enforcementStatsPage`, `approvalStatsPage`): any grouping, one
 * page at a time, in the list forms' order (week, office code, category, action type, basis; each
 * enum in its declared order), keyset over the grouped keys. A cursor holds the grouped keys of a
 * page's last row, as the client sees them (a week, an office code, enum names), and the next page
 * starts strictly after it. Only grouped keys are in the key, and none of them is ever null.
 *
 * Enforcement figures page in SQL on the counts tables: the offices' order by code is a rank
 * passed in (`array_position`), the week leads the key, so a page reads from the cursor's week on
 * (`enforcement_weekly_counts_week_idx`) instead of sorting the whole range. Approval figures are
 * at most weeks x offices x action types rows and kept whole by the service (`approvalFigures`):
 * a page is a slice of that answer after the cursor.
 */
import type { RequestContext } from '../../common/context';
import { decodeCursorWith, encodeCursor } from '../../common/pagination';
import { badInput } from '../../common/errors';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { allOffices } from '../users/office.service';
import {
  approvalFigures,
  countsTable,
  dimensions,
  ENFORCEMENT_COLUMNS,
  isFullGrain,
  scopeOf,
  StatsDimension,
  type ApprovalStatsRow,
  type EnforcementStatsRow,
  type StatsFilter,
} from './stats.service';

export const DEFAULT_STATS_PAGE = 100;
export const MAX_STATS_PAGE = 1000;

export interface StatsPageArgs {
  first?: number | null;
  after?: string | null;
}

export interface StatsPage<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
  /** The cursor of a row of this page. */
  cursor: (row: T) => string;
}

function statsPageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_STATS_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_STATS_PAGE)
    throw badInput('first', `must be from 1 to ${MAX_STATS_PAGE}`);
  return first;
}

/** Each dimension's value in a row, as the client sees it, and the order of its values. */
const ENUMS: Partial<Record<StatsDimension, readonly string[]>> = {
  [StatsDimension.CATEGORY]: Object.values(PriorityCategory),
  [StatsDimension.ACTION_TYPE]: Object.values(ActionType),
  [StatsDimension.BASIS]: Object.values(EnforcementBasis),
};
type Keyed = {
  week: string | null;
  officeCode: string | null;
  category?: string | null;
  actionType?: string | null;
  basis?: string | null;
};
const VALUE: Record<StatsDimension, (row: Keyed) => string | null | undefined> = {
  [StatsDimension.WEEK]: (r) => r.week,
  [StatsDimension.OFFICE]: (r) => r.officeCode,
  [StatsDimension.CATEGORY]: (r) => r.category,
  [StatsDimension.ACTION_TYPE]: (r) => r.actionType,
  [StatsDimension.BASIS]: (r) => r.basis,
};
const WEEK = /^\d{4}-\d{2}-\d{2}$/;

function checkOf(d: StatsDimension): (value: string) => boolean {
  const values = ENUMS[d];
  if (values) return (v) => values.includes(v);
  if (d === StatsDimension.WEEK) return (v) => WEEK.test(v) && !Number.isNaN(Date.parse(v));
  return (v) => v.length >= 1 && v.length <= 100;
}

function cursorOf(dims: StatsDimension[]) {
  return (row: Keyed) => encodeCursor(dims.map((d) => VALUE[d](row) ?? ''));
}

function decodeAfter(dims: StatsDimension[], after: string): string[] {
  return decodeCursorWith(after, 'after', dims.map(checkOf));
}

/** The SQL type each key's cursor value is compared as (the counts tables' column types). */
const SQL_TYPES: Record<StatsDimension, string> = {
  [StatsDimension.WEEK]: 'date',
  [StatsDimension.OFFICE]: 'int',
  [StatsDimension.CATEGORY]: 'priority_category',
  [StatsDimension.ACTION_TYPE]: 'action_type',
  [StatsDimension.BASIS]: 'enforcement_basis',
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function enforcementStatsPage(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
  args: StatsPageArgs,
): Promise<StatsPage<EnforcementStatsRow>> {
  const first = statsPageSize(args.first);
  const dims = dimensions(groupBy);
  const after = args.after ? decodeAfter(dims, args.after) : null;
  const scope = await scopeOf(ctx, filter);
  const byOffice = dims.includes(StatsDimension.OFFICE);
  // Offices in the list forms' order (by code); their rank orders the rows.
  const offices = byOffice
    ? (await allOffices(ctx)).sort((a, b) => compareText(a.code, b.code))
    : [];
  const params: unknown[] = [scope.firstWeek, scope.lastWeek];
  const where = ['c.week_start BETWEEN $1 AND $2', 'c.action_count <> 0'];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (scope.officeIds) where.push(`c.office_id = ANY(${param(scope.officeIds)}::uuid[])`);
  if (filter.categories?.length)
    where.push(`c.category = ANY(${param(filter.categories)}::priority_category[])`);
  if (filter.actionTypes?.length)
    where.push(`c.action_type = ANY(${param(filter.actionTypes)}::action_type[])`);
  if (filter.bases?.length)
    where.push(`c.basis = ANY(${param(filter.bases)}::enforcement_basis[])`);
  // The filters' parameters come first: the count takes only those.
  const filterParams = params.length;
  const table = countsTable(scope, dims, filter);
  const full = isFullGrain(table, dims);
  const ranks = byOffice ? param(offices.map((o) => o.id)) : '';
  const order = dims.map((d) =>
    d === StatsDimension.OFFICE
      ? `array_position(${ranks}::uuid[], c.office_id)`
      : ENFORCEMENT_COLUMNS[d],
  );
  const grouping = full
    ? ''
    : `${dims.length ? `GROUP BY ${dims.map((d) => ENFORCEMENT_COLUMNS[d]).join(', ')}` : ''}
       HAVING sum(c.action_count) > 0`;
  const count = full ? 'c.action_count' : 'sum(c.action_count)';
  const filtered = [...where];
  if (after) {
    const values = dims.map((d, i) => {
      if (d !== StatsDimension.OFFICE) return after[i];
      const rank = offices.findIndex((o) => o.code === after[i]);
      if (rank < 0) throw badInput('after', 'is not a cursor from this list');
      return String(rank + 1);
    });
    if (dims.length === 0) {
      // The one row of an ungrouped answer: nothing comes after it.
      filtered.push('false');
    } else {
      const cursor = values.map((v, i) => `${param(v)}::${SQL_TYPES[dims[i]]}`);
      filtered.push(`(${order.join(', ')}) > (${cursor.join(', ')})`);
      // The same bound on the week alone: the index range starts at the cursor's week.
      if (dims[0] === StatsDimension.WEEK) filtered.push(`c.week_start >= ${cursor[0]}`);
    }
  }
  const sql = `SELECT ${[...dims.map((d) => `${ENFORCEMENT_COLUMNS[d]} AS ${d.toLowerCase()}`), `${count}::bigint AS count`].join(', ')}
                 FROM ${table} c
                WHERE ${filtered.join(' AND ')}
                ${grouping}
                ${dims.length ? `ORDER BY ${order.join(', ')}` : ''}
                LIMIT ${first + 1}`;
  const rows = (await ctx.manager.query(sql, params)) as Record<string, string | null>[];
  const codes = new Map(offices.map((o) => [o.id, o.code]));
  const items = rows.slice(0, first).map((r) => ({
    week: (r.week as string | undefined) ?? null,
    officeCode: (r.office && codes.get(r.office)) ?? null,
    category: (r.category as PriorityCategory | undefined) ?? null,
    actionType: (r.action_type as ActionType | undefined) ?? null,
    basis: (r.basis as EnforcementBasis | undefined) ?? null,
    count: Number(r.count),
  }));
  const countSql = full
    ? `SELECT count(*)::int AS n FROM ${table} c WHERE ${where.join(' AND ')}`
    : `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} c WHERE ${where.join(' AND ')} ${grouping}) g`;
  return {
    items,
    hasNextPage: rows.length > first,
    totalCount: async () => {
      const [{ n }] = (await ctx.manager.query(countSql, params.slice(0, filterParams))) as {
        n: number;
      }[];
      return n;
    },
    cursor: cursorOf(dims),
  };
}

/** Approval figures' order: week, office code, action type (enum order). */
function compareApproval(dims: StatsDimension[], a: Keyed, b: string[]): number {
  for (const [i, d] of dims.entries()) {
    const x = VALUE[d](a) ?? '';
    const y = b[i];
    const values = ENUMS[d];
    const c = values ? values.indexOf(x) - values.indexOf(y) : compareText(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

export async function approvalStatsPage(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
  args: StatsPageArgs,
): Promise<StatsPage<ApprovalStatsRow>> {
  const first = statsPageSize(args.first);
  const dims = dimensions(groupBy);
  // Checked before the figures are read (approvalFigures checks the grouping first).
  const after =
    args.after && dims.every((d) => d !== StatsDimension.CATEGORY && d !== StatsDimension.BASIS)
      ? decodeAfter(dims, args.after)
      : null;
  const rows = await approvalFigures(ctx, filter, groupBy);
  let start = 0;
  if (after) {
    // The first row strictly after the cursor (rows are in this order): a binary search.
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareApproval(dims, rows[mid], after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = dims.length === 0 ? rows.length : lo;
  }
  return {
    items: rows.slice(start, start + first),
    hasNextPage: rows.length > start + first,
    totalCount: () => Promise.resolve(rows.length),
    cursor: cursorOf(dims),
  };
}
