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
 * baseline). The figures are checked equal to the direct count. Then the file exports: the
 * all-five figures streamed as CSV and NDJSON, next to `COPY (<the same statement>) TO STDOUT`
 * into /dev/null, with the service's resident memory growth while they stream. Prints a
 * Markdown table.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { signDevelopmentToken } from '../auth/jwt';
import { loadConfig } from '../config';
import { startService } from '../server/service';
import { apiOf, markdownTable, runCases } from './bench/harness';
import { reportCases } from './bench/report-cases';
import { figureCases } from './bench/figure-cases';
import { exportCases } from './bench/export-cases';
import { pagingCases } from './bench/paging-cases';
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
      // The list forms' big answers (all five keys: 162,883 rows) are still timed, next to the
      // paged forms that replace them.
      STATS_MAX_ROWS: '1000000',
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

    const api = apiOf(service);
    const rowCounts = new Map<string, number>();
    const env = { client, service, tokens, ...api, rowCounts };

    const cases = [
      ...reportCases(env, busiest, week, compliance),
      ...figureCases(env, range),
      ...exportCases(env, range, url),
      ...(await pagingCases(env, range)),
    ];

    console.error(
      `Benchmark on ${displayUrl(url)}: ${formatInt(Number(size.actions))} actions, ${size.offices} offices, ` +
        `${formatInt(Number(size.counts))} weekly count rows, weeks ${range.from} to ${range.to}, compliance for ${compliance.week}; ` +
        `busiest office ${busiest.code} (${busiest.tz}), weekly report of its busiest draft week ${week.week} (${formatInt(Number(week.actions))} actions); ` +
        `${warmup} warm-up, ${runs} API runs, ${baselineRuns} SQL runs each.`,
    );
    const only = typeof options.only === 'string' ? options.only : undefined;
    const results = await runCases(
      cases.filter((k) => !only || k.name.includes(only)),
      rowCounts,
      { runs, warmup, baselineRuns, budget },
    );

    console.log(
      `${new Date().toISOString()}: ${formatInt(Number(size.actions))} actions, ${size.offices} offices, ` +
        `${range.from} to ${range.to}; up to ${runs} API runs (after ${warmup} warm-up) and ${baselineRuns} raw SQL runs per query, ` +
        `at most ~${budget} s of API runs and ~${budget} s of SQL runs per query. API: HTTP POST /graphql to the in-process service, until the last byte of the response (median, p95); raw SQL: ` +
        `the equivalent query on the raw tables (enforcement_actions, ...) over one direct connection.\n`,
    );
    console.log(markdownTable(results));
    return 0;
  } finally {
    await service.stop();
    await client.end();
  }
}

runScript('bench:reports', USAGE, main);
