/**
 * `npm run seed:synthetic -- --offices 25 --years 5 --actions 10000000 [--database-url URL]`
 *
 * Fills an empty PostgreSQL database (after running the migrations) with realistic, consistent
 * data: field offices with their staff, cases, one assessment per case recorded as the policy
 * engine evaluates the case's facts, pre-approval and post-action requests, and enforcement actions
 * spread over the years with the category mix of the 2021 figures (DOMAIN.md), at working hours in
 * each office's time zone. Then rebuilds `enforcement_weekly_counts` (and its two coarser sums)
 * from the actions.
 *
 * The rows are generated inside PostgreSQL (INSERT ... SELECT over generate_series, in batches, on
 * two connections), with the secondary indexes, primary keys and foreign keys of the loaded tables
 * dropped during the load and recreated after it (foreign keys validated). One SYSTEM audit record
 * notes the load. Then the last weeks' reports are submitted through the service (each with its
 * own audit record, as in real use). Refuses NODE_ENV=production, the embedded database and a non-empty database.
 */
import os from 'node:os';
import pg from 'pg';
import { systemClock } from '../clock';
import { createDataSource } from '../db/data-source';
import { loadConfig } from '../config';
import { resolveAuditKeys } from '../modules/audit/audit.key';
import { createLogger } from '../logger';
import { AuditKind } from '../modules/audit/audit.entity';
import { writeAudit } from '../modules/audit/audit.service';
import { ServiceCaches } from '../common/caches';
import { RequestContext, inTransaction } from '../common/context';
import {
  ProgressBar,
  UsageError,
  runScript,
  displayUrl,
  formatDuration,
  formatInt,
  integerOption,
  parseOptions,
  realDatabaseUrl,
} from './synthetic/cli';
import { checkRollups } from './synthetic/checks';
import { rebuildRollups } from './synthetic/rollups';
import { type Totals, makePlan } from './synthetic/plan';
import {
  connect,
  bulkSchemaObjects,
  dropForLoad,
  onClients,
  enableTriggers,
  restoreForeignKeys,
  vacuumLoaded,
  keyTasks,
  indexTasks,
} from './synthetic/bulk-schema';
import { prepareSession } from './synthetic/session';
import { runBatches } from './synthetic/batch-sql';
import { insertPeople, submitLastWeeks } from './synthetic/people';

const USAGE =
  'Usage: npm run seed:synthetic -- --offices 25 --years 5 --actions 10000000 [--database-url postgres://...] [--workers 2] [--batch 300000] [--submitted-weeks 2]';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), [
    'offices',
    'years',
    'actions',
    'database-url',
    'workers',
    'batch',
    'submitted-weeks',
  ]);
  const url = realDatabaseUrl(options);
  const args = {
    offices: integerOption(options, 'offices', 25, 1, 99),
    years: integerOption(options, 'years', 5, 1, 30),
    actions: integerOption(options, 'actions', 1_000_000, 1, 200_000_000),
    workers: integerOption(options, 'workers', Math.min(2, Math.max(1, os.cpus().length)), 1, 16),
    batch: integerOption(options, 'batch', 300_000, 1_000, 5_000_000),
    submittedWeeks: integerOption(options, 'submitted-weeks', 2, 0, 52),
  };
  const started = Date.now();
  const phase = (name: string, since: number) =>
    console.error(
      `${name} in ${formatDuration(Date.now() - since)} (${((Date.now() - since) / 1000).toFixed(1)} s)`,
    );

  // The service's audit key (AUDIT_KEY, or the one generated in DATA_DIR): these records join its chain.
  const auditKeys = resolveAuditKeys(loadConfig());
  const ds = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  const clients: pg.Client[] = [];
  try {
    const [server] = (await ds.query(
      `SELECT current_setting('server_version_num')::int AS num, version() AS version`,
    )) as { num: number; version: string }[];
    if (server.num < 150000 || /emscripten|wasm|pglite/i.test(server.version)) {
      throw new UsageError(`needs a real PostgreSQL 15 or later, found: ${server.version}`);
    }
    await ds.runMigrations({ transaction: 'each' });
    const [existing] = (await ds.query(
      `SELECT (SELECT count(*) FROM offices)::int AS offices, (SELECT count(*) FROM enforcement_actions)::int AS actions`,
    )) as { offices: number; actions: number }[];
    if (existing.offices || existing.actions) {
      throw new UsageError(
        `${displayUrl(url)} already holds ${existing.offices} offices and ${existing.actions} actions: synthetic data goes into an empty database (createdb a new one)`,
      );
    }
    const plan = await makePlan(ds, url, args);
    console.error(
      `Seeding ${displayUrl(url)}: ${plan.offices.length} offices, ${formatInt(plan.cases)} cases, ` +
        `${formatInt(plan.actions)} actions from ${plan.firstDay} to ${plan.lastDay} ` +
        `(${plan.versions.map((v) => v.definition.code).join(', ')}), ${plan.templates.length} assessment templates, ` +
        `${plan.workers} workers, ${formatInt(plan.batchCases)} cases per batch`,
    );
    const people = await insertPeople(ds, plan);

    for (let i = 0; i < plan.workers; i++) clients.push(await connect(url));
    const objects = await bulkSchemaObjects(clients[0]);
    await dropForLoad(clients[0], objects);
    for (const client of clients) await prepareSession(client, plan);

    const totals: Totals = { actions: 0, rows: 0, cases: 0, approvals: 0 };
    const bar = new ProgressBar(plan.actions, 'actions');
    const ticker = setInterval(() => bar.update(totals.actions, totals), 1000);
    const loadStart = Date.now();
    try {
      await runBatches(plan, clients, (actions, rows, cases, approvals) => {
        totals.actions += actions;
        totals.rows += rows;
        totals.cases += cases;
        totals.approvals += approvals;
        bar.update(totals.actions, totals);
      });
    } finally {
      clearInterval(ticker);
    }
    bar.update(totals.actions, totals, true);
    bar.finish();
    phase(`Loaded ${formatInt(totals.rows)} rows`, loadStart);
    if (totals.actions !== plan.actions)
      throw new Error(`${totals.actions} actions for ${plan.actions}`);

    // Keys and indexes (and the weekly counts, which need only a scan), two at a time.
    let step = Date.now();
    await onClients(clients, [...keyTasks(objects), rebuildRollups, ...indexTasks(objects)]);
    await enableTriggers(clients[0], objects);
    phase('Keys, indexes, weekly counts and report week versions rebuilt', step);

    step = Date.now();
    await restoreForeignKeys(clients, objects);
    phase(`${objects.foreignKeys.length} foreign keys restored and validated`, step);

    step = Date.now();
    await vacuumLoaded(clients);
    phase('Vacuumed and analyzed', step);

    const check = await checkRollups(ds);

    const seconds = (Date.now() - started) / 1000;
    const ctx = new RequestContext(
      {
        dataSource: ds,
        clock: systemClock,
        log: createLogger('silent'),
        caches: new ServiceCaches(),
        auditKeys,
      },
      'seed-synthetic',
      null,
      null,
    );
    await inTransaction(ctx, (tx) =>
      writeAudit(tx, {
        kind: AuditKind.SYSTEM,
        operation: 'seedSynthetic',
        recordType: 'SyntheticData',
        recordIds: [...people.officeIds, ...people.userIds],
        officeIds: [],
        change: {
          offices: plan.offices.map((o) => o.code),
          users: people.userIds.length,
          cases: totals.cases,
          enforcementActions: totals.actions,
          approvalRequests: totals.approvals,
          rows: totals.rows,
          from: plan.firstDay,
          to: plan.lastDay,
          seconds: Math.round(seconds),
        },
      }),
    );

    step = Date.now();
    const submitted = await submitLastWeeks(ds, plan, args.submittedWeeks, auditKeys);
    if (args.submittedWeeks)
      phase(
        `${submitted.onTime} weekly reports submitted on time, ${submitted.late} late, ${submitted.missing} missing (last ${args.submittedWeeks} weeks)`,
        step,
      );
    const total = (Date.now() - started) / 1000;
    console.error(
      `Done: ${formatInt(totals.actions)} actions (${formatInt(Number(check.direct))} not void, equal to the weekly counts), ` +
        `${formatInt(totals.cases)} cases, ${formatInt(totals.approvals)} approval requests, ${formatInt(totals.rows)} rows ` +
        `in ${formatDuration(total * 1000)} (${total.toFixed(1)} s): ${formatInt(totals.actions / total)} actions/s, ` +
        `${formatInt(totals.rows / total)} rows/s overall.`,
    );
    return 0;
  } finally {
    for (const client of clients) await client.end().catch(() => undefined);
    await ds.destroy();
  }
}

runScript(
  'seed:synthetic',
  USAGE,
  main,
  'If the load stopped half-way, the database is partly filled and its indexes may be missing: drop it and create it again.',
);
