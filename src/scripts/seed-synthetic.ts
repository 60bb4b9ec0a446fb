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
import type { DataSource } from 'typeorm';
import { ManualClock, systemClock } from '../clock';
import { createDataSource } from '../db/data-source';
import { loadConfig } from '../config';
import { type AuditKeys, resolveAuditKeys } from '../modules/audit/audit.key';
import { createLogger } from '../logger';
import { policyVersion } from '../modules/assessments/policy/engine';
import type { PolicyVersionDefinition } from '../modules/assessments/policy/types';
import { AuditKind } from '../modules/audit/audit.entity';
import { writeAudit } from '../modules/audit/audit.service';
import { Role } from '../modules/users/role';
import { submitWeeklyReport } from '../modules/weekly-reports/weekly-report.service';
import { addDays, weekStartOf, weekWindow } from '../modules/weekly-reports/week';
import { createCaches } from '../server/caches';
import { RequestContext, inTransaction } from '../server/context';
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
import { CATEGORIES, buildTemplates, plusDays, prng, type Template } from './synthetic/templates';
import * as words from './synthetic/vocabulary';

const USAGE =
  'Usage: npm run seed:synthetic -- --offices 25 --years 5 --actions 10000000 [--database-url postgres://...] [--workers 2] [--batch 300000] [--submitted-weeks 2]';

/** DOMAIN.md, 18 Feb to 16 Sep 2021: actions by category, and approved actions outside the presumptions. */
const MIX = { nationalSecurity: 57, border: 3696, publicSafety: 9918, preapproved: 7157 };
/** Exigent actions, as a share of all actions under a version that requires pre-approval. */
const EXIGENT_SHARE = 0.015;
/** Per approved pre-action request: a denied one (≈90% approved), a withdrawn one, a pending one. */
const DENIED_PER_APPROVED = 0.111;
const WITHDRAWN_PER_APPROVED = 0.02;
const PENDING_PER_APPROVED = 0.008;
/** Share of actions voided (recorded in error): they stay on record and leave the counts. */
const VOID_SHARE = 0.001;
/** Actions per case cycle through these (mean 3), so the total is exact without a second pass. */
const ACTIONS_PER_CASE = [3, 1, 5, 2, 4];
const TEMPLATE_VARIANTS = 8;
const OFFICE_SLOTS = 1000;

/** Tables the load writes in bulk: their indexes and keys are rebuilt after it. */
const BULK_TABLES = [
  'cases',
  'convictions',
  'assessments',
  'approval_requests',
  'enforcement_actions',
];

interface Plan {
  url: string;
  offices: words.SyntheticOffice[];
  actions: number;
  cases: number;
  batchCases: number;
  workers: number;
  firstDay: string;
  lastDay: string;
  versions: { definition: PolicyVersionDefinition; from: string; to: string }[];
  bucketStarts: string[];
  templates: Template[];
  templateBase: number[];
}

interface Totals {
  actions: number;
  rows: number;
  cases: number;
  approvals: number;
}

const lit = {
  text: (s: string) => `'${s.replace(/'/g, "''")}'`,
  textArray: (list: readonly string[]) =>
    `ARRAY[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]::text[]`,
  intArray: (list: readonly number[]) =>
    `ARRAY[${list.map((n) => String(Math.trunc(n))).join(',')}]::int[]`,
  boolArray: (list: readonly boolean[]) => `ARRAY[${list.map(String).join(',')}]::boolean[]`,
  date: (d: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`not a date: ${d}`);
    return `DATE '${d}'`;
  },
};

/** `list[1 + floor(r * n)]` in SQL, for a literal list. */
const pickSql = (list: readonly string[], r: string) =>
  `(${lit.textArray(list)})[1 + floor(${r} * ${list.length})::int]`;

function officesFor(count: number): words.SyntheticOffice[] {
  if (count <= words.OFFICES.length) return words.OFFICES.slice(0, count);
  const extra = Array.from({ length: count - words.OFFICES.length }, (_, i) => {
    const n = words.OFFICES.length + i + 1;
    const code = `O${String(n).padStart(2, '0')}`;
    return {
      code,
      name: `Field Office ${code}`,
      timeZone: words.EXTRA_ZONES[i % words.EXTRA_ZONES.length],
      city: `District ${code}`,
      weight: 0.5 + ((n * 37) % 10) / 10,
    };
  });
  return [...words.OFFICES, ...extra];
}

/** Cases needed for `actions` actions when case n has ACTIONS_PER_CASE[n % 5] of them. */
function casesFor(actions: number): number {
  const cycle = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0);
  let n = Math.floor(actions / cycle) * ACTIONS_PER_CASE.length;
  let start = (n / ACTIONS_PER_CASE.length) * cycle;
  while (start < actions) {
    start += ACTIONS_PER_CASE[n % ACTIONS_PER_CASE.length];
    n++;
  }
  return n;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'seed-synthetic' });
  await client.connect();
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '1GB'`);
  await client.query(`SET temp_buffers = '1GB'`);
  await client.query(`SET jit = off`);
  try {
    // Much faster than pglz for the assessments' JSON; the column default is unchanged.
    await client.query(`SET default_toast_compression = 'lz4'`);
  } catch {
    /* a server built without lz4 keeps pglz */
  }
  return client;
}

// --- schema objects dropped during the load -------------------------------------------------

interface SchemaObjects {
  keys: { table: string; name: string; def: string }[];
  indexes: { name: string; def: string }[];
  foreignKeys: { table: string; name: string; def: string }[];
  /** The triggers that keep report_week_versions: off during the load, which fills it after. */
  triggers: { table: string; name: string }[];
}

async function bulkSchemaObjects(client: pg.Client): Promise<SchemaObjects> {
  const tables = BULK_TABLES.map((t) => `'${t}'::regclass`).join(', ');
  const keys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid IN (${tables}) ORDER BY 1, 2`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def
       FROM pg_index i WHERE indrelid IN (${tables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
      ORDER BY 1`,
  );
  const foreignKeys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND (conrelid IN (${tables}) OR confrelid IN (${tables}))
      ORDER BY 1, 2`,
  );
  const triggers = await client.query<{ table: string; name: string }>(
    `SELECT tgrelid::regclass::text AS table, quote_ident(tgname) AS name
       FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%report_weeks%' ORDER BY 1, 2`,
  );
  return {
    keys: keys.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows,
    triggers: triggers.rows,
  };
}

async function dropForLoad(client: pg.Client, objects: SchemaObjects): Promise<void> {
  await client.query('BEGIN');
  for (const fk of objects.foreignKeys)
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const index of objects.indexes) await client.query(`DROP INDEX ${index.name}`);
  for (const key of objects.keys)
    await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  for (const t of objects.triggers)
    await client.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
  await client.query('COMMIT');
}

/** Runs tasks on the clients, each client taking the next task when it is free. */
async function onClients(
  clients: pg.Client[],
  tasks: ((c: pg.Client) => Promise<void>)[],
): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < tasks.length) {
        const task = tasks[next++];
        await task(client);
      }
    }),
  );
}

// --- the generator ---------------------------------------------------------------------------

/** Per-connection lookup tables: offices with their staff, and the assessment templates. */
async function prepareSession(client: pg.Client, plan: Plan): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE ofc AS
     SELECT x.oi, o.id, o.time_zone AS tz, x.city,
            array_agg(u.id ORDER BY u.email) FILTER (WHERE u.role = 'FIELD_OFFICER') AS officers,
            array_agg(u.id ORDER BY u.email) FILTER (WHERE u.role = 'SUPERVISOR') AS supervisors
       FROM unnest($1::text[], $2::int[], $3::text[]) AS x(code, oi, city)
       JOIN offices o ON o.code = x.code
       JOIN users u ON u.office_id = o.id
      GROUP BY x.oi, o.id, o.time_zone, x.city`,
    [
      plan.offices.map((o) => o.code),
      plan.offices.map((_, i) => i + 1),
      plan.offices.map((o) => o.city),
    ],
  );
  await client.query(
    `ALTER TABLE ofc ADD COLUMN nof int, ADD COLUMN nsup int;
     UPDATE ofc SET nof = cardinality(officers), nsup = cardinality(supervisors);
     ANALYZE ofc`,
  );
  const templates = plan.templates.map((t, tid) => {
    const f = t.facts;
    return {
      tid,
      vcode: t.versionCode,
      category: t.category,
      categories: t.outcome.categories,
      presumed: t.outcome.presumedPriority,
      requires_pre: t.outcome.requiresPreapproval,
      reasons: t.outcome.reasons,
      determinations: t.determinations,
      facts: f,
      summary: t.outcome.summary,
      terrorism: f.terrorismOrEspionage,
      border_date: f.borderApprehension?.date ?? null,
      border_loc: f.borderApprehension?.location ?? null,
      first_present: f.firstPresentOn,
      last_released: f.lastReleasedFromCustodyOn,
      gang_org: f.gangParticipation?.organization ?? null,
      gang_kind: f.gangParticipation?.kind ?? null,
      gang_intentional: f.gangParticipation?.intentional ?? null,
      gang_furthered: f.gangParticipation?.furtheredIllegalActivity ?? null,
      gang_age: f.gangParticipation?.ageAtParticipation ?? null,
      elderly: f.vulnerability.elderly,
      illness: f.vulnerability.seriousIllness,
      relief: f.vulnerability.pendingReliefApplication,
      nconv: f.convictions.length,
    };
  });
  await client.query(
    `CREATE TEMP TABLE tpl AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, vcode text, category priority_category, categories priority_category[], presumed boolean,
       requires_pre boolean, reasons jsonb, determinations jsonb, facts jsonb, summary text, terrorism boolean,
       border_date date, border_loc text, first_present date, last_released date, gang_org text,
       gang_kind criminal_organization_kind, gang_intentional boolean, gang_furthered boolean, gang_age smallint,
       elderly boolean, illness boolean, relief boolean, nconv int)`,
    [JSON.stringify(templates)],
  );
  const convictions = plan.templates.flatMap((t, tid) =>
    t.facts.convictions.map((c, ord) => ({
      tid,
      ord,
      offense: c.offense,
      jurisdiction: c.jurisdiction,
      convicted_on: c.convictedOn,
      agg: c.aggravatedFelony,
      subpara: c.aggravatedFelonySubparagraph,
      gang_el: c.gangParticipationElement,
    })),
  );
  await client.query(
    `CREATE TEMP TABLE tpl_conv AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, ord int, offense text, jurisdiction text, convicted_on date, agg boolean, subpara text, gang_el boolean)`,
    [JSON.stringify(convictions)],
  );
  await client.query(`ANALYZE tpl; ANALYZE tpl_conv`);
}

/** The SQL of one batch: cases [$1, $2), their assessments, requests and actions. */
function batchStatements(plan: Plan): {
  caseSql: string;
  convictionSql: string;
  actionSql: string;
  inserts: string[];
} {
  const v = plan.versions;
  const nb = plan.bucketStarts.length;
  const totalDays =
    (new Date(`${plan.lastDay}T00:00:00Z`).getTime() -
      new Date(`${plan.firstDay}T00:00:00Z`).getTime()) /
      86_400_000 +
    1;
  // Case n opens on day floor((n + u) / cases * (days - 1)): chronological, so batches are too.
  const dayScale = totalDays / plan.cases;
  const bucketExpr = (d: string) =>
    plan.bucketStarts.length === 1
      ? '0'
      : plan.bucketStarts
          .slice(1)
          .map((b) => `(${d} >= ${lit.date(b)})::int`)
          .join(' + ');
  const viExpr = (d: string) =>
    v.length === 1
      ? '1'
      : `CASE ${v
          .slice(0, -1)
          .map((x, i) => `WHEN ${d} <= ${lit.date(x.to)} THEN ${i + 1}`)
          .join(' ')} ELSE ${v.length} END`;
  const fromExpr = (vi: string) =>
    `(ARRAY[${v.map((x) => lit.date(x.from)).join(',')}]::date[])[${vi}]`;
  const peExpr = (vi: string) =>
    `(ARRAY[${v.map((x) => lit.date(x.to)).join(',')}]::date[])[${vi}]`;
  const slots: number[] = [];
  const totalWeight = plan.offices.reduce((a, o) => a + o.weight, 0);
  plan.offices.forEach((o, i) => {
    const n = Math.round((o.weight / totalWeight) * OFFICE_SLOTS);
    for (let k = 0; k < n; k++) slots.push(i + 1);
  });
  const mixTotal = MIX.nationalSecurity + MIX.border + MIX.publicSafety + MIX.preapproved;
  const p1 = MIX.nationalSecurity / mixTotal;
  const p2 = p1 + MIX.border / mixTotal;
  const p3 = p2 + MIX.publicSafety / mixTotal;
  // Exigent actions come out of OTHER cases' actions under a version requiring pre-approval.
  const exigentOfOther = EXIGENT_SHARE / (1 - p3);
  const citizenship: string[] = [];
  for (const [code, w] of words.CITIZENSHIPS)
    for (let k = 0; k < w * 2; k++) citizenship.push(code);
  const cycle = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0);
  const prefix = ACTIONS_PER_CASE.map((_, i) =>
    ACTIONS_PER_CASE.slice(0, i).reduce((a, b) => a + b, 0),
  );
  const codes = lit.textArray(v.map((x) => x.definition.code));
  const presumptions = lit.boolArray(v.map((x) => x.definition.presumptions));
  const requiresPre = lit.boolArray(v.map((x) => x.definition.requiresPreapproval));
  const validityDays = `(${lit.intArray(v.map((x) => x.definition.parameters.approvalValidityDays))})`;
  const deadlineHours = `(${lit.intArray(v.map((x) => x.definition.parameters.exigentDeadlineHours))})`;

  // Nested subqueries rather than CTEs: CTEs with volatile functions are materialized.
  /*
   * Every subquery below is fenced with OFFSET 0, so that each computed column is computed once
   * per row (a pulled-up subquery would repeat its expressions wherever they are used).
   *
   * Case n is centred on a day drawn uniformly over its share of the range (chronological, so
   * batches are too); its actions fall within ±h days of the centre, all inside the policy
   * version in force on that day. Actions that would cross the version's bounds are reflected
   * back inside: this keeps the density of actions uniform up to the bounds (no pile-up before a
   * version change). The case is opened and assessed one to three days before its first action.
   */
  const first = lit.date(plan.firstDay);
  const reflect = (t: string) =>
    `CASE WHEN ${t} < lo THEN 2 * lo - (${t}) WHEN ${t} >= hi THEN least(hi - 0.000001, 2 * hi - (${t})) ELSE ${t} END`;
  const slot = (j: number) => reflect(`cr - h + 2 * h * (${j} + u${j}) / k`);
  const caseSql = `
    CREATE TEMP TABLE bc ON COMMIT DROP AS
    SELECT z.*,
           ((${lit.intArray(plan.templateBase)})[(vi - 1) * ${4 * nb} + (ci - 1) * ${nb} + bi + 1]
             + floor(r_var * ${TEMPLATE_VARIANTS}))::int AS tid,
           created_at + interval '15 minutes' + r_asm * interval '150 minutes' AS assessed_at,
           r_close < 0.35 AND k >= 2 AS closed,
           gen_random_uuid() AS case_id, gen_random_uuid() AS assessment_id
      FROM (
        SELECT y.*, o.id AS office_id, o.tz, o.city,
               o.officers[1 + floor(r_off * o.nof)::int] AS officer_id,
               o.supervisors[1 + floor(r_sup * o.nsup)::int] AS supervisor_id,
               ((d0 + interval '7 hours' + r_time * interval '7 hours') AT TIME ZONE o.tz) AS created_at,
               ${bucketExpr('d0')} AS bi
          FROM (
            SELECT x.*, greatest(vfrom, days[1] - 1 - floor(r_gap * 3)::int) AS d0
              FROM (
                SELECT w.*,
                       ARRAY(SELECT ${first} + floor(t)::int
                               FROM unnest(ARRAY[${ACTIONS_PER_CASE.map((_, j) => `t${j}`).join(', ')}])
                                    WITH ORDINALITY AS s(t, i)
                              WHERE i <= w.k ORDER BY 1) AS days
                  FROM (
                    SELECT v.*, ${ACTIONS_PER_CASE.map((_, j) => `${slot(j)} AS t${j}`).join(', ')}
                      FROM (
                        SELECT b.*, (vfrom - ${first}) + 1 AS lo, (pe - ${first}) + 1 AS hi,
                               least(20, (pe - vfrom - 1) / 2.0) AS h
                          FROM (
                            SELECT a.*, ${peExpr('vi')} AS pe, ${fromExpr('vi')} AS vfrom,
                                   CASE WHEN r_cat < ${p1} THEN 1 WHEN r_cat < ${p2} THEN 2
                                        WHEN r_cat < ${p3} THEN 3 ELSE 4 END AS ci,
                                   (${lit.intArray(ACTIONS_PER_CASE)})[n % ${ACTIONS_PER_CASE.length} + 1] AS k,
                                   ${cycle} * (n / ${ACTIONS_PER_CASE.length})
                                     + (${lit.intArray(prefix)})[n % ${ACTIONS_PER_CASE.length} + 1] AS a0
                              FROM (
                                SELECT n, cr, ${viExpr(`${first} + floor(cr)::int`)} AS vi,
                                       oi, r_cat, r_var, r_off, r_sup, r_time, r_asm, r_close, r_gap,
                                       ${ACTIONS_PER_CASE.map((_, j) => `u${j}`).join(', ')}
                                  FROM (
                                    SELECT n, (n + random()) * ${dayScale} AS cr,
                                           (${lit.intArray(slots)})[1 + floor(random() * ${slots.length})::int] AS oi,
                                           random() AS r_cat, random() AS r_var, random() AS r_off, random() AS r_sup,
                                           random() AS r_time, random() AS r_asm, random() AS r_close, random() AS r_gap,
                                           ${ACTIONS_PER_CASE.map((_, j) => `random() AS u${j}`).join(', ')}
                                      FROM generate_series($1::bigint, $2::bigint - 1) AS n OFFSET 0
                                  ) r OFFSET 0
                              ) a OFFSET 0
                          ) b OFFSET 0
                      ) v OFFSET 0
                  ) w OFFSET 0
              ) x OFFSET 0
          ) y
          JOIN ofc o ON o.oi = y.oi OFFSET 0
      ) z`;

  // Conviction ids for the cases whose template has convictions.
  const convictionSql = `
    CREATE TEMP TABLE bv ON COMMIT DROP AS
    SELECT c.case_id, c.office_id, c.created_at, v.*, gen_random_uuid() AS id
      FROM bc c JOIN tpl_conv v ON v.tid = c.tid`;

  const dow = (d: string) => `((${d} - DATE '2000-01-03') % 7)`; // 0 = Monday, 5 = Saturday
  const actionSql = `
    CREATE TEMP TABLE ba ON COMMIT DROP AS
    SELECT u.*, occurred_at - lead AS decided_at, occurred_at - lead - dwell AS requested_at
      FROM (
        SELECT t.*,
               (ARRAY['NATIONAL_SECURITY','BORDER_SECURITY','PUBLIC_SAFETY','OTHER'])[
                 CASE WHEN basis IN ('PREAPPROVED', 'EXIGENT') THEN 4 ELSE ci END]::priority_category AS category,
               occurred_at + interval '10 minutes' + r_rec * interval '170 minutes' AS recorded_at,
               -- Pre-approval: decided up to ten days before the action, within hours of the request.
               least((occurred_at - assessed_at) * 0.9, interval '1 hour' + r_lead * r_lead * interval '10 days') AS lead,
               least((occurred_at - assessed_at) * 0.09, interval '15 minutes' + r_dwell * interval '6 hours') AS dwell,
               gen_random_uuid() AS action_id,
               CASE WHEN basis = 'PREAPPROVED' THEN gen_random_uuid() END AS req_id,
               CASE WHEN basis = 'EXIGENT' THEN gen_random_uuid() END AS post_id
          FROM (
            SELECT b.*,
                   (day + interval '6 hours' + r_hr * interval '12 hours') AT TIME ZONE tz AS occurred_at,
                   CASE WHEN j = 0 THEN CASE WHEN r_ty < 0.65 THEN 'ARREST' ELSE 'DETAINER_ISSUED' END
                        WHEN closed AND j = k - 1 THEN 'REMOVAL'
                        ELSE ${pickSql(
                          [
                            'NOTICE_TO_APPEAR',
                            'DETENTION',
                            'NOTICE_TO_APPEAR',
                            'DETENTION',
                            'CUSTODY_UNDER_DETAINER',
                            'RELEASE_ON_CONDITIONS',
                            'ARREST',
                          ],
                          'r_ty',
                        )} END::action_type AS type,
                   CASE WHEN ci < 4 AND (${presumptions})[vi] THEN 'PRESUMED_PRIORITY'
                        WHEN NOT (${requiresPre})[vi] THEN 'ASSESSED'
                        WHEN r_ex < ${exigentOfOther} THEN 'EXIGENT'
                        ELSE 'PREAPPROVED' END::enforcement_basis AS basis,
                   (${codes})[vi] AS vcode
              FROM (
                -- Most weekend days move to the nearest weekday (within the case's window).
                SELECT a.*,
                       CASE WHEN r_wk < 0.85 AND ${dow('day0')} >= 5
                            THEN greatest(d0 + 1, least(pe, day0 + CASE ${dow('day0')} WHEN 5 THEN -1 ELSE 1 END))
                            ELSE day0 END AS day
                  FROM (
                    SELECT c.n, c.office_id, c.tz, c.city, c.officer_id, c.supervisor_id, c.d0, c.pe, c.vi, c.ci,
                           c.k, c.closed, c.case_id, c.assessment_id, c.assessed_at, c.tid, j, c.days[j + 1] AS day0,
                           random() AS r_wk, random() AS r_hr, random() AS r_ty, random() AS r_ex, random() AS r_pl,
                           random() AS r_rec, random() AS r_lead, random() AS r_dwell, random() AS r_sib,
                           random() AS r_sib_t, random() AS r_txt, random() AS r_post, random() AS r_post2,
                           random() AS r_rat, random() AS r_void
                      FROM bc c CROSS JOIN LATERAL generate_series(0, c.k - 1) AS j
                     WHERE c.a0 + j < ${plan.actions} OFFSET 0
                  ) a OFFSET 0
              ) b OFFSET 0
          ) t OFFSET 0
      ) u`;

  const justification = pickSql(words.JUSTIFICATIONS, 'r_txt');
  const inserts = [
    // Cases, with the facts of their template; a case whose last action is a removal is closed.
    `INSERT INTO cases (id, office_id, status, assigned_officer_id, opened_by_id, version, subject_name,
       subject_date_of_birth, subject_a_number, subject_citizenship, terrorism_or_espionage,
       border_apprehension_date, border_apprehension_location, first_present_on, last_released_from_custody_on,
       gang_organization, gang_kind, gang_intentional, gang_furthered_illegal_activity, gang_age_at_participation,
       elderly, serious_illness, pending_relief_application, latest_assessment_id, created_at, updated_at,
       closed_at, close_reason)
     SELECT c.case_id, c.office_id, CASE WHEN c.closed THEN 'CLOSED' ELSE 'OPEN' END::case_status,
            c.officer_id, c.officer_id, CASE WHEN c.closed THEN 2 ELSE 1 END,
            ${pickSql(words.FIRST_NAMES, 'random()')} || ' ' || ${pickSql(words.LAST_NAMES, 'random()')},
            DATE '1965-01-01' + floor(random() * 12000)::int,
            lpad(((c.n * 7919 + 4242) % 900000000 + 100000000)::text, 9, '0'),
            ${pickSql(citizenship, 'random()')},
            t.terrorism, t.border_date, t.border_loc, t.first_present, t.last_released, t.gang_org, t.gang_kind,
            t.gang_intentional, t.gang_furthered, t.gang_age, t.elderly, t.illness, t.relief, c.assessment_id,
            c.created_at, coalesce(c.closed_at, c.assessed_at), c.closed_at,
            CASE WHEN c.closed THEN ${pickSql(words.CLOSE_REASONS, 'random()')} END
       FROM (SELECT bc.*, CASE WHEN closed THEN least(now(),
               ((days[k] + 2 + floor(random() * 10)::int) + interval '11 hours') AT TIME ZONE tz) END AS closed_at
               FROM bc) c
       JOIN tpl t ON t.tid = c.tid`,
    `INSERT INTO convictions (id, case_id, office_id, offense, jurisdiction, convicted_on, aggravated_felony,
       aggravated_felony_subparagraph, gang_participation_element, vacated, created_at)
     SELECT id, case_id, office_id, offense, jurisdiction, convicted_on, agg, subpara, gang_el, false, created_at
       FROM bv`,
    `INSERT INTO assessments (id, case_id, office_id, policy_version_code, as_of, as_of_date, categories,
       primary_category, presumed_priority, requires_preapproval, reasons, determinations, facts_snapshot, summary,
       assessed_by_id, assessed_at)
     SELECT c.assessment_id, c.case_id, c.office_id, t.vcode, c.assessed_at, c.d0, t.categories, t.category,
            t.presumed, t.requires_pre, t.reasons, t.determinations,
            CASE t.nconv WHEN 0 THEN t.facts
                 WHEN 1 THEN jsonb_set(t.facts, '{convictions,0,id}', to_jsonb(v.ids[1]::text), false)
                 ELSE jsonb_set(jsonb_set(t.facts, '{convictions,0,id}', to_jsonb(v.ids[1]::text), false),
                                '{convictions,1,id}', to_jsonb(v.ids[2]::text), false) END,
            t.summary, c.officer_id, c.assessed_at
       FROM bc c JOIN tpl t ON t.tid = c.tid
       LEFT JOIN (SELECT case_id, array_agg(id ORDER BY ord) AS ids FROM bv GROUP BY case_id) v
         ON v.case_id = c.case_id`,
    // Approved pre-action requests (one per pre-approved action), the denied, withdrawn and pending
    // ones around them, and the post-action requests of exigent actions.
    `INSERT INTO approval_requests (id, case_id, office_id, kind, action_type, status, justification,
       policy_version_code, requested_by_id, requested_at, decided_by_id, decided_at, decision_reason, expires_at,
       enforcement_action_id, justification_due_at, justification_submitted_at, justification_submitted_by_id,
       requested_week)
     SELECT u.*, office_week_start(u.requested_at, o.time_zone)
       FROM (
     SELECT req_id, case_id, office_id, 'PRE_ACTION'::approval_kind, type, 'APPROVED'::approval_status, ${justification}, vcode, officer_id,
            requested_at, supervisor_id, decided_at, ${pickSql(words.APPROVAL_REASONS, 'r_pl')},
            decided_at + ${validityDays}[vi] * interval '1 day', NULL::uuid, NULL::timestamptz, NULL::timestamptz, NULL::uuid
       FROM ba WHERE basis = 'PREAPPROVED'
     UNION ALL
     SELECT gen_random_uuid(), case_id, office_id, 'PRE_ACTION'::approval_kind, type, s.status::approval_status,
            ${justification}, vcode, officer_id, s.at,
            CASE WHEN s.status = 'DENIED' THEN supervisor_id END,
            CASE s.status WHEN 'DENIED' THEN s.at + least(requested_at - s.at, interval '15 minutes' + r_dwell * interval '6 hours')
                          WHEN 'WITHDRAWN' THEN s.at + (requested_at - s.at) * 0.5 END,
            CASE s.status WHEN 'DENIED' THEN ${pickSql(words.DENIAL_REASONS, 'r_pl')}
                          WHEN 'WITHDRAWN' THEN ${pickSql(words.WITHDRAWAL_REASONS, 'r_pl')} END,
            NULL, NULL, NULL, NULL, NULL
       FROM ba CROSS JOIN LATERAL (SELECT
              CASE WHEN r_sib < ${DENIED_PER_APPROVED} THEN 'DENIED'
                   WHEN r_sib < ${DENIED_PER_APPROVED + WITHDRAWN_PER_APPROVED} THEN 'WITHDRAWN'
                   ELSE 'PENDING' END AS status,
              assessed_at + (requested_at - assessed_at) * r_sib_t AS at) s
      WHERE basis = 'PREAPPROVED' AND r_sib < ${DENIED_PER_APPROVED + WITHDRAWN_PER_APPROVED + PENDING_PER_APPROVED}
     UNION ALL
     SELECT post_id, case_id, office_id, 'POST_ACTION'::approval_kind, type,
            CASE WHEN p.submitted_at IS NULL OR r_rat >= 0.97 THEN 'PENDING'
                 WHEN r_rat < 0.9 THEN 'APPROVED' ELSE 'DENIED' END::approval_status,
            CASE WHEN p.submitted_at IS NOT NULL THEN ${pickSql(words.POST_JUSTIFICATIONS, 'r_txt')} END,
            vcode, officer_id, recorded_at,
            CASE WHEN p.submitted_at IS NOT NULL AND r_rat < 0.97 THEN supervisor_id END,
            CASE WHEN p.submitted_at IS NOT NULL AND r_rat < 0.97
                 THEN p.submitted_at + interval '30 minutes' + r_dwell * interval '11 hours' END,
            CASE WHEN p.submitted_at IS NULL OR r_rat >= 0.97 THEN NULL
                 WHEN r_rat < 0.9 THEN ${pickSql(words.RATIFICATION_REASONS, 'r_pl')}
                 ELSE 'Not ratified: the narrative does not show that pre-approval was infeasible.' END,
            NULL, action_id, occurred_at + ${deadlineHours}[vi] * interval '1 hour', p.submitted_at,
            CASE WHEN p.submitted_at IS NOT NULL THEN officer_id END
       FROM ba CROSS JOIN LATERAL (SELECT
              CASE WHEN r_post < 0.85 THEN recorded_at + (occurred_at + ${deadlineHours}[vi] * interval '1 hour'
                                              - interval '30 minutes' - recorded_at) * r_post2
                   WHEN r_post < 0.95 THEN occurred_at + ${deadlineHours}[vi] * interval '1 hour'
                                           + interval '1 hour' + r_post2 * interval '47 hours' END AS submitted_at) p
      WHERE basis = 'EXIGENT') u JOIN offices o ON o.id = u.office_id`,
    // What each action rests on, as recorded by the service: the approved request's justification
    // (the same pick as its insert above) or the assessment's summary (its template's).
    `INSERT INTO enforcement_actions (id, case_id, office_id, type, occurred_at, location, basis, category,
       policy_version_code, assessment_id, approval_request_id, report_reason, approved_by_id, exigent_narrative,
       recorded_by_id, recorded_at)
     SELECT ba.action_id, ba.case_id, ba.office_id, ba.type, ba.occurred_at,
            ba.city || ' (' || ${pickSql(words.PLACES, 'ba.r_pl')} || ')',
            ba.basis, ba.category, ba.vcode, ba.assessment_id, ba.req_id,
            CASE ba.basis WHEN 'PREAPPROVED' THEN ${pickSql(words.JUSTIFICATIONS, 'ba.r_txt')}
                          WHEN 'EXIGENT' THEN NULL ELSE t.summary END,
            CASE WHEN ba.basis = 'PREAPPROVED' THEN ba.supervisor_id END,
            CASE WHEN ba.basis = 'EXIGENT' THEN ${pickSql(words.EXIGENT_NARRATIVES, 'ba.r_txt')} END,
            ba.officer_id, ba.recorded_at
       FROM ba JOIN tpl t ON t.tid = ba.tid ORDER BY ba.occurred_at`,
    `INSERT INTO enforcement_action_voids (enforcement_action_id, office_id, reason, voided_by_id, voided_at)
     SELECT action_id, office_id, 'Recorded in error: duplicate entry.', officer_id,
            recorded_at + interval '1 hour' + (r_void / ${VOID_SHARE}) * interval '2 days'
       FROM ba WHERE r_void < ${VOID_SHARE}`,
  ];
  return { caseSql, convictionSql, actionSql, inserts };
}

async function runBatches(
  plan: Plan,
  clients: pg.Client[],
  onBatch: (actions: number, rows: number, cases: number, approvals: number) => void,
): Promise<void> {
  const { caseSql, convictionSql, actionSql, inserts } = batchStatements(plan);
  const batches: [number, number][] = [];
  for (let c0 = 0; c0 < plan.cases; c0 += plan.batchCases)
    batches.push([c0, Math.min(plan.cases, c0 + plan.batchCases)]);
  await onClients(
    clients,
    batches.map(([c0, c1]) => async (client) => {
      await client.query('BEGIN');
      try {
        const timed = async (label: string, sql: string, params?: unknown[]) => {
          const t0 = Date.now();
          const result = await client.query(sql, params);
          // SEED_SYNTHETIC_TIMING=1: the time of each statement of each batch.
          if (process.env.SEED_SYNTHETIC_TIMING) console.error(`  ${label}: ${Date.now() - t0} ms`);
          return result;
        };
        await timed('plan cases', caseSql, [c0, c1]);
        await timed('plan convictions', convictionSql);
        await timed('plan actions', actionSql);
        let rows = 0;
        const counts: number[] = [];
        for (const [i, sql] of inserts.entries()) {
          const result = await timed(`insert ${i}`, sql);
          counts.push(result.rowCount ?? 0);
          rows += result.rowCount ?? 0;
        }
        if (counts[0] !== c1 - c0)
          throw new Error(`batch ${c0}: ${counts[0]} cases for ${c1 - c0}`);
        await client.query('COMMIT');
        onBatch(counts[4], rows, counts[0], counts[3]);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }),
  );
}

// --- main ------------------------------------------------------------------------------------

async function makePlan(
  ds: DataSource,
  url: string,
  args: { offices: number; years: number; actions: number; workers: number; batch: number },
): Promise<Plan> {
  const schedule = (await ds.query(
    `SELECT code, effective_from::text AS "from", effective_to::text AS "to"
       FROM policy_versions WHERE effective_from IS NOT NULL ORDER BY effective_from`,
  )) as { code: string; from: string; to: string | null }[];
  if (!schedule.length) throw new Error('no policy version is scheduled');
  const firstDay = schedule[0].from;
  const yesterday = plusDays(new Date().toISOString().slice(0, 10), -1);
  const endYear = `${Number(firstDay.slice(0, 4)) + args.years}${firstDay.slice(4)}`;
  const lastDay = [plusDays(endYear, -1), yesterday].sort()[0];
  if (lastDay <= plusDays(firstDay, 2)) throw new Error('the date range is too short');
  const versions = schedule
    .filter((s) => s.from <= lastDay)
    .map((s) => {
      const definition = policyVersion(s.code);
      if (!definition) throw new Error(`scheduled policy version ${s.code} is not in the engine`);
      return { definition, from: s.from, to: s.to && s.to < lastDay ? s.to : lastDay };
    });
  const bucketStarts = [firstDay];
  for (let y = Number(firstDay.slice(0, 4)) + 1; y <= Number(lastDay.slice(0, 4)); y++)
    bucketStarts.push(`${y}-01-01`);
  const { templates, index } = buildTemplates({
    versions,
    bucketStarts,
    variants: TEMPLATE_VARIANTS,
    seed: 20210218,
  });
  if (templates.some((t) => t.facts.convictions.length > 2))
    throw new Error('a template has more than two convictions');
  const templateBase: number[] = [];
  for (let vi = 0; vi < versions.length; vi++)
    for (let ci = 0; ci < CATEGORIES.length; ci++)
      for (let bi = 0; bi < bucketStarts.length; bi++)
        templateBase.push(index.get(`${vi}:${ci}:${bi}`) ?? -1);
  const cases = casesFor(args.actions);
  const meanActions = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0) / ACTIONS_PER_CASE.length;
  return {
    url,
    offices: officesFor(args.offices),
    actions: args.actions,
    cases,
    batchCases: Math.max(5, Math.round(args.batch / meanActions / 5) * 5),
    workers: args.workers,
    firstDay,
    lastDay,
    versions,
    bucketStarts,
    templates,
    templateBase,
  };
}

/** Offices, then officers and supervisors in proportion to each office's size, and headquarters. */
async function insertPeople(
  ds: DataSource,
  plan: Plan,
): Promise<{ officeIds: string[]; userIds: string[] }> {
  const created = `${plusDays(plan.firstDay, -60)}T14:00:00Z`;
  const offices = (await ds.query(
    `INSERT INTO offices (code, name, time_zone, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS o, LATERAL (SELECT $4::timestamptz) t
     RETURNING id`,
    [
      plan.offices.map((o) => o.code),
      plan.offices.map((o) => o.name),
      plan.offices.map((o) => o.timeZone),
      created,
    ],
  )) as { id: string }[];
  const rng = prng(7);
  const users: { email: string; name: string; role: string; office: string | null }[] = [];
  const staffName = () =>
    `${words.STAFF_FIRST[Math.floor(rng() * 20)]} ${words.STAFF_LAST[Math.floor(rng() * 20)]}`;
  for (const office of plan.offices) {
    const code = office.code.toLowerCase();
    const officers = Math.round(30 * office.weight) + 10;
    const supervisors = 3 + Math.round(2 * office.weight);
    for (let j = 1; j <= officers; j++)
      users.push({
        email: `officer${j}.${code}@synthetic.example.gov`,
        name: staffName(),
        role: 'FIELD_OFFICER',
        office: office.code,
      });
    for (let j = 1; j <= supervisors; j++)
      users.push({
        email: `supervisor${j}.${code}@synthetic.example.gov`,
        name: staffName(),
        role: 'SUPERVISOR',
        office: office.code,
      });
  }
  for (let j = 1; j <= 3; j++)
    users.push({
      email: `hq${j}@synthetic.example.gov`,
      name: staffName(),
      role: 'HEADQUARTERS',
      office: null,
    });
  const inserted = (await ds.query(
    `INSERT INTO users (email, name, role, office_id, active, created_at)
     SELECT u.email, u.name, u.role::user_role, o.id, true, $5
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(email, name, role, office_code)
       LEFT JOIN offices o ON o.code = u.office_code
     RETURNING id`,
    [
      users.map((u) => u.email),
      users.map((u) => u.name),
      users.map((u) => u.role),
      users.map((u) => u.office),
      created,
    ],
  )) as { id: string }[];
  return { officeIds: offices.map((o) => o.id), userIds: inserted.map((u) => u.id) };
}

/**
 * The last `weeks` complete weeks' reports, submitted through the service by a supervisor of each
 * office on the Monday after (most before the due time, some late, a few never): each submission
 * compiles and freezes the week and writes its own audit record, as in real use.
 */
async function submitLastWeeks(
  ds: DataSource,
  plan: Plan,
  weeks: number,
  auditKeys: AuditKeys,
): Promise<{ onTime: number; late: number; missing: number }> {
  const out = { onTime: 0, late: 0, missing: 0 };
  if (!weeks) return out;
  const lastMonday = addDays(weekStartOf(new Date(`${plan.lastDay}T12:00:00Z`), 'UTC'), -7);
  const supervisors = (await ds.query(
    `SELECT DISTINCT ON (o.code) u.id, u.email, u.name, o.id AS office_id, o.code, o.time_zone
       FROM users u JOIN offices o ON o.id = u.office_id
      WHERE u.role = 'SUPERVISOR' AND u.active ORDER BY o.code, u.email`,
  )) as {
    id: string;
    email: string;
    name: string;
    office_id: string;
    code: string;
    time_zone: string;
  }[];
  const rng = prng(1121);
  const log = createLogger('silent');
  for (let w = weeks - 1; w >= 0; w--) {
    const weekStart = addDays(lastMonday, -7 * w);
    if (weekStart < plan.firstDay) continue;
    for (const s of supervisors) {
      const r = rng();
      if (r < 0.03) {
        out.missing++;
        continue;
      }
      const end = weekWindow(weekStart, s.time_zone).end.getTime();
      const hour = 3_600_000;
      // Due at 12:00 on the Monday after (the versions' parameter): on time from 08:00, late up to a day after.
      const at =
        r < 0.88 ? end + 8 * hour + rng() * 3.9 * hour : end + 12.1 * hour + rng() * 24 * hour;
      const clock = new ManualClock(new Date(at));
      const ctx = new RequestContext(
        { dataSource: ds, clock, log, caches: createCaches(), auditKeys },
        `seed-synthetic-${s.code}-${weekStart}`,
        {
          id: s.id,
          email: s.email,
          name: s.name,
          role: Role.SUPERVISOR,
          officeId: s.office_id,
          officeCode: s.code,
        },
        null,
      );
      await submitWeeklyReport(ctx, { officeCode: s.code, weekStart, note: null });
      if (r < 0.88) out.onTime++;
      else out.late++;
    }
  }
  return out;
}

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
    const countsSql = `INSERT INTO enforcement_weekly_counts (office_id, week_start, category, action_type, basis, action_count)
      SELECT a.office_id, office_week_start(a.occurred_at, o.time_zone), a.category, a.type, a.basis, count(*)
        FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
       WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
       GROUP BY 1, 2, 3, 4, 5`;
    const byTable = (t: string) => objects.keys.filter((k) => k.table === t);
    const heavyFirst = [
      'enforcement_actions',
      'cases',
      'assessments',
      'convictions',
      'approval_requests',
    ];
    await onClients(clients, [
      ...heavyFirst.flatMap((t) =>
        byTable(t).map((k) => async (c: pg.Client) => {
          await c.query(`ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.def}`);
        }),
      ),
      async (c) => {
        await c.query(countsSql);
        // The coarser sums the figures read (counts.ts keeps all three in step).
        await c.query(`INSERT INTO enforcement_counts_by_week (week_start, category, action_type, basis, action_count)
          SELECT week_start, category, action_type, basis, sum(action_count)
            FROM enforcement_weekly_counts GROUP BY 1, 2, 3, 4`);
        await c.query(`INSERT INTO enforcement_counts_by_office_week (office_id, week_start, action_count)
          SELECT office_id, week_start, sum(action_count) FROM enforcement_weekly_counts GROUP BY 1, 2`);
        // A version token for every office-week with records (as migration AddReportWeekVersions).
        await c.query(`INSERT INTO report_week_versions (office_id, week_start, version)
          SELECT k.office_id, k.week_start, nextval('report_week_version_seq')
            FROM (SELECT office_id, week_start FROM enforcement_counts_by_office_week
                  UNION
                  SELECT DISTINCT office_id, requested_week FROM approval_requests
                   WHERE kind <> 'POST_ACTION') k
          ON CONFLICT (office_id, week_start) DO UPDATE SET version = nextval('report_week_version_seq')`);
      },
      ...objects.indexes.map((index) => async (c: pg.Client) => {
        await c.query(index.def);
      }),
    ]);
    for (const t of objects.triggers)
      await clients[0].query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
    phase('Keys, indexes, weekly counts and report week versions rebuilt', step);

    step = Date.now();
    for (const fk of objects.foreignKeys)
      await clients[0].query(
        `ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def} NOT VALID`,
      );
    await onClients(
      clients,
      objects.foreignKeys.map((fk) => async (c: pg.Client) => {
        await c.query(`ALTER TABLE ${fk.table} VALIDATE CONSTRAINT ${fk.name}`);
      }),
    );
    phase(`${objects.foreignKeys.length} foreign keys restored and validated`, step);

    // Vacuum too: sets the visibility map (index-only scans) and spares the first reader the work.
    step = Date.now();
    await onClients(
      clients,
      [
        'enforcement_actions',
        'assessments',
        'cases',
        'convictions',
        'approval_requests',
        'enforcement_weekly_counts',
        'enforcement_counts_by_week',
        'enforcement_counts_by_office_week',
        'report_week_versions',
        'enforcement_action_voids',
        'users',
        'offices',
      ].map((t) => async (c: pg.Client) => {
        await c.query(`VACUUM (ANALYZE) ${t}`);
      }),
    );
    phase('Vacuumed and analyzed', step);

    const [check] = (await ds.query(
      `SELECT (SELECT coalesce(sum(action_count), 0) FROM enforcement_weekly_counts)::bigint AS counted,
              (SELECT coalesce(sum(action_count), 0) FROM enforcement_counts_by_week)::bigint AS by_week,
              (SELECT coalesce(sum(action_count), 0) FROM enforcement_counts_by_office_week)::bigint AS by_office_week,
              (SELECT count(*) FROM enforcement_actions a
                WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id))::bigint AS direct`,
    )) as { counted: string; by_week: string; by_office_week: string; direct: string }[];
    if (
      check.counted !== check.direct ||
      check.by_week !== check.direct ||
      check.by_office_week !== check.direct
    )
      throw new Error(
        `weekly counts hold ${check.counted} actions (summed over offices ${check.by_week}, per office-week ${check.by_office_week}), a direct count ${check.direct}`,
      );
    const [unversioned] = (await ds.query(
      `SELECT count(*)::int AS weeks
         FROM (SELECT office_id, week_start FROM enforcement_counts_by_office_week
               UNION
               SELECT office_id, requested_week FROM approval_requests WHERE kind <> 'POST_ACTION') k
        WHERE NOT EXISTS (SELECT 1 FROM report_week_versions v
                           WHERE v.office_id = k.office_id AND v.week_start = k.week_start)`,
    )) as { weeks: number }[];
    if (unversioned.weeks)
      throw new Error(`${unversioned.weeks} office-weeks with records have no report week version`);

    const seconds = (Date.now() - started) / 1000;
    const ctx = new RequestContext(
      {
        dataSource: ds,
        clock: systemClock,
        log: createLogger('silent'),
        caches: createCaches(),
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
