/**
 * The paged forms (#14): the first page of the all-five figures (with and without its total), a
 * page from the middle, the first page of approval figures by all three keys, and a submitted
 * week's totals and first 100 actions read out of its stored revision. Next to each, the same
 * page read straight from the table the service reads (a figure page aggregated from the raw
 * actions takes seconds: the first page is checked equal to it once).
 */
import { weekWindow } from '../../common/calendar';
import { encodeCursor } from '../../common/pagination';
import { type BenchEnv, type Case, timed } from './harness';
import { checkPage, WEEKLY_REPORT } from './report-cases';

const PAGE = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!, $after: String) {
  enforcementStatsPage(filter: $filter, groupBy: $groupBy, first: 100, after: $after) {
    edges { cursor node { week officeCode category actionType basis count } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PAGE_WITH_TOTAL = PAGE.replace('first: 100, after: $after) {', '$& totalCount');
const APPROVAL_PAGE = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  approvalStatsPage(filter: $filter, groupBy: $groupBy, first: 100) {
    totalCount
    edges { cursor node { week officeCode actionType requested approved denied pending withdrawn approvalRate medianDecisionHours } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ALL_FIVE = ['WEEK', 'OFFICE', 'CATEGORY', 'ACTION_TYPE', 'BASIS'];

interface PageRow {
  week: string;
  officeCode: string;
  category: string;
  actionType: string;
  basis: string;
  count: number;
}

export async function pagingCases(
  { client, tokens, graphql, received, rowCounts }: BenchEnv,
  range: { from: string; to: string },
): Promise<Case[]> {
  const cases: Case[] = [];
  const filter = { from: range.from, to: range.to };
  // The all-five figures from the raw actions, in the paged form's order, from a cursor on.
  const rawPage = (after: string[] | null) =>
    client.query<PageRow>(
      `SELECT office_week_start(a.occurred_at, o.time_zone)::text AS week, o.code AS "officeCode",
              a.category::text AS category, a.type::text AS "actionType", a.basis::text AS basis,
              count(*)::int AS count
         FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
        WHERE office_week_start(a.occurred_at, o.time_zone) BETWEEN $1 AND $2
          AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
        GROUP BY office_week_start(a.occurred_at, o.time_zone), o.code, a.category, a.type, a.basis
       ${after ? `HAVING (office_week_start(a.occurred_at, o.time_zone), o.code COLLATE "C", a.category, a.type, a.basis) > ($3::date, $4 COLLATE "C", $5::priority_category, $6::action_type, $7::enforcement_basis)` : ''}
        ORDER BY 1, o.code COLLATE "C", a.category, a.type, a.basis
        LIMIT 100`,
      [range.from, range.to, ...(after ?? [])],
    );
  // The same page as the service reads it: straight from the counts table, the offices joined
  // for their codes (the service passes their order in instead).
  const countsPage = (after: string[] | null) =>
    client.query<PageRow>(
      `SELECT c.week_start::text AS week, o.code AS "officeCode", c.category::text AS category,
              c.action_type::text AS "actionType", c.basis::text AS basis, c.action_count AS count
         FROM enforcement_weekly_counts c JOIN offices o ON o.id = c.office_id
        WHERE c.week_start BETWEEN $1 AND $2 AND c.action_count <> 0
        ${after ? `AND c.week_start >= $3::date AND (c.week_start, o.code COLLATE "C", c.category, c.action_type, c.basis) > ($3::date, $4 COLLATE "C", $5::priority_category, $6::action_type, $7::enforcement_basis)` : ''}
        ORDER BY c.week_start, o.code COLLATE "C", c.category, c.action_type, c.basis
        LIMIT 100`,
      [range.from, range.to, ...(after ?? [])],
    );
  const equal = async (
    name: string,
    after: string[] | null,
    withTotal: boolean,
    direct: (after: string[] | null) => Promise<{ rows: PageRow[] }>,
  ) => {
    const data = await graphql<{
      enforcementStatsPage: { edges: { node: PageRow }[]; totalCount?: number };
    }>(tokens.hq, withTotal ? PAGE_WITH_TOTAL : PAGE, {
      filter,
      groupBy: ALL_FIVE,
      after: after && encodeCursor(after),
    });
    const expected = (await direct(after)).rows;
    const api = data.enforcementStatsPage.edges.map((e) => e.node);
    rowCounts.set(name, api.length);
    if (JSON.stringify(api) !== JSON.stringify(expected))
      throw new Error(`${name}: the page differs from the direct SQL's`);
    const of = withTotal ? `, of ${data.enforcementStatsPage.totalCount}` : '';
    return `equal to the ${direct === rawPage ? 'raw actions' : 'counts table'}' page${of}`;
  };

  cases.push({
    name: 'enforcementStatsPage by all five, first 100 (HQ)',
    goalMs: 50,
    api: () => timed(() => received(tokens.hq, PAGE, { filter, groupBy: ALL_FIVE })),
    sql: () => timed(() => countsPage(null)),
    // Against the raw actions once (a full aggregate of every action: seconds).
    check: () => equal('enforcementStatsPage by all five, first 100 (HQ)', null, false, rawPage),
  });
  cases.push({
    name: 'enforcementStatsPage by all five, first 100 with totalCount (HQ)',
    goalMs: 50,
    api: () => timed(() => received(tokens.hq, PAGE_WITH_TOTAL, { filter, groupBy: ALL_FIVE })),
    sql: () =>
      timed(async () => {
        await countsPage(null);
        await client.query(
          `SELECT count(*) FROM enforcement_weekly_counts WHERE week_start BETWEEN $1 AND $2 AND action_count <> 0`,
          [range.from, range.to],
        );
      }),
    check: () =>
      equal(
        'enforcementStatsPage by all five, first 100 with totalCount (HQ)',
        null,
        true,
        countsPage,
      ),
  });

  // A page from the middle of the range: after the last key of its middle week's first office.
  const [middle] = (
    await client.query<{ key: string[] }>(
      `SELECT ARRAY[c.week_start::text, o.code, c.category::text, c.action_type::text, c.basis::text] AS key
         FROM enforcement_weekly_counts c JOIN offices o ON o.id = c.office_id
        WHERE c.week_start = (SELECT min(week_start) + 7 * ((max(week_start) - min(week_start)) / 14)
                                FROM enforcement_weekly_counts)
          AND c.action_count > 0
        ORDER BY o.code COLLATE "C", c.category, c.action_type, c.basis LIMIT 1`,
    )
  ).rows;
  if (middle) {
    const name = `enforcementStatsPage by all five, 100 after ${middle.key[0]} ${middle.key[1]} (HQ)`;
    const after = encodeCursor(middle.key);
    cases.push({
      name,
      goalMs: 50,
      api: () => timed(() => received(tokens.hq, PAGE, { filter, groupBy: ALL_FIVE, after })),
      sql: () => timed(() => countsPage(middle.key)),
      check: () => equal(name, middle.key, false, countsPage),
    });
  }

  // Approval figures by week, office and action type: the first page, with its total.
  const approvalName = 'approvalStatsPage by WEEK, OFFICE, ACTION_TYPE, first 100 (HQ)';
  const approvalSql = () =>
    client.query(
      `SELECT r.requested_week, o.code, r.action_type, count(*),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.decided_at - r.requested_at) / 3600)
                FILTER (WHERE r.status IN ('APPROVED', 'DENIED')) AS median
         FROM approval_requests r JOIN offices o ON o.id = r.office_id
        WHERE r.requested_week BETWEEN $1 AND $2 AND r.kind <> 'POST_ACTION'
        GROUP BY 1, 2, 3 ORDER BY 1, o.code COLLATE "C", 3 LIMIT 100`,
      [range.from, range.to],
    );
  const approvalVars = { filter, groupBy: ['WEEK', 'OFFICE', 'ACTION_TYPE'] };
  cases.push({
    name: approvalName,
    goalMs: 50,
    api: () => timed(() => received(tokens.hq, APPROVAL_PAGE, approvalVars)),
    sql: () => timed(async () => (await approvalSql()).rowCount ?? 0),
    check: async () => {
      const data = await graphql<{
        approvalStatsPage: { totalCount: number; edges: { node: { requested: number } }[] };
      }>(tokens.hq, APPROVAL_PAGE, approvalVars);
      const direct = await approvalSql();
      const api = data.approvalStatsPage.edges.map((e) => e.node.requested);
      rowCounts.set(approvalName, api.length);
      if (api.join() !== direct.rows.map((r: { count: string }) => r.count).join())
        throw new Error(`${approvalName}: the page differs from the raw SQL's`);
      return `equal counts, of ${data.approvalStatsPage.totalCount}`;
    },
  });

  // The busiest submitted week: its totals and first 100 actions, out of the stored revision.
  const [submitted] = (
    await client.query<{ id: string; code: string; tz: string; week: string; n: number }>(
      `SELECT o.id, o.code, o.time_zone AS tz, r.week_start::text AS week,
              jsonb_array_length(r.content -> 'actions') AS n
         FROM weekly_report_revisions r JOIN offices o ON o.id = r.office_id
        ORDER BY 5 DESC, r.revision DESC LIMIT 1`,
    )
  ).rows;
  if (submitted) {
    const name = `weeklyReport ${submitted.code} ${submitted.week} (submitted, ${submitted.n} actions), totals + first 100 actions (HQ)`;
    const window = weekWindow(submitted.week, submitted.tz);
    const where = `a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
      AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)`;
    const directSql = async () => {
      const params = [submitted.id, window.start, window.end];
      const first = await client.query<{ id: string }>(
        `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
                a.report_reason FROM enforcement_actions a WHERE ${where} ORDER BY a.occurred_at, a.id LIMIT 100`,
        params,
      );
      const totals = await client.query<{ n: string }>(
        `SELECT a.category, a.type, a.basis, count(*) AS n FROM enforcement_actions a WHERE ${where} GROUP BY 1, 2, 3`,
        params,
      );
      return {
        ids: first.rows.map((r) => r.id),
        total: totals.rows.reduce((sum, r) => sum + Number(r.n), 0),
      };
    };
    const vars = { office: submitted.code, week: submitted.week };
    cases.push({
      name,
      goalMs: 30,
      api: () => timed(() => received(tokens.hq, WEEKLY_REPORT, vars)),
      sql: () => timed(async () => (await directSql()).ids.length),
      check: async () => {
        const data = await graphql<{ weeklyReport: Parameters<typeof checkPage>[1] }>(
          tokens.hq,
          WEEKLY_REPORT,
          vars,
        );
        return checkPage(name, data.weeklyReport, await directSql(), rowCounts);
      },
    });
  }
  return cases;
}
