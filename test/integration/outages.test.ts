/**
 * Issue #10, findings 13 and 14: a database that is unreachable or read-only is an outage, not a
 * bug. Clients get HTTP 503, SERVICE_UNAVAILABLE (with the reason) and Retry-After, whether the
 * caller lookup or the operation failed; the log says so once per state change; /readyz is 503
 * while writes cannot commit; and writes work again as soon as the database does.
 */
import { Client as PgClient } from 'pg';
import { admin, ADMIN_URL, databaseUrl } from '../helpers/database';
import { caseInput } from '../helpers/given';
import { startProxy, type Proxy } from '../helpers/proxy';
import { OFFICER_NYC, startTestServer, type TestServer } from '../helpers/server';

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const ME = `{ me { email } }`;

async function post(server: TestServer, token: string, query: string, variables = {}) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: any[] };
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body,
    code: body.errors?.[0]?.extensions?.code as string | undefined,
    reason: body.errors?.[0]?.extensions?.reason as string | undefined,
  };
}

async function readyz(server: TestServer) {
  const started = Date.now();
  const res = await fetch(server.url.replace('/graphql', '/readyz'));
  return { status: res.status, body: (await res.json()) as any, ms: Date.now() - started };
}

/** The messages logged at `level` on the service's logger since `spy` was set. */
function messages(spy: jest.SpyInstance): string[] {
  return spy.mock.calls.map((args: unknown[]) => args.find((a) => typeof a === 'string') as string);
}

describe('the database unreachable', () => {
  let proxy: Proxy;
  let server: TestServer;
  beforeAll(async () => {
    const target = new URL(ADMIN_URL);
    proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
    server = await startTestServer({
      via: (url) => proxy.url(url),
      env: { DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => {});
    await server.stop();
    await proxy.stop();
  });

  test('answers 503 SERVICE_UNAVAILABLE with Retry-After, logs the outage once, recovers by itself', async () => {
    const token = (await server.as(OFFICER_NYC)).token!;
    expect((await post(server, token, ME)).status).toBe(200);
    const errors = jest.spyOn(server.service.log, 'error');
    const infos = jest.spyOn(server.service.log, 'info');

    await proxy.cut();
    for (let i = 0; i < 3; i++) {
      // The caller lookup fails (HTTP 500 before), and so would the operation.
      const res = await post(server, token, i === 1 ? OPEN : ME, { input: caseInput() });
      expect(res.status).toBe(503);
      expect(res.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.reason).toBe('DATABASE_UNREACHABLE');
      expect(res.retryAfter).toBe('2');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONN|127\.0\.0\.1|stack/);
    }
    const ready = await readyz(server);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1500);
    expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);

    expect(messages(errors).filter((m) => m === 'database unavailable')).toHaveLength(1);
    expect(messages(errors)).not.toContain('unexpected error');

    await proxy.restore();
    const started = Date.now();
    let back = await post(server, token, ME);
    while (back.status !== 200 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      back = await post(server, token, ME);
    }
    expect(back.status).toBe(200);
    expect(back.body.data.me.email).toBe(OFFICER_NYC);
    expect((await readyz(server)).status).toBe(200);
    expect(messages(infos).filter((m) => m === 'database available again')).toHaveLength(1);
    errors.mockRestore();
    infos.mockRestore();
  });

  test('a connection lost inside an operation is SERVICE_UNAVAILABLE too, and nothing is written', async () => {
    const token = (await server.as(OFFICER_NYC)).token!;
    const [before] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    // The caller lookup answers; the write then waits on a lock (held directly, not through the
    // proxy) while the connection under it is cut.
    const holder = new PgClient({ connectionString: databaseUrl(server.database) });
    await holder.connect();
    await server.chained();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE audit_log IN SHARE MODE');
    let res: Awaited<ReturnType<typeof post>>;
    try {
      const pending = post(server, token, OPEN, { input: caseInput() });
      const waiting = async () =>
        (
          await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
            [server.database],
          )
        ).rows[0].n;
      while ((await waiting()) === 0) await new Promise((r) => setTimeout(r, 20));
      await proxy.cut();
      res = await pending;
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await proxy.restore();
    }
    expect(res.status).toBe(503);
    expect(res.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.data ?? null).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    const [after] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    expect(after.n).toBe(before.n);
  });
});

describe('the database read-only', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await admin((c) =>
      c.query(`ALTER DATABASE ${server.database} RESET default_transaction_read_only`),
    );
    await server.stop();
  });

  /** New sessions of the database start read-only; the service's current ones are closed. */
  async function makeReadOnly(on: boolean): Promise<void> {
    await admin(async (c) => {
      await c.query(
        on
          ? `ALTER DATABASE ${server.database} SET default_transaction_read_only = on`
          : `ALTER DATABASE ${server.database} RESET default_transaction_read_only`,
      );
      if (on) {
        await c.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND application_name LIKE 'enforcement-priorities%'`,
          [server.database],
        );
      }
    });
  }

  test('writes answer 503 DATABASE_READ_ONLY, /readyz is 503, and both recover once it is reset', async () => {
    const token = (await server.as(OFFICER_NYC)).token!;
    const [before] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    await makeReadOnly(true);
    try {
      // Reads still work.
      const read = await post(server, token, ME);
      expect(read.status).toBe(200);
      const write = await post(server, token, OPEN, { input: caseInput() });
      expect(write.status).toBe(503);
      expect(write.code).toBe('SERVICE_UNAVAILABLE');
      expect(write.reason).toBe('DATABASE_READ_ONLY');
      expect(write.retryAfter).toBe('2');
      const ready = await readyz(server);
      expect(ready.status).toBe(503);
      expect(ready.body.reason).toBe('DATABASE_READ_ONLY');
    } finally {
      await makeReadOnly(false);
    }
    // At once: the read-only sessions were not pooled again.
    const write = await post(server, token, OPEN, { input: caseInput() });
    expect(write.body.errors).toBeUndefined();
    expect(write.status).toBe(200);
    expect((await readyz(server)).status).toBe(200);
    const [after] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    expect(after.n).toBe(before.n + 1);
  });
});
