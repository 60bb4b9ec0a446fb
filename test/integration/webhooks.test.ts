/**
 * Webhooks end to end, against a local `node:http` receiver (http is accepted outside
 * production): headquarters registers a URL; each approval-request event of its kinds is POSTed,
 * signed with the hook's secret, once its write committed (never for a write that rolled back);
 * a failure is retried with backoff under the controlled clock, every attempt recorded and
 * readable through GraphQL; after WEBHOOK_MAX_ATTEMPTS it is FAILED; a removed hook receives
 * nothing more; two service processes on one database send each delivery once.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  APPROVAL_JUSTIFICATION,
  NOT_PRESUMED,
  openCase,
  pendingPreApproval,
} from '../helpers/given';
import {
  Client,
  HQ,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_NYC,
  TEST_AUDIT_KEY,
  TestServer,
} from '../helpers/server';
import { deriveAuditKeys } from '../../src/modules/audit/audit.key';
import { openSecret } from '../../src/modules/webhooks/webhook.secrets';

const START = new Date('2021-06-01T14:00:00Z');
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret webhook { id url events description createdAt removedAt } }
}`;
const REMOVE = `mutation($id: ID!) { removeWebhook(id: $id) { id removedAt } }`;
const HISTORY = `query {
  webhooks(first: 10) {
    edges { node { id deliveries(first: 5) { edges { node {
      id event requestId status attemptCount lastStatusCode lastError deliveredAt payload
      attempts { number statusCode error durationMs at }
    } } } } }
  }
}`;
/** Longer than any retry delay (capped at an hour). */
const PAST_ANY_RETRY = 2 * 60 * 60 * 1000;

interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1: records each POST and answers the next status of `answers` (else 200). */
class Receiver {
  readonly hits: Hit[] = [];
  answers: number[] = [];
  always: number | null = null;
  private server!: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = this.always ?? this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let a: TestServer;
let b: TestServer | undefined;
let hq: Client;
let officer: Client;
const receivers: Receiver[] = [];

const WORKER_ENV = {
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_RETRY_BASE_MS: '60000',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '5000',
};

beforeAll(async () => {
  a = await startTestServer({ now: START, env: WORKER_ENV });
  hq = await a.as(HQ);
  officer = await a.as(OFFICER_NYC);
});

afterEach(async () => {
  // Each test's hooks end with it: later tests' events do not reach its receiver.
  await a.sql(`UPDATE webhooks SET removed_at = now() WHERE removed_at IS NULL`);
  await a.sql(`UPDATE webhook_deliveries SET status = 'FAILED' WHERE status = 'PENDING'`);
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

/** Polls `read` until `ok` holds of its answer (or fails after `ms`). */
async function eventually<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  what: string,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function register(url: string, events = ['REQUESTED']) {
  const data = await hq.ok<{ registerWebhook: { secret: string; webhook: { id: string } } }>(
    REGISTER,
    { input: { url, events, description: 'Headquarters dashboard' } },
  );
  return { id: data.registerWebhook.webhook.id, secret: data.registerWebhook.secret };
}

/** A new pre-approval request of the NYC officer (or `client`): its id. */
const makeRequest = (client: Client = officer): Promise<string> => pendingPreApproval(client);

const deliveriesOf = (webhookId: string) =>
  a.sql<{ id: string; status: string; attempts: number; payload: unknown; request_id: string }>(
    `SELECT id, status, attempts, payload, request_id FROM webhook_deliveries
      WHERE webhook_id = $1 ORDER BY created_at, id`,
    [webhookId],
  );

const expectedSignature = (secret: string, timestamp: string, body: string) =>
  `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('delivery', () => {
  it('a request is POSTed to the hook, signed with its secret and timestamped; the body is the stored payload, without subject identity', async () => {
    const r = await receiver();
    const hook = await register(r.url);
    const requestId = await makeRequest();
    await eventually(
      () => r.hits.length,
      (n) => n === 1,
      'the POST',
    );
    const [hit] = r.hits;
    const [delivery] = await eventually(
      () => deliveriesOf(hook.id),
      (rows) => rows.length === 1 && rows[0].status === 'DELIVERED',
      'the delivery recorded',
    );
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['webhook-id']).toBe(delivery.id);
    expect(hit.headers['webhook-event']).toBe('REQUESTED');
    const timestamp = String(hit.headers['webhook-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
    expect(hit.headers['webhook-signature']).toBe(
      expectedSignature(hook.secret, timestamp, hit.body),
    );
    // Signed with this hook's secret, not any other.
    expect(hit.headers['webhook-signature']).not.toBe(
      expectedSignature(crypto.randomBytes(32).toString('hex'), timestamp, hit.body),
    );
    expect(JSON.parse(hit.body)).toEqual(delivery.payload);
    expect(hit.body).toBe(JSON.stringify(delivery.payload));
    expect(delivery.payload).toEqual({
      id: delivery.id,
      event: 'REQUESTED',
      at: START.toISOString(),
      request: expect.objectContaining({
        id: requestId,
        kind: 'PRE_ACTION',
        status: 'PENDING',
        actionType: 'ARREST',
        officeCode: 'NYC',
        decidedAt: null,
      }) as unknown,
    });
    expect(Object.keys((delivery.payload as { request: object }).request).sort()).toEqual(
      [
        'actionType',
        'caseId',
        'decidedAt',
        'expiresAt',
        'id',
        'justificationDueAt',
        'justificationSubmittedAt',
        'kind',
        'officeCode',
        'requestedAt',
        'status',
      ].sort(),
    );
    // The secret is never stored in the audit record of the registration.
    const audit = await a.sql<{ change: unknown }>(
      `SELECT change FROM audit_log WHERE operation = 'registerWebhook' AND $1 = ANY(record_ids)`,
      [hook.id],
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].change)).not.toContain(hook.secret);
    // Nor in clear in its row: sealed under the audit key, bound to the hook.
    const [row] = await a.sql<{ secret: string }>(`SELECT secret FROM webhooks WHERE id = $1`, [
      hook.id,
    ]);
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(row.secret).not.toContain(hook.secret);
  });

  it('a sealed secret moved onto another hook does not open: nothing is sent, the attempt says why', async () => {
    const r = await receiver();
    const first = await register(r.url);
    const second = await register(r.url, ['DECIDED']);
    await a.sql(
      `UPDATE webhooks SET secret = (SELECT secret FROM webhooks WHERE id = $1) WHERE id = $2`,
      [second.id, first.id],
    );
    await makeRequest();
    const [attempt] = await eventually(
      () =>
        a.sql<{ error: string | null }>(
          `SELECT t.error FROM webhook_delivery_attempts t
             JOIN webhook_deliveries d ON d.id = t.delivery_id WHERE d.webhook_id = $1`,
          [first.id],
        ),
      (rows) => rows.length === 1,
      'one attempt',
    );
    expect(attempt.error).toMatch(
      /^not sent: the webhook secret does not open with this AUDIT_KEY/,
    );
    expect(r.hits).toHaveLength(0);
  });

  it('a receiver that fails is retried after the backoff: two attempts recorded, DELIVERED, readable in the GraphQL history', async () => {
    const r = await receiver();
    r.answers = [500];
    const hook = await register(r.url);
    const requestId = await makeRequest();
    const [pending] = await eventually(
      () => deliveriesOf(hook.id),
      (rows) => rows.length === 1 && rows[0].attempts === 1,
      'the first attempt',
    );
    await eventually(
      () => a.sql(`SELECT 1 FROM webhook_delivery_attempts WHERE delivery_id = $1`, [pending.id]),
      (rows) => rows.length === 1,
      'the first attempt recorded',
    );
    expect(r.hits).toHaveLength(1);
    // Not before its retry falls due.
    await a.service.webhooks.runDue();
    expect(r.hits).toHaveLength(1);
    a.clock.advance(PAST_ANY_RETRY);
    await a.service.webhooks.runDue();
    await eventually(
      () => deliveriesOf(hook.id),
      (rows) => rows[0].status === 'DELIVERED',
      'the retry delivered',
    );
    expect(r.hits).toHaveLength(2);
    expect(r.hits[1].headers['webhook-id']).toBe(r.hits[0].headers['webhook-id']);
    expect(r.hits[1].body).toBe(r.hits[0].body);

    const data = await hq.ok<{ webhooks: { edges: { node: any }[] } }>(HISTORY);
    const node = data.webhooks.edges.find((e) => e.node.id === hook.id)!.node;
    const [delivery] = node.deliveries.edges.map((e: { node: any }) => e.node);
    expect(delivery).toMatchObject({
      id: pending.id,
      event: 'REQUESTED',
      requestId,
      status: 'DELIVERED',
      attemptCount: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(delivery.payload).toBe(r.hits[0].body);
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ number: 1, statusCode: 500, error: 'HTTP 500' }),
      expect.objectContaining({ number: 2, statusCode: 200, error: null }),
    ]);
  });

  it('after WEBHOOK_MAX_ATTEMPTS failures the delivery is FAILED and no longer tried', async () => {
    const r = await receiver();
    r.always = 503;
    const hook = await register(r.url);
    await makeRequest();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(
        () => deliveriesOf(hook.id),
        (rows) => rows.length === 1 && rows[0].attempts === attempt && r.hits.length === attempt,
        `attempt ${attempt}`,
      );
      await eventually(
        () =>
          a.sql(
            `SELECT 1 FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
              WHERE d.webhook_id = $1`,
            [hook.id],
          ),
        (rows) => rows.length === attempt,
        `attempt ${attempt} recorded`,
      );
      a.clock.advance(PAST_ANY_RETRY);
      await a.service.webhooks.runDue();
    }
    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(r.hits).toHaveLength(3);
    // The history filtered by status.
    const byStatus = async (status: string) => {
      const data = await hq.ok<{ webhooks: { edges: { node: any }[] } }>(
        `query($status: WebhookDeliveryStatus) { webhooks(first: 10) { edges { node { id
           deliveries(first: 5, status: $status) { edges { node { id status attemptCount lastStatusCode } } }
         } } } }`,
        { status },
      );
      const node = data.webhooks.edges.find((e) => e.node.id === hook.id)!.node;
      return node.deliveries.edges.map((e: { node: unknown }) => e.node) as unknown[];
    };
    expect(await byStatus('FAILED')).toEqual([
      { id: delivery.id, status: 'FAILED', attemptCount: 3, lastStatusCode: 503 },
    ]);
    expect(await byStatus('DELIVERED')).toEqual([]);
  });
});

describe('outbox in the writer’s transaction', () => {
  it('a deadline job’s event (ESCALATED) is delivered like the others', async () => {
    const r = await receiver();
    const hook = await register(r.url, ['ESCALATED']);
    const requestId = await makeRequest();
    expect(await deliveriesOf(hook.id)).toEqual([]);
    a.clock.advance(49 * 60 * 60 * 1000);
    await a.service.deadlines.runDue();
    const rows = await eventually(
      () => deliveriesOf(hook.id),
      (d) => d.some((x) => x.request_id === requestId && x.status === 'DELIVERED'),
      'the escalation delivered',
    );
    const mine = rows.find((x) => x.request_id === requestId)!;
    expect(mine.payload).toMatchObject({ event: 'ESCALATED', request: { id: requestId } });
    expect(r.hits.map((h) => h.headers['webhook-id'])).toContain(mine.id);
  });

  it('a write that rolls back enqueues nothing', async () => {
    const r = await receiver();
    const hook = await register(r.url);
    const c = await openCase(officer, { facts: NOT_PRESUMED });
    await officer.ok(ASSESS, { input: { caseId: c.id } });
    // The request is written (and its event enqueued), then the second root field fails: the
    // whole mutation rolls back.
    const failed = await officer.request(
      `mutation($input: RequestApprovalInput!, $missing: ID!) {
        requestApproval(input: $input) { id }
        withdrawApprovalRequest(input: { id: $missing }) { id }
      }`,
      {
        input: { caseId: c.id, actionType: 'ARREST', justification: APPROVAL_JUSTIFICATION },
        missing: crypto.randomUUID(),
      },
    );
    expect(failed.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await deliveriesOf(hook.id)).toEqual([]);
    // The next write that commits is the first delivery.
    const requestId = await makeRequest();
    const rows = await eventually(
      () => deliveriesOf(hook.id),
      (d) => d.length === 1 && d[0].status === 'DELIVERED',
      'the committed request delivered',
    );
    expect(rows[0].request_id).toBe(requestId);
    expect(r.hits).toHaveLength(1);
  });

  it('only hooks of the event’s kind get a delivery; a removed hook gets nothing more, its pending deliveries FAILED', async () => {
    const r = await receiver();
    r.always = 500;
    const decided = await register(r.url, ['DECIDED']);
    const requested = await register(r.url, ['REQUESTED', 'WITHDRAWN']);
    await makeRequest();
    await eventually(
      () => deliveriesOf(requested.id),
      (rows) => rows.length === 1 && rows[0].attempts === 1,
      'the first attempt',
    );
    expect(await deliveriesOf(decided.id)).toEqual([]);
    const removed = await hq.ok<{ removeWebhook: { id: string; removedAt: string } }>(REMOVE, {
      id: requested.id,
    });
    expect(removed.removeWebhook.removedAt).toBe(a.clock.now().toISOString());
    const [abandoned] = await a.sql<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM webhook_deliveries WHERE webhook_id = $1`,
      [requested.id],
    );
    expect(abandoned).toEqual({
      status: 'FAILED',
      last_error: 'the webhook was removed before it was delivered',
    });
    await makeRequest();
    expect(await deliveriesOf(requested.id)).toHaveLength(1);
    a.clock.advance(PAST_ANY_RETRY);
    await a.service.webhooks.runDue();
    expect(r.hits.filter((h) => h.headers['webhook-event'] === 'REQUESTED')).toHaveLength(1);
    // Removed twice: CONFLICT; an unknown id: NOT_FOUND.
    const again = await hq.request(REMOVE, { id: requested.id });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const unknown = await hq.request(REMOVE, { id: crypto.randomUUID() });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('registration', () => {
  it('refuses what is not an absolute http(s) URL with a host, no events, an event twice, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.org/x', events: ['REQUESTED'] }, 'input.url'],
      [{ url: '/relative/path', events: ['REQUESTED'] }, 'input.url'],
      [{ url: 'https://user:pw@example.org/x', events: ['REQUESTED'] }, 'input.url'],
      [{ url: 'https://example.org/x', events: [] }, 'input.events'],
      [{ url: 'https://example.org/x', events: ['DECIDED', 'DECIDED'] }, 'input.events'],
      [
        { url: 'https://example.org/x', events: ['DECIDED'], description: 'x'.repeat(501) },
        'input.description',
      ],
    ];
    const before = await a.sql(`SELECT count(*)::int AS n FROM webhooks`);
    for (const [input, field] of cases) {
      const res = await hq.request(REGISTER, { input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await a.sql(`SELECT count(*)::int AS n FROM webhooks`)).toEqual(before);
  });

  it('is for headquarters only: others are FORBIDDEN and nothing changes', async () => {
    const r = await receiver();
    const hook = await register(r.url);
    const before = await a.sql(`SELECT id, removed_at FROM webhooks ORDER BY id`);
    const audits = await a.sql(`SELECT count(*)::int AS n FROM audit_log`);
    for (const email of [OFFICER_NYC, SUPERVISOR_NYC]) {
      const client = await a.as(email);
      const reg = await client.request(REGISTER, {
        input: { url: r.url, events: ['REQUESTED'] },
      });
      expect(reg.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const rem = await client.request(REMOVE, { id: hook.id });
      expect(rem.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const list = await client.request(HISTORY);
      expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await a.anonymous().request(HISTORY);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await a.sql(`SELECT id, removed_at FROM webhooks ORDER BY id`)).toEqual(before);
    expect(await a.sql(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(audits);
  });
});

describe('secrets stored in clear before sealing', () => {
  it('are sealed when a service starts, and deliveries are still signed with them', async () => {
    const r = await receiver();
    const [{ id: hq }] = await a.sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [HQ]);
    const clear = 'c'.repeat(64);
    const [{ id }] = await a.sql<{ id: string }>(
      `INSERT INTO webhooks (id, url, events, secret, created_by_id, created_at)
       VALUES (gen_random_uuid(), $1, ARRAY['REQUESTED'], $2, $3, now()) RETURNING id`,
      [r.url, clear, hq],
    );
    // Another process starts on the database: its worker seals what it finds in clear.
    const started = await startTestServer({
      now: a.clock.now(),
      env: WORKER_ENV,
      database: a.database,
    });
    try {
      const [row] = await eventually(
        () => a.sql<{ secret: string }>(`SELECT secret FROM webhooks WHERE id = $1`, [id]),
        (rows) => rows[0].secret.startsWith('sealed:v1:'),
        'the secret sealed',
      );
      expect(openSecret(deriveAuditKeys(TEST_AUDIT_KEY), id, row.secret)).toBe(clear);
    } finally {
      await started.stop();
    }
    await makeRequest();
    await eventually(
      () => Promise.resolve(r.hits.length),
      (n) => n === 1,
      'one hit',
    );
    const [hit] = r.hits;
    const timestamp = String(hit.headers['webhook-timestamp']);
    expect(hit.headers['webhook-signature']).toBe(expectedSignature(clear, timestamp, hit.body));
  });
});

describe('two service processes on one database', () => {
  it('each delivery is sent once', async () => {
    b = await startTestServer({ now: a.clock.now(), env: WORKER_ENV, database: a.database });
    const r = await receiver();
    const hook = await register(r.url);
    const officerB = await b.as(OFFICER_NYC);
    await Promise.all([makeRequest(), makeRequest(officerB), makeRequest(), makeRequest(officerB)]);
    const rows = await eventually(
      () => deliveriesOf(hook.id),
      (d) => d.length === 4 && d.every((x) => x.status === 'DELIVERED'),
      'four deliveries',
    );
    expect(rows.map((d) => d.attempts)).toEqual([1, 1, 1, 1]);
    expect(r.hits).toHaveLength(4);
    expect(new Set(r.hits.map((h) => h.headers['webhook-id']))).toEqual(
      new Set(rows.map((d) => d.id)),
    );
  });
});

describe('WEBHOOK_PRIVATE_ADDRESSES=refuse (the default in production)', () => {
  let c: TestServer | undefined;
  afterAll(async () => {
    await c?.stop();
  });

  it('refuses a loopback receiver at registration, naming the field, and does not send to one stored before', async () => {
    c = await startTestServer({
      now: START,
      env: { ...WORKER_ENV, WEBHOOK_PRIVATE_ADDRESSES: 'refuse' },
    });
    const r = await receiver();
    const hqC = await c.as(HQ);
    for (const url of [
      r.url,
      'http://localhost:9/hooks',
      'http://[::1]:9/hooks',
      'http://10.1.2.3/h',
    ]) {
      const res = await hqC.request(REGISTER, { input: { url, events: ['REQUESTED'] } });
      expect(res.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.url',
      });
    }
    expect(await c.sql(`SELECT count(*)::int AS n FROM webhooks`)).toEqual([{ n: 0 }]);
    // A hook stored while private receivers were allowed (the setting changed since).
    const [{ id: hq }] = await c.sql<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [HQ]);
    await c.sql(
      `INSERT INTO webhooks (id, url, events, secret, created_by_id, created_at)
       VALUES (gen_random_uuid(), $1, ARRAY['REQUESTED'], 'secret', $2, now())`,
      [r.url, hq],
    );
    await pendingPreApproval(await c.as(OFFICER_NYC));
    const [attempt] = await eventually(
      () =>
        c!.sql<{ error: string | null; status_code: number | null }>(
          `SELECT t.error, t.status_code FROM webhook_delivery_attempts t`,
        ),
      (rows) => rows.length === 1,
      'one attempt',
    );
    expect(attempt.status_code).toBeNull();
    expect(attempt.error).toMatch(
      /^not sent: 127\.0\.0\.1 is a private, loopback or reserved address/,
    );
    expect(r.hits).toHaveLength(0);
  });
});
