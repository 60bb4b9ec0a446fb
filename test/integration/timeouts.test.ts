/**
 * Issue #10, finding 1 (execution budget) and finding 11 (timeouts on the database path): a write
 * stuck behind a lock on the audit log, held here by the test's own session, ends within the
 * budget as REQUEST_TIMEOUT (HTTP 503, Retry-After), its statement is cancelled in PostgreSQL, and
 * nothing of it commits once the lock is released; with the request pool taken, /readyz and
 * /healthz still answer and other requests fail fast as SERVICE_UNAVAILABLE.
 */
import { Client as PgClient } from 'pg';
import { databaseUrl } from '../helpers/database';
import { caseInput } from '../helpers/given';
import { OFFICER_NYC, startTestServer, type TestServer } from '../helpers/server';

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const ME = `{ me { email } }`;

/** A session of the test's own (not the service's pool). */
async function session(server: TestServer): Promise<PgClient> {
  const client = new PgClient({ connectionString: databaseUrl(server.database) });
  await client.connect();
  return client;
}

/**
 * Locks the audit log against inserts (SHARE mode), as an outside session could, until `release()`:
 * every write waits at its audit record. The chainer is done first, so only requests wait.
 */
async function holdAuditLog(server: TestServer): Promise<{ release(): Promise<void> }> {
  await server.chained();
  const client = await session(server);
  await client.query('BEGIN');
  await client.query('LOCK TABLE audit_log IN SHARE MODE');
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

async function post(server: TestServer, token: string | undefined, query: string, variables = {}) {
  const started = Date.now();
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: any[] };
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    ms: Date.now() - started,
    body,
    code: body.errors?.[0]?.extensions?.code as string | undefined,
  };
}

/** Rows the service could have written for an opened case. */
async function written(observer: PgClient): Promise<{ cases: number; audit: number }> {
  const { rows } = await observer.query<{ cases: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return rows[0];
}

/** The service's statements waiting on a lock right now. */
async function waitingOnLocks(observer: PgClient, server: TestServer): Promise<number> {
  const { rows } = await observer.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND application_name = 'enforcement-priorities' AND wait_event_type = 'Lock'`,
    [server.database],
  );
  return rows[0].n;
}

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the execution budget (REQUEST_TIMEOUT_MS)', () => {
  let server: TestServer;
  let observer: PgClient;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        REQUEST_TIMEOUT_MS: '1500',
        // Only the budget can end the wait here.
        DATABASE_LOCK_TIMEOUT_MS: '60000',
        DATABASE_STATEMENT_TIMEOUT_MS: '60000',
        DATABASE_CONNECT_TIMEOUT_MS: '500',
      },
    });
    observer = await session(server);
    token = (await server.as(OFFICER_NYC)).token!;
  });
  afterAll(async () => {
    await observer.end();
    await server.stop();
  });

  test('a write stuck behind a lock answers REQUEST_TIMEOUT in time, is cancelled and never commits', async () => {
    const before = await written(observer);
    const lock = await holdAuditLog(server);
    let res: Awaited<ReturnType<typeof post>>;
    try {
      res = await post(server, token, OPEN, { input: caseInput() });
      expect(res.code).toBe('REQUEST_TIMEOUT');
      expect(res.body.errors![0].message).toContain('1500 ms');
      expect(res.status).toBe(503);
      expect(res.retryAfter).toBe('2');
      expect(res.ms).toBeLessThan(1500 + 1000);
      // PostgreSQL no longer runs it, though the lock is still held.
      expect(
        await eventually(async () => (await waitingOnLocks(observer, server)) === 0, 1000),
      ).toBe(true);
    } finally {
      await lock.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await written(observer)).toEqual(before);

    // Nothing stuck: the same write goes through now.
    const again = await post(server, token, OPEN, { input: caseInput() });
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
    expect(await written(observer)).toEqual({ cases: before.cases + 1, audit: before.audit + 1 });
  });

  test('with every pooled connection stuck, /readyz and /healthz answer and reads fail fast as SERVICE_UNAVAILABLE', async () => {
    const before = await written(observer);
    const lock = await holdAuditLog(server);
    try {
      // Four writes take the pool's four connections until their budget runs out.
      const stuck = Array.from({ length: 4 }, () =>
        post(server, token, OPEN, { input: caseInput() }),
      );
      expect(
        await eventually(async () => (await waitingOnLocks(observer, server)) === 4, 1000),
      ).toBe(true);
      let started = Date.now();
      const ready = await fetch(server.url.replace('/graphql', '/readyz'));
      expect(ready.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);

      started = Date.now();
      const read = await post(server, token, ME);
      expect(read.code).toBe('SERVICE_UNAVAILABLE');
      expect(read.status).toBe(503);
      expect(read.retryAfter).toBe('2');
      expect(Date.now() - started).toBeLessThan(1500);

      for (const res of await Promise.all(stuck)) expect(res.code).toBe('REQUEST_TIMEOUT');
    } finally {
      await lock.release();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await written(observer)).toEqual(before);
    expect((await post(server, token, ME)).status).toBe(200);
  });
});

describe('DATABASE_LOCK_TIMEOUT_MS', () => {
  let server: TestServer;
  let observer: PgClient;
  beforeAll(async () => {
    server = await startTestServer({ env: { DATABASE_LOCK_TIMEOUT_MS: '300' } });
    observer = await session(server);
  });
  afterAll(async () => {
    await observer.end();
    await server.stop();
  });

  test('a lock held by an outside session fails the write fast, and it rolls back', async () => {
    const token = (await server.as(OFFICER_NYC)).token!;
    const before = await written(observer);
    const lock = await holdAuditLog(server);
    try {
      const res = await post(server, token, OPEN, { input: caseInput() });
      expect(res.code).toBe('REQUEST_TIMEOUT');
      expect(res.status).toBe(503);
      expect(res.ms).toBeLessThan(2000);
    } finally {
      await lock.release();
    }
    expect(await written(observer)).toEqual(before);
  });

  test('each timeout is set on the service connections', async () => {
    const { rows } = await observer.query<{ setting: string; name: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout') ORDER BY name`,
    );
    // The observer is not the service: its own session has no timeouts.
    expect(rows.every((r) => r.setting === '0')).toBe(true);
    // `server.sql` is the owner's login; the service's own pool is asked directly.
    const settings = await server.service.dataSource.query<{ s: string; l: string; i: string }[]>(
      `SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l,
              current_setting('idle_in_transaction_session_timeout') AS i`,
    );
    expect(settings).toEqual([{ s: '10s', l: '300ms', i: '15s' }]);
  });
});
