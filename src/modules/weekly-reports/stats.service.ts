/**
 * Figures for reporting tools. Group and filter keys come from enums only, each mapped here to a
 * fixed SQL expression: no client text reaches SQL. Enforcement counts read the per-week counts
 * tables (kept in the same transaction as each action); approval figures read the requests, and
 * each answer is kept while no request of its office-weeks changes.
 */
import { readScope } from '../../auth/permissions';
import { serviceCache } from '../../common/caches';
import { inTransaction, type RequestContext } from '../../common/context';
import { TokenCache } from '../../common/token-cache';
import { badInput } from '../../common/errors';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from '../enforcement-actions/action-type';
import { readableOffices } from '../users/office.service';
import { checkDateRange } from './date-range';
import { weekStartOf } from '../../common/calendar';

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

interface Scope {
  officeIds: string[] | undefined;
  firstWeek: string;
  lastWeek: string;
}

/** The week range and the offices a caller may see: supervisors their office only. */
async function scopeOf(ctx: RequestContext, filter: StatsFilter): Promise<Scope> {
  checkDateRange(filter);
  const mine = readScope(ctx.user);
  let officeIds: string[] | undefined;
  if (filter.officeCodes?.length) {
    // Naming another office is answered like naming one that does not exist.
    const offices = await readableOffices(ctx, filter.officeCodes);
    officeIds = offices.map((o) => o.id);
  } else if (mine !== undefined) {
    officeIds = [mine];
  }
  // Inclusive weeks: the week holding `from` through the week holding `to` (Mondays).
  const firstWeek = weekStartOf(new Date(`${filter.from}T12:00:00Z`), 'UTC');
  const lastWeek = weekStartOf(new Date(`${filter.to}T12:00:00Z`), 'UTC');
  return { officeIds, firstWeek, lastWeek };
}

const ENFORCEMENT_COLUMNS: Record<StatsDimension, string> = {
  [StatsDimension.WEEK]: 'c.week_start',
  [StatsDimension.OFFICE]: 'o.code',
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

function dimensions(groupBy: StatsDimension[]): StatsDimension[] {
  const unique = new Set(groupBy);
  return ORDER.filter((d) => unique.has(d));
}

/**
 * The coarsest counts table that still holds every key the query groups or filters by: the sum
 * over all offices when no office is named, scoped or grouped; the office-week totals when no
 * category, type or basis is; else the full grain. Each is kept exact in the same transaction as
 * the actions (counts.ts), so all three give the same figures.
 */
function countsTable(scope: Scope, dims: StatsDimension[], filter: StatsFilter): string {
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

export async function enforcementStats(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
): Promise<EnforcementStatsRow[]> {
  const scope = await scopeOf(ctx, filter);
  const dims = dimensions(groupBy);
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
  const select = dims.map((d) => `${ENFORCEMENT_COLUMNS[d]} AS ${d.toLowerCase()}`);
  const needsOffice = dims.includes(StatsDimension.OFFICE);
  const sql = `SELECT ${[...select, 'sum(c.action_count)::bigint AS count'].join(', ')}
                 FROM ${countsTable(scope, dims, filter)} c ${needsOffice ? 'JOIN offices o ON o.id = c.office_id' : ''}
                WHERE ${where.join(' AND ')}
                ${dims.length ? `GROUP BY ${dims.map((d) => ENFORCEMENT_COLUMNS[d]).join(', ')}` : ''}
               HAVING sum(c.action_count) > 0
                ${dims.length ? `ORDER BY ${dims.map((d) => ENFORCEMENT_COLUMNS[d]).join(', ')}` : ''}`;
  const rows = (await ctx.manager.query(sql, params)) as Record<string, string | null>[];
  return rows.map((r) => ({
    week: (r.week as string | undefined) ?? null,
    officeCode: (r.office as string | undefined) ?? null,
    category: (r.category as PriorityCategory | undefined) ?? null,
    actionType: (r.action_type as ActionType | undefined) ?? null,
    basis: (r.basis as EnforcementBasis | undefined) ?? null,
    count: Number(r.count),
  }));
}

/** Grouped by the office's id; its code is joined to the (few) groups afterwards. */
const APPROVAL_COLUMNS: Partial<Record<StatsDimension, string>> = {
  [StatsDimension.WEEK]: 'r.requested_week',
  [StatsDimension.OFFICE]: 'r.office_id',
  [StatsDimension.ACTION_TYPE]: 'r.action_type',
};
const APPROVAL_OUTPUT: Partial<Record<StatsDimension, string>> = {
  [StatsDimension.WEEK]: 'g.week',
  [StatsDimension.OFFICE]: 'o.code',
  [StatsDimension.ACTION_TYPE]: 'g.action_type',
};

export async function approvalStats(
  ctx: RequestContext,
  filter: StatsFilter,
  groupBy: StatsDimension[],
): Promise<ApprovalStatsRow[]> {
  for (const [i, d] of groupBy.entries()) {
    if (!APPROVAL_COLUMNS[d])
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
  // triggers). A version only grows, and a row is never deleted, so the count and sum of the
  // scope's versions, read before the requests, change with any of them: the answer's token.
  const key = JSON.stringify([
    scope.officeIds ?? null,
    scope.firstWeek,
    scope.lastWeek,
    actionTypes,
    dims,
  ]);
  const params: unknown[] = [scope.firstWeek, scope.lastWeek];
  if (scope.officeIds) params.push(scope.officeIds);
  const [versions] = (await ctx.manager.query(
    `SELECT count(*)::text AS weeks, coalesce(sum(version), 0)::text AS total
       FROM report_week_versions
      WHERE week_start BETWEEN $1 AND $2 ${scope.officeIds ? 'AND office_id = ANY($3::uuid[])' : ''}`,
    params,
  )) as { weeks: string; total: string }[];
  const token = `${versions.weeks}:${versions.total}`;
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
  const params: unknown[] = [scope.firstWeek, scope.lastWeek];
  const where = [
    'r.requested_week BETWEEN $1 AND $2',
    // Pre-approval requests (before an action, or to remove a vulnerable person), as the weekly
    // report counts them; post-action ratifications are reported with the exigent actions.
    "r.kind <> 'POST_ACTION'",
  ];
  if (scope.officeIds) {
    params.push(scope.officeIds);
    where.push(`r.office_id = ANY($${params.length}::uuid[])`);
  }
  if (actionTypes) {
    params.push(actionTypes);
    where.push(`r.action_type = ANY($${params.length}::action_type[])`);
  }
  const columns = dims.map((d) => APPROVAL_COLUMNS[d] as string);
  const output = dims.map((d) => APPROVAL_OUTPUT[d] as string);
  const grouped = `SELECT ${[
    ...dims.map(
      (d, i) => `${columns[i]} AS ${d === StatsDimension.OFFICE ? 'office_id' : d.toLowerCase()}`,
    ),
    `count(*)::int AS requested`,
    `count(*) FILTER (WHERE r.status = 'APPROVED')::int AS approved`,
    `count(*) FILTER (WHERE r.status = 'DENIED')::int AS denied`,
    `count(*) FILTER (WHERE r.status = 'PENDING')::int AS pending`,
    `count(*) FILTER (WHERE r.status = 'WITHDRAWN')::int AS withdrawn`,
    `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.requested_at) / 3600)
       FILTER (WHERE r.status IN ('APPROVED', 'DENIED')) AS median`,
  ].join(', ')}
    FROM approval_requests r
   WHERE ${where.join(' AND ')}
   ${dims.length ? `GROUP BY ${columns.join(', ')}` : ''}`;
  const sql = `SELECT ${[
    ...dims.map((d, i) => `${output[i]} AS ${d.toLowerCase()}`),
    'g.requested, g.approved, g.denied, g.pending, g.withdrawn, g.median',
  ].join(', ')}
    FROM (${grouped}) g ${dims.includes(StatsDimension.OFFICE) ? 'JOIN offices o ON o.id = g.office_id' : ''}
   ${dims.length ? `ORDER BY ${output.join(', ')}` : ''}`;
  const rows = await inTransaction(ctx, async (tx) => {
    // The medians sort every decided request in range (about 540,000 over five years at 10
    // million actions): in memory rather than in temporary files, for this statement's transaction.
    await tx.manager.query(`SELECT set_config('work_mem', '64MB', true)`);
    return (await tx.manager.query(sql, params)) as Record<string, unknown>[];
  });
  return rows
    .filter((r) => Number(r.requested) > 0)
    .map((r) => {
      const approved = Number(r.approved);
      const denied = Number(r.denied);
      return {
        week: (r.week as string | undefined) ?? null,
        officeCode: (r.office as string | undefined) ?? null,
        actionType: (r.action_type as ActionType | undefined) ?? null,
        requested: Number(r.requested),
        approved,
        denied,
        pending: Number(r.pending),
        withdrawn: Number(r.withdrawn),
        approvalRate:
          approved + denied > 0
            ? Math.round((approved / (approved + denied)) * 10000) / 10000
            : null,
        medianDecisionHours:
          r.median === null || r.median === undefined
            ? null
            : Math.round(Number(r.median) * 100) / 100,
      };
    });
}
