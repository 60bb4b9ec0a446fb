/**
 * The file exports (GET /exports/...) through the real service against a real PostgreSQL, on a
 * small set of records made through the API (New York and Los Angeles, June 2021, ICE-2021-02-18):
 * each export equals the GraphQL answer for the same filter and a direct SQL count; the same roles
 * and office scope as the GraphQL operations (an officer 403, a LAX supervisor only LAX: naming
 * another office is NOT_FOUND, as in GraphQL); bad parameters 400 naming the parameter; every
 * refusal changes nothing; every export audited.
 */
import {
  APPROVAL_STATS,
  ENFORCEMENT_STATS,
  BORDER,
  NOT_PRESUMED,
  openCase,
} from '../helpers/given';
import {
  csvObjects,
  exportsSettled,
  getExport,
  ndjsonObjects,
  type ExportResponse,
} from '../helpers/exports';
import { unchanged } from '../helpers/refusals';
import { roleClients } from '../helpers/roles';
import { Client, startTestServer, TestServer } from '../helpers/server';

let server: TestServer;

/** `unchanged`, once the exports before it have written their closing audit records. */
async function unchangedAfterExports<T>(work: () => Promise<T>): Promise<T> {
  await exportsSettled(server);
  return unchanged(server, work);
}
let officer: Client;
let supervisor: Client;
let officerLax: Client;
let supervisorLax: Client;
let hq: Client;

const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id } }`;
const VOID = `mutation($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id } }`;
const SUBMIT = `mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { revision } }`;
const REPORT = `query($officeCode: String!, $weekStart: Date!, $revision: Int) {
  weeklyReport(officeCode: $officeCode, weekStart: $weekStart, revision: $revision) {
    status revision
    actions(first: 200) {
      pageInfo { hasNextPage }
      edges { node { actionId type occurredAt location category basis policyVersion justification approver } }
    }
  }
}`;

const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const TRICKY_LOCATION = 'Queens, NY — "JFK" Terminal 4';
const RANGE = { from: '2021-05-31', to: '2021-06-13' };
const WEEK = '2021-06-07';

const setClock = (iso: string) => server.clock.set(new Date(iso));

async function assessed(client: Client, facts: Record<string, unknown>): Promise<string> {
  const c = await openCase(client, { facts });
  await client.ok(ASSESS, { input: { caseId: c.id } });
  return c.id;
}

async function record(client: Client, caseId: string, type: string, at: string, location: string) {
  return (await client.ok<any>(RECORD, { input: { caseId, type, occurredAt: at, location } }))
    .recordEnforcementAction.id as string;
}

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-06-07T13:00:00Z') });
  ({ officer, supervisor, officerLax, supervisorLax, hq } = await roleClients(server));
  const nyc = [await assessed(officer, BORDER), await assessed(officer, BORDER)];
  const lax = [await assessed(officerLax, BORDER), await assessed(officerLax, BORDER)];
  const nycAsk = await assessed(officer, NOT_PRESUMED);
  const nycAsk2 = await assessed(officer, NOT_PRESUMED);
  const laxAsk = await assessed(officerLax, NOT_PRESUMED);
  const ask = async (client: Client, caseId: string, actionType: string) =>
    (await client.ok<any>(REQUEST, { input: { caseId, actionType, justification: JUSTIFICATION } }))
      .requestApproval.id as string;
  const approved = await ask(officer, nycAsk, 'DETAINER_ISSUED');
  await ask(officer, nycAsk2, 'ARREST');
  await ask(officerLax, laxAsk, 'ARREST');
  setClock('2021-06-07T16:30:00Z');
  await supervisor.ok(DECIDE, {
    input: { id: approved, decision: 'APPROVE', reason: 'Justified: release is imminent.' },
  });
  setClock('2021-06-10T14:00:00Z');
  await record(officer, nyc[0], 'ARREST', '2021-06-01T15:00:00Z', 'Bronx, NY');
  await record(officer, nyc[0], 'DETAINER_ISSUED', '2021-06-07T15:00:00Z', TRICKY_LOCATION);
  await record(officer, nyc[1], 'ARREST', '2021-06-08T17:00:00Z', 'Brooklyn, NY');
  await record(officer, nycAsk, 'DETAINER_ISSUED', '2021-06-09T12:00:00Z', 'Rikers Island, NY');
  const voided = await record(officer, nyc[1], 'NOTICE_TO_APPEAR', '2021-06-09T13:00:00Z', 'x');
  await officer.ok(VOID, { input: { id: voided, reason: 'Recorded in error.' } });
  await record(officerLax, lax[0], 'ARREST', '2021-06-07T18:00:00Z', 'Long Beach, CA');
  await record(officerLax, lax[1], 'REMOVAL', '2021-06-09T20:00:00Z', 'LAX, CA');
});
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// helpers

const DIM_KEYS: Record<string, string> = {
  WEEK: 'week',
  OFFICE: 'officeCode',
  CATEGORY: 'category',
  ACTION_TYPE: 'actionType',
  BASIS: 'basis',
};

/** GraphQL rows with only the grouped dimensions' keys (the exports' columns). */
function grouped(rows: Record<string, unknown>[], groupBy: string[], extra: string[]) {
  const keys = Object.entries(DIM_KEYS)
    .filter(([d]) => groupBy.includes(d))
    .map(([, k]) => k);
  return rows.map((r) => Object.fromEntries([...keys, ...extra].map((k) => [k, r[k]])));
}

/** CSV values back to the GraphQL types: numbers for the tallies, null for empty. */
function typed(rows: Record<string, string | null>[], numeric: string[]) {
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, v !== null && numeric.includes(k) ? Number(v) : v]),
    ),
  );
}

function expectJsonError(res: ExportResponse, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('content-disposition')).toBeNull();
  expect(res.json?.errors.map((e) => e.extensions.code)).toEqual([code]);
  if (field !== undefined) expect(res.json?.errors[0].extensions.field).toBe(field);
  expect(res.text).not.toMatch(/SELECT |stack/i);
}

const csvQuery = (groupBy: string[], extra: Record<string, string> = {}) => ({
  ...RANGE,
  ...(groupBy.length ? { groupBy: groupBy.join(',') } : {}),
  ...extra,
});

// ---------------------------------------------------------------------------------------------

describe('enforcement-stats', () => {
  test.each<[string[], Record<string, string>]>([
    [[], {}],
    [['WEEK'], {}],
    [['OFFICE'], {}],
    [['OFFICE', 'ACTION_TYPE'], { actionTypes: 'ARREST,DETAINER_ISSUED' }],
    [['WEEK', 'OFFICE', 'CATEGORY', 'ACTION_TYPE', 'BASIS'], {}],
    [['BASIS', 'WEEK'], { officeCodes: 'NYC', bases: 'PRESUMED_PRIORITY,PREAPPROVED' }],
  ])('grouped by %j with %j: the GraphQL answer, as CSV and as NDJSON', async (groupBy, extra) => {
    const filter = {
      ...RANGE,
      ...(extra.actionTypes ? { actionTypes: extra.actionTypes.split(',') } : {}),
      ...(extra.officeCodes ? { officeCodes: extra.officeCodes.split(',') } : {}),
      ...(extra.bases ? { bases: extra.bases.split(',') } : {}),
    };
    const gql = (await hq.ok<any>(ENFORCEMENT_STATS, { filter, groupBy })).enforcementStats;
    const expected = grouped(gql, groupBy, ['count']);
    expect(expected.length).toBeGreaterThan(0);
    const csv = await getExport(hq, '/exports/enforcement-stats', csvQuery(groupBy, extra));
    expect(csv.status).toBe(200);
    expect(typed(csvObjects(csv.text), ['count'])).toEqual(expected);
    const nd = await getExport(hq, '/exports/enforcement-stats', {
      ...csvQuery(groupBy, extra),
      format: 'ndjson',
    });
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson');
    expect(ndjsonObjects(nd.text)).toEqual(expected);
  });

  test('per office, what a direct count of the non-void actions says; file named for what and when', async () => {
    const res = await getExport(hq, '/exports/enforcement-stats', csvQuery(['OFFICE']));
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="enforcement-stats_2021-05-31_2021-06-13_OFFICE.csv"',
    );
    expect(res.text.split('\r\n')[0]).toBe('officeCode,count');
    const direct = await server.sql<{ code: string; n: string }>(
      `SELECT o.code, count(*)::text AS n FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
        WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
        GROUP BY o.code ORDER BY o.code`,
    );
    expect(csvObjects(res.text)).toEqual(direct.map((d) => ({ officeCode: d.code, count: d.n })));
  });

  test('a LAX supervisor gets LAX only; naming NYC is NOT_FOUND, as in GraphQL; nothing changes', async () => {
    const res = await getExport(supervisorLax, '/exports/enforcement-stats', csvQuery(['OFFICE']));
    expect(csvObjects(res.text).map((r) => r.officeCode)).toEqual(['LAX']);
    const gql = await supervisorLax.request(ENFORCEMENT_STATS, {
      filter: { ...RANGE, officeCodes: ['NYC'] },
      groupBy: ['OFFICE'],
    });
    expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await unchangedAfterExports(async () => {
      for (const officeCodes of ['NYC', 'LAX,NYC', 'NOPE'])
        expectJsonError(
          await getExport(
            supervisorLax,
            '/exports/enforcement-stats',
            csvQuery(['OFFICE'], { officeCodes }),
          ),
          404,
          'NOT_FOUND',
        );
    });
  });
});

describe('approval-stats', () => {
  test.each([[[]], [['OFFICE']], [['WEEK', 'OFFICE', 'ACTION_TYPE']]])(
    'grouped by %j: the GraphQL answer and a direct count of the pre-approval requests',
    async (groupBy) => {
      const gql = (await hq.ok<any>(APPROVAL_STATS, { filter: RANGE, groupBy })).approvalStats;
      const expected = grouped(gql, groupBy, [
        'requested',
        'approved',
        'denied',
        'pending',
        'withdrawn',
        'approvalRate',
        'medianDecisionHours',
      ]);
      const csv = await getExport(hq, '/exports/approval-stats', csvQuery(groupBy));
      const numeric = ['requested', 'approved', 'denied', 'pending', 'withdrawn'];
      expect(
        typed(csvObjects(csv.text), [...numeric, 'approvalRate', 'medianDecisionHours']),
      ).toEqual(expected);
      const nd = await getExport(hq, '/exports/approval-stats', {
        ...csvQuery(groupBy),
        format: 'ndjson',
      });
      expect(ndjsonObjects(nd.text)).toEqual(expected);
      const [{ n }] = await server.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM approval_requests WHERE kind <> 'POST_ACTION'`,
      );
      expect(expected.reduce((s, r) => s + (r.requested as number), 0)).toBe(n);
    },
  );

  test('a LAX supervisor gets LAX only; CATEGORY and categories do not apply (400 naming them)', async () => {
    const res = await getExport(supervisorLax, '/exports/approval-stats', csvQuery(['OFFICE']));
    expect(csvObjects(res.text)).toEqual([
      expect.objectContaining({ officeCode: 'LAX', requested: '1', pending: '1' }),
    ]);
    await unchangedAfterExports(async () => {
      expectJsonError(
        await getExport(hq, '/exports/approval-stats', csvQuery(['OFFICE', 'CATEGORY'])),
        400,
        'BAD_USER_INPUT',
        'groupBy',
      );
      expectJsonError(
        await getExport(hq, '/exports/approval-stats', csvQuery([], { categories: 'OTHER' })),
        400,
        'BAD_USER_INPUT',
        'categories',
      );
      expectJsonError(
        await getExport(hq, '/exports/approval-stats', csvQuery([], { bases: 'EXIGENT' })),
        400,
        'BAD_USER_INPUT',
        'bases',
      );
    });
  });
});

describe('weekly-report', () => {
  // The report's actions, every page of them (one here: the test's weeks hold fewer than 200).
  const reportActions = async (client: Client, revision?: number) => {
    const report = (await client.ok<any>(REPORT, { officeCode: 'NYC', weekStart: WEEK, revision }))
      .weeklyReport;
    expect(report.actions.pageInfo.hasNextPage).toBe(false);
    return { ...report, actions: report.actions.edges.map((e: any) => e.node) };
  };

  const ACTION_NUMERIC: string[] = [];
  const exportRows = async (client: Client, extra: Record<string, string> = {}) => {
    const res = await getExport(client, '/exports/weekly-report', {
      officeCode: 'NYC',
      weekStart: WEEK,
      ...extra,
    });
    expect(res.status).toBe(200);
    return { res, rows: typed(csvObjects(res.text), ACTION_NUMERIC) };
  };
  const strip = (rows: Record<string, unknown>[]) =>
    rows.map(({ officeCode, weekStart, status, revision, ...action }) => {
      void officeCode;
      void weekStart;
      void status;
      void revision;
      return action;
    });

  test("a draft: the week's actions as GraphQL shows them, one row each, status DRAFT", async () => {
    const report = await reportActions(supervisor);
    expect(report.status).toBe('DRAFT');
    const { res, rows } = await exportRows(supervisor);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="weekly-report_NYC_2021-06-07_draft.csv"',
    );
    expect(strip(rows)).toEqual(report.actions);
    expect(rows.map((r) => [r.officeCode, r.weekStart, r.status, r.revision])).toEqual(
      rows.map(() => ['NYC', WEEK, 'DRAFT', null]),
    );
    expect(rows.map((r) => r.location)).toContain(TRICKY_LOCATION);
    expect(res.text).toContain('"Queens, NY — ""JFK"" Terminal 4"');
    const [{ n }] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
        WHERE o.code = 'NYC' AND a.occurred_at >= '2021-06-07T04:00:00Z' AND a.occurred_at < '2021-06-14T04:00:00Z'
          AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)`,
    );
    expect(rows).toHaveLength(n);
    const nd = await getExport(supervisor, '/exports/weekly-report', {
      officeCode: 'NYC',
      weekStart: WEEK,
      format: 'ndjson',
    });
    expect(ndjsonObjects(nd.text)).toEqual(rows);
  });

  test('submitted: the revision frozen, even after a later action in the week', async () => {
    setClock('2021-06-15T14:00:00Z');
    await supervisor.ok(SUBMIT, { input: { officeCode: 'NYC', weekStart: WEEK } });
    const frozen = await reportActions(hq);
    expect(frozen.revision).toBe(1);
    const caseId = await assessed(officer, BORDER);
    await record(officer, caseId, 'ARREST', '2021-06-11T15:00:00Z', 'Harlem, NY');
    const { res, rows } = await exportRows(hq);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="weekly-report_NYC_2021-06-07_r1.csv"',
    );
    expect(strip(rows)).toEqual(frozen.actions);
    expect(new Set(rows.map((r) => `${r.status}/${r.revision}`))).toEqual(new Set(['SUBMITTED/1']));
    const [{ n }] = await server.sql<{ n: number }>(
      `SELECT jsonb_array_length(content -> 'actions') AS n FROM weekly_report_revisions WHERE revision = 1`,
    );
    expect(rows).toHaveLength(n);
    expect((await exportRows(hq, { revision: '1' })).rows).toEqual(rows);
    expectJsonError(
      await getExport(hq, '/exports/weekly-report', {
        officeCode: 'NYC',
        weekStart: WEEK,
        revision: '2',
      }),
      404,
      'NOT_FOUND',
    );
  });

  test("another office's week is NOT_FOUND for a LAX supervisor; bad parameters 400", async () => {
    await unchangedAfterExports(async () => {
      expectJsonError(
        await getExport(supervisorLax, '/exports/weekly-report', {
          officeCode: 'NYC',
          weekStart: WEEK,
        }),
        404,
        'NOT_FOUND',
      );
      expectJsonError(
        await getExport(hq, '/exports/weekly-report', {
          officeCode: 'NYC',
          weekStart: '2021-06-08',
        }),
        400,
        'BAD_USER_INPUT',
        'weekStart',
      );
      expectJsonError(
        await getExport(hq, '/exports/weekly-report', {
          officeCode: 'NYC',
          weekStart: '2031-06-02',
        }),
        400,
        'BAD_USER_INPUT',
        'weekStart',
      );
      expectJsonError(
        await getExport(hq, '/exports/weekly-report', { weekStart: WEEK }),
        400,
        'BAD_USER_INPUT',
        'officeCode',
      );
    });
  });
});

describe('every export', () => {
  const EXPORTS: [string, Record<string, string>][] = [
    ['/exports/enforcement-stats', RANGE],
    ['/exports/approval-stats', RANGE],
    ['/exports/weekly-report', { officeCode: 'NYC', weekStart: WEEK }],
  ];

  test.each(EXPORTS)(
    '%s: an officer 403, no token or a bad one 401, all JSON; nothing changes',
    async (path, query) => {
      await unchangedAfterExports(async () => {
        expectJsonError(await getExport(officer, path, query), 403, 'FORBIDDEN');
        expectJsonError(await getExport(officerLax, path, query), 403, 'FORBIDDEN');
        expectJsonError(await getExport(server.anonymous(), path, query), 401, 'UNAUTHENTICATED');
        expectJsonError(
          await getExport(new Client(server.url, 'not-a-token'), path, query),
          401,
          'UNAUTHENTICATED',
        );
      });
    },
  );

  test.each(EXPORTS)('%s: a bad parameter 400 naming it; only GET', async (path, query) => {
    await unchangedAfterExports(async () => {
      expectJsonError(
        await getExport(hq, path, { ...query, format: 'xlsx' }),
        400,
        'BAD_USER_INPUT',
        'format',
      );
      expectJsonError(
        await getExport(hq, path, { ...query, colour: 'red' }),
        400,
        'BAD_USER_INPUT',
        'colour',
      );
      for (const method of ['POST', 'HEAD']) {
        const res = await fetch(new URL(path, server.url), {
          method,
          headers: { authorization: `Bearer ${hq.token}` },
        });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET');
      }
    });
    if (path !== '/exports/weekly-report') {
      for (const [name, value] of [
        ['from', '2021-13-01'],
        ['to', ''],
        ['groupBy', 'WEEK,SHOE'],
        ['categories', 'MAYBE'],
        ['actionTypes', 'arrest'],
      ])
        expectJsonError(
          await getExport(hq, path, { ...query, [name]: value }),
          400,
          'BAD_USER_INPUT',
          name,
        );
    }
  });

  test('each export is audited: who, what was asked, and the rows sent', async () => {
    const before = await server.sql(`SELECT max(insertion)::bigint AS m FROM audit_log`);
    const res = await getExport(supervisor, '/exports/enforcement-stats', csvQuery(['WEEK']));
    const rows = csvObjects(res.text).length;
    const hqId = await server.userId('supervisor.nyc@example.gov');
    let records: any[] = [];
    for (let i = 0; i < 100 && records.length < 2; i++) {
      records = await server.sql(
        `SELECT kind, actor_id, operation, record_type, office_ids, change FROM audit_log
          WHERE insertion > $1 ORDER BY insertion`,
        [before[0].m],
      );
      if (records.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    const [{ id: nycId }] = await server.sql(`SELECT id FROM offices WHERE code = 'NYC'`);
    expect(records).toEqual([
      {
        kind: 'READ',
        actor_id: hqId,
        operation: 'exportEnforcementStats',
        record_type: 'EnforcementStats',
        office_ids: [nycId],
        change: {
          ...RANGE,
          groupBy: ['WEEK'],
          format: 'csv',
          phase: 'STARTED',
        },
      },
      {
        kind: 'READ',
        actor_id: hqId,
        operation: 'exportEnforcementStats',
        record_type: 'EnforcementStats',
        office_ids: [nycId],
        change: { format: 'csv', phase: 'ENDED', rows, complete: true, stoppedBy: null },
      },
    ]);
    await server.chained();
  });
});
