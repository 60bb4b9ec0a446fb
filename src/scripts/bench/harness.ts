/**
 * The benchmark's harness: a case is one query timed through the API and its SQL baseline; runs
 * stop early at a time budget; the results print as a Markdown table.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Service } from '../../server/service';
import { formatInt } from '../synthetic/cli';

export interface Case {
  name: string;
  goalMs: number;
  api: () => Promise<number>;
  sql: () => Promise<number>;
  /** Throws when the API's answer differs from the direct SQL's. */
  check?: () => Promise<string>;
  /** The same answer as that case's (timed another way): its row count. */
  sameRowsAs?: string;
}

export interface Row {
  name: string;
  rows: number;
  api: number[];
  sql: number[];
  goalMs: number;
  check: string;
}

export const median = (xs: number[]) => percentile(xs, 0.5);
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** API time over SQL time; below 1 as "1/n" (the API n times faster). */
export const ratio = (api: number, sql: number) =>
  api >= sql ? (api / sql).toFixed(2) : `1/${Math.round(sql / api)}`;

/** What every case reads: the database, the service, the two callers' tokens, the API. */
export interface BenchEnv {
  client: pg.Client;
  service: Service;
  tokens: { supervisor: string; hq: string };
  /** The parsed answer of a query; throws on errors. */
  graphql: <T>(token: string, query: string, variables: Record<string, unknown>) => Promise<T>;
  /** The bytes of a successful answer, unparsed: what the timed runs measure. */
  received: (token: string, query: string, variables: Record<string, unknown>) => Promise<number>;
  /** Row counts per case name, set by the checks. */
  rowCounts: Map<string, number>;
}

export function apiOf(service: Service): Pick<BenchEnv, 'graphql' | 'received'> {
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
  return { graphql, received };
}

export const timed = async (work: () => Promise<unknown>) => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};

export interface RunOptions {
  runs: number;
  warmup: number;
  baselineRuns: number;
  /** Seconds per query, for the API runs and again for the SQL runs. */
  budget: number;
}

/** Checks each case, warms it up, then times its API and SQL runs. */
export async function runCases(
  cases: Case[],
  rowCounts: Map<string, number>,
  { runs, warmup, baselineRuns, budget }: RunOptions,
): Promise<Row[]> {
  const results: Row[] = [];
  for (const c of cases) {
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

  return results;
}

export function markdownTable(results: Row[]): string {
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
  return lines.join('\n');
}
