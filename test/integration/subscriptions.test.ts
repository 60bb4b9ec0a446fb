/**
 * Live updates through real WebSocket connections (graphql-ws over `ws`) to two service processes
 * on one PostgreSQL database: events are published in the writer's transaction (NOTIFY) and reach
 * subscribers of either process after commit, never for a write that rolled back, only within the
 * subscriber's office and read rights; connections are signed in by token and dropped when the
 * token expires or the user is deactivated; a process whose listener lost its connection ends the
 * subscriptions that may have missed events.
 */
import crypto from 'node:crypto';
import { NOT_PRESUMED, openCase } from '../helpers/given';
import { LISTENER_APPLICATION_NAME } from '../../src/modules/live/live.listener';
import { liveClient, rawConnect, until, type LiveClient } from '../helpers/live';
import {
  Client,
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
import { signToken, unsecuredToken, validClaims } from '../helpers/tokens';

const START = new Date('2021-06-01T14:00:00Z');
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';

const EVENT_FIELDS = `kind at request { id status kind actionType requestedBy { email } }`;
const QUEUE = `subscription { approvalQueueChanged { ${EVENT_FIELDS} } }`;
const UPDATED = `subscription($id: ID!) { approvalRequestUpdated(id: $id) { ${EVENT_FIELDS} } }`;
const DEADLINES = `subscription { deadlineApproaching { ${EVENT_FIELDS} } }`;
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id status } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status } }`;

let a: TestServer;
let b: TestServer;
const open: LiveClient[] = [];

beforeAll(async () => {
  a = await startTestServer({ now: START });
  b = await startTestServer({ now: START, database: a.database });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
});

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

async function connect(server: TestServer, email: string): Promise<LiveClient> {
  const client = await liveClient(server, (await server.as(email)).token!);
  open.push(client);
  return client;
}

/** A case of the officer's office that needs pre-approval, assessed. */
async function assessedCase(client: Client): Promise<string> {
  const c = await openCase(client, { facts: NOT_PRESUMED });
  await client.ok(ASSESS, { input: { caseId: c.id } });
  return c.id;
}

async function requestApproval(client: Client, caseId: string): Promise<string> {
  const data = await client.ok<{ requestApproval: { id: string } }>(REQUEST, {
    input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION },
  });
  return data.requestApproval.id;
}

/** Subscriptions this process holds now: a subscription counts once the server registered it. */
const held = (server: TestServer) => server.service.live.hub.size;

describe('events across processes, after commit', () => {
  it('a supervisor subscribed on one process sees a request made through the other within one second', async () => {
    const supervisor = await connect(a, SUPERVISOR_NYC);
    const before = held(a);
    const queue = supervisor.subscribe(QUEUE);
    await until(() => held(a) === before + 1, 3000, 'the subscription');
    const officer = await b.as(OFFICER_NYC);
    const caseId = await assessedCase(officer);
    const requestId = await requestApproval(officer, caseId);
    const answered = Date.now();
    const event = await queue.next(1000);
    expect(Date.now() - answered).toBeLessThan(1000);
    expect(event.errors).toBeUndefined();
    expect(event.data).toEqual({
      approvalQueueChanged: {
        kind: 'REQUESTED',
        at: START.toISOString(),
        request: {
          id: requestId,
          status: 'PENDING',
          kind: 'PRE_ACTION',
          actionType: 'ARREST',
          requestedBy: { email: OFFICER_NYC },
        },
      },
    });
  });

  it('the requesting officer sees the decision made through the other process at once', async () => {
    const officer = await a.as(OFFICER_NYC);
    const requestId = await requestApproval(officer, await assessedCase(officer));
    const live = await connect(a, OFFICER_NYC);
    const before = held(a);
    const updates = live.subscribe(UPDATED, { id: requestId });
    await until(() => held(a) === before + 1, 3000, 'the subscription');
    const supervisor = await b.as(SUPERVISOR_NYC);
    await supervisor.ok(DECIDE, {
      input: { id: requestId, decision: 'APPROVE', reason: 'Justified.' },
    });
    const event = await updates.next(1000);
    expect(event.data?.approvalRequestUpdated).toMatchObject({
      kind: 'DECIDED',
      request: { id: requestId, status: 'APPROVED' },
    });
  });

  it('a mutation that rolls back publishes nothing; the next one that commits is the first event', async () => {
    const officer = await b.as(OFFICER_NYC);
    const caseId = await assessedCase(officer);
    const supervisor = await connect(a, SUPERVISOR_NYC);
    const before = held(a);
    const queue = supervisor.subscribe(QUEUE);
    await until(() => held(a) === before + 1, 3000, 'the subscription');
    // The request is written, then the second root field fails: the whole mutation rolls back.
    const failed = await officer.request(
      `mutation($input: RequestApprovalInput!, $missing: ID!) {
        requestApproval(input: $input) { id }
        withdrawApprovalRequest(input: { id: $missing }) { id }
      }`,
      {
        input: { caseId, actionType: 'ARREST', justification: JUSTIFICATION },
        missing: crypto.randomUUID(),
      },
    );
    expect(failed.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(failed.data).toBeNull();
    expect(await a.sql(`SELECT id FROM approval_requests WHERE case_id = $1`, [caseId])).toEqual(
      [],
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(queue.results).toEqual([]);
    const requestId = await requestApproval(officer, caseId);
    const event = await queue.next(1000);
    expect(event.data?.approvalQueueChanged.request.id).toBe(requestId);
    expect(queue.results).toHaveLength(1);
  });
});

describe('office scope and read rights', () => {
  it('another office never receives the event, and cannot subscribe to its request by id', async () => {
    const nyc = await connect(a, SUPERVISOR_NYC);
    const lax = await connect(b, SUPERVISOR_LAX);
    const laxOfficer = await connect(a, OFFICER_LAX);
    const hq = await connect(b, HQ);
    const [beforeA, beforeB] = [held(a), held(b)];
    const nycQueue = nyc.subscribe(QUEUE);
    const laxQueue = lax.subscribe(QUEUE);
    const laxDeadlines = laxOfficer.subscribe(DEADLINES);
    await until(() => held(a) === beforeA + 2 && held(b) === beforeB + 1, 3000, 'subscriptions');

    const officer = await a.as(OFFICER_NYC);
    const requestId = await requestApproval(officer, await assessedCase(officer));
    await nycQueue.next(1000);
    // Headquarters may follow any office's request; the other office's officer may not.
    const hqUpdates = hq.subscribe(UPDATED, { id: requestId });
    const denied = laxOfficer.subscribe(UPDATED, { id: requestId });
    const missing = laxOfficer.subscribe(UPDATED, { id: crypto.randomUUID() });
    const malformed = laxOfficer.subscribe(UPDATED, { id: 'not-an-id' });
    for (const s of [denied, missing, malformed]) {
      const answer = await s.next(2000);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(answer.data ?? null).toBeNull();
      await until(() => s.ended, 2000, 'the refused subscription to end');
    }
    await until(() => held(b) === beforeB + 2, 3000, 'the HQ subscription');
    await (
      await b.as(SUPERVISOR2_NYC)
    ).ok(DECIDE, {
      input: { id: requestId, decision: 'DENY', reason: 'Not justified.' },
    });
    expect((await hqUpdates.next(1000)).data?.approvalRequestUpdated.kind).toBe('DECIDED');
    expect((await nycQueue.next(1000)).data?.approvalQueueChanged.kind).toBe('DECIDED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(laxQueue.results).toEqual([]);
    expect(laxDeadlines.results).toEqual([]);
  });

  it('the shield decides at subscription: an officer has no queue, headquarters no deadlines', async () => {
    const officer = await connect(a, OFFICER2_NYC);
    const hq = await connect(a, HQ);
    const before = held(a);
    for (const [client, query] of [
      [officer, QUEUE],
      [hq, DEADLINES],
    ] as const) {
      const s = client.subscribe(query);
      const answer = await s.next(2000);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      await until(() => s.ended, 2000, 'the refused subscription to end');
    }
    // Refused before anything was registered.
    expect(held(a)).toBe(before);
  });

  it('only subscriptions run over the socket: a query or a mutation is BAD_REQUEST', async () => {
    const officer = await connect(a, OFFICER_NYC);
    for (const query of [
      '{ me { email } }',
      'mutation { closeCase(input: { caseId: "x", reason: "r" }) { id } }',
    ]) {
      const s = officer.subscribe(query);
      await until(() => s.ended, 2000, 'the refusal');
      expect(JSON.stringify(s.error)).toContain('BAD_REQUEST');
    }
  });
});

describe('a listener that lost its database connection', () => {
  it('ends the subscriptions that may have missed events; one made after it listens again hears the next request', async () => {
    const onA = await connect(a, SUPERVISOR_NYC);
    const onB = await connect(b, SUPERVISOR_NYC);
    const [beforeA, beforeB] = [held(a), held(b)];
    const queueA = onA.subscribe(QUEUE);
    const queueB = onB.subscribe(QUEUE);
    await until(() => held(a) === beforeA + 1 && held(b) === beforeB + 1, 3000, 'subscriptions');
    // Both processes' listening connections go; the request pools stay.
    const killed = await a.sql<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(killed).toEqual([{ ok: true }, { ok: true }]);
    for (const queue of [queueA, queueB]) {
      await until(() => queue.ended, 5000, 'the subscription to end once its listener is back');
      expect(queue.results).toEqual([]);
      expect(queue.error).toEqual([
        expect.objectContaining({
          extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'LIVE_EVENTS_MISSED' },
        }),
      ]);
    }
    await until(() => held(a) === beforeA && held(b) === beforeB, 2000, 'nothing held');
    // The sockets stay open: the clients subscribe again, then re-read the queue.
    const again = onA.subscribe(QUEUE);
    await until(() => held(a) === beforeA + 1, 3000, 'the new subscription');
    const officer = await b.as(OFFICER_NYC);
    const requestId = await requestApproval(officer, await assessedCase(officer));
    expect((await again.next(1000)).data?.approvalQueueChanged).toMatchObject({
      kind: 'REQUESTED',
      request: { id: requestId },
    });
  });
});

describe('connections are signed in', () => {
  it('refuses a connection without a token, with a bad or expired token, or for a deactivated user', async () => {
    const officerId = await a.userId(OFFICER_NYC);
    const cases: [Record<string, unknown> | undefined, number][] = [
      [undefined, 4401],
      [{}, 4401],
      [{ authorization: 'Token abc' }, 4401],
      [{ authorization: `Bearer ${await signToken({ sub: officerId, expiresIn: -10 })}` }, 4401],
      [
        { authorization: `Bearer ${await signToken({ sub: officerId, secret: 'x'.repeat(40) })}` },
        4401,
      ],
      [{ authorization: `Bearer ${unsecuredToken(validClaims(officerId))}` }, 4401],
      [{ authorization: `Bearer ${await signToken({ sub: crypto.randomUUID() })}` }, 4403],
    ];
    for (const [payload, code] of cases) {
      const answer = await rawConnect(a, payload);
      expect({ payload, acked: answer.acked, code: answer.code }).toEqual({
        payload,
        acked: false,
        code,
      });
    }
    const ok = await rawConnect(a, {
      authorization: `Bearer ${await signToken({ sub: officerId })}`,
    });
    expect(ok.acked).toBe(true);
    ok.socket.close();
    // GraphiQL sends its Headers editor as the payload, the key spelt as typed there.
    const asGraphiql = await rawConnect(a, {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${await signToken({ sub: officerId })}`,
    });
    expect(asGraphiql.acked).toBe(true);
    asGraphiql.socket.close();
  });

  it('closes the connection when its token expires', async () => {
    const token = await signToken({ sub: await a.userId(OFFICER_NYC), expiresIn: 2 });
    const client = await liveClient(a, token);
    open.push(client);
    const closed = await client.closed;
    expect(closed.code).toBe(4401);
  });

  it('a deactivated user’s subscriptions end in every process at once', async () => {
    const supervisor = await connect(a, SUPERVISOR2_NYC);
    const before = held(a);
    const queue = supervisor.subscribe(QUEUE);
    await until(() => held(a) === before + 1, 3000, 'the subscription');
    const hq = await b.as(HQ);
    await hq.ok(
      `mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { id active } }`,
      { input: { userId: await a.userId(SUPERVISOR2_NYC), reason: 'Left the agency.' } },
    );
    const closed = await Promise.race([
      supervisor.closed,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000)),
    ]);
    expect(closed?.code).toBe(4403);
    await until(() => held(a) === before, 2000, 'the subscription to end');
    expect(queue.results).toEqual([]);
  });
});
