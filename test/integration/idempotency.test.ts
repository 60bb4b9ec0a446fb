/**
 * Safe retries through the real GraphQL server (shield on) against a real PostgreSQL: a mutation
 * runs whole in one transaction (its nested fields too), so an answer with an error wrote nothing;
 * under an `Idempotency-Key` a retry of the same request by the same user gets the first answer
 * and writes nothing, another request under the key is CONFLICT, concurrent requests with one key
 * write once, other users' keys are independent, and keys expire.
 *
 * "Nothing written" is a fingerprint of every table (audit log, idempotency keys and all) that
 * does not change.
 */
import { Client as PgClient } from 'pg';
import { caseInput, codes, OPEN_CASE } from '../helpers/given';
import { databaseUrl } from '../helpers/database';
import {
  Client,
  fingerprint,
  OFFICER2_NYC,
  OFFICER_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';

const T0 = new Date('2021-06-01T14:00:00.000Z');
const HOUR = 3_600_000;

let server: TestServer;
let officer: Client;
let officer2: Client;

beforeAll(async () => {
  server = await startTestServer({ now: T0 });
  [officer, officer2] = await Promise.all([OFFICER_NYC, OFFICER2_NYC].map((e) => server.as(e)));
});
afterAll(async () => {
  await server?.stop();
});

const OPEN = `mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) { id version status openedAt office { code } subject { name aNumber } }
}`;
const ASSESS = `mutation Assess($input: AssessCaseInput!) { assessCase(input: $input) { id presumedPriority } }`;
const RECORD = `mutation Record($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) {
    id type basis category recordedAt case { id } recordedBy { email } assessment { id }
  }
}`;

interface Answer {
  status: number;
  text: string;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: { code?: string; field?: string } }[];
  };
  replayed: boolean;
}

/** A POST with an optional Idempotency-Key, keeping the raw answer and its headers. */
async function post(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  key?: string,
): Promise<Answer> {
  const res = await fetch(client.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${client.token}`,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as Answer['body'],
    replayed: res.headers.get('idempotency-replayed') === 'true',
  };
}

let keyCounter = 0;
const newKey = () => `key-${process.pid}-${++keyCounter}-${Date.now()}`;

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await server.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return row.n;
}

/**
 * A case the officer opened and assessed: a presumed priority (border apprehension in 2020), or
 * with `presumed` false not one (present since 2005), whose actions can then only be exigent.
 */
async function assessedCase(presumed = true): Promise<string> {
  const facts = presumed ? undefined : { firstPresentOn: '2005-03-01' };
  const { openCase } = await officer.ok<{ openCase: { id: string } }>(OPEN_CASE, {
    input: caseInput({ facts }),
  });
  const { assessCase } = await officer.ok<{ assessCase: { presumedPriority: boolean } }>(ASSESS, {
    input: { caseId: openCase.id },
  });
  expect(assessCase.presumedPriority).toBe(presumed);
  return openCase.id;
}

const actionInput = (caseId: string) => ({
  caseId,
  type: 'ARREST',
  occurredAt: new Date(server.clock.now().getTime() - HOUR).toISOString(),
  location: 'Queens, NY',
});

describe('a retry under the same Idempotency-Key', () => {
  test('openCase: the same answer, nothing written (no case, no audit record, no key)', async () => {
    const key = newKey();
    const variables = { input: caseInput() };
    const first = await post(officer, OPEN, variables, key);
    expect(first.body.errors).toBeUndefined();
    expect(first.replayed).toBe(false);
    const id = first.body.data!.openCase.id as string;
    expect(await count('cases', 'id = $1', [id])).toBe(1);
    // The change and the read of the subject's identity, both in the mutation's transaction.
    const audit = await server.sql<{ kind: string; request_id: string }>(
      `SELECT kind, request_id FROM audit_log WHERE $1 = ANY(record_ids) ORDER BY insertion`,
      [id],
    );
    expect(audit.map((a) => a.kind)).toEqual(['CHANGE', 'READ']);
    expect(audit[0].request_id).toBe(audit[1].request_id);

    const before = await fingerprint(server);
    const again = await post(officer, OPEN, variables, key);
    expect(again.replayed).toBe(true);
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('recordEnforcementAction: the same answer, one action, one audit record', async () => {
    const caseId = await assessedCase();
    const key = newKey();
    const variables = { input: actionInput(caseId) };
    const first = await post(officer, RECORD, variables, key);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.recordEnforcementAction).toMatchObject({
      basis: 'PRESUMED_PRIORITY',
      case: { id: caseId },
      recordedBy: { email: OFFICER_NYC },
    });
    const actions = await count('enforcement_actions', 'case_id = $1', [caseId]);
    const audit = await count('audit_log');
    const before = await fingerprint(server);

    const again = await post(officer, RECORD, variables, key);
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(first.text);
    expect(await count('enforcement_actions', 'case_id = $1', [caseId])).toBe(actions);
    expect(await count('audit_log')).toBe(audit);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('the same request in another variable order or layout of its JSON is the same request', async () => {
    const key = newKey();
    const input = caseInput();
    const first = await post(officer, OPEN, { input }, key);
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    const again = await post(officer, OPEN, { input: reordered }, key);
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
  });

  test('another request under the key: CONFLICT, nothing written', async () => {
    const key = newKey();
    await post(officer, OPEN, { input: caseInput() }, key);
    const before = await fingerprint(server);
    for (const [query, variables] of [
      [OPEN, { input: caseInput() }], // other variables
      [OPEN.replace('status', 'status closedAt'), { input: caseInput() }], // other text
    ] as const) {
      const res = await post(officer, query, variables, key);
      expect(codes({ errors: res.body.errors })).toEqual(['CONFLICT']);
      expect(res.body.data ?? null).toBeNull();
    }
    expect(await fingerprint(server)).toEqual(before);
  });

  test("another user's same key is independent", async () => {
    const key = newKey();
    const variables = { input: caseInput() };
    const mine = await post(officer, OPEN, variables, key);
    const theirs = await post(officer2, OPEN, variables, key);
    expect(theirs.replayed).toBe(false);
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data!.openCase.id).not.toBe(mine.body.data!.openCase.id);
    // And a different request of theirs under it is theirs alone, no CONFLICT with mine.
    const other = await post(officer2, OPEN, { input: caseInput() }, newKey());
    expect(other.body.errors).toBeUndefined();
    expect(await count('idempotency_keys', '"key" = $1', [key])).toBe(2);
  });

  test('after IDEMPOTENCY_KEY_TTL_HOURS (24) the key is free: the request runs again', async () => {
    const key = newKey();
    const variables = { input: caseInput() };
    const first = await post(officer, OPEN, variables, key);
    server.clock.advance(23 * HOUR);
    expect((await post(officer, OPEN, variables, key)).replayed).toBe(true);
    server.clock.advance(HOUR + 1);
    const cases = await count('cases');
    const later = await post(officer, OPEN, variables, key);
    expect(later.replayed).toBe(false);
    expect(later.body.data!.openCase.id).not.toBe(first.body.data!.openCase.id);
    expect(await count('cases')).toBe(cases + 1);
    // The new answer is the one kept now; every key stored a day ago has been swept.
    expect(await count('idempotency_keys', '"key" = $1', [key])).toBe(1);
    expect(
      await count('idempotency_keys', 'expires_at <= $1', [server.clock.now().toISOString()]),
    ).toBe(0);
  });

  test('concurrent requests with one key: one writes, the other waits and gets its answer', async () => {
    const key = newKey();
    const variables = { input: caseInput() };
    const cases = await count('cases');
    // Lock the audit log against inserts, so the first request stops before its commit; the second
    // then finds the key taken and waits for it.
    const blocker = new PgClient({ connectionString: databaseUrl(server.database) });
    await blocker.connect();
    let answers: Answer[];
    try {
      await server.chained();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE audit_log IN SHARE MODE');
      const pending = Promise.all([1, 2].map(() => post(officer, OPEN, variables, key)));
      for (let i = 0; i < 100; i++) {
        const [{ n }] = (
          await blocker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()`,
          )
        ).rows;
        if (n >= 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await blocker.query('COMMIT');
      answers = await pending;
    } finally {
      await blocker.end();
    }
    expect(answers.map((a) => a.body.errors)).toEqual([undefined, undefined]);
    expect(answers[0].body.data).toEqual(answers[1].body.data);
    expect(answers.filter((a) => a.replayed)).toHaveLength(1);
    expect(await count('cases')).toBe(cases + 1);
  });

  test('a malformed key is BAD_USER_INPUT naming the header, nothing written', async () => {
    const before = await fingerprint(server);
    for (const key of ['x'.repeat(256), 'with space', 'tab\there', 'caf\u00e9']) {
      const res = await post(officer, OPEN, { input: caseInput() }, key);
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
        ['BAD_USER_INPUT', 'Idempotency-Key'],
      ]);
    }
    expect(await fingerprint(server)).toEqual(before);
    // 255 visible characters are fine.
    const ok = await post(officer, OPEN, { input: caseInput() }, `${'k'.repeat(254)}~`);
    expect(ok.body.errors).toBeUndefined();
  });

  test('without a key a mutation runs as before (a retry writes again), and keeps no answer', async () => {
    const keys = await count('idempotency_keys');
    const variables = { input: caseInput() };
    const a = await post(officer, OPEN, variables);
    const b = await post(officer, OPEN, variables);
    expect([a.body.errors, b.body.errors]).toEqual([undefined, undefined]);
    expect(a.body.data!.openCase.id).not.toBe(b.body.data!.openCase.id);
    expect(await count('idempotency_keys')).toBe(keys);
  });

  test('a query ignores the header', async () => {
    const res = await post(officer, `{ me { email } }`, {}, 'not a valid key');
    expect(res.body).toEqual({ data: { me: { email: OFFICER_NYC } } });
  });
});

describe('nested fields of a mutation', () => {
  test('read inside its transaction: the post-action request an exigent action created', async () => {
    const caseId = await assessedCase(false);
    const res = await post(
      officer,
      RECORD.replace('assessment { id }', 'postActionRequest { id kind enforcementAction { id } }'),
      {
        input: {
          ...actionInput(caseId),
          exigent: { narrative: 'Boarding an international flight; no supervisor reachable.' },
        },
      },
      newKey(),
    );
    expect(res.body.errors).toBeUndefined();
    const action = res.body.data!.recordEnforcementAction;
    expect(action.basis).toBe('EXIGENT');
    expect(action.postActionRequest).toEqual({
      id: expect.any(String),
      kind: 'POST_ACTION',
      enforcementAction: { id: action.id },
    });
  });
});

describe('a nested field that fails after the root field wrote', () => {
  /** Hides a table only the nested field reads, for the duration of `work`. */
  async function withoutTable(table: string, work: () => Promise<void>): Promise<void> {
    await server.sql(`ALTER TABLE ${table} RENAME TO ${table}_hidden`);
    try {
      await work();
    } finally {
      await server.sql(`ALTER TABLE ${table}_hidden RENAME TO ${table}`);
    }
  }

  test('recordEnforcementAction: the error, data null, and nothing committed', async () => {
    const caseId = await assessedCase();
    const query = RECORD.replace('assessment { id }', 'assessment { id } void { reason }');
    const before = await fingerprint(server);
    let res!: Answer;
    await withoutTable('enforcement_action_voids', async () => {
      res = await post(officer, query, { input: actionInput(caseId) }, newKey());
    });
    expect(codes({ errors: res.body.errors })).toContain('INTERNAL_SERVER_ERROR');
    expect(res.body.data ?? null).toBeNull();
    expect(await fingerprint(server)).toEqual(before);
    // Nothing was kept under the key either: the retry runs, and this time succeeds.
    const retry = await post(officer, query, { input: actionInput(caseId) });
    expect(retry.body.errors).toBeUndefined();
    expect(await count('enforcement_actions', 'case_id = $1', [caseId])).toBe(1);
  });

  test('openCase showing the subject: no case, no audit record (neither change nor read)', async () => {
    const query = OPEN.replace('subject {', 'approvalRequests { id } subject {');
    const before = await fingerprint(server);
    let res!: Answer;
    await withoutTable('approval_requests', async () => {
      res = await post(officer, query, { input: caseInput() });
    });
    expect(codes({ errors: res.body.errors })).toContain('INTERNAL_SERVER_ERROR');
    expect(res.body.data ?? null).toBeNull();
    expect(await fingerprint(server)).toEqual(before);
  });
});
