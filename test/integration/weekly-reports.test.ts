/**
 * Weekly reports through the real GraphQL server (shield on) against a real PostgreSQL, with the
 * service's clock in 2021 (ICE-2021-02-18 in force).
 *
 * One New York week (Monday 7 June 2021, EDT, UTC-4) is built through the API from a known set of
 * actions: presumed border arrests, a pre-approved detainer with its approval, an exigent arrest
 * justified late and ratified, an exigent arrest never justified, a voided action, an action at
 * 23:30 Sunday local (Monday in UTC) and one at 00:30 the next Monday local. Its report must equal
 * the expected rows and totals exactly. Then: submission and its freezing, amendment, revisions,
 * concurrency, roles, compliance and the listing.
 *
 * The tests of a describe block run in order and share its records; each sets the clock it needs.
 * Every refusal asserts its code and that no table changed (a fingerprint of every table).
 */
import { AddActionReportColumns1795971170530 } from '../../migrations/1795971170530-AddActionReportColumns';
import { BORDER, codes, NOT_PRESUMED, openCase } from '../helpers/given';
import {
  Client,
  SUPERVISOR2_NYC,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { expectRefused } from '../helpers/refusals';
import { allActions, flat } from '../helpers/reports';

const ICE = 'ICE-2021-02-18';
const HOUR = 3600_000;

let server: TestServer;
let officer: Client;
let supervisor: Client;
let supervisor2: Client;
let officerLax: Client;
let supervisorLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-06-08T14:00:00Z') });
  ({ officer, supervisor, supervisor2, officerLax, supervisorLax, hq } = await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// helpers

const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const DETAINER_JUSTIFICATION =
  'The subject is held at Rikers Island on a state charge and will be released within days; a detainer is the least costly way to take custody.';
const LATE_JUSTIFICATION =
  'The subject was boarding an international flight at JFK; no supervisor could be reached before departure.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';

const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id presumedPriority summary } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) { id basis category postActionRequest { id } }
}`;
const VOID = `mutation($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { id voided } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id status } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status } }`;
const WITHDRAW = `mutation($input: WithdrawApprovalRequestInput!) { withdrawApprovalRequest(input: $input) { id status } }`;
const JUSTIFY = `mutation($input: SubmitPostActionJustificationInput!) {
  submitPostActionJustification(input: $input) { id late }
}`;

const REPORT_FIELDS = `
  officeCode weekStart from to status revision submittedAt note amendReason dataCutoff dueAt late
  office { code timeZone }
  submittedBy { email }
  policyVersions
  ${allActions('actionId type occurredAt location category basis policyVersion justification approver')}
  totalsByCategory { key count }
  totalsByActionType { key count }
  totalsByBasis { key count }
  requests { made approved denied pending withdrawn medianDecisionHours }
  exigentActions { actionId occurredAt justificationDueAt justificationSubmittedAt justification ratification }
  latePostActionCount missingPostActionCount
  revisions { revision submittedAt note amendReason submittedBy { email } }
`;
const REPORT = `query Report($officeCode: String!, $weekStart: Date!, $revision: Int) {
  weeklyReport(officeCode: $officeCode, weekStart: $weekStart, revision: $revision) { ${REPORT_FIELDS} }
}`;
const SUBMIT = `mutation Submit($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { ${REPORT_FIELDS} } }`;
const AMEND = `mutation Amend($input: AmendWeeklyReportInput!) { amendWeeklyReport(input: $input) { ${REPORT_FIELDS} } }`;
const COMPLIANCE = `query Compliance($weekStart: Date!) {
  reportingCompliance(weekStart: $weekStart) { officeCode weekStart dueAt status submittedAt revisions }
}`;
const LISTING = `query Listing($filter: WeeklyReportsFilter!) {
  weeklyReports(filter: $filter) { officeCode weekStart status revision submittedAt dueAt compliance }
}`;

const setClock = (iso: string) => server.clock.set(new Date(iso));

/** Subjects of this file, with names and A-numbers no report may show. */
const subjects: { name: string; aNumber: string; dateOfBirth: string }[] = [];
let subjectCounter = 0;

/** Opens a case with a distinctive subject as `client` and assesses it now. */
async function assessedCase(
  client: Client,
  facts: Record<string, unknown>,
): Promise<{ caseId: string; summary: string }> {
  subjectCounter += 1;
  const subject = {
    name: `Quintessa Vandermolen-${String.fromCharCode(64 + subjectCounter)}`,
    aNumber: String(987650000 + subjectCounter),
    dateOfBirth: `1979-0${1 + (subjectCounter % 9)}-2${subjectCounter % 10}`,
  };
  subjects.push(subject);
  const c = await openCase(client, { subject, facts });
  const assessed = await client.ok<any>(ASSESS, { input: { caseId: c.id } });
  return { caseId: c.id, summary: assessed.assessCase.summary };
}

async function record(client: Client, input: Record<string, unknown>): Promise<any> {
  return (await client.ok<any>(RECORD, { input })).recordEnforcementAction;
}

async function report(
  client: Client,
  officeCode: string,
  weekStart: string,
  revision?: number,
): Promise<any> {
  return flat((await client.ok<any>(REPORT, { officeCode, weekStart, revision })).weeklyReport);
}

/** No subject's name, A-number (plain or shown `A123-456-789`) or date of birth in `value`. */
function expectNoIdentity(value: unknown): void {
  const json = JSON.stringify(value);
  expect(subjects.length).toBeGreaterThan(0);
  for (const s of subjects) {
    const shown = `A${s.aNumber.slice(0, 3)}-${s.aNumber.slice(3, 6)}-${s.aNumber.slice(6)}`;
    for (const needle of [s.name, 'Quintessa', 'Vandermolen', s.aNumber, shown, s.dateOfBirth]) {
      expect(json).not.toContain(needle);
    }
  }
}

// ---------------------------------------------------------------------------------------------

describe('the week of Monday 7 June 2021 in New York', () => {
  const WEEK = '2021-06-07';
  /** Monday 00:00 EDT to the next Monday 00:00 EDT. */
  const FROM = '2021-06-07T04:00:00.000Z';
  const TO = '2021-06-14T04:00:00.000Z';
  /** Monday 14 June 12:00 EDT. */
  const DUE = '2021-06-14T16:00:00.000Z';

  const ids: Record<string, string> = {};
  let borderSummary1: string;
  let borderSummary2: string;
  let border1: string;
  let border2: string;
  let submitted: any;

  beforeAll(async () => {
    // Tuesday 8 June, 10:00 EDT: the cases, assessed, and five pre-approval requests.
    setClock('2021-06-08T14:00:00Z');
    const b1 = await assessedCase(officer, BORDER);
    const b2 = await assessedCase(officer, BORDER);
    [border1, border2, borderSummary1, borderSummary2] = [
      b1.caseId,
      b2.caseId,
      b1.summary,
      b2.summary,
    ];
    const [pre, denied, pending, withdrawn, late9h, exLate, exMissing] = [
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
      await assessedCase(officer, NOT_PRESUMED),
    ].map((c) => c.caseId);
    const ask = async (caseId: string, actionType: string, justification = JUSTIFICATION) =>
      (
        await officer.ok<any>(REQUEST, {
          input: { caseId, actionType, justification },
        })
      ).requestApproval.id as string;
    const reqDetainer = await ask(pre, 'DETAINER_ISSUED', DETAINER_JUSTIFICATION);
    const reqDenied = await ask(denied, 'ARREST');
    await ask(pending, 'ARREST');
    const reqWithdrawn = await ask(withdrawn, 'NOTICE_TO_APPEAR');
    const reqNine = await ask(late9h, 'DETENTION');

    // Decisions after 2, 4 and 9 hours (median 4); one withdrawn; one left pending.
    setClock('2021-06-08T16:00:00Z');
    await supervisor.ok(DECIDE, {
      input: { id: reqDetainer, decision: 'APPROVE', reason: 'Justified: release is imminent.' },
    });
    setClock('2021-06-08T18:00:00Z');
    await supervisor.ok(DECIDE, {
      input: { id: reqDenied, decision: 'DENY', reason: 'Not a justified use of resources.' },
    });
    await officer.ok(WITHDRAW, { input: { id: reqWithdrawn, reason: 'Asked in error.' } });
    setClock('2021-06-08T23:00:00Z');
    await supervisor2.ok(DECIDE, {
      input: { id: reqNine, decision: 'APPROVE', reason: 'Justified use of resources.' },
    });

    // A presumed border arrest on Monday 11:00 EDT; the pre-approved detainer on Tuesday 13:00 EDT.
    ids.border1 = (
      await record(officer, {
        caseId: border1,
        type: 'ARREST',
        occurredAt: '2021-06-07T15:00:00Z',
        location: 'Queens, NY',
      })
    ).id;
    const detainer = await record(officer, {
      caseId: pre,
      type: 'DETAINER_ISSUED',
      occurredAt: '2021-06-08T17:00:00Z',
      location: 'Rikers Island, NY',
    });
    expect(detainer.basis).toBe('PREAPPROVED');
    ids.detainer = detainer.id;
    // Sunday 6 June 23:30 EDT is Monday in UTC, but the week before locally.
    ids.sundayBefore = (
      await record(officer, {
        caseId: border1,
        type: 'ARREST',
        occurredAt: '2021-06-07T03:30:00Z',
        location: 'Yonkers, NY',
      })
    ).id;

    // An exigent arrest on Wednesday 10:00 EDT, justified an hour late, ratified by supervisor 2.
    setClock('2021-06-09T15:00:00Z');
    const late = await record(officer, {
      caseId: exLate,
      type: 'ARREST',
      occurredAt: '2021-06-09T14:00:00Z',
      location: 'JFK Terminal 4',
      exigent: { narrative: NARRATIVE },
    });
    expect(late.basis).toBe('EXIGENT');
    ids.exLate = late.id;
    setClock('2021-06-10T15:00:00Z');
    const justified = await officer.ok<any>(JUSTIFY, {
      input: { enforcementActionId: late.id, justification: LATE_JUSTIFICATION },
    });
    expect(justified.submitPostActionJustification.late).toBe(true);
    await supervisor2.ok(DECIDE, {
      input: { id: late.postActionRequest.id, decision: 'APPROVE', reason: 'Exigency shown.' },
    });

    // An exigent arrest on Thursday 12:00 EDT, never justified (due Friday 12:00 EDT).
    setClock('2021-06-10T16:30:00Z');
    const missing = await record(officer, {
      caseId: exMissing,
      type: 'ARREST',
      occurredAt: '2021-06-10T16:00:00Z',
      location: 'Newark, NJ',
      exigent: { narrative: NARRATIVE },
    });
    expect(missing.basis).toBe('EXIGENT');
    ids.exMissing = missing.id;
    ids.exMissingPost = missing.postActionRequest.id;

    // Monday 14 June 01:00 EDT: Saturday's arrest, a voided one, Sunday 23:30 and Monday 00:30.
    setClock('2021-06-14T05:00:00Z');
    ids.border2 = (
      await record(officer, {
        caseId: border2,
        type: 'ARREST',
        occurredAt: '2021-06-12T18:00:00Z',
        location: 'Bronx, NY',
      })
    ).id;
    ids.voided = (
      await record(officer, {
        caseId: border1,
        type: 'NOTICE_TO_APPEAR',
        occurredAt: '2021-06-11T15:00:00Z',
        location: 'Federal Plaza, NY',
      })
    ).id;
    await officer.ok(VOID, {
      input: { id: ids.voided, reason: 'Recorded against the wrong case.' },
    });
    ids.sunday = (
      await record(officer, {
        caseId: border2,
        type: 'DETENTION',
        occurredAt: '2021-06-14T03:30:00Z',
        location: 'Varick Street, NY',
      })
    ).id;
    ids.nextMonday = (
      await record(officer, {
        caseId: border1,
        type: 'ARREST',
        occurredAt: '2021-06-14T04:30:00Z',
        location: 'Staten Island, NY',
      })
    ).id;

    // Another office's border arrest inside the same UTC window must stay out of New York's report.
    const lax = await assessedCase(officerLax, BORDER);
    ids.lax = (
      await record(officerLax, {
        caseId: lax.caseId,
        type: 'ARREST',
        occurredAt: '2021-06-09T20:00:00Z',
        location: 'Long Beach, CA',
      })
    ).id;
  });

  const row = (
    id: string,
    type: string,
    occurredAt: string,
    location: string,
    category: string,
    basis: string,
    justification: string | null,
    approver: string | null,
  ) => ({
    actionId: ids[id],
    type,
    occurredAt,
    location,
    category,
    basis,
    policyVersion: ICE,
    justification,
    approver,
  });

  const expectedActions = () => [
    row(
      'border1',
      'ARREST',
      '2021-06-07T11:00:00-04:00',
      'Queens, NY',
      'BORDER_SECURITY',
      'PRESUMED_PRIORITY',
      borderSummary1,
      null,
    ),
    row(
      'detainer',
      'DETAINER_ISSUED',
      '2021-06-08T13:00:00-04:00',
      'Rikers Island, NY',
      'OTHER',
      'PREAPPROVED',
      DETAINER_JUSTIFICATION,
      'Sofia Santos',
    ),
    row(
      'exLate',
      'ARREST',
      '2021-06-09T10:00:00-04:00',
      'JFK Terminal 4',
      'OTHER',
      'EXIGENT',
      LATE_JUSTIFICATION,
      'Samuel Stone',
    ),
    row(
      'exMissing',
      'ARREST',
      '2021-06-10T12:00:00-04:00',
      'Newark, NJ',
      'OTHER',
      'EXIGENT',
      null,
      null,
    ),
    row(
      'border2',
      'ARREST',
      '2021-06-12T14:00:00-04:00',
      'Bronx, NY',
      'BORDER_SECURITY',
      'PRESUMED_PRIORITY',
      borderSummary2,
      null,
    ),
    row(
      'sunday',
      'DETENTION',
      '2021-06-13T23:30:00-04:00',
      'Varick Street, NY',
      'BORDER_SECURITY',
      'PRESUMED_PRIORITY',
      borderSummary2,
      null,
    ),
  ];

  const expectedContent = () => ({
    policyVersions: [ICE],
    actions: expectedActions(),
    totalsByCategory: [
      { key: 'BORDER_SECURITY', count: 3 },
      { key: 'OTHER', count: 3 },
    ],
    totalsByActionType: [
      { key: 'ARREST', count: 4 },
      { key: 'DETAINER_ISSUED', count: 1 },
      { key: 'DETENTION', count: 1 },
    ],
    totalsByBasis: [
      { key: 'EXIGENT', count: 2 },
      { key: 'PREAPPROVED', count: 1 },
      { key: 'PRESUMED_PRIORITY', count: 3 },
    ],
    requests: {
      made: 5,
      approved: 2,
      denied: 1,
      pending: 1,
      withdrawn: 1,
      medianDecisionHours: 4,
    },
    exigentActions: [
      {
        actionId: ids.exLate,
        occurredAt: '2021-06-09T10:00:00-04:00',
        justificationDueAt: '2021-06-10T10:00:00-04:00',
        justificationSubmittedAt: '2021-06-10T11:00:00-04:00',
        justification: 'LATE',
        ratification: 'RATIFIED',
      },
      {
        actionId: ids.exMissing,
        occurredAt: '2021-06-10T12:00:00-04:00',
        justificationDueAt: '2021-06-11T12:00:00-04:00',
        justificationSubmittedAt: null,
        justification: 'MISSING',
        ratification: 'AWAITING_JUSTIFICATION',
      },
    ],
    latePostActionCount: 1,
    missingPostActionCount: 1,
  });

  test('the draft equals the expected rows and totals exactly, and shows no subject identity', async () => {
    setClock('2021-06-14T12:00:00Z');
    expect(borderSummary1).toMatch(/^Presumed border security priority/);
    const res = await supervisor.request(REPORT, { officeCode: 'NYC', weekStart: WEEK });
    expect(res.errors).toBeUndefined();
    const draft = flat(res.data?.weeklyReport);
    expect(draft).toEqual({
      officeCode: 'NYC',
      weekStart: WEEK,
      from: FROM,
      to: TO,
      status: 'DRAFT',
      revision: null,
      submittedAt: null,
      note: null,
      amendReason: null,
      dataCutoff: '2021-06-14T12:00:00.000Z',
      dueAt: DUE,
      late: false,
      office: { code: 'NYC', timeZone: 'America/New_York' },
      submittedBy: null,
      ...expectedContent(),
      revisions: [],
    });
    expectNoIdentity(res);
    // The same draft for headquarters.
    expect(await report(hq, 'NYC', WEEK)).toEqual(draft);
  });

  test('actions recorded before their report reason was copied onto them give the same draft once the migration has filled it', async () => {
    setClock('2021-06-14T12:00:00Z');
    const before = await report(supervisor, 'NYC', WEEK);
    expect(before.actions.some((a: { approver: string | null }) => a.approver)).toBe(true);
    // The table as it was before AddActionReportColumns, then that migration's own `up`.
    const runner = server.admin.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`ALTER TABLE enforcement_actions
        DROP CONSTRAINT enforcement_actions_approved_by_id_fkey,
        DROP COLUMN report_reason, DROP COLUMN approved_by_id`);
      await new AddActionReportColumns1795971170530().up(runner);
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
    expect(await report(supervisor, 'NYC', WEEK)).toEqual(before);
  });

  test('the Sunday 23:30 action of the week before and the Monday 00:30 action are in their own weeks', async () => {
    setClock('2021-06-14T12:00:00Z');
    const before = await report(supervisor, 'NYC', '2021-05-31');
    expect(before.actions.map((a: any) => [a.actionId, a.occurredAt])).toEqual([
      [ids.sundayBefore, '2021-06-06T23:30:00-04:00'],
    ]);
    const after = await report(supervisor, 'NYC', '2021-06-14');
    expect(after).toMatchObject({ from: TO, to: '2021-06-21T04:00:00.000Z', status: 'DRAFT' });
    expect(after.actions.map((a: any) => [a.actionId, a.occurredAt])).toEqual([
      [ids.nextMonday, '2021-06-14T00:30:00-04:00'],
    ]);
    // Los Angeles sees its own arrest only.
    const lax = await report(supervisorLax, 'LAX', WEEK);
    expect(lax).toMatchObject({
      from: '2021-06-07T07:00:00.000Z',
      to: '2021-06-14T07:00:00.000Z',
      dueAt: '2021-06-14T19:00:00.000Z',
    });
    expect(lax.actions.map((a: any) => [a.actionId, a.occurredAt])).toEqual([
      [ids.lax, '2021-06-09T13:00:00-07:00'],
    ]);
  });

  test('weekStart not a Monday: BAD_USER_INPUT naming weekStart, for every operation', async () => {
    setClock('2021-06-14T12:00:00Z');
    await expectRefused(
      server,
      supervisor,
      REPORT,
      { officeCode: 'NYC', weekStart: '2021-06-08' },
      'BAD_USER_INPUT',
      'weekStart',
    );
    await expectRefused(
      server,
      supervisor,
      REPORT,
      { officeCode: 'NYC', weekStart: '2021-06-13' },
      'BAD_USER_INPUT',
      'weekStart',
    );
    await expectRefused(
      server,
      supervisor,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: '2021-06-06' } },
      'BAD_USER_INPUT',
      'input.weekStart',
    );
    await expectRefused(
      server,
      supervisor,
      AMEND,
      { input: { officeCode: 'NYC', weekStart: '2021-06-09', reason: 'A correction.' } },
      'BAD_USER_INPUT',
      'input.weekStart',
    );
    await expectRefused(
      server,
      hq,
      COMPLIANCE,
      { weekStart: '2021-06-10' },
      'BAD_USER_INPUT',
      'weekStart',
    );
    await expectRefused(
      server,
      supervisor,
      REPORT,
      { officeCode: 'NYC', weekStart: '2021-06-31' },
      'BAD_USER_INPUT',
    );
  });

  test('reading: officers FORBIDDEN, a supervisor of another office NOT_FOUND (like an unknown office)', async () => {
    setClock('2021-06-14T12:00:00Z');
    await expectRefused(
      server,
      officer,
      REPORT,
      { officeCode: 'NYC', weekStart: WEEK },
      'FORBIDDEN',
    );
    await expectRefused(
      server,
      officerLax,
      REPORT,
      { officeCode: 'LAX', weekStart: WEEK },
      'FORBIDDEN',
    );
    const other = await expectRefused(
      server,
      supervisorLax,
      REPORT,
      { officeCode: 'NYC', weekStart: WEEK },
      'NOT_FOUND',
    );
    const unknown = await expectRefused(
      server,
      supervisorLax,
      REPORT,
      { officeCode: 'ZZZ', weekStart: WEEK },
      'NOT_FOUND',
    );
    expect(other.message).toBe(unknown.message);
    expect(JSON.stringify(other)).not.toContain('Queens');
  });

  test('submitting before the week has ended (Sunday 23:59:59.999 EDT): CONFLICT', async () => {
    setClock('2021-06-14T03:59:59.999Z');
    await expectRefused(
      server,
      supervisor,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: WEEK } },
      'CONFLICT',
    );
    // The current week, in the middle of it.
    setClock('2021-06-16T12:00:00Z');
    await expectRefused(
      server,
      supervisor,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: '2021-06-14' } },
      'CONFLICT',
    );
  });

  test('submitting the ended week: SUBMITTED, revision 1, the compiled content frozen as it was', async () => {
    setClock('2021-06-14T13:00:00Z');
    const res = await supervisor.request(SUBMIT, {
      input: { officeCode: 'NYC', weekStart: WEEK, note: '  Reviewed with the team.  ' },
    });
    expect(res.errors).toBeUndefined();
    submitted = flat(res.data?.submitWeeklyReport);
    const revision1 = {
      revision: 1,
      submittedAt: '2021-06-14T13:00:00.000Z',
      note: 'Reviewed with the team.',
      amendReason: null,
      submittedBy: { email: SUPERVISOR_NYC },
    };
    expect(submitted).toEqual({
      officeCode: 'NYC',
      weekStart: WEEK,
      from: FROM,
      to: TO,
      status: 'SUBMITTED',
      revision: 1,
      submittedAt: '2021-06-14T13:00:00.000Z',
      note: 'Reviewed with the team.',
      amendReason: null,
      dataCutoff: '2021-06-14T13:00:00.000Z',
      dueAt: DUE,
      late: false,
      office: { code: 'NYC', timeZone: 'America/New_York' },
      submittedBy: { email: SUPERVISOR_NYC },
      ...expectedContent(),
      revisions: [revision1],
    });
    expectNoIdentity(res);
    const stored = await server.sql(
      `SELECT r.revision, r.content FROM weekly_report_revisions r JOIN offices o ON o.id = r.office_id
        WHERE o.code = 'NYC' AND r.week_start = $1`,
      [WEEK],
    );
    expect(stored).toHaveLength(1);
    expectNoIdentity(stored);
    // Its parts as stored for reading a part at a time: the summary is the content but its
    // actions, and the actions a row each, in the content's order; none of them may change.
    const [parts] = await server.sql<{
      summary: Record<string, unknown>;
      action_count: number;
      content: { actions: unknown[] };
    }>(
      `SELECT r.summary, r.action_count, r.content FROM weekly_report_revisions r
         JOIN offices o ON o.id = r.office_id WHERE o.code = 'NYC' AND r.week_start = $1`,
      [WEEK],
    );
    const { actions, ...rest } = parts.content;
    expect(parts.summary).toEqual(rest);
    expect(parts.action_count).toBe(actions.length);
    const rows = await server.sql<{ action: unknown }>(
      `SELECT a.action FROM weekly_report_revision_actions a
         JOIN weekly_report_revisions r ON r.id = a.revision_id JOIN offices o ON o.id = r.office_id
        WHERE o.code = 'NYC' AND r.week_start = $1 ORDER BY a.occurred_at, a.action_id`,
      [WEEK],
    );
    expect(rows.map((r) => r.action)).toEqual(actions);
    expect(actions.length).toBeGreaterThan(0);
    await expect(
      server.sql(`UPDATE weekly_report_revision_actions SET action = '{}'`),
    ).rejects.toThrow(/append-only|not be changed|refuse/i);
    await expect(server.sql(`DELETE FROM weekly_report_revision_actions`)).rejects.toThrow();
    // Reading it back later gives the same revision.
    setClock('2021-06-14T20:00:00Z');
    expect(await report(supervisor2, 'NYC', WEEK)).toEqual(submitted);
    expect(await report(hq, 'NYC', WEEK)).toEqual(submitted);
  });

  test('a second submission of the week: CONFLICT', async () => {
    setClock('2021-06-14T21:00:00Z');
    await expectRefused(
      server,
      supervisor2,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: WEEK } },
      'CONFLICT',
    );
    await expectRefused(
      server,
      supervisor,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: WEEK, note: 'Again.' } },
      'CONFLICT',
    );
  });

  test('submitting or amending: headquarters FORBIDDEN, officers FORBIDDEN, another office NOT_FOUND', async () => {
    setClock('2021-06-15T12:00:00Z');
    const submitNyc = { input: { officeCode: 'NYC', weekStart: WEEK } };
    const amendNyc = { input: { officeCode: 'NYC', weekStart: WEEK, reason: 'A correction.' } };
    await expectRefused(server, hq, SUBMIT, submitNyc, 'FORBIDDEN');
    await expectRefused(server, hq, AMEND, amendNyc, 'FORBIDDEN');
    await expectRefused(
      server,
      hq,
      SUBMIT,
      { input: { officeCode: 'CHI', weekStart: WEEK } },
      'FORBIDDEN',
    );
    await expectRefused(server, officer, SUBMIT, submitNyc, 'FORBIDDEN');
    await expectRefused(server, officer, AMEND, amendNyc, 'FORBIDDEN');
    await expectRefused(
      server,
      officerLax,
      SUBMIT,
      { input: { officeCode: 'LAX', weekStart: WEEK } },
      'FORBIDDEN',
    );
    await expectRefused(server, supervisorLax, AMEND, amendNyc, 'NOT_FOUND');
    await expectRefused(
      server,
      supervisorLax,
      SUBMIT,
      { input: { officeCode: 'CHI', weekStart: WEEK } },
      'NOT_FOUND',
    );
    await expectRefused(
      server,
      supervisorLax,
      SUBMIT,
      { input: { officeCode: 'NYC', weekStart: '2021-05-31' } },
      'NOT_FOUND',
    );
    await expectRefused(
      server,
      supervisorLax,
      REPORT,
      { officeCode: 'NYC', weekStart: WEEK, revision: 1 },
      'NOT_FOUND',
    );
  });

  test('actions recorded later in the submitted week do not change the submitted revision', async () => {
    setClock('2021-06-15T14:00:00Z');
    // Thursday 10 June 16:00 EDT, recorded on Tuesday 15 June; and the missing justification, late.
    ids.later = (
      await record(officer, {
        caseId: border2,
        type: 'NOTICE_TO_APPEAR',
        occurredAt: '2021-06-10T20:00:00Z',
        location: 'Federal Plaza, NY',
      })
    ).id;
    await officer.ok(JUSTIFY, {
      input: { requestId: ids.exMissingPost, justification: LATE_JUSTIFICATION },
    });
    // ... and a voided one that had been counted.
    await supervisor.ok(VOID, {
      input: { id: ids.border1, reason: 'Duplicate of another record.' },
    });
    const read = await report(supervisor, 'NYC', WEEK);
    expect(read).toEqual(submitted);
    expect(await report(supervisor, 'NYC', WEEK, 1)).toEqual(submitted);
  });

  test('amending: revision 2 from the current records with its reason, AMENDED; revision 1 still readable', async () => {
    setClock('2021-06-15T15:00:00Z');
    const res = await supervisor2.request(AMEND, {
      input: {
        officeCode: 'NYC',
        weekStart: WEEK,
        reason: '  A notice to appear was recorded late.  ',
      },
    });
    expect(res.errors).toBeUndefined();
    const amended = flat(res.data?.amendWeeklyReport);
    const base = expectedContent();
    const [, detainer, exLate, exMissing, b2, sunday] = base.actions;
    const revisions = [
      {
        revision: 1,
        submittedAt: '2021-06-14T13:00:00.000Z',
        note: 'Reviewed with the team.',
        amendReason: null,
        submittedBy: { email: SUPERVISOR_NYC },
      },
      {
        revision: 2,
        submittedAt: '2021-06-15T15:00:00.000Z',
        note: null,
        amendReason: 'A notice to appear was recorded late.',
        submittedBy: { email: SUPERVISOR2_NYC },
      },
    ];
    const expected = {
      officeCode: 'NYC',
      weekStart: WEEK,
      from: FROM,
      to: TO,
      status: 'AMENDED',
      revision: 2,
      submittedAt: '2021-06-15T15:00:00.000Z',
      note: null,
      amendReason: 'A notice to appear was recorded late.',
      dataCutoff: '2021-06-15T15:00:00.000Z',
      dueAt: DUE,
      // Lateness is the first submission's.
      late: false,
      office: { code: 'NYC', timeZone: 'America/New_York' },
      submittedBy: { email: SUPERVISOR2_NYC },
      policyVersions: [ICE],
      actions: [
        detainer,
        exLate,
        { ...exMissing, justification: LATE_JUSTIFICATION },
        row(
          'later',
          'NOTICE_TO_APPEAR',
          '2021-06-10T16:00:00-04:00',
          'Federal Plaza, NY',
          'BORDER_SECURITY',
          'PRESUMED_PRIORITY',
          borderSummary2,
          null,
        ),
        b2,
        sunday,
      ],
      totalsByCategory: [
        { key: 'BORDER_SECURITY', count: 3 },
        { key: 'OTHER', count: 3 },
      ],
      totalsByActionType: [
        { key: 'ARREST', count: 3 },
        { key: 'DETAINER_ISSUED', count: 1 },
        { key: 'DETENTION', count: 1 },
        { key: 'NOTICE_TO_APPEAR', count: 1 },
      ],
      totalsByBasis: base.totalsByBasis,
      requests: base.requests,
      exigentActions: [
        base.exigentActions[0],
        {
          ...base.exigentActions[1],
          justificationSubmittedAt: '2021-06-15T10:00:00-04:00',
          justification: 'LATE',
          ratification: 'AWAITING_DECISION',
        },
      ],
      latePostActionCount: 2,
      missingPostActionCount: 0,
      revisions,
    };
    expect(amended).toEqual(expected);
    expectNoIdentity(res);
    expect(await report(supervisor, 'NYC', WEEK)).toEqual(expected);
    expect(await report(hq, 'NYC', WEEK, 2)).toEqual(expected);
    // Revision 1 as it was, with the full list of revisions.
    expect(await report(supervisor, 'NYC', WEEK, 1)).toEqual({ ...submitted, revisions });
    expect(await report(hq, 'NYC', WEEK, 1)).toEqual({ ...submitted, revisions });
    await expectRefused(
      server,
      supervisor,
      REPORT,
      { officeCode: 'NYC', weekStart: WEEK, revision: 3 },
      'NOT_FOUND',
    );
    const stored = await server.sql(
      `SELECT r.revision, r.content FROM weekly_report_revisions r JOIN offices o ON o.id = r.office_id
        WHERE o.code = 'NYC' AND r.week_start = $1 ORDER BY r.revision`,
      [WEEK],
    );
    expect(stored.map((s) => s.revision)).toEqual([1, 2]);
    expectNoIdentity(stored);
  });

  test('amending a week never submitted: CONFLICT', async () => {
    setClock('2021-06-15T16:00:00Z');
    await expectRefused(
      server,
      supervisor,
      AMEND,
      { input: { officeCode: 'NYC', weekStart: '2021-05-31', reason: 'A correction.' } },
      'CONFLICT',
    );
    // Nor one that has not ended.
    await expectRefused(
      server,
      supervisor,
      AMEND,
      { input: { officeCode: 'NYC', weekStart: '2021-06-14', reason: 'A correction.' } },
      'CONFLICT',
    );
  });

  test('two supervisors submitting the same week at the same moment: one SUBMITTED, one CONFLICT', async () => {
    setClock('2021-06-15T17:00:00Z');
    for (const week of ['2021-04-19', '2021-04-26', '2021-05-17', '2021-05-24']) {
      const results = await Promise.all(
        [supervisor, supervisor2].map((s) =>
          s.request(SUBMIT, { input: { officeCode: 'NYC', weekStart: week } }),
        ),
      );
      const outcomes = results
        .map((r) => (r.errors ? codes(r)[0] : r.data?.submitWeeklyReport.status))
        .sort();
      expect([week, outcomes]).toEqual([week, ['CONFLICT', 'SUBMITTED']]);
      const stored = await server.sql<{ revision: number }>(
        `SELECT r.revision FROM weekly_report_revisions r JOIN offices o ON o.id = r.office_id
          WHERE o.code = 'NYC' AND r.week_start = $1`,
        [week],
      );
      expect(stored).toEqual([{ revision: 1 }]);
      const audits = await server.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE operation = 'submitWeeklyReport' AND change->>'weekStart' = $1`,
        [week],
      );
      expect(audits).toEqual([{ n: 1 }]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('reporting compliance and the listing, for the week of Monday 3 May 2021', () => {
  const WEEK = '2021-05-03';
  /** Monday 10 May 12:00 local in each office. */
  const DUE = {
    CHI: '2021-05-10T17:00:00.000Z',
    LAX: '2021-05-10T19:00:00.000Z',
    NYC: '2021-05-10T16:00:00.000Z',
  };

  const compliance = async (weekStart = WEEK) =>
    (await hq.ok<any>(COMPLIANCE, { weekStart })).reportingCompliance;

  const complianceRow = (
    officeCode: keyof typeof DUE,
    status: string,
    submittedAt: string | null = null,
    revisions = submittedAt ? 1 : 0,
  ) => ({ officeCode, weekStart: WEEK, dueAt: DUE[officeCode], status, submittedAt, revisions });

  test('NOT_DUE while the week runs and until the due time; ON_TIME at the due time; MISSING after; LATE', async () => {
    // Friday of the week: not due anywhere.
    setClock('2021-05-07T15:00:00Z');
    expect(await compliance()).toEqual([
      complianceRow('CHI', 'NOT_DUE'),
      complianceRow('LAX', 'NOT_DUE'),
      complianceRow('NYC', 'NOT_DUE'),
    ]);

    // New York submits exactly at its due time (Monday 12:00 EDT): on time.
    setClock(DUE.NYC);
    await supervisor.ok(SUBMIT, { input: { officeCode: 'NYC', weekStart: WEEK } });
    expect(await compliance()).toEqual([
      complianceRow('CHI', 'NOT_DUE'),
      complianceRow('LAX', 'NOT_DUE'),
      complianceRow('NYC', 'ON_TIME', DUE.NYC),
    ]);

    // Chicago at its due time: not yet missing; a millisecond later: missing.
    setClock(DUE.CHI);
    expect((await compliance())[0]).toEqual(complianceRow('CHI', 'NOT_DUE'));
    server.clock.set(new Date(Date.parse(DUE.CHI) + 1));
    expect((await compliance())[0]).toEqual(complianceRow('CHI', 'MISSING'));

    // Los Angeles a second after its due time: late. New York amends: still on time, 2 revisions.
    const laxAt = new Date(Date.parse(DUE.LAX) + 1000);
    server.clock.set(laxAt);
    const lax = await supervisorLax.ok<any>(SUBMIT, {
      input: { officeCode: 'LAX', weekStart: WEEK },
    });
    expect(lax.submitWeeklyReport).toMatchObject({ status: 'SUBMITTED', late: true });
    server.clock.set(new Date(laxAt.getTime() + HOUR));
    await supervisor.ok(AMEND, {
      input: { officeCode: 'NYC', weekStart: WEEK, reason: 'A late correction.' },
    });
    const final = [
      complianceRow('CHI', 'MISSING'),
      complianceRow('LAX', 'LATE', laxAt.toISOString()),
      complianceRow('NYC', 'ON_TIME', DUE.NYC, 2),
    ];
    expect(await compliance()).toEqual(final);

    // The week now running: nothing due.
    expect((await compliance('2021-05-10')).map((r: any) => [r.officeCode, r.status])).toEqual([
      ['CHI', 'NOT_DUE'],
      ['LAX', 'NOT_DUE'],
      ['NYC', 'NOT_DUE'],
    ]);
  });

  test('reportingCompliance is for headquarters only: supervisors and officers FORBIDDEN', async () => {
    await expectRefused(server, supervisor, COMPLIANCE, { weekStart: WEEK }, 'FORBIDDEN');
    await expectRefused(server, supervisorLax, COMPLIANCE, { weekStart: WEEK }, 'FORBIDDEN');
    await expectRefused(server, officer, COMPLIANCE, { weekStart: WEEK }, 'FORBIDDEN');
  });

  test('weeklyReports lists office-weeks with their status and compliance, filtered by status', async () => {
    setClock('2021-05-11T12:00:00Z');
    const list = async (client: Client, filter: Record<string, unknown>) =>
      (await client.ok<any>(LISTING, { filter })).weeklyReports;
    const laxSubmittedAt = new Date(Date.parse(DUE.LAX) + 1000).toISOString();
    const rows = {
      CHI: {
        officeCode: 'CHI',
        weekStart: WEEK,
        status: 'DRAFT',
        revision: null,
        submittedAt: null,
        dueAt: DUE.CHI,
        compliance: 'MISSING',
      },
      LAX: {
        officeCode: 'LAX',
        weekStart: WEEK,
        status: 'SUBMITTED',
        revision: 1,
        submittedAt: laxSubmittedAt,
        dueAt: DUE.LAX,
        compliance: 'LATE',
      },
      NYC: {
        officeCode: 'NYC',
        weekStart: WEEK,
        status: 'AMENDED',
        revision: 2,
        submittedAt: DUE.NYC,
        dueAt: DUE.NYC,
        compliance: 'ON_TIME',
      },
    };
    // A range inside the week covers the week.
    expect(await list(hq, { from: '2021-05-05', to: '2021-05-06' })).toEqual([
      rows.CHI,
      rows.LAX,
      rows.NYC,
    ]);
    expect(await list(hq, { from: WEEK, to: WEEK, status: 'SUBMITTED' })).toEqual([rows.LAX]);
    expect(await list(hq, { from: WEEK, to: WEEK, status: 'AMENDED' })).toEqual([rows.NYC]);
    expect(await list(hq, { from: WEEK, to: WEEK, status: 'DRAFT' })).toEqual([rows.CHI]);
    expect(await list(hq, { from: WEEK, to: WEEK, officeCodes: ['LAX', 'CHI'] })).toEqual(
      expect.arrayContaining([rows.CHI, rows.LAX]),
    );
    // Two weeks, the second still running: New York's own office only for its supervisor.
    expect(await list(supervisor, { from: WEEK, to: '2021-05-16' })).toEqual([
      rows.NYC,
      {
        officeCode: 'NYC',
        weekStart: '2021-05-10',
        status: 'DRAFT',
        revision: null,
        submittedAt: null,
        dueAt: '2021-05-17T16:00:00.000Z',
        compliance: 'NOT_DUE',
      },
    ]);
    expect(await list(supervisorLax, { from: WEEK, to: WEEK })).toEqual([rows.LAX]);
    expect(await list(supervisorLax, { from: WEEK, to: WEEK, status: 'AMENDED' })).toEqual([]);
  });

  test('the listing: another office NOT_FOUND for a supervisor, officers FORBIDDEN', async () => {
    setClock('2021-05-11T12:00:00Z');
    await expectRefused(
      server,
      supervisor,
      LISTING,
      { filter: { from: WEEK, to: WEEK, officeCodes: ['LAX'] } },
      'NOT_FOUND',
    );
    await expectRefused(
      server,
      supervisor,
      LISTING,
      { filter: { from: WEEK, to: WEEK, officeCodes: ['NYC', 'CHI'] } },
      'NOT_FOUND',
    );
    await expectRefused(
      server,
      officer,
      LISTING,
      { filter: { from: WEEK, to: WEEK } },
      'FORBIDDEN',
    );
    await expectRefused(
      server,
      officer,
      LISTING,
      { filter: { from: WEEK, to: WEEK, officeCodes: ['NYC'] } },
      'FORBIDDEN',
    );
  });
});
