/**
 * The file exports (GET /exports/...), headquarters, the whole range: the figures grouped by all
 * five dimensions as CSV and as NDJSON, downloaded by curl into /dev/null (its start included, a
 * few ms), with the service's resident memory sampled while they stream. Next to each, PostgreSQL
 * alone producing the same rows: the export's own COPY statement (CSV, or NDJSON through
 * `row_to_json`) run by psql into /dev/null (psql's start and connection included, a few ms).
 */
import { spawn } from 'node:child_process';
import { weekStartOf } from '../../common/calendar';
import { inlineParams } from '../../common/sql-literal';
import { copyStatement, type ExportFormat } from '../../server/exports/format';
import { StatsDimension } from '../../modules/weekly-reports/stats.service';
import { enforcementStatsFileQuery } from '../../modules/weekly-reports/stats.files';
import { formatInt } from '../synthetic/cli';
import { type BenchEnv, type Case, timed } from './harness';

const ALL_FIVE = Object.values(StatsDimension);

/**
 * Downloads `address` with curl into /dev/null: the client in a process of its own, as psql is for
 * the baseline, so the service's process holds (and its resident memory counts) the service only.
 */
function curlToDevNull(address: URL, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const curl = spawn(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{size_download}',
        '-H',
        `authorization: Bearer ${token}`,
        address.toString(),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    curl.stdout.on('data', (c: Buffer) => (out += c.toString()));
    curl.on('error', reject);
    curl.on('exit', (code) => {
      const [status, bytes] = out.trim().split(' ').map(Number);
      if (code !== 0 || status !== 200) reject(new Error(`curl exited ${code}: HTTP ${status}`));
      else resolve({ status, bytes });
    });
  });
}

/** Runs the export's own COPY (`copyStatement`) with psql, its output into /dev/null. */
function copyToDevNull(url: string, sql: string, format: ExportFormat): Promise<void> {
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
        copyStatement(sql, format),
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
      const { rows: offices } = await client.query<{ id: string; code: string }>(
        `SELECT id, code FROM offices ORDER BY code COLLATE "C"`,
      );
      const scope = {
        officeIds: undefined,
        named: [],
        firstWeek: weekStartOf(new Date(`${range.from}T12:00:00Z`), 'UTC'),
        lastWeek: weekStartOf(new Date(`${range.to}T12:00:00Z`), 'UTC'),
      };
      const q = enforcementStatsFileQuery(
        scope,
        ALL_FIVE,
        { from: range.from, to: range.to },
        offices,
      );
      return inlineParams(q.sql, q.params);
    };
    let sql: string | undefined;
    cases.push({
      name,
      goalMs: 1000,
      api: () => timed(() => curlToDevNull(address, tokens.hq)),
      sql: async () => {
        sql ??= await statement();
        const text = sql;
        return timed(() => copyToDevNull(url, text, format));
      },
      check: async () => {
        // The rows, counted once (read here); then three downloads by curl, the service's
        // resident memory sampled every 5 ms: the growth over what it held before the first (the
        // goal: under 50 MB).
        const got = await download();
        global.gc?.();
        const before = process.memoryUsage.rss();
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
        try {
          for (let i = 0; i < 3; i++) await curlToDevNull(address, tokens.hq);
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
        return `${formatInt(rows)} rows = the counts' groups; ${(got.bytes / 2 ** 20).toFixed(1)} MB; RSS ${(before / 2 ** 20).toFixed(0)} → ${(peak / 2 ** 20).toFixed(0)} MB peak, +${growth.toFixed(1)} MB (< 50 MB: ${growth < 50 ? 'met' : 'MISSED'})`;
      },
    });
  }
  return cases;
}
