/**
 * The API benchmark's own database: dropped and created again, migrated, the demo offices and
 * people seeded by the service's own seed (with its audit record), a login for the service, then
 * cases in bulk: each with its template's facts and convictions, three assessments (one per
 * policy version, as the engine evaluated them) and one pre-approval request, most decided long
 * ago (an approval past its 30 days reads EXPIRED), a fifth still pending (the approval queue).
 */
import pg from 'pg';
import { systemClock } from '../../../clock';
import { createDataSource } from '../../../db/data-source';
import { seedDemo } from '../../../db/seed';
import { createLogger } from '../../../logger';
import type { AuditKeys } from '../../../modules/audit/audit.key';
import { caseFactColumns } from '../../synthetic/session';
import { pickSql } from '../../synthetic/sql-literals';
import * as words from '../../synthetic/vocabulary';
import { caseTemplates, type ScheduledVersion } from './case-templates';

/** The service's login in the benchmark (a member of ep_service, as production requires). */
export const BENCH_SERVICE_LOGIN = 'ep_bench_service';

export interface OfficeLoad {
  code: string;
  cases: number;
}

/** The office the big-office check fills; the demo seed gives it no staff, so the bench adds two. */
export const BIG_OFFICE = 'CHI';
const BIG_OFFICE_STAFF = [
  { email: 'officer.chi@example.gov', name: 'Chloe Chen', role: 'FIELD_OFFICER' },
  { email: 'supervisor.chi@example.gov', name: 'Carlos Castillo', role: 'SUPERVISOR' },
];

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function onServer<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether the database exists and already holds cases (for `--keep`). */
export async function alreadySeeded(url: string): Promise<boolean> {
  const exists = await onServer(url, async (c) => {
    const { rows } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [
      databaseName(url),
    ]);
    return rows.length > 0;
  });
  if (!exists) return false;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ any: boolean }>(
      `SELECT to_regclass('cases') IS NOT NULL AND EXISTS (SELECT 1 FROM cases) AS any`,
    );
    return rows[0].any;
  } finally {
    await client.end();
  }
}

/** Drops and creates the database, runs the migrations, makes the service's login. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name ${name}: lowercase letters, digits and _ only`);
  await onServer(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const owner = createDataSource({ url, poolSize: 1 });
  await owner.initialize();
  try {
    await owner.runMigrations({ transaction: 'each' });
    // Roles are the cluster's: made once, kept for later runs (as the tests' login is).
    await owner.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${BENCH_SERVICE_LOGIN}') THEN
          CREATE ROLE ${BENCH_SERVICE_LOGIN} LOGIN IN ROLE ep_service;
        END IF;
      END $$`);
  } finally {
    await owner.destroy();
  }
}

/** Demo offices and people through the service's seed; staff for the big office. */
export async function seedPeople(url: string, auditKeys: AuditKeys): Promise<void> {
  const ds = createDataSource({ url, poolSize: 1 });
  await ds.initialize();
  try {
    await seedDemo(ds, systemClock, createLogger('silent'), auditKeys);
    await ds.query(
      `INSERT INTO users (email, name, role, office_id, active, created_at)
       SELECT u.email, u.name, u.role::user_role, o.id, true, now()
         FROM jsonb_to_recordset($1::jsonb) AS u(email text, name text, role text)
         JOIN offices o ON o.code = $2
       ON CONFLICT (email) DO NOTHING`,
      [JSON.stringify(BIG_OFFICE_STAFF), BIG_OFFICE],
    );
  } finally {
    await ds.destroy();
  }
}

/** The templates as temporary tables of one session: tpl (facts), tpl_a (assessments), tpl_conv. */
async function loadTemplates(client: pg.Client): Promise<{ count: number; requestVi: number }> {
  const { rows: schedule } = await client.query<ScheduledVersion>(
    `SELECT code, effective_from::text AS from, effective_to::text AS to
       FROM policy_versions WHERE effective_from IS NOT NULL ORDER BY effective_from`,
  );
  const templates = caseTemplates(schedule);
  const facts = templates.map(({ tid, facts: f }) => ({
    tid,
    facts: f,
    ...caseFactColumns(f),
  }));
  await client.query(
    `CREATE TEMP TABLE tpl AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, facts jsonb, nconv int, terrorism boolean, border_date date, border_loc text,
       first_present date, last_released date, gang_org text, gang_kind criminal_organization_kind,
       gang_intentional boolean, gang_furthered boolean, gang_age smallint, elderly boolean,
       illness boolean, relief boolean)`,
    [JSON.stringify(facts)],
  );
  const assessments = templates.flatMap((t) =>
    t.assessments.map((a, vi) => ({
      tid: t.tid,
      vi,
      vcode: a.versionCode,
      as_of_date: a.asOfDate,
      categories: a.outcome.categories,
      category: a.outcome.primaryCategory,
      presumed: a.outcome.presumedPriority,
      requires_pre: a.outcome.requiresPreapproval,
      reasons: a.outcome.reasons,
      determinations: a.determinations,
      summary: a.outcome.summary,
    })),
  );
  await client.query(
    `CREATE TEMP TABLE tpl_a AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, vi int, vcode text, as_of_date date, categories priority_category[],
       category priority_category, presumed boolean, requires_pre boolean, reasons jsonb,
       determinations jsonb, summary text)`,
    [JSON.stringify(assessments)],
  );
  const convictions = templates.flatMap((t) =>
    t.facts.convictions.map((c, ord) => ({
      tid: t.tid,
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
       tid int, ord int, offense text, jurisdiction text, convicted_on date, agg boolean,
       subpara text, gang_el boolean)`,
    [JSON.stringify(convictions)],
  );
  // Requests are made under the version that requires pre-approval (ICE-2021-02-18).
  const { rows } = await client.query<{ vi: number }>(
    `SELECT coalesce(min(vi) FILTER (WHERE vcode = 'ICE-2021-02-18'), max(vi)) AS vi FROM tpl_a`,
  );
  return { count: templates.length, requestVi: rows[0].vi };
}

const BATCH = 20_000;

/** Seeds `load.cases` cases into each office, in batches of 20,000 (one transaction each). */
export async function seedCases(
  url: string,
  loads: OfficeLoad[],
  progress: (line: string) => void,
): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-api-seed' });
  await client.connect();
  try {
    const { count, requestVi } = await loadTemplates(client);
    for (const [oi, load] of loads.entries()) {
      for (let n0 = 0; n0 < load.cases; n0 += BATCH) {
        const n1 = Math.min(load.cases, n0 + BATCH);
        await client.query('BEGIN');
        const [first, ...rest] = batchStatements(count, requestVi);
        await client.query(first, [load.code, n0, n1, load.cases, oi * 10_000_000]);
        for (const sql of rest) await client.query(sql);
        await client.query('COMMIT');
        progress(`${load.code}: ${n1} of ${load.cases} cases`);
      }
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/**
 * The first statement's parameters: $1 office code, $2..$3 case numbers [from, to), $4 the
 * office's total, $5 A-number salt; the others read its table.
 */
function batchStatements(templateCount: number, requestVi: number): string[] {
  const citizenship = words.CITIZENSHIPS.map(([code]) => code);
  return [
    `CREATE TEMP TABLE bc ON COMMIT DROP AS
     SELECT n, $5::int AS salt, gen_random_uuid() AS case_id, o.id AS office_id, o.time_zone AS tz,
            n % ${templateCount} AS tid,
            s.officers[1 + n % cardinality(s.officers)] AS officer_id,
            s.supervisors[1 + n % cardinality(s.supervisors)] AS supervisor_id,
            -- Opened over the first 12 days of the first version, newest last.
            date_trunc('milliseconds', (DATE '2021-01-20' + interval '8 hours') AT TIME ZONE o.time_zone
                       + (n::float8 / $4::int) * interval '12 days') AS created_at
       FROM generate_series($2::int, $3::int - 1) AS n
       JOIN offices o ON o.code = $1::text
      CROSS JOIN LATERAL (
        SELECT array_agg(id ORDER BY email) FILTER (WHERE role = 'FIELD_OFFICER') AS officers,
               array_agg(id ORDER BY email) FILTER (WHERE role = 'SUPERVISOR') AS supervisors
          FROM users WHERE office_id = o.id) s`,
    `CREATE TEMP TABLE bv ON COMMIT DROP AS
     SELECT bc.case_id, bc.office_id, bc.created_at, v.*, gen_random_uuid() AS id
       FROM bc JOIN tpl_conv v ON v.tid = bc.tid`,
    // Each assessment in the office's working hours on its template's date.
    `CREATE TEMP TABLE ba ON COMMIT DROP AS
     SELECT bc.case_id, bc.office_id, bc.officer_id, bc.supervisor_id, bc.tz, t.*, gen_random_uuid() AS id,
            date_trunc('milliseconds', (t.as_of_date + interval '9 hours' + random() * interval '8 hours')
                       AT TIME ZONE bc.tz) AS as_of
       FROM bc JOIN tpl_a t ON t.tid = bc.tid`,
    `INSERT INTO cases (id, office_id, status, assigned_officer_id, opened_by_id, version, subject_name,
       subject_date_of_birth, subject_a_number, subject_citizenship, terrorism_or_espionage,
       border_apprehension_date, border_apprehension_location, first_present_on, last_released_from_custody_on,
       gang_organization, gang_kind, gang_intentional, gang_furthered_illegal_activity, gang_age_at_participation,
       elderly, serious_illness, pending_relief_application, created_at, updated_at)
     SELECT bc.case_id, bc.office_id, 'OPEN', bc.officer_id, bc.officer_id, 4,
            ${pickSql(words.FIRST_NAMES, 'random()')} || ' ' || ${pickSql(words.LAST_NAMES, 'random()')},
            DATE '1960-01-01' + floor(random() * 14000)::int,
            lpad((((bc.n + bc.salt)::bigint * 7919 + 4242) % 900000000 + 100000000)::text, 9, '0'),
            ${pickSql(citizenship, 'random()')},
            t.terrorism, t.border_date, t.border_loc, t.first_present, t.last_released, t.gang_org, t.gang_kind,
            t.gang_intentional, t.gang_furthered, t.gang_age, t.elderly, t.illness, t.relief,
            bc.created_at, l.updated_at
       FROM bc JOIN tpl t ON t.tid = bc.tid
       JOIN (SELECT case_id, max(as_of) AS updated_at FROM ba GROUP BY case_id) l ON l.case_id = bc.case_id`,
    `INSERT INTO convictions (id, case_id, office_id, offense, jurisdiction, convicted_on, aggravated_felony,
       aggravated_felony_subparagraph, gang_participation_element, vacated, created_at)
     SELECT id, case_id, office_id, offense, jurisdiction, convicted_on, agg, subpara, gang_el, false, created_at
       FROM bv`,
    // The facts as read, with the case's own conviction ids (the template holds empty ones).
    `INSERT INTO assessments (id, case_id, office_id, policy_version_code, as_of, as_of_date, categories,
       primary_category, presumed_priority, requires_preapproval, reasons, determinations, facts_snapshot, summary,
       assessed_by_id, assessed_at)
     SELECT ba.id, ba.case_id, ba.office_id, ba.vcode, ba.as_of, ba.as_of_date, ba.categories, ba.category,
            ba.presumed, ba.requires_pre, ba.reasons, ba.determinations,
            CASE WHEN v.ids IS NULL THEN t.facts
                 ELSE jsonb_set(t.facts, '{convictions}', (
                   SELECT jsonb_agg(jsonb_set(e.value, '{id}', to_jsonb(v.ids[e.ord::int]::text)) ORDER BY e.ord)
                     FROM jsonb_array_elements(t.facts->'convictions') WITH ORDINALITY AS e(value, ord))) END,
            ba.summary, ba.officer_id, ba.as_of
       FROM ba JOIN tpl t ON t.tid = ba.tid
       LEFT JOIN (SELECT case_id, array_agg(id ORDER BY ord) AS ids FROM bv GROUP BY case_id) v
         ON v.case_id = ba.case_id`,
    `UPDATE cases c SET latest_assessment_id = l.id
       FROM (SELECT DISTINCT ON (case_id) case_id, id FROM ba ORDER BY case_id, vi DESC) l
      WHERE c.id = l.case_id`,
    // One pre-approval request per case, a few days after its assessment under that version.
    `INSERT INTO approval_requests (case_id, office_id, kind, action_type, status, justification,
       policy_version_code, requested_by_id, requested_at, decided_by_id, decided_at, decision_reason, expires_at,
       requested_week)
     SELECT case_id, office_id, 'PRE_ACTION', action_type, status::approval_status, justification, vcode,
            officer_id, requested_at,
            CASE WHEN status IN ('APPROVED', 'DENIED') THEN supervisor_id END,
            CASE WHEN status <> 'PENDING' THEN decided_at END,
            CASE status WHEN 'APPROVED' THEN ${pickSql(words.APPROVAL_REASONS, 'r_txt')}
                        WHEN 'DENIED' THEN ${pickSql(words.DENIAL_REASONS, 'r_txt')}
                        WHEN 'WITHDRAWN' THEN ${pickSql(words.WITHDRAWAL_REASONS, 'r_txt')} END,
            CASE WHEN status = 'APPROVED' THEN decided_at + interval '30 days' END,
            office_week_start(requested_at, tz)
       FROM (SELECT ba.*, r.r_txt,
                    (CASE WHEN r.r_ty < 0.7 THEN 'ARREST' ELSE 'DETAINER_ISSUED' END)::action_type AS action_type,
                    CASE WHEN r.r_st < 0.6 THEN 'APPROVED' WHEN r.r_st < 0.75 THEN 'DENIED'
                         WHEN r.r_st < 0.8 THEN 'WITHDRAWN' ELSE 'PENDING' END AS status,
                    ${pickSql(words.JUSTIFICATIONS, 'r.r_txt')} AS justification,
                    date_trunc('milliseconds', ba.as_of + interval '1 day' + r.r_at * interval '2 days') AS requested_at,
                    date_trunc('milliseconds', ba.as_of + interval '3 days' + r.r_at * interval '2 days') AS decided_at
               FROM ba CROSS JOIN LATERAL (SELECT random() AS r_ty, random() AS r_st, random() AS r_txt,
                                                  random() AS r_at, ba.id AS dep) r
              WHERE ba.vi = ${Math.trunc(requestVi)}) q`,
  ];
}
