/**
 * Approval requests through the real server and the real PostgreSQL: every transition of the state
 * table, every refusal (its code, and that nothing changed), the two-supervisor race, vulnerable
 * removals, the supervisor's queue (order, pages, overdue flags, no N+1) and Case.approvalRequests.
 */
import { testLeanRowsEqualEntities } from '../helpers/lean';
import {
  BORDER,
  CLOSE_CASE,
  codes,
  convictionInput,
  NOT_PRESUMED,
  openCase,
  UPDATE_FACTS,
} from '../helpers/given';
import {
  Client,
  GraphQLResponse,
  HQ,
  OFFICER2_NYC,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR2_NYC,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { refused } from '../helpers/refusals';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = new Date('2021-06-01T14:00:00Z');

const REQUEST_FIELDS = `
  id kind actionType status justification policyVersion
  requestedAt decidedAt decisionReason expiresAt
  justificationDueAt justificationSubmittedAt late overdue
  requestedBy { email } decidedBy { email } case { id } latestAssessmentSummary
`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { ${REQUEST_FIELDS} } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const WITHDRAW = `mutation($input: WithdrawApprovalRequestInput!) { withdrawApprovalRequest(input: $input) { ${REQUEST_FIELDS} } }`;
const GET = `query($id: ID!) { approvalRequest(id: $id) { ${REQUEST_FIELDS} } }`;
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id presumedPriority requiresPreapproval primaryCategory summary } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) { id basis postActionRequest { id status justificationDueAt } }
}`;
const JUSTIFY = `mutation($input: SubmitPostActionJustificationInput!) { submitPostActionJustification(input: $input) { id late overdue justificationSubmittedAt } }`;
const CASE_REQUESTS = `query($id: ID!) { case(id: $id) { id latestAssessment { summary } approvalRequests { id status kind actionType requestedAt } } }`;
const INTEGRITY = `{ auditIntegrity { ok checked firstBrokenId } }`;

/** Exactly 80 characters: the minimum under ICE-2021-02-18. */
const JUSTIFICATION_80 =
  'Subject holds an outstanding fraud warrant and is about to relocate out of state';
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';

type Req = Record<string, any>;

/** Opens a case as `client` and (unless told not to) assesses it now. */
async function assessedCase(
  client: Client,
  facts: Record<string, unknown> = NOT_PRESUMED,
  opts: { assess?: boolean; convictions?: unknown[] } = {},
): Promise<{ id: string; version: number; summary: string | null }> {
  const c = await openCase(client, { facts, convictions: opts.convictions });
  if (opts.assess === false) return { id: c.id, version: c.version, summary: null };
  const a = await client.ok<{ assessCase: { summary: string } }>(ASSESS, {
    input: { caseId: c.id },
  });
  return { id: c.id, version: c.version, summary: a.assessCase.summary };
}

async function requestApproval(
  client: Client,
  caseId: string,
  actionType = 'ARREST',
  justification = JUSTIFICATION,
): Promise<Req> {
  const data = await client.ok<{ requestApproval: Req }>(REQUEST, {
    input: { caseId, actionType, justification },
  });
  return data.requestApproval;
}

async function decide(
  client: Client,
  id: string,
  decision: 'APPROVE' | 'DENY',
  reason = 'Reviewed the file: justified.',
): Promise<Req> {
  const data = await client.ok<{ decideApprovalRequest: Req }>(DECIDE, {
    input: { id, decision, reason },
  });
  return data.decideApprovalRequest;
}

async function withdraw(client: Client, id: string, reason?: string): Promise<Req> {
  const data = await client.ok<{ withdrawApprovalRequest: Req }>(WITHDRAW, {
    input: { id, ...(reason === undefined ? {} : { reason }) },
  });
  return data.withdrawApprovalRequest;
}

async function read(client: Client, id: string): Promise<Req> {
  return (await client.ok<{ approvalRequest: Req }>(GET, { id })).approvalRequest;
}

/** An exigent ARREST on the case, `minutesAgo` before the server's now; returns the action. */
async function exigentArrest(
  srv: TestServer,
  client: Client,
  caseId: string,
  minutesAgo = 10,
): Promise<{ id: string; basis: string; postActionRequest: Req }> {
  const occurredAt = new Date(srv.clock.now().getTime() - minutesAgo * 60_000).toISOString();
  const data = await client.ok<{ recordEnforcementAction: any }>(RECORD, {
    input: {
      caseId,
      type: 'ARREST',
      occurredAt,
      location: 'JFK Terminal 4',
      exigent: { narrative: NARRATIVE },
    },
  });
  expect(data.recordEnforcementAction.basis).toBe('EXIGENT');
  return data.recordEnforcementAction;
}

async function storedRow(srv: TestServer, id: string): Promise<Req> {
  const [row] = await srv.sql(
    `SELECT status::text AS status, decided_by_id, decided_at, expires_at, decision_reason
       FROM approval_requests WHERE id = $1`,
    [id],
  );
  return row;
}

async function auditRows(srv: TestServer, operation: string, recordId: string): Promise<Req[]> {
  return srv.sql(
    `SELECT insertion AS seq, actor_id, operation, reason, change FROM audit_log
      WHERE operation = $1 AND record_ids @> ARRAY[$2]::uuid[] ORDER BY insertion`,
    [operation, recordId],
  );
}

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let officer: Client;
let officer2: Client;
let supervisor: Client;
let supervisor2: Client;
let officerLax: Client;
let supervisorLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: START });
  ({ officer, officer2, supervisor, supervisor2, officerLax, supervisorLax, hq } =
    await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});

describe('transitions', () => {
  test('requestApproval: a PENDING pre-action request under ICE-2021-02-18, audited once', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id, 'ARREST', `  ${JUSTIFICATION}  `);
    expect(r).toMatchObject({
      kind: 'PRE_ACTION',
      actionType: 'ARREST',
      status: 'PENDING',
      justification: JUSTIFICATION,
      policyVersion: 'ICE-2021-02-18',
      requestedAt: server.clock.now().toISOString(),
      decidedAt: null,
      decisionReason: null,
      expiresAt: null,
      justificationDueAt: null,
      late: false,
      overdue: false,
      requestedBy: { email: OFFICER_NYC },
      decidedBy: null,
      case: { id: c.id },
      latestAssessmentSummary: c.summary,
    });
    const audits = await auditRows(server, 'requestApproval', r.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].actor_id).toBe(await server.userId(OFFICER_NYC));
    expect(audits[0].change).toEqual({
      after: {
        kind: 'PRE_ACTION',
        actionType: 'ARREST',
        status: 'PENDING',
        policyVersion: 'ICE-2021-02-18',
      },
    });
  });

  test('PENDING → APPROVED: decidedAt is now, expiresAt is decidedAt + 30 days, audited once', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    server.clock.advance(2 * HOUR);
    const decidedAt = server.clock.now();
    const approved = await decide(supervisor, r.id, 'APPROVE', '  Flight risk; justified.  ');
    expect(approved).toMatchObject({
      id: r.id,
      status: 'APPROVED',
      decidedAt: decidedAt.toISOString(),
      expiresAt: new Date(decidedAt.getTime() + 30 * DAY).toISOString(),
      decisionReason: 'Flight risk; justified.',
      decidedBy: { email: SUPERVISOR_NYC },
      requestedBy: { email: OFFICER_NYC },
    });
    const row = await storedRow(server, r.id);
    expect(row.status).toBe('APPROVED');
    expect(row.decided_by_id).toBe(await server.userId(SUPERVISOR_NYC));
    expect(new Date(row.expires_at).toISOString()).toBe(approved.expiresAt);
    const audits = await auditRows(server, 'decideApprovalRequest', r.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].reason).toBe('Flight risk; justified.');
    expect(audits[0].change).toEqual({
      status: { before: 'PENDING', after: 'APPROVED' },
      expiresAt: approved.expiresAt,
    });
    expect(await read(officer, r.id)).toMatchObject({ status: 'APPROVED' });
  });

  test('APPROVED reads EXPIRED from expiresAt on (computed: the stored row stays APPROVED)', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    const approved = await decide(supervisor, r.id, 'APPROVE');
    const expiresAt = Date.parse(approved.expiresAt);

    server.clock.set(new Date(expiresAt - 1000));
    expect((await read(officer, r.id)).status).toBe('APPROVED');
    server.clock.set(new Date(expiresAt));
    expect((await read(officer, r.id)).status).toBe('EXPIRED');
    server.clock.advance(DAY);
    expect((await read(supervisor, r.id)).status).toBe('EXPIRED');
    const listed = await officer.ok<any>(CASE_REQUESTS, { id: c.id });
    expect(listed.case.approvalRequests).toEqual([
      expect.objectContaining({ id: r.id, status: 'EXPIRED' }),
    ]);
    expect((await storedRow(server, r.id)).status).toBe('APPROVED');

    // An expired request is still decided: neither decision nor withdrawal applies.
    for (const run of [
      () =>
        supervisor2.request(DECIDE, { input: { id: r.id, decision: 'APPROVE', reason: 'Again.' } }),
      () =>
        supervisor2.request(DECIDE, { input: { id: r.id, decision: 'DENY', reason: 'Again.' } }),
      () => officer.request(WITHDRAW, { input: { id: r.id } }),
    ]) {
      const error = await refused(server, run, 'CONFLICT');
      expect(error.message).toMatch(/EXPIRED/);
    }
    // The expiry is computed: once expired, a new request for the same action may be made.
    const again = await requestApproval(officer, c.id);
    expect(again.status).toBe('PENDING');
  });

  test('PENDING → DENIED: no expiry, the reason kept, audited once', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id, 'DETENTION');
    server.clock.advance(HOUR);
    const denied = await decide(supervisor2, r.id, 'DENY', 'Not a justified use of resources.');
    expect(denied).toMatchObject({
      status: 'DENIED',
      decidedAt: server.clock.now().toISOString(),
      expiresAt: null,
      decisionReason: 'Not a justified use of resources.',
      decidedBy: { email: SUPERVISOR2_NYC },
    });
    expect((await storedRow(server, r.id)).status).toBe('DENIED');
    const audits = await auditRows(server, 'decideApprovalRequest', r.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].change).toEqual({
      status: { before: 'PENDING', after: 'DENIED' },
      expiresAt: null,
    });
    // A denied request never expires into anything else.
    server.clock.advance(40 * DAY);
    expect((await read(officer, r.id)).status).toBe('DENIED');
  });

  test('PENDING → WITHDRAWN by the requester, with or without a reason, audited once', async () => {
    const c = await assessedCase(officer);
    const r1 = await requestApproval(officer, c.id, 'ARREST');
    const r2 = await requestApproval(officer, c.id, 'DETENTION');
    const w1 = await withdraw(officer, r1.id, 'The subject left the country.');
    expect(w1).toMatchObject({
      status: 'WITHDRAWN',
      decidedAt: server.clock.now().toISOString(),
      decisionReason: 'The subject left the country.',
      decidedBy: null,
      expiresAt: null,
    });
    const w2 = await withdraw(officer, r2.id);
    expect(w2).toMatchObject({ status: 'WITHDRAWN', decisionReason: null });
    expect((await storedRow(server, r1.id)).status).toBe('WITHDRAWN');
    expect((await storedRow(server, r2.id)).status).toBe('WITHDRAWN');
    const audits = await auditRows(server, 'withdrawApprovalRequest', r1.id);
    expect(audits).toHaveLength(1);
    expect(audits[0].change).toEqual({ status: { before: 'PENDING', after: 'WITHDRAWN' } });
    expect(await auditRows(server, 'withdrawApprovalRequest', r2.id)).toHaveLength(1);
  });

  test('a supervisor may withdraw a request they made themselves', async () => {
    const c = await assessedCase(supervisor);
    const r = await requestApproval(supervisor, c.id);
    expect((await withdraw(supervisor, r.id)).status).toBe('WITHDRAWN');
  });

  test('after a denial or a withdrawal, the same action may be requested again', async () => {
    const c = await assessedCase(officer);
    const first = await requestApproval(officer, c.id);
    await decide(supervisor, first.id, 'DENY');
    const second = await requestApproval(officer, c.id);
    await withdraw(officer, second.id);
    const third = await requestApproval(officer, c.id);
    expect(third.status).toBe('PENDING');
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
  });

  describe('every transition outside the table is a CONFLICT and changes nothing', () => {
    const events: [string, (id: string) => Promise<GraphQLResponse>][] = [
      [
        'APPROVE',
        (id) => supervisor2.request(DECIDE, { input: { id, decision: 'APPROVE', reason: 'Yes.' } }),
      ],
      [
        'DENY',
        (id) => supervisor2.request(DECIDE, { input: { id, decision: 'DENY', reason: 'No.' } }),
      ],
      [
        'WITHDRAW',
        (id) => officer.request(WITHDRAW, { input: { id, reason: 'Changed my mind.' } }),
      ],
    ];
    const into: Record<string, (id: string) => Promise<unknown>> = {
      APPROVED: (id) => decide(supervisor, id, 'APPROVE'),
      DENIED: (id) => decide(supervisor, id, 'DENY'),
      WITHDRAWN: (id) => withdraw(officer, id),
    };
    for (const from of Object.keys(into)) {
      for (const [event, run] of events) {
        test(`${from} + ${event} → CONFLICT`, async () => {
          const c = await assessedCase(officer);
          const r = await requestApproval(officer, c.id);
          await into[from](r.id);
          const stored = await storedRow(server, r.id);
          const error = await refused(server, () => run(r.id), 'CONFLICT');
          expect(error.message).toMatch(new RegExp(`The request is ${from}`));
          expect(await storedRow(server, r.id)).toEqual(stored);
          expect((await read(officer, r.id)).status).toBe(from);
        });
      }
    }
  });
});

describe('refusals: the code, and nothing changed', () => {
  test('a supervisor deciding their own request: FORBIDDEN (the other supervisor may)', async () => {
    const c = await assessedCase(supervisor);
    const r = await requestApproval(supervisor, c.id);
    for (const decision of ['APPROVE', 'DENY']) {
      await refused(
        server,
        () => supervisor.request(DECIDE, { input: { id: r.id, decision, reason: 'Mine.' } }),
        'FORBIDDEN',
      );
    }
    expect((await decide(supervisor2, r.id, 'APPROVE')).status).toBe('APPROVED');
  });

  test('a supervisor who wrote the post-action justification may not ratify it: FORBIDDEN (another supervisor may)', async () => {
    const c = await assessedCase(officer);
    const post = (await exigentArrest(server, officer, c.id)).postActionRequest;
    await supervisor.ok(JUSTIFY, { input: { requestId: post.id, justification: JUSTIFICATION } });
    for (const decision of ['APPROVE', 'DENY']) {
      const error = await refused(
        server,
        () => supervisor.request(DECIDE, { input: { id: post.id, decision, reason: 'Mine.' } }),
        'FORBIDDEN',
      );
      expect(error.message).toMatch(/wrote any part/);
    }
    expect((await decide(supervisor2, post.id, 'APPROVE', 'Ratified.')).status).toBe('APPROVED');
  });

  test('an officer deciding (even another officer’s request): FORBIDDEN', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    for (const client of [officer, officer2]) {
      await refused(
        server,
        () => client.request(DECIDE, { input: { id: r.id, decision: 'APPROVE', reason: 'Yes.' } }),
        'FORBIDDEN',
      );
    }
    expect((await read(officer, r.id)).status).toBe('PENDING');
  });

  test('another office’s supervisor: NOT_FOUND for deciding and reading, like an unknown id', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    await refused(
      server,
      () =>
        supervisorLax.request(DECIDE, { input: { id: r.id, decision: 'APPROVE', reason: 'Yes.' } }),
      'NOT_FOUND',
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const id of [r.id, unknown, 'not-a-uuid']) {
      const res = await supervisorLax.request(GET, { id });
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(res.errors)).not.toContain(OFFICER_NYC);
    }
    for (const id of [unknown, 'not-a-uuid']) {
      await refused(
        server,
        () => supervisor2.request(DECIDE, { input: { id, decision: 'DENY', reason: 'No.' } }),
        'NOT_FOUND',
      );
      await refused(server, () => officer.request(WITHDRAW, { input: { id } }), 'NOT_FOUND');
    }
    // Another office's officer cannot withdraw it, nor request approval on the case.
    await refused(server, () => officerLax.request(WITHDRAW, { input: { id: r.id } }), 'NOT_FOUND');
    await refused(
      server,
      () =>
        officerLax.request(REQUEST, {
          input: { caseId: c.id, actionType: 'DETENTION', justification: JUSTIFICATION },
        }),
      'NOT_FOUND',
    );
    expect((await read(officer, r.id)).status).toBe('PENDING');
  });

  test('headquarters may not request, decide or withdraw: FORBIDDEN', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    await refused(
      server,
      () => hq.request(DECIDE, { input: { id: r.id, decision: 'APPROVE', reason: 'Yes.' } }),
      'FORBIDDEN',
    );
    await refused(server, () => hq.request(WITHDRAW, { input: { id: r.id } }), 'FORBIDDEN');
    await refused(
      server,
      () =>
        hq.request(REQUEST, {
          input: { caseId: c.id, actionType: 'DETENTION', justification: JUSTIFICATION },
        }),
      'FORBIDDEN',
    );
  });

  test('a presumed-priority case needs no approval: BAD_USER_INPUT on input.caseId, saying so', async () => {
    const c = await assessedCase(officer, BORDER);
    const error = await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
        }),
      'BAD_USER_INPUT',
      'input.caseId',
    );
    expect(error.message).toMatch(/^input\.caseId: /);
    expect(error.message).toMatch(/presumed border security priority/);
    expect(error.message).toMatch(/needs no approval/);
  });

  test('justification: 79 characters (after trimming) is BAD_USER_INPUT on input.justification; 80 is accepted', async () => {
    expect(JUSTIFICATION_80).toHaveLength(80);
    const c = await assessedCase(officer);
    for (const short of [JUSTIFICATION_80.slice(0, 79), `   ${JUSTIFICATION_80.slice(0, 79)}   `]) {
      const error = await refused(
        server,
        () =>
          officer.request(REQUEST, {
            input: { caseId: c.id, actionType: 'ARREST', justification: short },
          }),
        'BAD_USER_INPUT',
        'input.justification',
      );
      expect(error.message).toMatch(/at least 80 characters/);
    }
    await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'ARREST', justification: '   ' },
        }),
      'BAD_USER_INPUT',
      'input.justification',
    );
    const ok = await requestApproval(officer, c.id, 'ARREST', JUSTIFICATION_80);
    expect(ok).toMatchObject({ status: 'PENDING', justification: JUSTIFICATION_80 });
  });

  test('a second pending request for the same case and action type: CONFLICT (another type is fine)', async () => {
    const c = await assessedCase(officer);
    await requestApproval(officer, c.id, 'ARREST');
    for (const client of [officer, officer2, supervisor]) {
      await refused(
        server,
        () =>
          client.request(REQUEST, {
            input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
          }),
        'CONFLICT',
      );
    }
    expect((await requestApproval(officer, c.id, 'DETENTION')).status).toBe('PENDING');
  });

  test('withdrawal by anyone but the requester: FORBIDDEN (another officer, a supervisor)', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    for (const client of [officer2, supervisor, supervisor2]) {
      await refused(
        server,
        () => client.request(WITHDRAW, { input: { id: r.id, reason: 'Not needed.' } }),
        'FORBIDDEN',
      );
    }
    expect((await read(officer, r.id)).status).toBe('PENDING');
  });

  test('a request on a closed case: CONFLICT', async () => {
    const c = await assessedCase(officer);
    await officer.ok(CLOSE_CASE, { input: { caseId: c.id, reason: 'Subject departed.' } });
    await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
        }),
      'CONFLICT',
    );
  });

  test('post-action request: cannot be withdrawn, nor decided before its justification (CONFLICT); then ratified', async () => {
    const c = await assessedCase(officer);
    const action = await exigentArrest(server, officer, c.id);
    const post = action.postActionRequest;
    expect(post.status).toBe('PENDING');
    expect((await read(officer, post.id)).kind).toBe('POST_ACTION');

    await refused(server, () => officer.request(WITHDRAW, { input: { id: post.id } }), 'CONFLICT');
    for (const decision of ['APPROVE', 'DENY']) {
      const error = await refused(
        server,
        () => supervisor.request(DECIDE, { input: { id: post.id, decision, reason: 'Early.' } }),
        'CONFLICT',
      );
      expect(error.message).toMatch(/justification has not been submitted/);
    }
    await officer.ok(JUSTIFY, { input: { requestId: post.id, justification: JUSTIFICATION } });
    // Still not withdrawable once justified.
    await refused(server, () => officer.request(WITHDRAW, { input: { id: post.id } }), 'CONFLICT');
    const ratified = await decide(supervisor, post.id, 'APPROVE', 'Exigency documented.');
    expect(ratified).toMatchObject({ status: 'APPROVED', kind: 'POST_ACTION', expiresAt: null });
    // A ratification never expires.
    server.clock.advance(60 * DAY);
    expect((await read(officer, post.id)).status).toBe('APPROVED');
  });

  test('decide with a blank reason: BAD_USER_INPUT on input.reason', async () => {
    const c = await assessedCase(officer);
    const r = await requestApproval(officer, c.id);
    for (const reason of ['', '   ', '\n\t  ']) {
      await refused(
        server,
        () => supervisor.request(DECIDE, { input: { id: r.id, decision: 'APPROVE', reason } }),
        'BAD_USER_INPUT',
        'input.reason',
      );
    }
    expect((await read(officer, r.id)).status).toBe('PENDING');
  });
});

describe('vulnerable removal', () => {
  test('an elderly subject of a presumed-priority case: REMOVAL is a VULNERABLE_REMOVAL request', async () => {
    const c = await assessedCase(officer, { ...BORDER, vulnerability: { elderly: true } });
    const checked = await officer.ok<any>(
      `query($id: ID!) { case(id: $id) { latestAssessment { presumedPriority primaryCategory } } }`,
      { id: c.id },
    );
    expect(checked.case.latestAssessment).toEqual({
      presumedPriority: true,
      primaryCategory: 'BORDER_SECURITY',
    });
    const r = await requestApproval(officer, c.id, 'REMOVAL');
    expect(r).toMatchObject({
      kind: 'VULNERABLE_REMOVAL',
      actionType: 'REMOVAL',
      status: 'PENDING',
    });
    // Any other action on the same presumed case still needs no approval.
    await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
        }),
      'BAD_USER_INPUT',
      'input.caseId',
    );
    // A second pending removal request: CONFLICT.
    await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'REMOVAL', justification: JUSTIFICATION },
        }),
      'CONFLICT',
    );
    const approved = await decide(supervisor, r.id, 'APPROVE', 'Compelling reason shown.');
    expect(approved.status).toBe('APPROVED');
    expect(Date.parse(approved.expiresAt) - Date.parse(approved.decidedAt)).toBe(30 * DAY);
  });

  test('serious illness or a pending application count as vulnerable too; not-presumed cases as well', async () => {
    for (const vulnerability of [{ seriousIllness: true }, { pendingReliefApplication: true }]) {
      const c = await assessedCase(officer, { ...BORDER, vulnerability });
      expect((await requestApproval(officer, c.id, 'REMOVAL')).kind).toBe('VULNERABLE_REMOVAL');
    }
    const notPresumed = await assessedCase(officer, {
      ...NOT_PRESUMED,
      vulnerability: { elderly: true },
    });
    expect((await requestApproval(officer, notPresumed.id, 'REMOVAL')).kind).toBe(
      'VULNERABLE_REMOVAL',
    );
    expect((await requestApproval(officer, notPresumed.id, 'ARREST')).kind).toBe('PRE_ACTION');
  });

  test('a presumed-priority removal of a person not flagged vulnerable needs no approval', async () => {
    const c = await assessedCase(officer, BORDER);
    await refused(
      server,
      () =>
        officer.request(REQUEST, {
          input: { caseId: c.id, actionType: 'REMOVAL', justification: JUSTIFICATION },
        }),
      'BAD_USER_INPUT',
      'input.caseId',
    );
  });
});

describe('Case.approvalRequests and approvalRequest(id)', () => {
  test('a case lists its requests oldest first, each with its current status', async () => {
    const c = await assessedCase(officer);
    const a = await requestApproval(officer, c.id, 'ARREST');
    server.clock.advance(60_000);
    const b = await requestApproval(officer2, c.id, 'DETENTION');
    server.clock.advance(60_000);
    await withdraw(officer, a.id);
    const d = await requestApproval(officer, c.id, 'ARREST');
    server.clock.advance(60_000);
    await decide(supervisor, b.id, 'DENY');
    // Same instant: the id breaks the tie.
    const e1 = await requestApproval(supervisor, c.id, 'NOTICE_TO_APPEAR');
    const e2 = await requestApproval(supervisor, c.id, 'DETAINER_ISSUED');
    const ties = [e1.id, e2.id].sort();

    const data = await officer.ok<any>(CASE_REQUESTS, { id: c.id });
    expect(data.case.approvalRequests.map((r: Req) => [r.id, r.status])).toEqual([
      [a.id, 'WITHDRAWN'],
      [b.id, 'DENIED'],
      [d.id, 'PENDING'],
      [ties[0], 'PENDING'],
      [ties[1], 'PENDING'],
    ]);
    const other = await assessedCase(officer);
    expect((await officer.ok<any>(CASE_REQUESTS, { id: other.id })).case.approvalRequests).toEqual(
      [],
    );
  });

  test('headquarters reads a request of any office; the other office does not', async () => {
    const nyc = await assessedCase(officer);
    const lax = await assessedCase(officerLax);
    const rNyc = await requestApproval(officer, nyc.id);
    const rLax = await requestApproval(officerLax, lax.id);
    expect(await read(hq, rNyc.id)).toMatchObject({
      id: rNyc.id,
      status: 'PENDING',
      requestedBy: { email: OFFICER_NYC },
      case: { id: nyc.id },
      latestAssessmentSummary: nyc.summary,
    });
    expect(await read(hq, rLax.id)).toMatchObject({
      id: rLax.id,
      requestedBy: { email: OFFICER_LAX },
    });
    expect((await read(officer2, rNyc.id)).id).toBe(rNyc.id);
    expect((await read(supervisorLax, rLax.id)).id).toBe(rLax.id);
    expect(codes(await officerLax.request(GET, { id: rNyc.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await supervisor.request(GET, { id: rLax.id }))).toEqual(['NOT_FOUND']);
    const viaCase = await hq.ok<any>(CASE_REQUESTS, { id: lax.id });
    expect(viaCase.case.approvalRequests.map((r: Req) => r.id)).toEqual([rLax.id]);
  });
});

describe('the race: two supervisors decide the same request at the same moment', () => {
  test('50 rounds: exactly one decision, one audit record, the loser gets CONFLICT', async () => {
    const c = await assessedCase(officer);
    const ids: Record<string, string> = {
      [SUPERVISOR_NYC]: await server.userId(SUPERVISOR_NYC),
      [SUPERVISOR2_NYC]: await server.userId(SUPERVISOR2_NYC),
    };
    const losses = { sequential: 0, concurrent: 0 };
    const countDecisions = async () =>
      Number(
        (
          await server.sql(
            `SELECT count(*) AS n FROM audit_log WHERE operation = 'decideApprovalRequest'`,
          )
        )[0].n,
      );
    for (let round = 0; round < 50; round++) {
      server.clock.advance(1000);
      const r = await requestApproval(officer, c.id, round % 2 ? 'ARREST' : 'DETENTION');
      const decisionsBefore = await countDecisions();
      const contenders = [
        { email: SUPERVISOR_NYC, client: supervisor, decision: round % 2 ? 'APPROVE' : 'DENY' },
        { email: SUPERVISOR2_NYC, client: supervisor2, decision: round % 2 ? 'DENY' : 'APPROVE' },
      ];
      const results = await Promise.all(
        contenders.map((k) =>
          k.client.request<{ decideApprovalRequest: Req }>(DECIDE, {
            input: { id: r.id, decision: k.decision, reason: `Round ${round} by ${k.email}` },
          }),
        ),
      );
      const winners = results.filter((res) => !res.errors?.length);
      const losers = results.filter((res) => res.errors?.length);
      expect({ round, winners: winners.length, losers: losers.map(codes) }).toEqual({
        round,
        winners: 1,
        losers: [['CONFLICT']],
      });
      const w = contenders[results.indexOf(winners[0])];
      const expected = w.decision === 'APPROVE' ? 'APPROVED' : 'DENIED';
      expect(winners[0].data?.decideApprovalRequest).toMatchObject({
        status: expected,
        decidedBy: { email: w.email },
      });
      expect(losers[0].data ?? null).toBeNull();
      if (/a moment ago/.test(losers[0].errors?.[0].message ?? '')) losses.concurrent++;
      else losses.sequential++;

      const row = await storedRow(server, r.id);
      expect({ round, status: row.status, by: row.decided_by_id }).toEqual({
        round,
        status: expected,
        by: ids[w.email],
      });
      expect(row.decision_reason).toBe(`Round ${round} by ${w.email}`);
      const audits = await auditRows(server, 'decideApprovalRequest', r.id);
      expect({ round, audits: audits.length, actor: audits[0]?.actor_id }).toEqual({
        round,
        audits: 1,
        actor: ids[w.email],
      });
      expect(await countDecisions()).toBe(decisionsBefore + 1);
    }
    // Both paths to CONFLICT are legitimate, but if the two requests never overlapped (neither
    // ever read PENDING while the other was deciding), the compare-and-set was never exercised.
    expect(losses.concurrent).toBeGreaterThan(0);
    expect(losses.sequential + losses.concurrent).toBe(50);
    const integrity = await hq.ok<any>(INTEGRITY);
    expect(integrity.auditIntegrity).toMatchObject({ ok: true, firstBrokenId: null });
  });
});

describe('the race: the same request made twice at the same moment', () => {
  test('20 rounds: one request is pending, the other gets CONFLICT', async () => {
    for (let round = 0; round < 20; round++) {
      const c = await assessedCase(officer);
      const results = await Promise.all(
        [officer, officer2].map((client) =>
          client.request<{ requestApproval: Req }>(REQUEST, {
            input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
          }),
        ),
      );
      const rows = await server.sql(
        `SELECT id FROM approval_requests WHERE case_id = $1 AND status = 'PENDING'`,
        [c.id],
      );
      expect({ round, codes: results.map(codes).flat().sort(), pending: rows.length }).toEqual({
        round,
        codes: ['CONFLICT'],
        pending: 1,
      });
    }
  });
});

describe('under DHS-2021-09-30 (2022): no pre-approval machinery', () => {
  let s2022: TestServer;
  let officer2022: Client;
  beforeAll(async () => {
    s2022 = await startTestServer({ now: new Date('2022-03-01T15:00:00Z') });
    officer2022 = await s2022.as(OFFICER_NYC);
  });
  afterAll(async () => {
    await s2022?.stop();
  });

  test('requestApproval is BAD_USER_INPUT on input.caseId, assessed or not, vulnerable or not', async () => {
    const assessed = await assessedCase(officer2022);
    const unassessed = await assessedCase(officer2022, NOT_PRESUMED, { assess: false });
    const vulnerable = await assessedCase(officer2022, {
      ...NOT_PRESUMED,
      vulnerability: { elderly: true },
    });
    for (const [caseId, actionType] of [
      [assessed.id, 'ARREST'],
      [unassessed.id, 'ARREST'],
      [vulnerable.id, 'REMOVAL'],
    ]) {
      const error = await refused(
        s2022,
        () =>
          officer2022.request(REQUEST, {
            input: { caseId, actionType, justification: JUSTIFICATION },
          }),
        'BAD_USER_INPUT',
        'input.caseId',
      );
      expect(error.message).toMatch(/no pre-approval is needed under DHS-2021-09-30/);
    }
  });
});

describe('approvalQueue', () => {
  let qs: TestServer;
  let qOfficer: Client;
  let qOfficer2: Client;
  let qSupervisor: Client;
  let qSupervisor2: Client;
  let qOfficerLax: Client;
  let qSupervisorLax: Client;
  let qHq: Client;
  /** Every NYC request still pending, with its requestedAt. */
  const pending: { id: string; requestedAt: string; caseId: string }[] = [];
  const lax: string[] = [];
  const summaries = new Map<string, string | null>();
  const post: Record<'unjustified' | 'onTime' | 'late' | 'fresh', string> = {
    unjustified: '',
    onTime: '',
    late: '',
    fresh: '',
  };

  const QUEUE = `query($first: Int, $after: String) {
    approvalQueue(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id status kind overdue late latestAssessmentSummary requestedAt case { id } } }
    }
  }`;

  function expectedOrder(): string[] {
    return [...pending]
      .sort((a, b) =>
        a.requestedAt === b.requestedAt
          ? a.id < b.id
            ? -1
            : 1
          : Date.parse(a.requestedAt) - Date.parse(b.requestedAt),
      )
      .map((r) => r.id);
  }

  async function wholeQueue(
    client: Client,
    first: number,
  ): Promise<{ nodes: Req[]; pages: any[] }> {
    const nodes: Req[] = [];
    const pages: any[] = [];
    let after: string | null = null;
    for (let i = 0; i < 100; i++) {
      const data: any = await client.ok(QUEUE, { first, after });
      pages.push(data.approvalQueue);
      nodes.push(...data.approvalQueue.edges.map((e: any) => e.node));
      if (!data.approvalQueue.pageInfo.hasNextPage) break;
      after = data.approvalQueue.pageInfo.endCursor;
    }
    return { nodes, pages };
  }

  const track = (r: Req) =>
    pending.push({ id: r.id, requestedAt: r.requestedAt, caseId: r.case.id });
  const untrack = (id: string) =>
    pending.splice(
      pending.findIndex((p) => p.id === id),
      1,
    );

  beforeAll(async () => {
    qs = await startTestServer({ now: START });
    [qOfficer, qOfficer2, qSupervisor, qSupervisor2, qOfficerLax, qSupervisorLax, qHq] =
      await Promise.all(
        [
          OFFICER_NYC,
          OFFICER2_NYC,
          SUPERVISOR_NYC,
          SUPERVISOR2_NYC,
          OFFICER_LAX,
          SUPERVISOR_LAX,
          HQ,
        ].map((email) => qs.as(email)),
      );

    const types = ['ARREST', 'DETAINER_ISSUED', 'NOTICE_TO_APPEAR', 'DETENTION', 'REMOVAL'];
    const requesters = [qOfficer, qOfficer2, qSupervisor2];
    let n = 0;
    for (let i = 0; i < 8; i++) {
      const c = await assessedCase(qOfficer, NOT_PRESUMED, {
        convictions:
          i % 2 ? [convictionInput(), convictionInput({ offense: 'Petty larceny' })] : [],
      });
      summaries.set(c.id, c.summary);
      for (const type of types) {
        // The first case's requests share one instant: the id orders them.
        if (i > 0) qs.clock.advance(1000);
        track(await requestApproval(requesters[n++ % requesters.length], c.id, type));
      }
    }
    // A case never assessed: its requests carry no summary.
    const unassessed = await assessedCase(qOfficer, NOT_PRESUMED, { assess: false });
    summaries.set(unassessed.id, null);
    qs.clock.advance(1000);
    track(await requestApproval(qOfficer, unassessed.id, 'ARREST'));

    // Decided and withdrawn requests leave the queue.
    const [a, b, c, d] = [pending[3], pending[10], pending[17], pending[24]];
    await decide(qSupervisor, a.id, 'APPROVE');
    await decide(qSupervisor, b.id, 'DENY');
    await decide(qSupervisor, c.id, 'APPROVE');
    const dOwner = (await read(qSupervisor, d.id)).requestedBy.email;
    await withdraw(await qs.as(dOwner), d.id);
    for (const x of [a, b, c, d]) untrack(x.id);

    // The case's latest assessment is what the queue shows: reassess one case after its requests.
    const first = pending[pending.length - 2].caseId;
    const [caseRow] = await qs.sql(`SELECT version FROM cases WHERE id = $1`, [first]);
    await qOfficer.ok(UPDATE_FACTS, {
      input: {
        caseId: first,
        expectedVersion: caseRow.version,
        facts: { terrorismOrEspionage: true },
        reason: 'New intelligence report.',
      },
    });
    qs.clock.advance(1000);
    const reassessed = await qOfficer.ok<any>(ASSESS, { input: { caseId: first } });
    expect(reassessed.assessCase.summary).not.toBe(summaries.get(first));
    summaries.set(first, reassessed.assessCase.summary);

    // Three exigent arrests at one instant; their post-action requests are due 24 hours later.
    qs.clock.advance(1000);
    const exigent: Req[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await assessedCase(qOfficer);
      summaries.set(c.id, c.summary);
      const action = await exigentArrest(qs, qOfficer, c.id, 10);
      exigent.push(action.postActionRequest);
      track(await read(qOfficer, action.postActionRequest.id));
    }
    [post.unjustified, post.onTime, post.late] = exigent.map((r) => r.id);
    const due = Date.parse(exigent[0].justificationDueAt);
    qs.clock.advance(HOUR);
    await qOfficer.ok(JUSTIFY, { input: { requestId: post.onTime, justification: JUSTIFICATION } });

    // At the deadline itself nothing is overdue yet; one second later it is.
    qs.clock.set(new Date(due));
    expect((await read(qSupervisor, post.unjustified)).overdue).toBe(false);
    qs.clock.set(new Date(due + 1000));
    expect((await read(qSupervisor, post.unjustified)).overdue).toBe(true);
    const justifiedLate = await qOfficer.ok<any>(JUSTIFY, {
      input: { requestId: post.late, justification: JUSTIFICATION },
    });
    expect(justifiedLate.submitPostActionJustification).toMatchObject({
      late: true,
      overdue: true,
    });

    // A fresh exigent action, well within its deadline.
    const fresh = await assessedCase(qOfficer);
    summaries.set(fresh.id, fresh.summary);
    const freshAction = await exigentArrest(qs, qOfficer, fresh.id, 5);
    post.fresh = freshAction.postActionRequest.id;
    track(await read(qOfficer, post.fresh));

    // Los Angeles has its own queue.
    for (let i = 0; i < 3; i++) {
      qs.clock.advance(1000);
      const c = await assessedCase(qOfficerLax);
      lax.push((await requestApproval(qOfficerLax, c.id, 'ARREST')).id);
    }
    qs.clock.advance(2 * HOUR);
  });
  afterAll(async () => {
    await qs?.stop();
  });

  test('the office’s pending requests only, oldest first, every one exactly once', async () => {
    expect(pending.length).toBeGreaterThanOrEqual(40);
    const { nodes, pages } = await wholeQueue(qSupervisor, 200);
    expect(pages).toHaveLength(1);
    expect(nodes.map((n) => n.id)).toEqual(expectedOrder());
    expect(nodes.every((n) => n.status === 'PENDING')).toBe(true);
    expect(pages[0].totalCount).toBe(pending.length);
    for (const id of lax) expect(nodes.map((n) => n.id)).not.toContain(id);
    // The second supervisor sees the same queue.
    const other = await wholeQueue(qSupervisor2, 200);
    expect(other.nodes.map((n) => n.id)).toEqual(expectedOrder());
  });

  test.each([1, 2, 7, 10, 45])(
    'pages of %i: no duplicates, no gaps, correct hasNextPage and totalCount',
    async (size) => {
      const { nodes, pages } = await wholeQueue(qSupervisor, size);
      expect(nodes.map((n) => n.id)).toEqual(expectedOrder());
      expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
      expect(pages).toHaveLength(Math.ceil(pending.length / size));
      pages.forEach((p, i) => {
        expect(p.totalCount).toBe(pending.length);
        expect(p.pageInfo.hasNextPage).toBe(i < pages.length - 1);
        expect(p.edges.length).toBe(i < pages.length - 1 ? size : pending.length - size * i);
        expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1].cursor);
      });
    },
  );

  test('Los Angeles sees only its own requests', async () => {
    const { nodes, pages } = await wholeQueue(qSupervisorLax, 2);
    expect(nodes.map((n) => n.id)).toEqual(lax);
    expect(pages[0].totalCount).toBe(3);
  });

  test('post-action requests past their deadline are overdue; on-time ones and pre-action ones are not', async () => {
    const { nodes } = await wholeQueue(qSupervisor, 200);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get(post.unjustified)).toMatchObject({
      kind: 'POST_ACTION',
      overdue: true,
      late: false,
    });
    expect(byId.get(post.late)).toMatchObject({ kind: 'POST_ACTION', overdue: true, late: true });
    expect(byId.get(post.onTime)).toMatchObject({
      kind: 'POST_ACTION',
      overdue: false,
      late: false,
    });
    expect(byId.get(post.fresh)).toMatchObject({
      kind: 'POST_ACTION',
      overdue: false,
      late: false,
    });
    const flagged = nodes.filter((n) => n.overdue).map((n) => n.id);
    expect(flagged.sort()).toEqual([post.unjustified, post.late].sort());
  });

  test('latestAssessmentSummary is the case’s latest assessment summary (null if never assessed)', async () => {
    const { nodes } = await wholeQueue(qSupervisor, 200);
    for (const n of nodes) {
      expect({ id: n.id, summary: n.latestAssessmentSummary }).toEqual({
        id: n.id,
        summary: summaries.get(n.case.id),
      });
    }
    const distinctCases = new Set(nodes.map((n) => n.case.id));
    for (const caseId of distinctCases) {
      const data = await qSupervisor.ok<any>(CASE_REQUESTS, { id: caseId });
      expect(data.case.latestAssessment?.summary ?? null).toBe(summaries.get(caseId));
    }
    expect([...summaries.values()]).toContain(null);
  });

  test('no N+1: approvalQueue(first: 3) and approvalQueue(first: 40) cost the same statements', async () => {
    const PAGE = `query($first: Int) {
      approvalQueue(first: $first) {
        edges { node {
          id status overdue late latestAssessmentSummary
          requestedBy { email }
          case { id facts { convictions { id } } }
        } }
        totalCount
      }
    }`;
    const run = async (first: number) => {
      qs.statements.length = 0;
      const data = await qSupervisor.ok<any>(PAGE, { first });
      const count = qs.statements.length;
      expect(data.approvalQueue.edges).toHaveLength(first);
      expect(data.approvalQueue.totalCount).toBe(pending.length);
      return { count, data };
    };
    const small = await run(3);
    const large = await run(40);
    expect(
      large.data.approvalQueue.edges.some((e: any) => e.node.case.facts.convictions.length),
    ).toBe(true);
    expect(
      new Set(large.data.approvalQueue.edges.map((e: any) => e.node.requestedBy.email)).size,
    ).toBe(3);
    expect(large.count).toBe(small.count);
  });

  test('refusals: officers and headquarters have no queue (FORBIDDEN); a bad cursor or size is BAD_USER_INPUT', async () => {
    for (const client of [qOfficer, qOfficer2, qOfficerLax, qHq]) {
      const res = await client.request(QUEUE, { first: 5 });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data ?? null).toBeNull();
    }
    for (const after of ['garbage', Buffer.from('["x","y"]').toString('base64url')]) {
      const res = await qSupervisor.request(QUEUE, { first: 5, after });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('after');
    }
    for (const first of [0, -1, 201]) {
      const res = await qSupervisor.request(QUEUE, { first });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors?.[0].extensions?.field).toBe('first');
    }
  });

  test('a decision takes the request out of the queue at once', async () => {
    const oldest = expectedOrder()[0];
    await decide(qSupervisor, oldest, 'APPROVE');
    untrack(oldest);
    const { nodes, pages } = await wholeQueue(qSupervisor, 200);
    expect(nodes.map((n) => n.id)).toEqual(expectedOrder());
    expect(pages[0].totalCount).toBe(pending.length);
  });
});

testLeanRowsEqualEntities(() => server);
