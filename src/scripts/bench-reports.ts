/**
 * `npm run bench:reports [-- --database-url URL --runs 30]`
 *
 * Against a database filled by `seed:synthetic`: starts the service in-process, signs tokens for a
 * supervisor of the busiest office and for headquarters, and times through HTTP POST /graphql the
 * weekly report of that office's busiest week, `reportingCompliance`, `enforcementStats` over
 * the whole range grouped by each dimension alone and by all five, and `approvalStats` by week and
 * by office. The weekly report and `approvalStats` are timed twice: as read again while nothing
 * they come from changes (kept by the service), and with the kept answers emptied before each
 * run. Next to each, in the same run, the equivalent SQL straight on the raw tables (the
 * baseline). The figures are checked equal to the direct count. Prints a Markdown table.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { signDevelopmentToken } from '../auth/jwt';
import { loadConfig } from '../config';
import { weekWindow } from '../modules/weekly-reports/week';
import { startService } from '../server/service';
import {
  UsageError,
  runScript,
  displayUrl,
  formatInt,
  integerOption,
  parseOptions,
  realDatabaseUrl,
} from './synthetic/cli';

const USAGE =
  'Usage: npm run bench:reports -- [--database-url postgres://...] [--runs 30] [--warmup 10] [--baseline-runs 5] [--budget 60 (seconds per query)] [--only <text> (queries whose name holds it)]';

const DIMENSIONS = ['WEEK', 'OFFICE', 'CATEGORY', 'ACTION_TYPE', 'BASIS'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const RAW_COLUMNS: Record<Dimension, string> = {
  WEEK: `office_week_start(a.occurred_at, o.time_zone)::text`,
  OFFICE: 'o.code',
  CATEGORY: 'a.category::text',
  ACTION_TYPE: 'a.type::text',
  BASIS: 'a.basis::text',
};
const API_FIELDS: Record<Dimension, string> = {
  WEEK: 'week',
  OFFICE: 'officeCode',
  CATEGORY: 'category',
  ACTION_TYPE: 'actionType',
  BASIS: 'basis',
};

const WEEKLY_REPORT = `query ($office: String!, $week: Date!) {
  weeklyReport(officeCode: $office, weekStart: $week) {
    officeCode weekStart from to status dueAt late policyVersions
    actions { actionId type occurredAt location category basis policyVersion justification approver }
    totalsByCategory { key count } totalsByActionType { key count } totalsByBasis { key count }
    requests { made approved denied pending withdrawn medianDecisionHours }
    exigentActions { actionId occurredAt justificationDueAt justificationSubmittedAt justification ratification }
    latePostActionCount missingPostActionCount
  }
}`;
const COMPLIANCE = `query ($week: Date!) {
  reportingCompliance(weekStart: $week) { officeCode weekStart dueAt status submittedAt revisions }
}`;
const STATS = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  enforcementStats(filter: $filter, groupBy: $groupBy) { week officeCode category actionType basis count }
}`;

const APPROVAL_STATS = `query ($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  approvalStats(filter: $filter, groupBy: $groupBy) {
    week officeCode actionType requested approved denied pending withdrawn approvalRate medianDecisionHours
  }
}`;

interface Case {
  name: string;
  goalMs: number;
  api: () => Promise<number>;
  sql: () => Promise<number>;
  /** Throws when the API's answer differs from the direct SQL's. */
  check?: () => Promise<string>;
  /** The same answer as that case's (timed another way): its row count. */
  sameRowsAs?: string;
}

interface Row {
  name: string;
  rows: number;
  api: number[];
  sql: number[];
  goalMs: number;
  check: string;
}

const median = (xs: number[]) => percentile(xs, 0.5);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** API time over SQL time; below 1 as "1/n" (the API n times faster). */
const ratio = (api: number, sql: number) =>
  api >= sql ? (api / sql).toFixed(2) : `1/${Math.round(sql / api)}`;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), [
    'database-url',
    'runs',
    'warmup',
    'baseline-runs',
    'budget',
    'only',
  ]);
  const url = realDatabaseUrl(options);
  const runs = integerOption(options, 'runs', 30, 1, 10_000);
  // A fresh process runs its first requests unoptimized (V8 has not compiled the hot paths yet),
  // and the first query pays for it: the kept weekly report read 32 to 51 ms after 3 warm-ups,
  // 28 ms after 20.
  const warmup = integerOption(options, 'warmup', 10, 0, 1000);
  const baselineRuns = integerOption(options, 'baseline-runs', Math.min(runs, 5), 1, 10_000);
  const budget = integerOption(options, 'budget', 60, 1, 3600);

  const client = new pg.Client({ connectionString: url, application_name: 'bench-reports' });
  await client.connect();
  const service = await startService(
    loadConfig({
      NODE_ENV: 'development',
      PORT: '0',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: '4',
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      DATA_DIR: path.join(os.tmpdir(), `bench-reports-${process.pid}`),
    }),
    { seedDemo: false },
  );
  try {
    const [busiest] = (
      await client.query<{ id: string; code: string; tz: string; actions: string }>(
        `SELECT o.id, o.code, o.time_zone AS tz, sum(c.action_count)::bigint AS actions
           FROM enforcement_weekly_counts c JOIN offices o ON o.id = c.office_id
          GROUP BY o.id ORDER BY 4 DESC LIMIT 1`,
      )
    ).rows;
    if (!busiest)
      throw new UsageError('the database holds no actions: run npm run seed:synthetic first');
    // Its busiest week still a draft (compiled on every read), preferring weeks with pre-approved
    // actions (every join of the report is used).
    const [week] = (
      await client.query<{ week: string; actions: string }>(
        `SELECT week_start::text AS week, sum(action_count)::bigint AS actions FROM enforcement_weekly_counts c
          WHERE office_id = $1
            AND NOT EXISTS (SELECT 1 FROM weekly_report_revisions r WHERE r.office_id = c.office_id AND r.week_start = c.week_start)
          GROUP BY 1
          ORDER BY bool_or(basis = 'PREAPPROVED') DESC, 2 DESC, 1 LIMIT 1`,
        [busiest.id],
      )
    ).rows;
    // Compliance: the latest week with submitted reports, if any.
    const [compliance] = (
      await client.query<{ week: string }>(
        `SELECT coalesce(max(week_start), $1::date)::text AS week FROM weekly_report_revisions`,
        [week.week],
      )
    ).rows;
    const [range] = (
      await client.query<{ from: string; to: string; weeks: string }>(
        `SELECT min(week_start)::text AS from, (max(week_start) + 6)::text AS to,
                count(DISTINCT week_start)::bigint AS weeks FROM enforcement_weekly_counts`,
      )
    ).rows;
    const [size] = (
      await client.query<{ actions: string; offices: string; counts: string }>(
        `SELECT (SELECT count(*) FROM enforcement_actions)::bigint AS actions,
                (SELECT count(*) FROM offices)::bigint AS offices,
                (SELECT count(*) FROM enforcement_weekly_counts)::bigint AS counts`,
      )
    ).rows;
    const userOf = async (sql: string, params: unknown[]) => {
      const { rows } = await client.query<{ id: string; email: string }>(sql, params);
      if (!rows[0])
        throw new UsageError('no such user: seed the database with npm run seed:synthetic');
      return rows[0];
    };
    const supervisor = await userOf(
      `SELECT id, email FROM users WHERE office_id = $1 AND role = 'SUPERVISOR' AND active ORDER BY email LIMIT 1`,
      [busiest.id],
    );
    const hq = await userOf(
      `SELECT id, email FROM users WHERE role = 'HEADQUARTERS' AND active ORDER BY email LIMIT 1`,
      [],
    );
    const tokens = {
      supervisor: await signDevelopmentToken(service.tokens, supervisor.id),
      hq: await signDevelopmentToken(service.tokens, hq.id),
    };

    const graphql = async <T>(token: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length || !body.data)
        throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    // What the timed runs measure: from sending the request to the last byte of a successful
    // response. Parsing that JSON into objects is the client's work, done once in `check`.
    const received = async (token: string, query: string, variables: Record<string, unknown>) => {
      const res = await fetch(service.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || !bytes.subarray(0, 8).toString().startsWith('{"data"'))
        throw new Error(`GraphQL errors: ${bytes.subarray(0, 500).toString()}`);
      return bytes.length;
    };
    const timed = async (work: () => Promise<unknown>) => {
      const t0 = performance.now();
      await work();
      return performance.now() - t0;
    };

    const cases: Case[] = [];
    const rowCounts = new Map<string, number>();

    // The weekly report, as read again while the week is unchanged (from the service's draft
    // cache), then compiled from the records (two statements).
    const window = weekWindow(week.week, busiest.tz);
    const reportSql = async () => {
      const actions = await client.query(
        `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
                CASE a.basis WHEN 'PREAPPROVED' THEN r.justification WHEN 'EXIGENT' THEN p.justification
                             ELSE s.summary END AS justification,
                CASE WHEN r.id IS NOT NULL THEN ru.name WHEN p.status = 'APPROVED' THEN pu.name END AS approver,
                p.id AS post_id, p.status AS post_status, p.justification_due_at, p.justification_submitted_at
           FROM enforcement_actions a
           LEFT JOIN approval_requests r ON r.id = a.approval_request_id
           LEFT JOIN users ru ON ru.id = r.decided_by_id
           LEFT JOIN approval_requests p ON p.enforcement_action_id = a.id AND p.kind = 'POST_ACTION'
           LEFT JOIN users pu ON pu.id = p.decided_by_id
           LEFT JOIN assessments s ON s.id = a.assessment_id
          WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
            AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
          ORDER BY a.occurred_at, a.id`,
        [busiest.id, window.start, window.end],
      );
      await client.query(
        `SELECT count(*) AS made, count(*) FILTER (WHERE status = 'APPROVED') AS approved,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - requested_at) / 3600)
                  FILTER (WHERE status IN ('APPROVED', 'DENIED')) AS median
           FROM approval_requests
          WHERE office_id = $1 AND requested_at >= $2 AND requested_at < $3 AND kind <> 'POST_ACTION'`,
        [busiest.id, window.start, window.end],
      );
      return actions.rowCount ?? 0;
    };
    const reportName = `weeklyReport ${busiest.code} ${week.week} (supervisor)`;
    cases.push({
      name: reportName,
      goalMs: 30,
      api: () =>
        timed(() =>
          received(tokens.supervisor, WEEKLY_REPORT, { office: busiest.code, week: week.week }),
        ),
      sql: () => timed(reportSql),
      check: async () => {
        const data = await graphql<{ weeklyReport: { actions: unknown[] } }>(
          tokens.supervisor,
          WEEKLY_REPORT,
          { office: busiest.code, week: week.week },
        );
        const direct = await reportSql();
        rowCounts.set(reportName, data.weeklyReport.actions.length);
        if (data.weeklyReport.actions.length !== direct)
          throw new Error(
            `weekly report: ${data.weeklyReport.actions.length} actions, direct ${direct}`,
          );
        return 'rows equal';
      },
    });
    // The same read with the draft cache emptied before each run: the draft compiled from the
    // records, as on the first read of a week and after each change to it.
    cases.push({
      name: `${reportName}, compiled (draft cache emptied)`,
      sameRowsAs: reportName,
      goalMs: 30,
      api: () => {
        service.caches.reportDrafts.clear();
        return timed(() =>
          received(tokens.supervisor, WEEKLY_REPORT, { office: busiest.code, week: week.week }),
        );
      },
      sql: () => timed(reportSql),
    });

    // Compliance for that week, every office (headquarters).
    const complianceSql = () =>
      client.query(
        `SELECT o.code, r.revision, r.submitted_at FROM offices o
           LEFT JOIN weekly_report_revisions r ON r.office_id = o.id AND r.week_start = $1
          ORDER BY o.code, r.revision`,
        [compliance.week],
      );
    cases.push({
      name: `reportingCompliance ${compliance.week} (HQ)`,
      goalMs: 50,
      api: () => timed(() => received(tokens.hq, COMPLIANCE, { week: compliance.week })),
      sql: () => timed(complianceSql),
      check: async () => {
        const data = await graphql<{ reportingCompliance: { status: string }[] }>(
          tokens.hq,
          COMPLIANCE,
          { week: compliance.week },
        );
        rowCounts.set(
          `reportingCompliance ${compliance.week} (HQ)`,
          data.reportingCompliance.length,
        );
        const tally = new Map<string, number>();
        for (const r of data.reportingCompliance)
          tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
        return [...tally].map(([status, n]) => `${n} ${status}`).join(', ');
      },
    });

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
          service.caches.approvalFigures.clear();
          return timed(() => received(tokens.hq, APPROVAL_STATS, { filter, groupBy }));
        },
        sql: () => timed(directSql),
      });
    }

    console.error(
      `Benchmark on ${displayUrl(url)}: ${formatInt(Number(size.actions))} actions, ${size.offices} offices, ` +
        `${formatInt(Number(size.counts))} weekly count rows, weeks ${range.from} to ${range.to}, compliance for ${compliance.week}; ` +
        `busiest office ${busiest.code} (${busiest.tz}), weekly report of its busiest draft week ${week.week} (${formatInt(Number(week.actions))} actions); ` +
        `${warmup} warm-up, ${runs} API runs, ${baselineRuns} SQL runs each.`,
    );
    const results: Row[] = [];
    const only = typeof options.only === 'string' ? options.only : undefined;
    for (const c of cases.filter((k) => !only || k.name.includes(only))) {
      // The check doubles as the first warm-up. The API runs, then the SQL runs, each stop early
      // at the time budget (after at least three API runs and one SQL run).
      const check = c.check ? await c.check() : '';
      let started = performance.now();
      const spent = () => (performance.now() - started) / 1000;
      for (let i = 0; i < warmup && spent() < budget / 4; i++) await c.api();
      const api: number[] = [];
      started = performance.now();
      for (let i = 0; i < runs && (i < 3 || spent() < budget); i++) api.push(await c.api());
      const sql: number[] = [];
      started = performance.now();
      for (let i = 0; i < baselineRuns && (i < 1 || spent() < budget); i++) sql.push(await c.sql());
      results.push({
        name: c.name,
        rows: rowCounts.get(c.sameRowsAs ?? c.name) ?? 0,
        api,
        sql,
        goalMs: c.goalMs,
        check,
      });
      console.error(
        `  ${c.name}: API median ${ms(median(api))} ms, SQL median ${ms(median(sql))} ms`,
      );
    }

    const lines = [
      `| query | rows | runs API/SQL | API median ms | API p95 ms | raw SQL median ms | raw SQL p95 ms | API / SQL | goal | check |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|---|---|`,
      ...results.map((r) => {
        const apiMedian = median(r.api);
        const sqlMedian = median(r.sql);
        const met = apiMedian < r.goalMs ? 'met' : 'MISSED';
        return `| ${r.name} | ${formatInt(r.rows)} | ${r.api.length}/${r.sql.length} | ${ms(apiMedian)} | ${ms(percentile(r.api, 0.95))} | ${ms(sqlMedian)} | ${ms(percentile(r.sql, 0.95))} | ${ratio(apiMedian, sqlMedian)} | < ${r.goalMs} ms: ${met} | ${r.check} |`;
      }),
    ];
    console.log(
      `${new Date().toISOString()}: ${formatInt(Number(size.actions))} actions, ${size.offices} offices, ` +
        `${range.from} to ${range.to}; up to ${runs} API runs (after ${warmup} warm-up) and ${baselineRuns} raw SQL runs per query, ` +
        `at most ~${budget} s of API runs and ~${budget} s of SQL runs per query. API: HTTP POST /graphql to the in-process service, until the last byte of the response (median, p95); raw SQL: ` +
        `the equivalent query on the raw tables (enforcement_actions, ...) over one direct connection.\n`,
    );
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await service.stop();
    await client.end();
  }
}

runScript('bench:reports', USAGE, main);
