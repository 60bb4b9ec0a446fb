/**
 * The draft cache's contract, checked: a kept weekly-report draft stands for a fresh compile only
 * while every table the compile reads bumps the week's version (`report_week_versions`) by a
 * trigger. The tables are derived from the statements a compile runs (those of a draft read that
 * missed the cache and not of one that hit it), so a new join without a trigger fails here.
 */
import { NOT_PRESUMED, openCase } from '../helpers/given';
import {
  Client,
  OFFICER_NYC,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { reportDraftCache } from '../../src/modules/weekly-reports/report.caches';
import { weekStartOf } from '../../src/common/calendar';
import { allActions, flat } from '../helpers/reports';

const WEEK = '2021-06-07';
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';

const REPORT = `query($officeCode: String!, $weekStart: Date!) {
  weeklyReport(officeCode: $officeCode, weekStart: $weekStart) {
    status from to
    ${allActions('actionId type occurredAt justification approver')}
    exigentActions { actionId occurredAt justificationDueAt justification ratification }
    requests { made approved }
  }
}`;

let server: TestServer;
let officer: Client;
let supervisor: Client;

beforeAll(async () => {
  // No audit checkpoint in the background: only the statements of the reads under test are seen.
  server = await startTestServer({
    now: new Date('2021-06-08T14:00:00Z'),
    checkpointIntervalMs: 3_600_000,
  });
  [officer, supervisor] = await Promise.all([OFFICER_NYC, SUPERVISOR_NYC].map((e) => server.as(e)));
  // A pre-approved action, so that the week names an approver.
  const c = await openCase(officer, { facts: NOT_PRESUMED });
  await officer.ok(`mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`, {
    input: { caseId: c.id },
  });
  const request = (
    await officer.ok<any>(
      `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
      { input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION } },
    )
  ).requestApproval.id;
  await supervisor.ok(
    `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id } }`,
    { input: { id: request, decision: 'APPROVE', reason: 'Justified: release is imminent.' } },
  );
  server.clock.set(new Date('2021-06-08T16:00:00Z'));
  await officer.ok(
    `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id } }`,
    {
      input: {
        caseId: c.id,
        type: 'ARREST',
        occurredAt: '2021-06-08T15:00:00Z',
        location: 'Queens, NY',
      },
    },
  );
});
afterAll(async () => {
  await server?.stop();
});

const drafts = () => server.service.caches.get(reportDraftCache);

async function draft(): Promise<any> {
  return flat(
    (await supervisor.ok<any>(REPORT, { officeCode: 'NYC', weekStart: WEEK })).weeklyReport,
  );
}

/** The statements one draft read runs. */
async function statementsOf(read: () => Promise<unknown>): Promise<string[]> {
  server.statements.length = 0;
  await read();
  return [...server.statements];
}

/** Table names after FROM and JOIN (not functions, subqueries or lateral subqueries). */
function tablesNamed(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?(?!\s*\()/gi)) {
    if (m[1].toUpperCase() !== 'LATERAL') out.push(m[1]);
  }
  return out;
}

/** Read now (maybe from the cache), then compiled afresh: the two must agree. */
async function current(): Promise<any> {
  const read = await draft();
  drafts().clear();
  expect(read).toEqual(await draft());
  return read;
}

async function warm(): Promise<void> {
  await draft();
  const hits = drafts().hits;
  await draft();
  expect(drafts().hits).toBe(hits + 1);
}

test('every table a compile reads has a trigger that bumps the week version', async () => {
  drafts().clear();
  const miss = await statementsOf(draft);
  const hits = drafts().hits;
  const hit = await statementsOf(draft);
  expect(drafts().hits).toBe(hits + 1);
  const compile = miss.filter((s) => !hit.includes(s));
  const existing = new Set(
    (
      await server.sql<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
      )
    ).map((t) => t.tablename),
  );
  const read = new Set(compile.flatMap(tablesNamed).filter((t) => existing.has(t)));
  // The compile is also handed the office row: its code and time zone are in the report.
  read.add('offices');
  // A draft read missing the cache first counts the week's actions (`weekTotals`, to choose
  // between compiling the week whole and paging it live): not part of the compile, and the counts
  // change only in the same transaction as the actions, whose trigger bumps the week.
  read.delete('enforcement_weekly_counts');
  expect([...read].sort()).toEqual(
    expect.arrayContaining([
      'approval_requests',
      'enforcement_action_voids',
      'enforcement_actions',
      'offices',
      'users',
    ]),
  );
  const watched = new Set(
    (
      await server.sql<{ table: string }>(
        `SELECT c.relname AS table
           FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE NOT t.tgisinternal AND p.proname LIKE 'report\\_weeks\\_of\\_%'`,
      )
    ).map((r) => r.table),
  );
  expect([...read].filter((t) => !watched.has(t))).toEqual([]);
});

test("an approver renamed by hand: the week's draft shows the new name", async () => {
  await warm();
  await server.sql(`UPDATE users SET name = 'Renamed Supervisor' WHERE email = $1`, [
    SUPERVISOR_NYC,
  ]);
  const read = await current();
  expect(read.actions.map((a: any) => a.approver)).toEqual(['Renamed Supervisor']);
});

test("a user deactivated (no rename) leaves the week's draft in the cache", async () => {
  await warm();
  await server.sql(`UPDATE users SET active = active WHERE email = $1`, [OFFICER_NYC]);
  const hits = drafts().hits;
  await draft();
  expect(drafts().hits).toBe(hits + 1);
});

test("the office's time zone changed by hand: the draft reads in the new zone", async () => {
  await warm();
  await server.sql(`UPDATE offices SET time_zone = 'America/Chicago' WHERE code = 'NYC'`);
  try {
    const read = await current();
    expect(read.from).toBe('2021-06-07T05:00:00.000Z');
  } finally {
    await server.sql(`UPDATE offices SET time_zone = 'America/New_York' WHERE code = 'NYC'`);
  }
});

test('office_week_start in SQL agrees with weekStartOf, across clock changes and zones', async () => {
  const zones = ['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'UTC'];
  const instants = [
    '2021-03-14T06:59:59Z',
    '2021-03-14T07:00:00Z',
    '2021-11-07T05:30:00Z',
    '2021-06-07T03:59:59Z',
    '2021-06-07T04:00:00Z',
    '2021-06-13T23:59:59Z',
    '2020-12-28T10:00:00Z',
    '2021-01-03T23:00:00Z',
  ];
  for (const zone of zones) {
    const rows = await server.sql<{ week: string }>(
      `SELECT office_week_start(t::timestamptz, $1)::text AS week FROM unnest($2::text[]) AS t`,
      [zone, instants],
    );
    expect(rows.map((r) => r.week)).toEqual(instants.map((i) => weekStartOf(new Date(i), zone)));
  }
});
