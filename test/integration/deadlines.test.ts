/**
 * Deadline jobs under a controlled clock, on two service processes sharing one database: the
 * reminder JUSTIFICATION_REMINDER_HOURS before a post-action justification falls due, the overdue
 * event at the due instant, each to the right subscribers; each job runs once however many
 * processes look; each is audited; a job that fell due while no service ran runs at start; an
 * escalation reaches the office's supervisors and headquarters.
 */
import { NOT_PRESUMED, openCase } from '../helpers/given';
import { liveClient, until, type LiveClient } from '../helpers/live';
import {
  Client,
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

const HOUR = 3600_000;
const START = new Date('2021-06-01T14:00:00Z');
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';
const DEADLINES = `subscription { deadlineApproaching { kind at request { id kind } } }`;
const QUEUE = `subscription { approvalQueueChanged { kind request { id } } }`;
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
// Manual checks only (the test server's default too): no timer runs jobs behind the test's back.
const env = { DEADLINE_CHECK_INTERVAL_MS: '3600000' };

let a: TestServer;
let b: TestServer;
const open: LiveClient[] = [];

beforeAll(async () => {
  a = await startTestServer({ now: START, env });
  b = await startTestServer({ now: START, env, database: a.database });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const setClocks = (at: Date) => {
  a.clock.set(at);
  b.clock.set(at);
};

async function assessedCase(client: Client): Promise<string> {
  const c = await openCase(client, { facts: NOT_PRESUMED });
  await client.ok(ASSESS, { input: { caseId: c.id } });
  return c.id;
}

/** A pre-approval request for an arrest, on a new assessed case: its id. */
async function preApprovalRequest(client: Client): Promise<string> {
  const caseId = await assessedCase(client);
  const made = await client.ok<{ requestApproval: { id: string } }>(
    `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
    { input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION } },
  );
  return made.requestApproval.id;
}

/** An exigent arrest 10 minutes before the clock: its post-action request and due instant. */
async function exigentArrest(client: Client): Promise<{ requestId: string; dueAt: Date }> {
  const caseId = await assessedCase(client);
  const data = await client.ok<{ recordEnforcementAction: any }>(
    `mutation($input: RecordEnforcementActionInput!) {
      recordEnforcementAction(input: $input) { postActionRequest { id justificationDueAt } }
    }`,
    {
      input: {
        caseId,
        type: 'ARREST',
        occurredAt: new Date(a.clock.now().getTime() - 10 * 60_000).toISOString(),
        location: 'JFK Terminal 4',
        exigent: { narrative: NARRATIVE },
      },
    },
  );
  const post = data.recordEnforcementAction.postActionRequest;
  return { requestId: post.id, dueAt: new Date(post.justificationDueAt) };
}

async function runs(requestId: string) {
  return a.sql<{ kind: string; due_at: Date; ran_at: Date }>(
    `SELECT kind::text, due_at, ran_at FROM approval_deadline_runs WHERE request_id = $1 ORDER BY ran_at, kind`,
    [requestId],
  );
}

async function audits(requestId: string) {
  return a.sql<{ operation: string; kind: string; change: any }>(
    `SELECT operation, kind::text, change FROM audit_log WHERE $1 = ANY(record_ids) AND operation LIKE 'deadline:%' ORDER BY insertion`,
    [requestId],
  );
}

async function connect(server: TestServer, email: string, query: string) {
  const client = await liveClient(server, (await server.as(email)).token!);
  open.push(client);
  const hub = server.service.live.hub;
  const before = hub.size;
  const s = client.subscribe(query);
  await until(() => hub.size === before + 1, 3000, 'the subscription');
  return s;
}

test('the reminder and the overdue event fire at their instants, to the officer and the supervisors', async () => {
  setClocks(START);
  const officer = await a.as(OFFICER_NYC);
  const { requestId, dueAt } = await exigentArrest(officer);
  expect(dueAt.getTime()).toBe(START.getTime() + 24 * HOUR - 10 * 60_000);
  const officerLive = await connect(a, OFFICER_NYC, DEADLINES);
  const supervisorLive = await connect(b, SUPERVISOR_NYC, DEADLINES);
  const supervisorQueue = await connect(b, SUPERVISOR_NYC, QUEUE);
  const remindAt = new Date(dueAt.getTime() - 4 * HOUR);

  setClocks(new Date(remindAt.getTime() - 1));
  expect(await a.service.deadlines.runDue()).toEqual([]);
  setClocks(remindAt);
  const reminded = await a.service.deadlines.runDue();
  expect(reminded).toEqual([
    expect.objectContaining({ requestId, kind: 'JUSTIFICATION_DUE_SOON', dueAt: remindAt }),
  ]);
  const reminder = await officerLive.next(1000);
  expect(reminder.data?.deadlineApproaching).toEqual({
    kind: 'JUSTIFICATION_DUE_SOON',
    at: remindAt.toISOString(),
    request: { id: requestId, kind: 'POST_ACTION' },
  });

  setClocks(new Date(dueAt.getTime() - 1));
  expect(await b.service.deadlines.runDue()).toEqual([]);
  setClocks(dueAt);
  expect(await b.service.deadlines.runDue()).toEqual([
    expect.objectContaining({ requestId, kind: 'JUSTIFICATION_OVERDUE', dueAt }),
  ]);
  expect((await officerLive.next(1000)).data?.deadlineApproaching.kind).toBe(
    'JUSTIFICATION_OVERDUE',
  );
  // The supervisors hear of the overdue justification, not of the reminder.
  const overdue = await supervisorLive.next(1000);
  expect(overdue.data?.deadlineApproaching).toEqual({
    kind: 'JUSTIFICATION_OVERDUE',
    at: dueAt.toISOString(),
    request: { id: requestId, kind: 'POST_ACTION' },
  });
  expect(supervisorLive.results).toHaveLength(1);
  expect((await supervisorQueue.next(1000)).data?.approvalQueueChanged).toEqual({
    kind: 'JUSTIFICATION_OVERDUE',
    request: { id: requestId },
  });

  // Each job ran once and is audited; nothing more is due.
  expect(await a.service.deadlines.runDue()).toEqual([]);
  expect((await runs(requestId)).map((r) => [r.kind, r.due_at.toISOString()])).toEqual([
    ['JUSTIFICATION_DUE_SOON', remindAt.toISOString()],
    ['JUSTIFICATION_OVERDUE', dueAt.toISOString()],
  ]);
  expect(await audits(requestId)).toEqual([
    {
      operation: 'deadline:JUSTIFICATION_DUE_SOON',
      kind: 'SYSTEM',
      change: {
        dueAt: remindAt.toISOString(),
        ranAt: remindAt.toISOString(),
        reminderHours: 4,
      },
    },
    {
      operation: 'deadline:JUSTIFICATION_OVERDUE',
      kind: 'SYSTEM',
      change: { dueAt: dueAt.toISOString(), ranAt: dueAt.toISOString() },
    },
  ]);
});

test('a justification submitted in time leaves nothing due', async () => {
  setClocks(START);
  const officer = await a.as(OFFICER_NYC);
  const { requestId, dueAt } = await exigentArrest(officer);
  await officer.ok(
    `mutation($input: SubmitPostActionJustificationInput!) { submitPostActionJustification(input: $input) { id } }`,
    { input: { requestId, justification: JUSTIFICATION } },
  );
  setClocks(new Date(dueAt.getTime() + HOUR));
  await a.service.deadlines.runDue();
  expect(await runs(requestId)).toEqual([]);
});

test('with two processes looking at once, each job runs once', async () => {
  setClocks(START);
  const officer = await a.as(OFFICER_NYC);
  const jobs = await Promise.all([1, 2, 3].map(() => exigentArrest(officer)));
  const queue = await connect(a, SUPERVISOR_NYC, QUEUE);
  setClocks(new Date(START.getTime() + 30 * HOUR));
  const [fromA, fromB] = await Promise.all([
    a.service.deadlines.runDue(),
    b.service.deadlines.runDue(),
  ]);
  const ran = [...fromA, ...fromB].filter((r) => jobs.some((j) => j.requestId === r.requestId));
  expect(ran.map((r) => r.kind)).toEqual([
    'JUSTIFICATION_OVERDUE',
    'JUSTIFICATION_OVERDUE',
    'JUSTIFICATION_OVERDUE',
  ]);
  for (const job of jobs) expect(await runs(job.requestId)).toHaveLength(1);
  for (const job of jobs) expect(await audits(job.requestId)).toHaveLength(1);
  await until(() => queue.results.length >= 3, 2000, 'three events');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(queue.results).toHaveLength(3);
});

test('a pre-approval request pending too long is escalated, by a process started after it fell due', async () => {
  setClocks(START);
  const requestId = await preApprovalRequest(await a.as(OFFICER_NYC));
  // No process looks while it falls due (48 hours); one that starts later runs it at start.
  const late = await startTestServer({
    now: new Date(START.getTime() + 49 * HOUR),
    env,
    database: a.database,
  });
  try {
    // Nobody calls runDue: the run at start does it.
    const deadline = Date.now() + 5000;
    while ((await runs(requestId)).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const [run] = await runs(requestId);
    expect(run).toMatchObject({ kind: 'ESCALATED' });
    expect(run.due_at.toISOString()).toBe(new Date(START.getTime() + 48 * HOUR).toISOString());
    expect(run.ran_at.toISOString()).toBe(new Date(START.getTime() + 49 * HOUR).toISOString());
    expect((await audits(requestId)).map((r) => r.operation)).toEqual(['deadline:ESCALATED']);
  } finally {
    await late.stop();
  }
});

test('an escalation reaches the office’s supervisors and headquarters, which hears nothing else', async () => {
  setClocks(START);
  const hqQueue = await connect(a, HQ, QUEUE);
  const supervisorQueue = await connect(b, SUPERVISOR_LAX, QUEUE);
  const requestId = await preApprovalRequest(await b.as(OFFICER_LAX));
  expect((await supervisorQueue.next(1000)).data?.approvalQueueChanged).toEqual({
    kind: 'REQUESTED',
    request: { id: requestId },
  });

  const escalateAt = new Date(START.getTime() + 48 * HOUR);
  setClocks(new Date(escalateAt.getTime() - 1));
  expect((await a.service.deadlines.runDue()).map((r) => r.requestId)).not.toContain(requestId);
  setClocks(escalateAt);
  expect(await a.service.deadlines.runDue()).toContainEqual(
    expect.objectContaining({ requestId, kind: 'ESCALATED', dueAt: escalateAt }),
  );
  const escalated = { kind: 'ESCALATED', request: { id: requestId } };
  expect((await supervisorQueue.next(1000)).data?.approvalQueueChanged).toEqual(escalated);
  // A process hands its events out in the order they were committed: had headquarters heard the
  // REQUESTED event (on its process too), it would have come first.
  expect((await hqQueue.next(1000)).data?.approvalQueueChanged).toEqual(escalated);
  expect(hqQueue.results).toHaveLength(1);
});
