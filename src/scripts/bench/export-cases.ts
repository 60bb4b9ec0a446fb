/**
 * The file exports (GET /exports/...), headquarters, the whole range: the figures grouped by all
 * five dimensions as CSV and as NDJSON, timed to the last byte read, with the service's resident
 * memory sampled while they stream. Next to each, PostgreSQL alone producing the same rows: the
 * export's own statement run as `COPY (...) TO STDOUT` by psql into /dev/null (psql's start and
 * connection included, a few ms).
 */
import { spawn } from 'node:child_process';
import { weekStartOf } from '../../common/calendar';
import { enforcementStatsQuery, StatsDimension } from '../../modules/weekly-reports/stats.service';
import { formatInt } from '../synthetic/cli';
import { type BenchEnv, type Case, timed } from './harness';

const ALL_FIVE = Object.values(StatsDimension);

/** The statement with its parameters written in as literals (dates, ids: never client text). */
function inlined(sql: string, params: unknown[]): string {
  const literal = (v: unknown): string =>
    Array.isArray(v)
      ? `ARRAY[${v.map(literal).join(',')}]`
      : `'${String(v as string).replace(/'/g, "''")}'`;
  return sql.replace(/\$(\d+)/g, (_, i: string) => literal(params[Number(i) - 1]));
}

/** Runs `COPY (<sql>) TO STDOUT` with psql, its output into /dev/null. */
function copyToDevNull(url: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const psql = spawn(
      'psql',
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        url,
        '-o',
        '/dev/null',
        '-c',
        `COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    psql.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    psql.on('error', reject);
    psql.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr}`)),
    );
  });
}

export function exportCases(
  { client, service, tokens, rowCounts }: BenchEnv,
  range: { from: string; to: string },
  url: string,
): Case[] {
  const cases: Case[] = [];
  for (const format of ['csv', 'ndjson'] as const) {
    const name = `export enforcement-stats all five, ${format.toUpperCase()} (HQ)`;
    const address = new URL('/exports/enforcement-stats', service.url);
    address.search = new URLSearchParams({
      from: range.from,
      to: range.to,
      groupBy: ALL_FIVE.join(','),
      format,
    }).toString();
    /** Reads the whole file, keeping nothing: its bytes and lines. */
    const download = async () => {
      const res = await fetch(address, { headers: { authorization: `Bearer ${tokens.hq}` } });
      if (res.status !== 200 || !res.body) throw new Error(`${name}: HTTP ${res.status}`);
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
      }
      return { bytes, lines };
    };
    const statement = async () => {
      const { rows: offices } = await client.query<{ id: string }>(
        `SELECT id FROM offices ORDER BY code COLLATE "C"`,
      );
      const scope = {
        officeIds: undefined,
        named: [],
        firstWeek: weekStartOf(new Date(`${range.from}T12:00:00Z`), 'UTC'),
        lastWeek: weekStartOf(new Date(`${range.to}T12:00:00Z`), 'UTC'),
      };
      const q = enforcementStatsQuery(
        scope,
        ALL_FIVE,
        { from: range.from, to: range.to },
        offices.map((o) => o.id),
      );
      return inlined(q.sql, q.params);
    };
    let sql: string | undefined;
    cases.push({
      name,
      goalMs: 1000,
      api: () => timed(download),
      sql: async () => {
        sql ??= await statement();
        const text = sql;
        return timed(() => copyToDevNull(url, text));
      },
      check: async () => {
        // Three downloads, the service's resident memory sampled every 5 ms: the growth over what
        // it held before the first (the goal: under 50 MB).
        global.gc?.();
        const before = process.memoryUsage.rss();
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
        let got = { bytes: 0, lines: 0 };
        try {
          for (let i = 0; i < 3; i++) got = await download();
        } finally {
          clearInterval(sampler);
        }
        const rows = got.lines - (format === 'csv' ? 1 : 0);
        const [{ n }] = (
          await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (SELECT 1 FROM enforcement_weekly_counts
              WHERE week_start BETWEEN $1 AND $2 GROUP BY office_id, week_start, category, action_type, basis
              HAVING sum(action_count) > 0) g`,
            [range.from, range.to],
          )
        ).rows;
        rowCounts.set(name, rows);
        if (rows !== n) throw new Error(`${name}: ${rows} rows, the counts hold ${n} groups`);
        const growth = (peak - before) / 2 ** 20;
        return `${formatInt(rows)} rows = the counts' groups; ${(got.bytes / 2 ** 20).toFixed(1)} MB; RSS +${growth.toFixed(0)} MB peak (< 50 MB: ${growth < 50 ? 'met' : 'MISSED'})`;
      },
    });
  }
  return cases;
}
