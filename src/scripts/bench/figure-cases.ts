/** Enforcement and approval figures over the whole range, by each grouping (headquarters). */
import { approvalFiguresCache } from '../../modules/weekly-reports/stats.service';
import { formatInt } from '../synthetic/cli';
import { type BenchEnv, type Case, timed } from './harness';

export const DIMENSIONS = ['WEEK', 'OFFICE', 'CATEGORY', 'ACTION_TYPE', 'BASIS'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const RAW_COLUMNS: Record<Dimension, string> = {
  WEEK: `office_week_start(a.occurred_at, o.time_zone)::text`,
  OFFICE: 'o.code',
  CATEGORY: 'a.category::text',
  ACTION_TYPE: 'a.type::text',
  BASIS: 'a.basis::text',
};
export const API_FIELDS: Record<Dimension, string> = {
  WEEK: 'week',
  OFFICE: 'officeCode',
  CATEGORY: 'category',
  ACTION_TYPE: 'actionType',
  BASIS: 'basis',
};

const STATS = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  enforcementStats(filter: $filter, groupBy: $groupBy) { week officeCode category actionType basis count }
}`;

const APPROVAL_STATS = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  approvalStats(filter: $filter, groupBy: $groupBy) {
    week officeCode actionType requested approved denied pending withdrawn approvalRate medianDecisionHours
  }
}`;

export function figureCases(
  { client, service, tokens, graphql, received, rowCounts }: BenchEnv,
  range: { from: string; to: string },
): Case[] {
  const cases: Case[] = [];
  // Figures over the whole range, grouped by each dimension and by all five (headquarters).
  const groupings: Dimension[][] = [...DIMENSIONS.map((d) => [d]), [...DIMENSIONS]];
  for (const groupBy of groupings) {
    const name = `enforcementStats by ${groupBy.length === 1 ? groupBy[0] : 'all five'} (HQ)`;
    const filter = { from: range.from, to: range.to };
    const directSql = () =>
      client.query<Record<string, string>>(
        `SELECT ${groupBy.map((d) => `${RAW_COLUMNS[d]} AS ${d.toLowerCase()}`).join(', ')}, count(*)::bigint AS count
           FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
          WHERE office_week_start(a.occurred_at, o.time_zone) BETWEEN $1 AND $2
            AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
          GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}`,
        [range.from, range.to],
      );
    cases.push({
      name,
      goalMs: 50,
      api: () => timed(() => received(tokens.hq, STATS, { filter, groupBy })),
      sql: () => timed(directSql),
      check: async () => {
        const data = await graphql<{
          enforcementStats: Record<string, string | number | null>[];
        }>(tokens.hq, STATS, { filter, groupBy });
        const direct = await directSql();
        const key = (values: (string | number | null | undefined)[]) => values.join('|');
        const api = new Map(
          data.enforcementStats.map((r) => [
            key(groupBy.map((d) => r[API_FIELDS[d]])),
            Number(r.count),
          ]),
        );
        const raw = new Map(
          direct.rows.map((r) => [key(groupBy.map((d) => r[d.toLowerCase()])), Number(r.count)]),
        );
        rowCounts.set(name, api.size);
        const differs =
          api.size !== raw.size || [...raw].some(([k, count]) => api.get(k) !== count);
        if (differs) throw new Error(`${name}: the figures differ from the direct count`);
        const total = [...raw.values()].reduce((a, b) => a + b, 0);
        return `equal (${formatInt(total)} actions)`;
      },
    });
  }

  // Approval figures over the whole range by week and by office (headquarters): counts and the
  // exact median decision time, as read again while no request changes (kept by the service),
  // then computed from the requests themselves.
  for (const groupBy of [['WEEK'], ['OFFICE']] as Dimension[][]) {
    const name = `approvalStats by ${groupBy[0]} (HQ)`;
    const filter = { from: range.from, to: range.to };
    const column =
      groupBy[0] === 'WEEK'
        ? RAW_COLUMNS.WEEK.replace('a.occurred_at', 'r.requested_at')
        : 'o.code';
    const directSql = () =>
      client.query<{ k: string; requested: number; median: number | null }>(
        `SELECT ${column} AS k, count(*)::int AS requested,
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.requested_at) / 3600)
                  FILTER (WHERE r.status IN ('APPROVED', 'DENIED')))::numeric, 2)::float8 AS median
           FROM approval_requests r JOIN offices o ON o.id = r.office_id
          WHERE office_week_start(r.requested_at, o.time_zone) BETWEEN $1 AND $2
            AND r.kind <> 'POST_ACTION'
          GROUP BY 1`,
        [range.from, range.to],
      );
    cases.push({
      name,
      goalMs: 50,
      api: () => timed(() => received(tokens.hq, APPROVAL_STATS, { filter, groupBy })),
      sql: () => timed(directSql),
      check: async () => {
        const data = await graphql<{
          approvalStats: {
            week: string | null;
            officeCode: string | null;
            requested: number;
            medianDecisionHours: number | null;
          }[];
        }>(tokens.hq, APPROVAL_STATS, { filter, groupBy });
        const direct = await directSql();
        const api = new Map(
          data.approvalStats.map((r) => [
            String(r.week ?? r.officeCode),
            `${r.requested} ${r.medianDecisionHours}`,
          ]),
        );
        rowCounts.set(name, api.size);
        const differs =
          api.size !== direct.rows.length ||
          direct.rows.some((r) => api.get(String(r.k)) !== `${r.requested} ${r.median}`);
        if (differs) throw new Error(`${name}: the figures differ from the direct count`);
        const total = direct.rows.reduce((a, r) => a + r.requested, 0);
        return `equal (${formatInt(total)} requests, medians)`;
      },
    });
    // Computed from the requests: the first read, and the first after any request changes.
    cases.push({
      name: `${name}, computed (kept answers emptied)`,
      sameRowsAs: name,
      goalMs: 50,
      api: () => {
        service.caches.get(approvalFiguresCache).clear();
        return timed(() => received(tokens.hq, APPROVAL_STATS, { filter, groupBy }));
      },
      sql: () => timed(directSql),
    });
  }

  return cases;
}
