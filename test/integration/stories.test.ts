/**
 * The two stories of the pre-approval policy, end to end through the API, as the README tells them.
 */
import { codes, openCase } from '../helpers/given';
import {
  Client,
  fingerprint,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

let server: TestServer;
let officer: Client;
let supervisor: Client;

const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { policyVersion presumedPriority requiresPreapproval primaryCategory } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) {
    id type basis category policyVersion ratification
    approvalRequest { id status }
    postActionRequest { id status justificationDueAt overdue late }
  }
}`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id kind status policyVersion } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status expiresAt decidedBy { email } } }`;
const JUSTIFY = `mutation($input: SubmitPostActionJustificationInput!) { submitPostActionJustification(input: $input) { id late justificationSubmittedAt } }`;
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-06-01T14:00:00Z') });
  officer = await server.as(OFFICER_NYC);
  supervisor = await server.as(SUPERVISOR_NYC);
});
afterAll(async () => {
  await server?.stop();
});

test('not presumed: refused, requested, approved, then recorded as PREAPPROVED', async () => {
  const c = await openCase(officer, { facts: { firstPresentOn: '2005-03-01' } });
  const assessed = await officer.ok(ASSESS, { input: { caseId: c.id } });
  expect(assessed.assessCase).toEqual({
    policyVersion: 'ICE-2021-02-18',
    presumedPriority: false,
    requiresPreapproval: true,
    primaryCategory: 'OTHER',
  });

  const arrest = {
    caseId: c.id,
    type: 'ARREST',
    occurredAt: '2021-06-01T13:00:00Z',
    location: 'Queens, NY',
  };
  const before = await fingerprint(server);
  const refused = await officer.request(RECORD, { input: arrest });
  expect(codes(refused)).toEqual(['PREAPPROVAL_REQUIRED']);
  expect(await fingerprint(server)).toEqual(before);

  const requested = await officer.ok(REQUEST, {
    input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
  });
  expect(requested.requestApproval).toMatchObject({
    kind: 'PRE_ACTION',
    status: 'PENDING',
    policyVersion: 'ICE-2021-02-18',
  });

  server.clock.advance(3600_000);
  const decided = await supervisor.ok(DECIDE, {
    input: {
      id: requested.requestApproval.id,
      decision: 'APPROVE',
      reason: 'Justified: flight risk.',
    },
  });
  expect(decided.decideApprovalRequest).toMatchObject({
    status: 'APPROVED',
    decidedBy: { email: SUPERVISOR_NYC },
  });

  server.clock.advance(3600_000);
  const recorded = await officer.ok(RECORD, {
    input: { ...arrest, occurredAt: '2021-06-01T15:30:00Z' },
  });
  expect(recorded.recordEnforcementAction).toMatchObject({
    type: 'ARREST',
    basis: 'PREAPPROVED',
    category: 'OTHER',
    policyVersion: 'ICE-2021-02-18',
    ratification: 'NOT_APPLICABLE',
    approvalRequest: { id: requested.requestApproval.id, status: 'APPROVED' },
    postActionRequest: null,
  });
});

test('exigent: arrest first, justification within 24 hours, ratified', async () => {
  const c = await openCase(officer, { facts: {} });
  await officer.ok(ASSESS, { input: { caseId: c.id } });
  const occurredAt = new Date(server.clock.now().getTime() - 600_000).toISOString();
  const recorded = await officer.ok(RECORD, {
    input: {
      caseId: c.id,
      type: 'ARREST',
      occurredAt,
      location: 'JFK Terminal 4',
      exigent: {
        narrative:
          'The subject was boarding an international flight; no supervisor could be reached in time.',
      },
    },
  });
  const action = recorded.recordEnforcementAction;
  expect(action).toMatchObject({
    basis: 'EXIGENT',
    category: 'OTHER',
    ratification: 'AWAITING_JUSTIFICATION',
  });
  expect(action.postActionRequest.status).toBe('PENDING');
  expect(action.postActionRequest.justificationDueAt).toBe(
    new Date(Date.parse(occurredAt) + 24 * 3600_000).toISOString(),
  );

  server.clock.advance(20 * 3600_000);
  const justified = await officer.ok(JUSTIFY, {
    input: { enforcementActionId: action.id, justification: JUSTIFICATION },
  });
  expect(justified.submitPostActionJustification.late).toBe(false);

  const decided = await supervisor.ok(DECIDE, {
    input: {
      id: action.postActionRequest.id,
      decision: 'APPROVE',
      reason: 'Exigency documented; ratified.',
    },
  });
  expect(decided.decideApprovalRequest.status).toBe('APPROVED');
  const read = await officer.ok(
    `query($id: ID!) { enforcementAction(id: $id) { ratification postActionRequest { late overdue } } }`,
    {
      id: action.id,
    },
  );
  expect(read.enforcementAction).toEqual({
    ratification: 'RATIFIED',
    postActionRequest: { late: false, overdue: false },
  });
});
