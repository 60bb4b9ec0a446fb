/**
 * `npm run bench:api [-- --cases 502 --duration 10 --rounds 3 --connections 16 --only page50,queue]`
 *
 * The read path under load, against a raw baseline in the same run. Seeds its own database
 * (dropped and created again; `--keep` reuses one already seeded): NYC and LAX with `--cases`
 * cases each, every case with its facts, three assessments as the policy engine made them and one
 * pre-approval request; with `--big-cases N`, N more in CHI for the big-office check. Starts the
 * service as production runs it (dist/src/main.js, NODE_ENV=production, rate limits off) and a raw
 * `node:http` + `pg` server (a pool of the same size) answering the same JSON from one SQL statement
 * per query, each its own process; checks that both answer the same `data` for every query; then
 * loads each query with autocannon, service and raw in turn, and reads the CPU time the service's
 * process, the raw server's and PostgreSQL spent per request from /proc. Prints a line per run,
 * a Markdown table of the medians and the issue's goals.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { resolveTokenSettings, signDevelopmentToken } from '../auth/jwt';
import { loadConfig } from '../config';
import { resolveAuditKeys } from '../modules/audit/audit.key';
import { firstDifference } from './bench/api/compare';
import { startRawProcess, startServiceProcess, type Child } from './bench/api/processes';
import { benchQueries, type BenchQuery } from './bench/api/queries';
import { newestProfile, phaseTable, phasesOf, type CpuProfile } from './bench/api/profile';
import { goals, markdownTable, runLine, summarize, type Summary } from './bench/api/report';
import { runQuery, type Run, type Target } from './bench/api/rounds';
import {
  BENCH_SERVICE_LOGIN,
  BIG_OFFICE,
  alreadySeeded,
  databaseName,
  recreateDatabase,
  seedCases,
  seedPeople,
} from './bench/api/seed';
import {
  UsageError,
  displayUrl,
  formatDuration,
  formatInt,
  integerOption,
  parseOptions,
  realDatabaseUrl,
  runScript,
} from './synthetic/cli';

const USAGE =
  'Usage: npm run bench:api -- [--database-url postgres://postgres@127.0.0.1:5432/ep_bench_api] [--keep] ' +
  '[--cases 502 (per office)] [--big-cases 0 (CHI, e.g. 100000)] [--duration 10 (seconds a run)] [--rounds 3] ' +
  '[--connections 16] [--warmup 3 (seconds)] [--pool 10] [--log-level info] [--only page50,queue,...] ' +
  '[--profile DIR (a CPU profile of the service, and its time by phase)]';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/ep_bench_api';
/** Fixed, so a database kept from an earlier run still verifies: this key guards no real data. */
const AUDIT_KEY = 'bench-api-audit-key-for-benchmark-databases-only';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const keep = argv.includes('--keep');
  const options = parseOptions(
    argv.filter((a) => a !== '--keep'),
    [
      'database-url',
      'cases',
      'big-cases',
      'duration',
      'rounds',
      'connections',
      'warmup',
      'pool',
      'log-level',
      'only',
      'profile',
    ],
  );
  const url = realDatabaseUrl({ 'database-url': options['database-url'] ?? DEFAULT_URL });
  const cases = integerOption(options, 'cases', 502, 50, 1_000_000);
  const bigCases = integerOption(options, 'big-cases', 0, 0, 2_000_000);
  const load = {
    duration: integerOption(options, 'duration', 10, 1, 600),
    rounds: integerOption(options, 'rounds', 3, 1, 20),
    connections: integerOption(options, 'connections', 16, 1, 256),
    warmup: integerOption(options, 'warmup', 3, 0, 120),
    database: databaseName(url),
  };
  const pool = integerOption(options, 'pool', 10, 1, 200);
  const logLevel = options['log-level'] ?? 'info';
  const only = options.only?.split(',').map((s) => s.trim());
  const profileDir = options.profile ? path.resolve(options.profile) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const auditKeys = resolveAuditKeys(loadConfig({ AUDIT_KEY: AUDIT_KEY, DATA_DIR: os.tmpdir() }));

  const started = Date.now();
  if (keep && (await alreadySeeded(url))) {
    console.error(`Reusing ${displayUrl(url)} as seeded (--keep).`);
  } else {
    console.error(`Seeding ${displayUrl(url)} (dropped and created again)...`);
    await recreateDatabase(url);
    await seedPeople(url, auditKeys);
    const offices = [
      { code: 'NYC', cases },
      { code: 'LAX', cases },
      ...(bigCases ? [{ code: BIG_OFFICE, cases: bigCases }] : []),
    ];
    await seedCases(url, offices, (line) => console.error(`  ${line}`));
    console.error(`Seeded in ${formatDuration(Date.now() - started)}.`);
  }

  const client = new pg.Client({ connectionString: url, application_name: 'bench-api' });
  await client.connect();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
  const children: Child[] = [];
  try {
    const { rows: offices } = await client.query<{
      code: string;
      id: string;
      cases: number;
      supervisor: string | null;
      case_id: string | null;
    }>(
      `SELECT o.code, o.id, (SELECT count(*) FROM cases c WHERE c.office_id = o.id)::int AS cases,
              (SELECT id FROM users u WHERE u.email = 'supervisor.' || lower(o.code) || '@example.gov') AS supervisor,
              (SELECT id FROM cases c WHERE c.office_id = o.id ORDER BY created_at, id
                OFFSET (SELECT count(*) / 2 FROM cases c2 WHERE c2.office_id = o.id) LIMIT 1) AS case_id
         FROM offices o WHERE o.code IN ('NYC', 'LAX', $1) ORDER BY o.code`,
      [BIG_OFFICE],
    );
    const office = (code: string) => offices.find((o) => o.code === code && o.cases > 0);
    const nyc = office('NYC');
    if (!nyc?.supervisor || !nyc.case_id)
      throw new UsageError('the database holds no NYC cases: run without --keep to seed it');
    const big = office(BIG_OFFICE);
    const queries: { q: BenchQuery; officeCode: string }[] = [
      ...benchQueries({ officeId: nyc.id, caseId: nyc.case_id }).map((q) => ({
        q,
        officeCode: 'NYC',
      })),
      ...(big?.supervisor && big.case_id
        ? benchQueries({ officeId: big.id, caseId: big.case_id, suffix: '-big' })
            .filter((q) => q.name === 'page50-big')
            .map((q) => ({ q, officeCode: BIG_OFFICE }))
        : []),
    ].filter(({ q }) => !only || only.includes(q.name));
    if (!queries.length) throw new UsageError(`--only ${options.only} names no query`);

    const jwtSecret = randomBytes(32).toString('hex');
    const serviceUrl = new URL(url);
    serviceUrl.username = BENCH_SERVICE_LOGIN;
    const service = await startServiceProcess({
      databaseUrl: serviceUrl.toString(),
      migrationDatabaseUrl: url,
      poolSize: pool,
      jwtSecret,
      auditKey: AUDIT_KEY,
      dataDir,
      logLevel,
      extraNodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    children.push(service);
    const raw = await startRawProcess({
      url,
      poolSize: pool,
      routes: Object.fromEntries(
        queries.map(({ q }) => [q.name, { sql: q.sql, params: q.params }]),
      ),
    });
    children.push(raw);

    // Tokens as `npm run token` signs them, with the service's secret.
    const tokens = resolveTokenSettings(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwtSecret, AUDIT_KEY }),
    );
    const tokenOf = new Map<string, string>();
    for (const o of offices)
      if (o.supervisor) tokenOf.set(o.code, await signDevelopmentToken(tokens, o.supervisor));

    const sides = (officeCode: string): Record<'service' | 'raw', Target> => ({
      service: {
        child: service,
        request: (q) => ({
          url: service.url,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokenOf.get(officeCode)}`,
          },
          body: JSON.stringify({ query: q.graphql, variables: q.variables }),
        }),
      },
      raw: {
        child: raw,
        request: (q) => ({
          url: `${raw.url}/${q.name}`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ variables: q.variables }),
        }),
      },
    });

    // The baseline is only one if it answers what the service answers.
    for (const { q, officeCode } of queries) {
      const answers = await Promise.all(
        (['service', 'raw'] as const).map(async (side) => {
          const { url: to, headers, body } = sides(officeCode)[side].request(q);
          const res = await fetch(to, { method: 'POST', headers, body });
          const text = await res.text();
          const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
          if (res.status !== 200 || parsed.errors || !parsed.data)
            throw new Error(`${q.name}: the ${side} answered ${res.status}: ${text.slice(0, 500)}`);
          return { data: parsed.data, bytes: Buffer.byteLength(text) };
        }),
      );
      const diff = firstDifference(answers[0].data, answers[1].data);
      if (diff)
        throw new Error(
          `${q.name}: the raw baseline's answer differs from the service's at ${diff}`,
        );
      console.error(
        `  ${q.name}: same data from both (${formatInt(answers[0].bytes)} bytes from the service, ${formatInt(answers[1].bytes)} raw)`,
      );
    }

    console.log(
      `${new Date().toISOString()}: ${offices.map((o) => `${o.code} ${formatInt(o.cases)} cases`).join(', ')}; ` +
        `service in production mode (log level ${logLevel}, pool ${pool}, rate limits off) and raw node:http + pg (pool ${pool}), ` +
        `each its own process; ${load.connections} connections, ${load.rounds} rounds of ${load.duration} s per query and side ` +
        `(after ${load.warmup} s of warm-up each); CPU from /proc (PostgreSQL: ${load.database}'s backends and the background processes). ` +
        `page50-identity writes an audit READ record per request on the service; the raw baseline writes none. ` +
        `The raw baseline does no authentication.\n`,
    );
    const summaries: Summary[] = [];
    const serviceRuns: Run[] = [];
    for (const { q, officeCode } of queries) {
      let serviceRun: Run | undefined;
      const runs: Run[] = await runQuery(q, sides(officeCode), load, (run) => {
        console.log(runLine(run, run.side === 'raw' ? serviceRun?.rps : undefined));
        if (run.side === 'service') {
          serviceRun = run;
          serviceRuns.push(run);
        }
      });
      const summary = summarize(q, runs);
      summaries.push(summary);
      console.log(
        `  ${q.name}: service/raw req/s per round ${summary.ratios.map((r) => r.toFixed(2)).join(', ')}`,
      );
    }
    console.log(`\n${markdownTable(summaries)}\n`);
    for (const line of goals(summaries)) console.log(line);
    if (profileDir) {
      // The service writes its profile as it stops.
      await service.stop();
      printPhases(profileDir, serviceRuns);
    }
    console.error(`Done in ${formatDuration(Date.now() - started)}.`);
    return 0;
  } finally {
    for (const child of children.reverse()) await child.stop();
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The service's main-thread time by phase, over its measured runs (all queries run). */
function printPhases(dir: string, runs: Run[]): void {
  const file = newestProfile(dir);
  if (!file) throw new Error(`the service wrote no CPU profile into ${dir}`);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const phases = phasesOf(
    profile,
    runs.map((r) => r.window),
  );
  console.log(
    `\nThe service's main thread by phase over its ${formatInt(requests)} measured requests (${runs
      .map((r) => r.query)
      .filter((q, i, a) => a.indexOf(q) === i)
      .join(', ')}; profile ${file}):\n`,
  );
  console.log(phaseTable(phases, requests));
}

runScript('bench:api', USAGE, main);
