/**
 * Request rate limits (RATE_LIMIT_PER_MINUTE): per user, per address without a valid token, shared
 * by every service process on the database, and still on when the shared store fails.
 */
import http from 'node:http';
import { caseInput } from '../helpers/given';
import {
  fingerprint,
  HQ,
  OFFICER2_NYC,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR2_NYC,
  SUPERVISOR_NYC,
  type TestServer,
} from '../helpers/server';

const LIMIT = 3;
const ME = JSON.stringify({ query: '{ me { email } }' });
const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
});
afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  json: any;
}

/** A POST from a chosen loopback address (127.0.0.x), so tests can be several clients. */
function post(
  url: string,
  body: string,
  opts: { token?: string; from?: string; path?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: opts.path ?? target.pathname,
        method: opts.path ? 'GET' : 'POST',
        localAddress: opts.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter, json: JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.path ? undefined : body);
  });
}

async function tokenOf(s: TestServer, email: string): Promise<string> {
  return (await s.as(email)).token as string;
}

/** `n` requests, each of which must not be refused. */
async function spend(n: number, send: () => Promise<Answer>): Promise<void> {
  for (let i = 0; i < n; i++) expect((await send()).status).toBe(200);
}

function expectLimited(res: Answer): void {
  expect(res.status).toBe(429);
  expect(res.json.errors).toHaveLength(1);
  const [error] = res.json.errors;
  expect(error.extensions.code).toBe('RATE_LIMITED');
  const seconds = error.extensions.retryAfterSeconds as number;
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
  expect(res.retryAfter).toBe(String(seconds));
  expect(error.message).toMatch(/Too many requests/);
}

test('over the limit a user gets 429 RATE_LIMITED with Retry-After, and a refused mutation writes nothing', async () => {
  const token = await tokenOf(server, OFFICER_NYC);
  await spend(LIMIT, () => post(server.url, ME, { token }));
  const before = await fingerprint(server);
  const res = await post(
    server.url,
    JSON.stringify({ query: OPEN, variables: { input: caseInput() } }),
    {
      token,
    },
  );
  expectLimited(res);
  expect(await fingerprint(server)).toEqual(before);
});

test('two users are limited independently', async () => {
  const limited = await tokenOf(server, OFFICER2_NYC);
  const other = await tokenOf(server, SUPERVISOR_NYC);
  await spend(LIMIT, () => post(server.url, ME, { token: limited }));
  expectLimited(await post(server.url, ME, { token: limited }));
  const res = await post(server.url, ME, { token: other });
  expect(res.status).toBe(200);
  expect(res.json.data.me.email).toBe(SUPERVISOR_NYC);
});

test('unauthenticated calls are limited per address; a signed-in user from that address is not', async () => {
  await spend(LIMIT, () => post(server.url, ME, { from: '127.0.0.2' }));
  expectLimited(await post(server.url, ME, { from: '127.0.0.2' }));
  // Another address has its own budget.
  expect((await post(server.url, ME, { from: '127.0.0.3' })).status).toBe(200);
  // A user counts against their own budget, wherever they call from.
  const hq = await post(server.url, ME, { from: '127.0.0.2', token: await tokenOf(server, HQ) });
  expect(hq.status).toBe(200);
  expect(hq.json.data.me.email).toBe(HQ);
  // Probes are never limited.
  expect((await post(server.url, '', { from: '127.0.0.2', path: '/healthz' })).status).toBe(200);
  expect((await post(server.url, '', { from: '127.0.0.2', path: '/readyz' })).status).toBe(200);
});

test('a call with an invalid token counts against its address', async () => {
  await spend(LIMIT, () => post(server.url, ME, { from: '127.0.0.4', token: 'not.a.token' }));
  expectLimited(await post(server.url, ME, { from: '127.0.0.4' }));
});

test('two service instances on the same database share one budget', async () => {
  const second = await startTestServer({
    database: server.database,
    env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) },
  });
  try {
    const token = await tokenOf(server, SUPERVISOR2_NYC);
    await spend(2, () => post(server.url, ME, { token }));
    await spend(1, () => post(second.url, ME, { token }));
    expectLimited(await post(second.url, ME, { token }));
    expectLimited(await post(server.url, ME, { token }));
    const id = await server.userId(SUPERVISOR2_NYC);
    const [row] = await server.sql<{ points: number }>(
      `SELECT points FROM rate_limits WHERE key = $1`,
      [`graphql:user:${id}`],
    );
    expect(row.points).toBe(LIMIT + 2);
  } finally {
    await second.stop();
  }
});

test('when the shared store fails, the limits hold in memory and nothing answers 500', async () => {
  const token = await tokenOf(server, OFFICER_LAX);
  await server.sql(`ALTER TABLE rate_limits RENAME TO rate_limits_away`);
  try {
    await spend(LIMIT, () => post(server.url, ME, { token }));
    expectLimited(await post(server.url, ME, { token }));
  } finally {
    await server.sql(`ALTER TABLE rate_limits_away RENAME TO rate_limits`);
  }
  const id = await server.userId(OFFICER_LAX);
  expect(
    await server.sql(`SELECT points FROM rate_limits WHERE key = $1`, [`graphql:user:${id}`]),
  ).toEqual([]);
});
