/**
 * The draft cache of weekly reports (`token-cache.ts`), through the real GraphQL server against a
 * real PostgreSQL. A draft read after any change to its week must equal the draft compiled from
 * scratch: each test warms the cache, makes one change, and compares the next read with a read
 * after the cache is emptied. The hit counter shows the cache is in use where nothing changed.
 */
import { reportDraftCache } from '../../src/modules/weekly-reports/report.caches';
import { BORDER, NOT_PRESUMED, openCase } from '../helpers/given';
import { Client, startTestServer, TestServer } from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { allActions, flat } from '../helpers/reports';

const WEEK = '2021-06-07';
const ICE = 'ICE-2021-02-18';
const DHS_JAN = 'DHS-2021-01-20';
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';

const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) { id basis postActionRequest { id } }
}`;
const VOID = `mutation($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id } }`;
const WITHDRAW = `mutation($input: WithdrawApprovalRequestInput!) { withdrawApprovalRequest(input: $input) { id } }`;
const JUSTIFY = `mutation($input: SubmitPostActionJustificationInput!) {
  submitPostActionJustification(input: $input) { id }
}`;
const SCHEDULE = `mutation($input: SchedulePolicyVersionInput!) { schedulePolicyVersion(input: $input) { code } }`;
const REPORT = `query($officeCode: String!, $weekStart: Date!) {
  weeklyReport(officeCode: $officeCode, weekStart: $weekStart) {
    status policyVersions
    ${allActions('actionId type occurredAt location category basis policyVersion justification approver')}
    totalsByCategory { key count } totalsByActionType { key count } totalsByBasis { key count }
    requests { made approved denied pending withdrawn medianDecisionHours }
    exigentActions { actionId occurredAt justificationDueAt justificationSubmittedAt justification ratification }
    latePostActionCount missingPostActionCount
  }
}`;

let server: TestServer;
let officer: Client;
let supervisor: Client;
let officerLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-06-08T14:00:00Z') });
  ({ officer, supervisor, officerLax, hq } = await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});

const setClock = (iso: string) => server.clock.set(new Date(iso));
const drafts = () => server.service.caches.get(reportDraftCache);

async function draft(officeCode = 'NYC', weekStart = WEEK): Promise<any> {
  return flat((await supervisor.ok<any>(REPORT, { officeCode, weekStart })).weeklyReport);
}

/** The draft as read now (from the cache if it holds it), checked equal to one compiled afresh. */
async function current(): Promise<any> {
  const read = await draft();
  drafts().clear();
  const compiled = await draft();
  expect(read).toEqual(compiled);
  expect(read.status).toBe('DRAFT');
  return read;
}

/** Reads the draft twice so that the cache holds it, and checks the second read was a hit. */
async function warm(): Promise<any> {
  await draft();
  const hits = drafts().hits;
  const read = await draft();
  expect(drafts().hits).toBe(hits + 1);
  return read;
}

async function assessedCase(client: Client, facts: Record<string, unknown>): Promise<string> {
  const c = await openCase(client, { facts });
  await client.ok(ASSESS, { input: { caseId: c.id } });
  return c.id;
}

async function record(client: Client, input: Record<string, unknown>): Promise<any> {
  return (await client.ok<any>(RECORD, { input })).recordEnforcementAction;
}

describe('a cached draft never outlives a change to its week', () => {
  let borderCase: string;
  let requestId: string;
  let exigent: { id: string; basis: string; postActionRequest: { id: string } };

  beforeAll(async () => {
    borderCase = await assessedCase(officer, BORDER);
    await record(officer, {
      caseId: borderCase,
      type: 'ARREST',
      occurredAt: '2021-06-07T15:00:00Z',
      location: 'Queens, NY',
    });
  });

  test('an unchanged week is served from the cache, equal to a fresh compile', async () => {
    await warm();
    const hits = drafts().hits;
    const read = await current();
    expect(drafts().hits).toBe(hits + 1);
    expect(read.actions).toHaveLength(1);
  });

  test('an action recorded in the week', async () => {
    await warm();
    await record(officer, {
      caseId: borderCase,
      type: 'DETENTION',
      occurredAt: '2021-06-08T13:00:00Z',
      location: 'Varick Street, NY',
    });
    const read = await current();
    expect(read.actions.map((a: any) => a.type)).toEqual(['ARREST', 'DETENTION']);
  });

  test('an action of another week or another office leaves the cached draft in use', async () => {
    const before = await warm();
    await record(officer, {
      caseId: borderCase,
      type: 'ARREST',
      occurredAt: '2021-06-01T15:00:00Z',
      location: 'Bronx, NY',
    });
    const lax = await assessedCase(officerLax, BORDER);
    await record(officerLax, {
      caseId: lax,
      type: 'ARREST',
      occurredAt: '2021-06-08T13:00:00Z',
      location: 'Long Beach, CA',
    });
    const hits = drafts().hits;
    expect(await current()).toEqual(before);
    expect(drafts().hits).toBe(hits + 1);
  });

  test('a pre-approval request made, decided, and another withdrawn', async () => {
    const notPresumed = await assessedCase(officer, NOT_PRESUMED);
    await warm();
    requestId = (
      await officer.ok<any>(REQUEST, {
        input: { caseId: notPresumed, actionType: 'DETAINER_ISSUED', justification: JUSTIFICATION },
      })
    ).requestApproval.id;
    expect((await current()).requests).toMatchObject({ made: 1, pending: 1, approved: 0 });

    await warm();
    setClock('2021-06-08T17:00:00Z');
    await supervisor.ok(DECIDE, {
      input: { id: requestId, decision: 'APPROVE', reason: 'Justified: release is imminent.' },
    });
    expect((await current()).requests).toMatchObject({
      made: 1,
      pending: 0,
      approved: 1,
      medianDecisionHours: 3,
    });

    const other = await assessedCase(officer, NOT_PRESUMED);
    const withdrawn = (
      await officer.ok<any>(REQUEST, {
        input: { caseId: other, actionType: 'ARREST', justification: JUSTIFICATION },
      })
    ).requestApproval.id;
    await warm();
    await officer.ok(WITHDRAW, { input: { id: withdrawn, reason: 'Asked in error.' } });
    expect((await current()).requests).toMatchObject({ made: 2, withdrawn: 1 });
  });

  test('an exigent action reads PENDING, then MISSING once due, with no write in between', async () => {
    const c = await assessedCase(officer, NOT_PRESUMED);
    setClock('2021-06-09T15:00:00Z');
    await warm();
    exigent = await record(officer, {
      caseId: c,
      type: 'ARREST',
      occurredAt: '2021-06-09T14:00:00Z',
      location: 'JFK Terminal 4',
      exigent: { narrative: NARRATIVE },
    });
    expect(exigent.basis).toBe('EXIGENT');
    const pending = await warm();
    expect(pending.exigentActions).toEqual([
      expect.objectContaining({ actionId: exigent.id, justification: 'PENDING' }),
    ]);
    const due = pending.exigentActions[0].justificationDueAt;

    // Past the due time: the cached draft no longer reads the same, so it is compiled again.
    setClock(new Date(new Date(due).getTime() + 1000).toISOString());
    const missing = await current();
    expect(missing.exigentActions[0].justification).toBe('MISSING');
    expect(missing.missingPostActionCount).toBe(1);
    await warm();
    // And back before it (a clock set back): PENDING again, not the cached MISSING.
    setClock(new Date(new Date(due).getTime() - 1000).toISOString());
    expect((await current()).exigentActions[0].justification).toBe('PENDING');
  });

  test('a post-action justification submitted, then ratified', async () => {
    setClock('2021-06-10T18:00:00Z');
    await warm();
    await officer.ok(JUSTIFY, {
      input: { enforcementActionId: exigent.id, justification: JUSTIFICATION },
    });
    const justified = await current();
    expect(justified.exigentActions[0]).toMatchObject({
      justification: 'LATE',
      ratification: 'AWAITING_DECISION',
    });
    await warm();
    await supervisor.ok(DECIDE, {
      input: { id: exigent.postActionRequest.id, decision: 'APPROVE', reason: 'Exigency shown.' },
    });
    const ratified = await current();
    expect(ratified.exigentActions[0].ratification).toBe('RATIFIED');
    expect(ratified.actions.find((a: any) => a.actionId === exigent.id).approver).not.toBeNull();
  });

  test('an action voided', async () => {
    const before = await warm();
    const target = before.actions.find((a: any) => a.type === 'DETENTION').actionId;
    await officer.ok(VOID, { input: { id: target, reason: 'Recorded against the wrong case.' } });
    const read = await current();
    expect(read.actions.map((a: any) => a.actionId)).not.toContain(target);
    expect(read.actions).toHaveLength(before.actions.length - 1);
  });

  test('a record changed by hand in the database, outside the service', async () => {
    await warm();
    await server.sql(
      `UPDATE approval_requests SET justification = 'Corrected by hand.' WHERE id = $1`,
      [exigent.postActionRequest.id],
    );
    const read = await current();
    expect(read.actions.find((a: any) => a.actionId === exigent.id).justification).toBe(
      'Corrected by hand.',
    );
  });

  test('a request moved by hand to the week before: this week no longer counts it', async () => {
    const before = await warm();
    await server.sql(
      `UPDATE approval_requests
          SET requested_at = requested_at - interval '7 days', requested_week = requested_week - 7
        WHERE id = $1`,
      [requestId],
    );
    const read = await current();
    expect(read.requests.made).toBe(before.requests.made - 1);
  });

  test('actions recorded while the draft is being read: the next read has every one', async () => {
    setClock('2021-06-10T20:00:00Z');
    await warm();
    const cases = await Promise.all([1, 2, 3].map(() => assessedCase(officer, BORDER)));
    const before = (await draft()).actions.length;
    // Ten actions and ten reads at once: a read may compile while actions commit around it.
    const recorded = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        record(officer, {
          caseId: cases[i % 3],
          type: 'ARREST',
          occurredAt: new Date(Date.UTC(2021, 5, 10, 12, i)).toISOString(),
          location: `Pier ${i + 1}, NY`,
        }),
      ),
      ...Array.from({ length: 10 }, () => draft()),
    ]);
    const read = await current();
    const ids = read.actions.map((a: any) => a.actionId);
    expect(read.actions).toHaveLength(before + 10);
    for (const action of recorded.slice(0, 10)) expect(ids).toContain(action.id);
  });

  test('the policy schedule changed: the week lists the versions now in force', async () => {
    const before = await warm();
    expect(before.policyVersions).toEqual([ICE]);
    const schedule = (iceFrom: string, janTo: string) =>
      hq.ok(SCHEDULE, {
        input: {
          code: ICE,
          effectiveFrom: iceFrom,
          effectiveTo: '2021-11-28',
          alsoReschedule: [{ code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: janTo }],
          reason: 'Testing a schedule change in the middle of a week',
        },
      });
    await schedule('2021-06-09', '2021-06-08');
    try {
      expect((await current()).policyVersions).toEqual([DHS_JAN, ICE]);
    } finally {
      await schedule('2021-02-18', '2021-02-17');
    }
    expect((await current()).policyVersions).toEqual([ICE]);
  });
});
