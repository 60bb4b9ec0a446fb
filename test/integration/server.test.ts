/**
 * The HTTP surface: health and readiness, request ids, error masking, GraphQL request errors,
 * production mode, and graceful shutdown.
 */
import fs from 'node:fs';
import net from 'node:net';
import { Client as PgClient } from 'pg';
import { signDevelopmentToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config';
import { startService } from '../../src/server/service';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  serviceDatabaseUrl,
} from '../helpers/database';
import { caseInput, codes, openCase } from '../helpers/given';
import {
  fingerprint,
  OFFICER_NYC,
  startTestServer,
  TEST_AUDIT_KEY,
  TEST_JWT_SECRET,
  TestServer,
} from '../helpers/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id version } }`;
const INTROSPECTION = `{ __schema { types { name } } }`;

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = `http://localhost:${server.service.port}`;
});
afterAll(async () => {
  await server?.stop();
});

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The masked answer to anything unexpected: a generic message, the code, and nothing else. */
function expectMasked(res: { text: string; json: any }, leaks: string[]): void {
  expect(res.json.errors).toHaveLength(1);
  const [error] = res.json.errors;
  expect(error.message).toBe('Internal server error.');
  expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  for (const leak of [...leaks, 'stacktrace', 'relation', 'SELECT', 'QueryFailedError', '.ts:']) {
    expect(res.text).not.toContain(leak);
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('health and readiness', () => {
  test('GET /healthz is 200', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz is 200 ready', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  test('GET /readyz is 503 while the database cannot answer, and 200 again after', async () => {
    await server.sql(`ALTER TABLE migrations RENAME TO migrations_away`);
    let res: Response;
    try {
      res = await fetch(`${base}/readyz`);
    } finally {
      await server.sql(`ALTER TABLE migrations_away RENAME TO migrations`);
    }
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).not.toContain('migrations_away');
    expect(body).not.toContain('relation');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('x-request-id', () => {
  test('a valid id is echoed back', async () => {
    const res = await post(
      server.url,
      { query: '{ __typename }' },
      { 'x-request-id': 'abc.DEF-12_3' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('abc.DEF-12_3');
  });

  test('without one, a fresh UUID is generated per request', async () => {
    const a = await post(server.url, { query: '{ __typename }' });
    const b = await post(server.url, { query: '{ __typename }' });
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  test.each([
    ['with spaces', 'has spaces in it'],
    ['too long', 'x'.repeat(65)],
    ['header injection characters', 'abc;drop<script>'],
  ])('an invalid one (%s) is replaced by a generated UUID', async (_what, id) => {
    const res = await post(server.url, { query: '{ __typename }' }, { 'x-request-id': id });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });
});

describe('unexpected errors are masked', () => {
  test('a resolver failing on a broken table answers INTERNAL_SERVER_ERROR, no SQL, no stack', async () => {
    const officer = await server.as(OFFICER_NYC);
    const c = await openCase(officer, {
      convictions: [
        {
          offense: 'Burglary',
          jurisdiction: 'Kings County, NY',
          convictedOn: '2012-03-04',
          aggravatedFelony: false,
          gangParticipationElement: false,
        },
      ],
    });
    const query = {
      query: `query Get($id: ID!) { case(id: $id) { id facts { convictions { offense } } } }`,
      variables: { id: c.id },
    };
    const auth = { authorization: `Bearer ${officer.token}` };
    await server.sql(`ALTER TABLE convictions RENAME TO convictions_hidden_xyz`);
    let res;
    try {
      res = await post(server.url, query, auth);
    } finally {
      await server.sql(`ALTER TABLE convictions_hidden_xyz RENAME TO convictions`);
    }
    expectMasked(res, ['convictions_hidden_xyz', 'does not exist']);
    // The same request works once the table is back: the failure above was the broken table.
    const again = await post(server.url, query, auth);
    expect(again.json.errors).toBeUndefined();
    expect(again.json.data.case.facts.convictions).toEqual([{ offense: 'Burglary' }]);
  });

  test('a failure while authenticating (context creation) is masked too', async () => {
    const officer = await server.as(OFFICER_NYC);
    await server.sql(`ALTER TABLE users RENAME TO users_hidden_xyz`);
    let res;
    try {
      res = await post(
        server.url,
        { query: '{ me { email } }' },
        { authorization: `Bearer ${officer.token}` },
      );
    } finally {
      await server.sql(`ALTER TABLE users_hidden_xyz RENAME TO users`);
    }
    expectMasked(res, ['users_hidden_xyz', 'does not exist', 'Context creation failed']);
  });
});

describe('GraphQL request errors keep their own codes', () => {
  test('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const officer = await server.as(OFFICER_NYC);
    const res = await officer.request('{ me { email }');
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(res.errors?.[0].message).toMatch(/Syntax Error/);
  });

  test('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const officer = await server.as(OFFICER_NYC);
    const res = await officer.request('{ me { email shoeSize } }');
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors?.[0].message).toMatch(/shoeSize/);
  });

  test('a variable of the wrong shape is BAD_USER_INPUT and changes nothing', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    const input = caseInput();
    const res = await officer.request(OPEN, {
      input: { ...input, subject: { ...input.subject, dateOfBirth: 'yesterday' } },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('introspection is on outside production', async () => {
    const officer = await server.as(OFFICER_NYC);
    const data = await officer.ok<any>(INTROSPECTION);
    expect(data.__schema.types.map((t: any) => t.name)).toContain('Case');
  });
});

describe('production mode', () => {
  test('introspection is refused, ordinary queries work', async () => {
    const database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      // Production refuses a login that could rewrite the audit log: the service's own role.
      DATABASE_URL: serviceDatabaseUrl(database),
      MIGRATION_DATABASE_URL: databaseUrl(database),
      DATABASE_POOL_SIZE: '2',
      JWT_SECRET: TEST_JWT_SECRET,
      AUDIT_KEY: TEST_AUDIT_KEY,
      LOG_LEVEL: 'silent',
      DATA_DIR: `/tmp/ep-test-${database}`,
    });
    expect(config.production).toBe(true);
    const service = await startService(config);
    try {
      const [row] = (await service.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
        OFFICER_NYC,
      ])) as { id: string }[];
      const token = await signDevelopmentToken(service.tokens, row.id);
      const auth = { authorization: `Bearer ${token}` };
      const me = await post(service.url, { query: '{ me { email } }' }, auth);
      expect(me.json.errors).toBeUndefined();
      expect(me.json.data.me.email).toBe(OFFICER_NYC);

      const intro = await post(service.url, { query: INTROSPECTION }, auth);
      expect(intro.json.data).toBeUndefined();
      expect(intro.json.errors.map((e: any) => e.extensions?.code)).toContain(
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(intro.text).toMatch(/introspection/i);
      expect(intro.text).not.toContain('"types"');
      const typename = await post(
        service.url,
        { query: '{ __type(name: "Case") { name } }' },
        auth,
      );
      expect(typename.json.data).toBeUndefined();
      expect(typename.json.errors?.length).toBeGreaterThan(0);
    } finally {
      await service.stop();
      await dropTestDatabase(database);
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});

describe('graceful shutdown', () => {
  test('an in-flight request completes; afterwards new connections are refused', async () => {
    const s = await startTestServer();
    const officer = await s.as(OFFICER_NYC);
    const port = s.service.port;
    const locker = new PgClient({ connectionString: databaseUrl(s.database) });
    await locker.connect();
    try {
      // Lock the audit log against inserts, so the mutation below waits inside its transaction.
      await s.chained();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE audit_log IN SHARE MODE');
      const inFlight = officer.request(OPEN, { input: caseInput() });
      for (let i = 0; ; i++) {
        const { rows } = await locker.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_stat_activity
            WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          [s.database],
        );
        if (rows[0].n === '1') break;
        if (i > 200) throw new Error('the mutation never reached the lock');
        await new Promise((r) => setTimeout(r, 25));
      }

      let stopped = false;
      const stopping = s.service.stop().then(() => {
        stopped = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      // Still waiting for the request, and no longer accepting new connections.
      expect(stopped).toBe(false);
      expect(await refusesConnections(port)).toBe(true);

      await locker.query('COMMIT');
      const res = await inFlight;
      expect(res.errors).toBeUndefined();
      const caseId = (res.data as any).openCase.id as string;
      await stopping;
      expect(stopped).toBe(true);

      expect(await refusesConnections(port)).toBe(true);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      // The request's work was committed, audit record included.
      const { rows } = await locker.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM audit_log WHERE $1::uuid = ANY(record_ids) AND operation = 'openCase'`,
        [caseId],
      );
      expect(rows[0].n).toBe('1');
    } finally {
      await locker.end();
      // Also closes the helper's owner connection and removes the data directory.
      await s.stop();
    }
  });
});
