/**
 * Enforcement actions through the real GraphQL server (shield on) against a real PostgreSQL:
 * the basis the server derives (presumed priority, pre-approved, exigent, assessed) or its refusal
 * with PREAPPROVAL_REQUIRED; exigent deadlines on a controllable clock and ratification; removal
 * of a vulnerable person; the other policy versions; refusals; append-only records and voids;
 * reading, scoping, audit and the statement count of a page of cases with their actions.
 *
 * Every refusal asserts its code and that the database did not change (a fingerprint of every
 * table). The service's clock is set to T0 (June 2021, ICE-2021-02-18 in force) before each test.
 */
import { testLeanRowsEqualEntities } from '../helpers/lean';
import { BORDER, CLOSE_CASE, codes, NOT_PRESUMED, openCase } from '../helpers/given';
import {
  Client,
  OFFICER_NYC,
  SUPERVISOR2_NYC,
  SUPERVISOR_NYC,
  fingerprint,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { expectRefused } from '../helpers/refusals';

const T0 = new Date('2021-06-01T14:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ICE = 'ICE-2021-02-18';
const DHS_JAN = 'DHS-2021-01-20';
const DHS_SEP = 'DHS-2021-09-30';

let server: TestServer;
let officer: Client;
let officer2: Client;
let supervisor: Client;
let supervisor2: Client;
let officerLax: Client;
let supervisorLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: T0 });
  ({ officer, officer2, supervisor, supervisor2, officerLax, supervisorLax, hq } =
    await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  server.clock.set(T0);
});

// ---------------------------------------------------------------------------------------------
// helpers

const VULNERABLE = { vulnerability: { seriousIllness: true } };

const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';
const RATIONALE =
  'Three armed robberies in two years, the latest last spring; no rehabilitation shown.';

const ACTION_FIELDS = `
  id type occurredAt location basis category policyVersion exigentNarrative recordedAt
  ratification voided
  case { id }
  recordedBy { email }
  assessment { id policyVersion }
  approvalRequest { id kind actionType status }
  postActionRequest {
    id kind actionType status justificationDueAt justificationSubmittedAt late overdue
    enforcementAction { id }
  }
  void { reason voidedAt voidedBy { email } }
`;
const RECORD = `mutation Record($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { ${ACTION_FIELDS} } }`;
const GET_ACTION = `query GetAction($id: ID!) { enforcementAction(id: $id) { ${ACTION_FIELDS} } }`;
const VOID = `mutation Void($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { ${ACTION_FIELDS} } }`;
const ASSESS = `mutation Assess($input: AssessCaseInput!) {
  assessCase(input: $input) { id policyVersion presumedPriority requiresPreapproval primaryCategory }
}`;
const REQUEST = `mutation Request($input: RequestApprovalInput!) {
  requestApproval(input: $input) { id kind actionType status }
}`;
const DECIDE = `mutation Decide($input: DecideApprovalRequestInput!) {
  decideApprovalRequest(input: $input) { id status decidedAt expiresAt }
}`;
const WITHDRAW = `mutation Withdraw($input: WithdrawApprovalRequestInput!) {
  withdrawApprovalRequest(input: $input) { id status }
}`;
const JUSTIFY = `mutation Justify($input: SubmitPostActionJustificationInput!) {
  submitPostActionJustification(input: $input) {
    id kind status justification justificationDueAt justificationSubmittedAt late overdue
  }
}`;
const GET_REQUEST = `query GetRequest($id: ID!) {
  approvalRequest(id: $id) { id kind status justificationSubmittedAt late overdue }
}`;
const CASE_ACTIONS = `query CaseActions($id: ID!) {
  case(id: $id) {
    id
    enforcementActions { id type occurredAt basis voided ratification }
    approvalRequests { id kind actionType status }
  }
}`;

const iso = (d: Date | number) => new Date(d).toISOString();
/** `ms` before the service's clock. */
const ago = (ms: number) => iso(server.clock.now().getTime() - ms);

async function assess(client: Client, input: Record<string, unknown>): Promise<any> {
  return (await client.ok<{ assessCase: any }>(ASSESS, { input })).assessCase;
}

/** Opens a case as the officer and assesses it (now, or as of `asOf`). */
async function assessedCase(
  facts: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ caseId: string; assessment: any }> {
  const c = await openCase(officer, { facts });
  const assessment = await assess(officer, { caseId: c.id, ...extra });
  return { caseId: c.id, assessment };
}

function actionInput(caseId: string, overrides: Record<string, unknown> = {}) {
  return {
    caseId,
    type: 'ARREST',
    occurredAt: ago(HOUR),
    location: 'Queens, NY',
    ...overrides,
  };
}

async function record(client: Client, input: Record<string, unknown>): Promise<any> {
  return (await client.ok<{ recordEnforcementAction: any }>(RECORD, { input }))
    .recordEnforcementAction;
}

async function readAction(client: Client, id: string): Promise<any> {
  return (await client.ok<{ enforcementAction: any }>(GET_ACTION, { id })).enforcementAction;
}

/** The officer asks; a minute later the supervisor approves; a minute later the test goes on. */
async function approvedRequest(
  caseId: string,
  actionType: string,
): Promise<{ id: string; kind: string; decidedAt: string; expiresAt: string }> {
  const asked = await officer.ok<any>(REQUEST, {
    input: { caseId, actionType, justification: JUSTIFICATION },
  });
  server.clock.advance(MINUTE);
  const decided = await supervisor.ok<any>(DECIDE, {
    input: {
      id: asked.requestApproval.id,
      decision: 'APPROVE',
      reason: 'Justified use of resources.',
    },
  });
  expect(decided.decideApprovalRequest.status).toBe('APPROVED');
  server.clock.advance(MINUTE);
  return { ...decided.decideApprovalRequest, kind: asked.requestApproval.kind };
}

/** An exigent arrest on a fresh, assessed, not-presumed case. */
async function exigentArrest(occurredAt: string, by: Client = officer): Promise<any> {
  const { caseId } = await assessedCase(NOT_PRESUMED);
  const action = await record(by, {
    ...actionInput(caseId, { occurredAt }),
    exigent: { narrative: NARRATIVE },
  });
  expect(action.basis).toBe('EXIGENT');
  return action;
}

const refuseRecord = (
  client: Client,
  input: Record<string, unknown>,
  code: string,
  field?: string,
) => expectRefused(server, client, RECORD, { input }, code, field);

async function auditRows(kind?: string): Promise<number> {
  const [row] = await server.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE $1::text IS NULL OR kind = $1`,
    [kind ?? null],
  );
  return row.n;
}

async function lastAudit(): Promise<any> {
  const [row] = await server.sql(
    `SELECT kind, operation, record_type, reason, record_ids::text[] AS record_ids, change
       FROM audit_log ORDER BY insertion DESC LIMIT 1`,
  );
  return row;
}

async function actionRow(id: string): Promise<unknown> {
  const [row] = await server.sql(
    `SELECT to_jsonb(e) AS row FROM enforcement_actions e WHERE id = $1`,
    [id],
  );
  return row?.row;
}

// ---------------------------------------------------------------------------------------------

describe('basis derivation under ICE-2021-02-18', () => {
  test('presumed priority (border, assessed): PRESUMED_PRIORITY, BORDER_SECURITY, the assessment linked', async () => {
    const { caseId, assessment } = await assessedCase(BORDER);
    expect(assessment).toMatchObject({
      policyVersion: ICE,
      presumedPriority: true,
      primaryCategory: 'BORDER_SECURITY',
    });
    const occurredAt = ago(HOUR);
    const action = await record(
      officer,
      actionInput(caseId, { occurredAt, location: '  Queens, NY  ' }),
    );
    expect(action).toEqual({
      id: expect.any(String),
      type: 'ARREST',
      occurredAt,
      location: 'Queens, NY',
      basis: 'PRESUMED_PRIORITY',
      category: 'BORDER_SECURITY',
      policyVersion: ICE,
      exigentNarrative: null,
      recordedAt: iso(T0),
      ratification: 'NOT_APPLICABLE',
      voided: false,
      case: { id: caseId },
      recordedBy: { email: OFFICER_NYC },
      assessment: { id: assessment.id, policyVersion: ICE },
      approvalRequest: null,
      postActionRequest: null,
      void: null,
    });
    expect(await readAction(officer, action.id)).toEqual(action);
  });

  test('not presumed with an approved, unexpired PRE_ACTION request for the type: PREAPPROVED, linked, OTHER', async () => {
    const { caseId, assessment } = await assessedCase(NOT_PRESUMED);
    expect(assessment).toMatchObject({ presumedPriority: false, requiresPreapproval: true });
    const approval = await approvedRequest(caseId, 'ARREST');
    expect(approval.kind).toBe('PRE_ACTION');
    const action = await record(officer, actionInput(caseId, { occurredAt: ago(MINUTE) }));
    expect(action).toMatchObject({
      basis: 'PREAPPROVED',
      category: 'OTHER',
      policyVersion: ICE,
      ratification: 'NOT_APPLICABLE',
      assessment: { id: assessment.id },
      approvalRequest: { id: approval.id, kind: 'PRE_ACTION', actionType: 'ARREST' },
      postActionRequest: null,
    });
  });

  test('an approved request for another action type does not count: PREAPPROVAL_REQUIRED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    const approval = await approvedRequest(caseId, 'DETENTION');
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: ago(MINUTE) }),
      'PREAPPROVAL_REQUIRED',
    );
    // The same request does cover the type it was asked for.
    const detention = await record(
      officer,
      actionInput(caseId, { type: 'DETENTION', occurredAt: ago(MINUTE) }),
    );
    expect(detention).toMatchObject({ basis: 'PREAPPROVED', approvalRequest: { id: approval.id } });
  });

  test('an approval that expired before the action (31 days later): PREAPPROVAL_REQUIRED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    const approval = await approvedRequest(caseId, 'ARREST');
    expect(Date.parse(approval.expiresAt) - Date.parse(approval.decidedAt)).toBe(30 * DAY);
    server.clock.advance(31 * DAY);
    const read = await officer.ok<any>(GET_REQUEST, { id: approval.id });
    expect(read.approvalRequest.status).toBe('EXPIRED');
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: ago(MINUTE) }),
      'PREAPPROVAL_REQUIRED',
    );
    // Exactly at expiry the approval no longer covers it either.
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: approval.expiresAt }),
      'PREAPPROVAL_REQUIRED',
    );
  });

  test('the approval is judged at occurredAt: an action inside its validity, recorded after it expired, is PREAPPROVED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    const approval = await approvedRequest(caseId, 'ARREST');
    server.clock.advance(31 * DAY);
    const occurredAt = iso(Date.parse(approval.expiresAt) - SECOND);
    const action = await record(officer, actionInput(caseId, { occurredAt }));
    expect(action).toMatchObject({
      basis: 'PREAPPROVED',
      occurredAt,
      approvalRequest: { id: approval.id, status: 'EXPIRED' },
    });
  });

  test('an action that occurred before the approval was decided: PREAPPROVAL_REQUIRED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    const approval = await approvedRequest(caseId, 'ARREST');
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: iso(Date.parse(approval.decidedAt) - SECOND) }),
      'PREAPPROVAL_REQUIRED',
    );
    const onTime = await record(officer, actionInput(caseId, { occurredAt: approval.decidedAt }));
    expect(onTime).toMatchObject({ basis: 'PREAPPROVED', approvalRequest: { id: approval.id } });
  });

  test.each([['DENY'], ['WITHDRAW']])(
    'a request that ended with %s does not count: PREAPPROVAL_REQUIRED',
    async (how) => {
      const { caseId } = await assessedCase(NOT_PRESUMED);
      const asked = await officer.ok<any>(REQUEST, {
        input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION },
      });
      const id = asked.requestApproval.id;
      server.clock.advance(MINUTE);
      if (how === 'DENY') {
        const denied = await supervisor.ok<any>(DECIDE, {
          input: { id, decision: 'DENY', reason: 'Not a justified use of resources.' },
        });
        expect(denied.decideApprovalRequest.status).toBe('DENIED');
      } else {
        const withdrawn = await officer.ok<any>(WITHDRAW, {
          input: { id, reason: 'Asked in error.' },
        });
        expect(withdrawn.withdrawApprovalRequest.status).toBe('WITHDRAWN');
      }
      server.clock.advance(MINUTE);
      await refuseRecord(
        officer,
        actionInput(caseId, { occurredAt: ago(SECOND) }),
        'PREAPPROVAL_REQUIRED',
      );
    },
  );

  test('a pending request does not count: PREAPPROVAL_REQUIRED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    await officer.ok(REQUEST, {
      input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION },
    });
    server.clock.advance(MINUTE);
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: ago(SECOND) }),
      'PREAPPROVAL_REQUIRED',
    );
  });

  test('a case never assessed: PREAPPROVAL_REQUIRED, even when its facts would make it presumed', async () => {
    const c = await openCase(officer, { facts: BORDER });
    await refuseRecord(officer, actionInput(c.id), 'PREAPPROVAL_REQUIRED');
    await refuseRecord(supervisor, actionInput(c.id), 'PREAPPROVAL_REQUIRED');
  });

  test('an assessment made under another version than the one in force at occurredAt does not count', async () => {
    // Presumed under DHS-2021-01-20 (as of 1 February 2021): says nothing about a June action.
    const { caseId, assessment } = await assessedCase(BORDER, { asOf: '2021-02-01T15:00:00Z' });
    expect(assessment).toMatchObject({ policyVersion: DHS_JAN, presumedPriority: true });
    await refuseRecord(officer, actionInput(caseId), 'PREAPPROVAL_REQUIRED');

    // Presumed under ICE-2021-02-18 (now): says nothing about an action on 10 February 2021.
    const other = await assessedCase(BORDER);
    expect(other.assessment).toMatchObject({ policyVersion: ICE, presumedPriority: true });
    await refuseRecord(
      officer,
      actionInput(other.caseId, { occurredAt: '2021-02-10T15:00:00Z' }),
      'PREAPPROVAL_REQUIRED',
    );
    // ...but it does for an action under its own version.
    const ok = await record(officer, actionInput(other.caseId));
    expect(ok).toMatchObject({
      basis: 'PRESUMED_PRIORITY',
      assessment: { id: other.assessment.id },
    });
  });

  test('exigent: EXIGENT, OTHER, a PENDING post-action request due occurredAt + 24 h', async () => {
    const { caseId, assessment } = await assessedCase(NOT_PRESUMED);
    const occurredAt = ago(10 * MINUTE);
    const action = await record(officer, {
      ...actionInput(caseId, { occurredAt }),
      exigent: { narrative: `  ${NARRATIVE}  ` },
    });
    expect(action).toMatchObject({
      basis: 'EXIGENT',
      category: 'OTHER',
      policyVersion: ICE,
      exigentNarrative: NARRATIVE,
      ratification: 'AWAITING_JUSTIFICATION',
      assessment: { id: assessment.id },
      approvalRequest: null,
      postActionRequest: {
        kind: 'POST_ACTION',
        actionType: 'ARREST',
        status: 'PENDING',
        justificationDueAt: iso(Date.parse(occurredAt) + 24 * HOUR),
        justificationSubmittedAt: null,
        late: false,
        overdue: false,
        enforcementAction: { id: action.id },
      },
    });
    const read = await officer.ok<any>(CASE_ACTIONS, { id: caseId });
    expect(read.case.approvalRequests).toEqual([
      {
        id: action.postActionRequest.id,
        kind: 'POST_ACTION',
        actionType: 'ARREST',
        status: 'PENDING',
      },
    ]);
  });

  test('without exigent, a not-presumed case with no request: PREAPPROVAL_REQUIRED', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    // Refused with no data, nothing written (refuseRecord checks both).
    await refuseRecord(officer, actionInput(caseId), 'PREAPPROVAL_REQUIRED');
  });
});

// ---------------------------------------------------------------------------------------------

describe('exigent actions: deadlines and ratification', () => {
  test('justification submitted exactly at the deadline is on time', async () => {
    const action = await exigentArrest(ago(HOUR));
    const due = action.postActionRequest.justificationDueAt;
    server.clock.set(new Date(due));
    const before = await officer.ok<any>(GET_REQUEST, { id: action.postActionRequest.id });
    expect(before.approvalRequest).toMatchObject({ overdue: false, late: false });
    const res = await officer.ok<any>(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    expect(res.submitPostActionJustification).toMatchObject({
      id: action.postActionRequest.id,
      status: 'PENDING',
      justification: JUSTIFICATION,
      justificationSubmittedAt: due,
      late: false,
      overdue: false,
    });
    server.clock.advance(DAY);
    const after = await readAction(officer, action.id);
    expect(after).toMatchObject({
      ratification: 'AWAITING_DECISION',
      postActionRequest: { late: false, overdue: false },
    });
  });

  test('one second after the deadline: accepted, marked late, the request overdue', async () => {
    const action = await exigentArrest(ago(HOUR));
    const due = Date.parse(action.postActionRequest.justificationDueAt);
    server.clock.set(new Date(due + SECOND));
    const unanswered = await officer.ok<any>(GET_REQUEST, { id: action.postActionRequest.id });
    expect(unanswered.approvalRequest).toMatchObject({ overdue: true, late: false });
    const res = await officer.ok<any>(JUSTIFY, {
      input: { requestId: action.postActionRequest.id, justification: JUSTIFICATION },
    });
    expect(res.submitPostActionJustification).toMatchObject({
      justificationSubmittedAt: iso(due + SECOND),
      late: true,
      overdue: true,
    });
    const read = await officer.ok<any>(GET_REQUEST, { id: action.postActionRequest.id });
    expect(read.approvalRequest).toMatchObject({ late: true, overdue: true });
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      operation: 'submitPostActionJustification',
      change: { late: true },
    });
  });

  test('the supervisor of the office may submit it', async () => {
    const action = await exigentArrest(ago(HOUR));
    server.clock.advance(2 * HOUR);
    const res = await supervisor.ok<any>(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    expect(res.submitPostActionJustification).toMatchObject({
      justification: JUSTIFICATION,
      justificationSubmittedAt: iso(T0.getTime() + 2 * HOUR),
      late: false,
    });
    const [row] = await server.sql(
      `SELECT justification_submitted_by_id AS submitted_by FROM approval_requests WHERE id = $1`,
      [action.postActionRequest.id],
    );
    expect(row.submitted_by).toBe(await server.userId(SUPERVISOR_NYC));
  });

  test('another officer of the same office: FORBIDDEN; another office: NOT_FOUND; HQ: FORBIDDEN', async () => {
    const action = await exigentArrest(ago(HOUR));
    const input = { enforcementActionId: action.id, justification: JUSTIFICATION };
    await expectRefused(server, officer2, JUSTIFY, { input }, 'FORBIDDEN');
    await expectRefused(
      server,
      officer2,
      JUSTIFY,
      { input: { requestId: action.postActionRequest.id, justification: JUSTIFICATION } },
      'FORBIDDEN',
    );
    await expectRefused(server, officerLax, JUSTIFY, { input }, 'NOT_FOUND');
    await expectRefused(server, supervisorLax, JUSTIFY, { input }, 'NOT_FOUND');
    await expectRefused(server, hq, JUSTIFY, { input }, 'FORBIDDEN');
  });

  test('twice: CONFLICT', async () => {
    const action = await exigentArrest(ago(HOUR));
    await officer.ok(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    await expectRefused(
      server,
      officer,
      JUSTIFY,
      { input: { enforcementActionId: action.id, justification: `${JUSTIFICATION} Again.` } },
      'CONFLICT',
    );
    await expectRefused(
      server,
      supervisor,
      JUSTIFY,
      { input: { requestId: action.postActionRequest.id, justification: JUSTIFICATION } },
      'CONFLICT',
    );
  });

  test('shorter than the version minimum (80): BAD_USER_INPUT on input.justification', async () => {
    const action = await exigentArrest(ago(HOUR));
    const error = await expectRefused(
      server,
      officer,
      JUSTIFY,
      { input: { enforcementActionId: action.id, justification: 'x'.repeat(79) } },
      'BAD_USER_INPUT',
      'input.justification',
    );
    expect(error.message).toMatch(/80/);
    // Padding does not count.
    await expectRefused(
      server,
      officer,
      JUSTIFY,
      {
        input: { enforcementActionId: action.id, justification: `   ${'x'.repeat(79)}   ` },
      },
      'BAD_USER_INPUT',
      'input.justification',
    );
    const ok = await officer.ok<any>(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: 'x'.repeat(80) },
    });
    expect(ok.submitPostActionJustification.justification).toBe('x'.repeat(80));
  });

  test('both or neither of requestId and enforcementActionId: BAD_USER_INPUT', async () => {
    const action = await exigentArrest(ago(HOUR));
    await expectRefused(
      server,
      officer,
      JUSTIFY,
      {
        input: {
          requestId: action.postActionRequest.id,
          enforcementActionId: action.id,
          justification: JUSTIFICATION,
        },
      },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      server,
      officer,
      JUSTIFY,
      { input: { justification: JUSTIFICATION } },
      'BAD_USER_INPUT',
    );
  });

  test('a request that is not a post-action one: BAD_USER_INPUT', async () => {
    const { caseId } = await assessedCase(NOT_PRESUMED);
    const asked = await officer.ok<any>(REQUEST, {
      input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION },
    });
    await expectRefused(
      server,
      officer,
      JUSTIFY,
      { input: { requestId: asked.requestApproval.id, justification: JUSTIFICATION } },
      'BAD_USER_INPUT',
      'input.requestId',
    );
  });

  test('justified, awaiting the decision: AWAITING_DECISION', async () => {
    const action = await exigentArrest(ago(HOUR));
    expect(action.ratification).toBe('AWAITING_JUSTIFICATION');
    await officer.ok(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    expect((await readAction(officer, action.id)).ratification).toBe('AWAITING_DECISION');
  });

  test('post-action request approved: RATIFIED', async () => {
    const action = await exigentArrest(ago(HOUR));
    await officer.ok(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    server.clock.advance(HOUR);
    const decided = await supervisor.ok<any>(DECIDE, {
      input: { id: action.postActionRequest.id, decision: 'APPROVE', reason: 'Ratified.' },
    });
    expect(decided.decideApprovalRequest).toMatchObject({ status: 'APPROVED', expiresAt: null });
    const read = await readAction(officer, action.id);
    expect(read).toMatchObject({
      basis: 'EXIGENT',
      ratification: 'RATIFIED',
      postActionRequest: { status: 'APPROVED' },
    });
  });

  test('post-action request denied: the action stays on record, NOT_RATIFIED', async () => {
    const action = await exigentArrest(ago(HOUR));
    await officer.ok(JUSTIFY, {
      input: { enforcementActionId: action.id, justification: JUSTIFICATION },
    });
    server.clock.advance(HOUR);
    const rowBefore = await actionRow(action.id);
    await supervisor.ok(DECIDE, {
      input: {
        id: action.postActionRequest.id,
        decision: 'DENY',
        reason: 'No exigency shown.',
      },
    });
    expect(await actionRow(action.id)).toEqual(rowBefore);
    const read = await readAction(officer, action.id);
    expect(read).toMatchObject({
      basis: 'EXIGENT',
      ratification: 'NOT_RATIFIED',
      voided: false,
      postActionRequest: { status: 'DENIED' },
    });
    const onCase = await officer.ok<any>(CASE_ACTIONS, { id: read.case.id });
    expect(onCase.case.enforcementActions).toEqual([
      expect.objectContaining({ id: action.id, ratification: 'NOT_RATIFIED', voided: false }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('removal of a vulnerable person', () => {
  test('presumed but flagged vulnerable: REMOVAL refused without an approved removal request; other types are not gated', async () => {
    const { caseId, assessment } = await assessedCase({ ...BORDER, ...VULNERABLE });
    expect(assessment.presumedPriority).toBe(true);
    const removal = actionInput(caseId, { type: 'REMOVAL', location: 'JFK Terminal 1' });
    await refuseRecord(officer, removal, 'PREAPPROVAL_REQUIRED');
    await refuseRecord(
      officer,
      { ...removal, exigent: { narrative: NARRATIVE } },
      'PREAPPROVAL_REQUIRED',
    );

    // A pending removal request is not enough.
    const asked = await officer.ok<any>(REQUEST, {
      input: { caseId, actionType: 'REMOVAL', justification: JUSTIFICATION },
    });
    expect(asked.requestApproval).toMatchObject({ kind: 'VULNERABLE_REMOVAL', status: 'PENDING' });
    server.clock.advance(MINUTE);
    await refuseRecord(officer, { ...removal, occurredAt: ago(SECOND) }, 'PREAPPROVAL_REQUIRED');

    const arrest = await record(officer, actionInput(caseId, { occurredAt: ago(SECOND) }));
    expect(arrest).toMatchObject({ basis: 'PRESUMED_PRIORITY', approvalRequest: null });
  });

  test('presumed and vulnerable with an approved removal request: PRESUMED_PRIORITY, the removal approval linked', async () => {
    const { caseId, assessment } = await assessedCase({ ...BORDER, ...VULNERABLE });
    const approval = await approvedRequest(caseId, 'REMOVAL');
    expect(approval.kind).toBe('VULNERABLE_REMOVAL');
    const action = await record(
      officer,
      actionInput(caseId, { type: 'REMOVAL', occurredAt: ago(SECOND) }),
    );
    expect(action).toMatchObject({
      type: 'REMOVAL',
      basis: 'PRESUMED_PRIORITY',
      category: 'BORDER_SECURITY',
      assessment: { id: assessment.id },
      approvalRequest: {
        id: approval.id,
        kind: 'VULNERABLE_REMOVAL',
        actionType: 'REMOVAL',
        status: 'APPROVED',
      },
      postActionRequest: null,
    });
  });

  test('not presumed and vulnerable with an approved removal request: PREAPPROVED', async () => {
    const { caseId, assessment } = await assessedCase({ ...NOT_PRESUMED, ...VULNERABLE });
    expect(assessment.presumedPriority).toBe(false);
    await refuseRecord(officer, actionInput(caseId, { type: 'REMOVAL' }), 'PREAPPROVAL_REQUIRED');
    const approval = await approvedRequest(caseId, 'REMOVAL');
    expect(approval.kind).toBe('VULNERABLE_REMOVAL');
    const action = await record(
      officer,
      actionInput(caseId, { type: 'REMOVAL', occurredAt: ago(SECOND) }),
    );
    expect(action).toMatchObject({
      basis: 'PREAPPROVED',
      category: 'OTHER',
      approvalRequest: { id: approval.id, kind: 'VULNERABLE_REMOVAL' },
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('other policy versions', () => {
  const T2022 = new Date('2022-03-01T15:00:00.000Z');
  const totality = (posesThreatToPublicSafety: boolean) => ({
    aggravating: {
      gravityOfOffenseAndSentence: true,
      harmCaused: true,
      sophistication: false,
      firearmOrDangerousWeapon: true,
      seriousPriorRecord: false,
    },
    mitigating: {
      advancedOrTenderAge: false,
      lengthyPresence: false,
      mentalConditionOrCareNeeds: false,
      victimOrWitness: false,
      impactOnFamily: true,
      eligibleForRelief: false,
      militaryOrPublicService: false,
      timeSinceOffenseAndRehabilitation: false,
      convictionVacatedOrExpunged: false,
    },
    posesThreatToPublicSafety,
    rationale: RATIONALE,
  });
  const ALL_TYPES = [
    'ARREST',
    'DETAINER_ISSUED',
    'CUSTODY_UNDER_DETAINER',
    'NOTICE_TO_APPEAR',
    'DETENTION',
    'RELEASE_ON_CONDITIONS',
    'REMOVAL',
  ];

  test('DHS-2021-09-30: every action ASSESSED with the primary category (OTHER when none), no approval', async () => {
    server.clock.set(T2022);
    const border = await assessedCase(BORDER);
    const threat = await assessedCase({}, { totality: totality(true) });
    const none = await assessedCase(
      { ...NOT_PRESUMED, ...VULNERABLE },
      { totality: totality(false) },
    );
    expect(border.assessment).toMatchObject({
      policyVersion: DHS_SEP,
      primaryCategory: 'BORDER_SECURITY',
      presumedPriority: false,
      requiresPreapproval: false,
    });
    expect(threat.assessment).toMatchObject({
      policyVersion: DHS_SEP,
      primaryCategory: 'PUBLIC_SAFETY',
    });
    expect(none.assessment).toMatchObject({ policyVersion: DHS_SEP, primaryCategory: 'OTHER' });

    for (const [c, category] of [
      [border, 'BORDER_SECURITY'],
      [threat, 'PUBLIC_SAFETY'],
      [none, 'OTHER'],
    ] as const) {
      for (const type of ALL_TYPES) {
        const action = await record(officer, actionInput(c.caseId, { type }));
        expect(action).toMatchObject({
          type,
          basis: 'ASSESSED',
          category,
          policyVersion: DHS_SEP,
          ratification: 'NOT_APPLICABLE',
          assessment: { id: c.assessment.id, policyVersion: DHS_SEP },
          approvalRequest: null,
          postActionRequest: null,
        });
      }
      // exigent changes nothing where no pre-approval exists.
      const exigent = await record(officer, {
        ...actionInput(c.caseId),
        exigent: { narrative: NARRATIVE },
      });
      expect(exigent).toMatchObject({ basis: 'ASSESSED', category, postActionRequest: null });
      const read = await officer.ok<any>(CASE_ACTIONS, { id: c.caseId });
      expect(read.case.enforcementActions).toHaveLength(ALL_TYPES.length + 1);
      expect(read.case.approvalRequests).toEqual([]);
    }
  });

  test('DHS-2021-09-30: a case not assessed, or assessed only under ICE-2021-02-18: PREAPPROVAL_REQUIRED', async () => {
    const underIce = await assessedCase(BORDER);
    expect(underIce.assessment.policyVersion).toBe(ICE);
    server.clock.set(T2022);
    const never = await openCase(officer, { facts: BORDER });
    await refuseRecord(officer, actionInput(never.id), 'PREAPPROVAL_REQUIRED');
    await refuseRecord(officer, actionInput(underIce.caseId), 'PREAPPROVAL_REQUIRED');
  });

  test('DHS-2021-01-20: presumed → PRESUMED_PRIORITY; not presumed → ASSESSED / OTHER, no approval', async () => {
    const asOf = '2021-02-01T15:00:00.000Z';
    const occurredAt = '2021-02-01T16:00:00.000Z';
    const presumed = await assessedCase(BORDER, { asOf });
    const other = await assessedCase(NOT_PRESUMED, { asOf });
    expect(presumed.assessment).toMatchObject({ policyVersion: DHS_JAN, presumedPriority: true });
    expect(other.assessment).toMatchObject({
      policyVersion: DHS_JAN,
      presumedPriority: false,
      requiresPreapproval: false,
    });
    const a = await record(officer, actionInput(presumed.caseId, { occurredAt }));
    expect(a).toMatchObject({
      occurredAt,
      basis: 'PRESUMED_PRIORITY',
      category: 'BORDER_SECURITY',
      policyVersion: DHS_JAN,
      assessment: { id: presumed.assessment.id },
      approvalRequest: null,
      postActionRequest: null,
    });
    const b = await record(officer, actionInput(other.caseId, { occurredAt }));
    expect(b).toMatchObject({
      basis: 'ASSESSED',
      category: 'OTHER',
      policyVersion: DHS_JAN,
      assessment: { id: other.assessment.id },
      approvalRequest: null,
      postActionRequest: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('recordEnforcementAction refusals (nothing written)', () => {
  let caseId: string;
  beforeAll(async () => {
    server.clock.set(T0);
    caseId = (await assessedCase(BORDER)).caseId;
  });

  test('occurredAt in the future: BAD_USER_INPUT on input.occurredAt', async () => {
    await refuseRecord(
      officer,
      actionInput(caseId, { occurredAt: iso(T0.getTime() + SECOND) }),
      'BAD_USER_INPUT',
      'input.occurredAt',
    );
    // Now itself is not the future.
    const ok = await record(officer, actionInput(caseId, { occurredAt: iso(T0) }));
    expect(ok.occurredAt).toBe(iso(T0));
  });

  test('occurredAt before 2021-01-20 (in the office’s time zone): BAD_USER_INPUT on input.occurredAt', async () => {
    for (const occurredAt of [
      '2021-01-19T15:00:00.000Z',
      '2021-01-20T03:00:00.000Z', // 22:00 on 19 January in New York
      '2019-06-01T15:00:00.000Z',
    ]) {
      await refuseRecord(
        officer,
        actionInput(caseId, { occurredAt }),
        'BAD_USER_INPUT',
        'input.occurredAt',
      );
    }
  });

  test('blank, empty or too long location: BAD_USER_INPUT on input.location', async () => {
    for (const location of ['   ', '', 'x'.repeat(301)]) {
      await refuseRecord(
        officer,
        actionInput(caseId, { location }),
        'BAD_USER_INPUT',
        'input.location',
      );
    }
  });

  test('a too short exigent narrative: BAD_USER_INPUT on input.exigent.narrative', async () => {
    const other = await assessedCase(NOT_PRESUMED);
    await refuseRecord(
      officer,
      { ...actionInput(other.caseId), exigent: { narrative: 'urgent' } },
      'BAD_USER_INPUT',
      'input.exigent.narrative',
    );
  });

  test('a closed case: CONFLICT', async () => {
    const closed = await assessedCase(BORDER);
    await officer.ok(CLOSE_CASE, { input: { caseId: closed.caseId, reason: 'Subject departed' } });
    await refuseRecord(officer, actionInput(closed.caseId), 'CONFLICT');
    await refuseRecord(supervisor, actionInput(closed.caseId), 'CONFLICT');
  });

  test('another office’s case, an unknown id or a malformed id: NOT_FOUND', async () => {
    await refuseRecord(officerLax, actionInput(caseId), 'NOT_FOUND');
    await refuseRecord(supervisorLax, actionInput(caseId), 'NOT_FOUND');
    await refuseRecord(officer, actionInput('00000000-0000-4000-8000-000000000000'), 'NOT_FOUND');
    await refuseRecord(officer, actionInput('not-an-id'), 'NOT_FOUND');
  });

  test('headquarters: FORBIDDEN', async () => {
    await refuseRecord(hq, actionInput(caseId), 'FORBIDDEN');
  });

  test('the same input from the officer is recorded (the refusals above were not vacuous)', async () => {
    const ok = await record(officer, actionInput(caseId));
    expect(ok.basis).toBe('PRESUMED_PRIORITY');
    const bySupervisor = await record(supervisor, actionInput(caseId));
    expect(bySupervisor.recordedBy.email).toBe(SUPERVISOR_NYC);
  });
});

// ---------------------------------------------------------------------------------------------

describe('append-only records and voiding', () => {
  test('direct UPDATE or DELETE on enforcement_actions (and voids) fails; the row is unchanged', async () => {
    const { caseId } = await assessedCase(BORDER);
    const action = await record(officer, actionInput(caseId));
    await officer.ok(VOID, { input: { id: action.id, reason: 'Recorded on the wrong case.' } });
    const before = await fingerprint(server);
    await expect(
      server.sql(`UPDATE enforcement_actions SET location = 'Elsewhere' WHERE id = $1`, [
        action.id,
      ]),
    ).rejects.toThrow();
    await expect(
      server.sql(`UPDATE enforcement_actions SET basis = 'PREAPPROVED' WHERE id = $1`, [action.id]),
    ).rejects.toThrow();
    await expect(
      server.sql(`DELETE FROM enforcement_actions WHERE id = $1`, [action.id]),
    ).rejects.toThrow();
    await expect(
      server.sql(
        `UPDATE enforcement_action_voids SET reason = 'edited' WHERE enforcement_action_id = $1`,
        [action.id],
      ),
    ).rejects.toThrow();
    await expect(
      server.sql(`DELETE FROM enforcement_action_voids WHERE enforcement_action_id = $1`, [
        action.id,
      ]),
    ).rejects.toThrow();
    expect(await fingerprint(server)).toEqual(before);
    expect(await readAction(officer, action.id)).toMatchObject({
      location: 'Queens, NY',
      basis: 'PRESUMED_PRIORITY',
      voided: true,
    });
  });

  test.each([
    ['the recording officer', OFFICER_NYC],
    ['a supervisor of the office', SUPERVISOR_NYC],
  ])(
    'voided by %s: voided, with reason, time and who; one audit row; the row unchanged',
    async (_, email) => {
      const { caseId } = await assessedCase(BORDER);
      const action = await record(officer, actionInput(caseId));
      server.clock.advance(HOUR);
      const rowBefore = await actionRow(action.id);
      const auditBefore = await auditRows();
      const by = await server.as(email);
      const res = await by.ok<any>(VOID, {
        input: { id: action.id, reason: '  Recorded on the wrong case.  ' },
      });
      expect(res.voidEnforcementAction).toEqual({
        ...action,
        voided: true,
        void: {
          reason: 'Recorded on the wrong case.',
          voidedAt: iso(T0.getTime() + HOUR),
          voidedBy: { email },
        },
      });
      expect(await auditRows()).toBe(auditBefore + 1);
      const audit = await lastAudit();
      expect(audit).toMatchObject({
        kind: 'CHANGE',
        operation: 'voidEnforcementAction',
        reason: 'Recorded on the wrong case.',
      });
      expect(audit.record_ids).toContain(action.id);
      expect(await actionRow(action.id)).toEqual(rowBefore);
      // Still listed on the case, marked.
      const read = await officer.ok<any>(CASE_ACTIONS, { id: caseId });
      expect(read.case.enforcementActions).toEqual([
        expect.objectContaining({ id: action.id, voided: true }),
      ]);
    },
  );

  test('voided twice: CONFLICT', async () => {
    const { caseId } = await assessedCase(BORDER);
    const action = await record(officer, actionInput(caseId));
    await officer.ok(VOID, { input: { id: action.id, reason: 'Recorded in error.' } });
    await expectRefused(
      server,
      officer,
      VOID,
      { input: { id: action.id, reason: 'Again.' } },
      'CONFLICT',
    );
    await expectRefused(
      server,
      supervisor,
      VOID,
      { input: { id: action.id, reason: 'Again.' } },
      'CONFLICT',
    );
  });

  test('another officer of the office: FORBIDDEN; another office: NOT_FOUND; HQ: FORBIDDEN; blank reason: BAD_USER_INPUT', async () => {
    const { caseId } = await assessedCase(BORDER);
    const action = await record(officer, actionInput(caseId));
    const input = { id: action.id, reason: 'Recorded in error.' };
    await expectRefused(server, officer2, VOID, { input }, 'FORBIDDEN');
    await expectRefused(server, officerLax, VOID, { input }, 'NOT_FOUND');
    await expectRefused(server, supervisorLax, VOID, { input }, 'NOT_FOUND');
    await expectRefused(server, hq, VOID, { input }, 'FORBIDDEN');
    await expectRefused(
      server,
      officer,
      VOID,
      { input: { id: action.id, reason: '   ' } },
      'BAD_USER_INPUT',
      'input.reason',
    );
    // A supervisor's own action: another supervisor of the office may void it.
    const bySupervisor = await record(supervisor, actionInput(caseId));
    const voided = await supervisor2.ok<any>(VOID, {
      input: { id: bySupervisor.id, reason: 'Duplicate.' },
    });
    expect(voided.voidEnforcementAction.void.voidedBy.email).toBe(SUPERVISOR2_NYC);
    expect((await readAction(officer, action.id)).voided).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('reading, scoping and audit', () => {
  test('Case.enforcementActions: newest first by occurredAt, whatever the recording order', async () => {
    const { caseId } = await assessedCase(BORDER);
    const ids: Record<string, string> = {};
    for (const [name, hoursAgo] of [
      ['middle', 2],
      ['newest', 1],
      ['oldest', 3],
    ] as const) {
      server.clock.advance(SECOND);
      ids[name] = (
        await record(
          officer,
          actionInput(caseId, { occurredAt: iso(T0.getTime() - hoursAgo * HOUR) }),
        )
      ).id;
    }
    const read = await officer.ok<any>(CASE_ACTIONS, { id: caseId });
    expect(read.case.enforcementActions.map((a: any) => a.id)).toEqual([
      ids.newest,
      ids.middle,
      ids.oldest,
    ]);
  });

  test('enforcementAction(id): own office, HQ any; another office, unknown or malformed: NOT_FOUND', async () => {
    const { caseId } = await assessedCase(BORDER);
    const action = await record(officer, actionInput(caseId));
    expect((await readAction(officer2, action.id)).id).toBe(action.id);
    expect((await readAction(supervisor, action.id)).id).toBe(action.id);
    expect(await readAction(hq, action.id)).toEqual(action);
    for (const [client, id] of [
      [officerLax, action.id],
      [supervisorLax, action.id],
      [officer, '00000000-0000-4000-8000-000000000000'],
      [officer, 'nope'],
    ] as const) {
      const res = await client.request(GET_ACTION, { id });
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(res)).not.toContain('Queens');
    }
    // And another office's case does not list it.
    const res = await officerLax.request(CASE_ACTIONS, { id: caseId });
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  test('each recordEnforcementAction writes exactly one CHANGE audit row, naming the action', async () => {
    const presumed = await assessedCase(BORDER);
    const notPresumed = await assessedCase(NOT_PRESUMED);
    await approvedRequest(notPresumed.caseId, 'DETENTION');
    const dhsJan = await assessedCase(NOT_PRESUMED, { asOf: '2021-02-01T15:00:00Z' });
    const inputs: [string, Record<string, unknown>][] = [
      ['PRESUMED_PRIORITY', actionInput(presumed.caseId)],
      [
        'PREAPPROVED',
        actionInput(notPresumed.caseId, { type: 'DETENTION', occurredAt: ago(SECOND) }),
      ],
      ['EXIGENT', { ...actionInput(notPresumed.caseId), exigent: { narrative: NARRATIVE } }],
      ['ASSESSED', actionInput(dhsJan.caseId, { occurredAt: '2021-02-01T16:00:00Z' })],
    ];
    for (const [basis, input] of inputs) {
      const all = await auditRows();
      const changes = await auditRows('CHANGE');
      const action = await record(officer, input);
      expect(action.basis).toBe(basis);
      expect(await auditRows('CHANGE')).toBe(changes + 1);
      expect(await auditRows()).toBe(all + 1);
      const audit = await lastAudit();
      expect(audit).toMatchObject({
        kind: 'CHANGE',
        operation: 'recordEnforcementAction',
        record_type: 'EnforcementAction',
        change: { after: { basis, type: action.type, policyVersion: action.policyVersion } },
      });
      expect(audit.record_ids).toEqual(
        expect.arrayContaining([
          action.id,
          input.caseId,
          ...(action.postActionRequest ? [action.postActionRequest.id] : []),
        ]),
      );
    }
  });

  test('no N+1: cases(first: 3) and cases(first: 30) with actions and requests cost the same statements', async () => {
    await hq.ok(`mutation($input: CreateOfficeInput!) { createOffice(input: $input) { id } }`, {
      input: { code: 'EAN', name: 'EAN Field Office', timeZone: 'America/New_York' },
    });
    const emails = { officer: 'officer.ean@example.gov', supervisor: 'supervisor.ean@example.gov' };
    for (const [key, email] of Object.entries(emails)) {
      await hq.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: {
          email,
          name: `${key} of EAN`,
          role: key === 'supervisor' ? 'SUPERVISOR' : 'FIELD_OFFICER',
          officeCode: 'EAN',
        },
      });
    }
    const eanOfficer = await server.as(emails.officer);
    const eanSupervisor = await server.as(emails.supervisor);

    for (let i = 0; i < 30; i++) {
      server.clock.advance(SECOND);
      const c = await openCase(eanOfficer, { facts: i % 3 === 0 ? BORDER : NOT_PRESUMED });
      await assess(eanOfficer, { caseId: c.id });
      if (i % 3 === 0) {
        await record(eanOfficer, actionInput(c.id, { occurredAt: ago(2 * HOUR) }));
        const second = await record(eanSupervisor, actionInput(c.id, { type: 'DETENTION' }));
        await eanSupervisor.ok(VOID, { input: { id: second.id, reason: 'Recorded twice.' } });
      } else {
        if (i % 3 === 2) {
          const asked = await eanOfficer.ok<any>(REQUEST, {
            input: { caseId: c.id, actionType: 'DETENTION', justification: JUSTIFICATION },
          });
          await eanSupervisor.ok(DECIDE, {
            input: { id: asked.requestApproval.id, decision: 'APPROVE', reason: 'Justified.' },
          });
          server.clock.advance(SECOND);
        }
        await record(eanOfficer, {
          ...actionInput(c.id, { occurredAt: ago(3 * HOUR) }),
          exigent: { narrative: NARRATIVE },
        });
        await record(
          eanOfficer,
          i % 3 === 2
            ? actionInput(c.id, { type: 'DETENTION', occurredAt: ago(SECOND) })
            : { ...actionInput(c.id, { type: 'DETENTION' }), exigent: { narrative: NARRATIVE } },
        );
      }
    }
    server.clock.advance(DAY); // some post-action requests are now overdue

    const PAGE = `query Page($first: Int) {
      cases(first: $first) {
        totalCount
        edges { node {
          id
          enforcementActions {
            id basis ratification voided
            recordedBy { email }
            approvalRequest { id }
            postActionRequest { id overdue }
            assessment { id }
          }
          approvalRequests { id }
        } }
      }
    }`;
    const run = async (first: number) => {
      server.statements.length = 0;
      const data = await eanSupervisor.ok<any>(PAGE, { first });
      const count = server.statements.length;
      expect(data.cases.totalCount).toBe(30);
      expect(data.cases.edges).toHaveLength(first);
      for (const { node } of data.cases.edges) {
        expect(node.enforcementActions).toHaveLength(2);
        for (const a of node.enforcementActions) {
          expect(a.assessment).not.toBeNull();
          expect(a.recordedBy.email).toMatch(/\.ean@example\.gov$/);
        }
      }
      return { count, data };
    };
    const small = await run(3);
    const large = await run(30);
    expect(large.count).toBe(small.count);

    // The large page exercised every loader.
    const actions = large.data.cases.edges.flatMap((e: any) => e.node.enforcementActions);
    expect(new Set(actions.map((a: any) => a.basis))).toEqual(
      new Set(['PRESUMED_PRIORITY', 'PREAPPROVED', 'EXIGENT']),
    );
    expect(actions.filter((a: any) => a.voided)).toHaveLength(10);
    expect(actions.filter((a: any) => a.approvalRequest)).toHaveLength(10);
    expect(actions.filter((a: any) => a.postActionRequest?.overdue)).toHaveLength(30);
    expect(
      large.data.cases.edges.filter((e: any) => e.node.approvalRequests.length > 0),
    ).toHaveLength(20);
  });
});

testLeanRowsEqualEntities(() => server);
