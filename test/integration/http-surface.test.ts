/**
 * The HTTP surface outside GraphQL and the logs: security headers, JSON answers with a code for bad
 * bodies, unknown paths and wrong methods, and log lines that carry the code the client got and the
 * request id.
 */
import { caseInput, codes, convictionInput, openCase } from '../helpers/given';
import { captureLogs, type CapturedLogs } from '../helpers/logs';
import { OFFICER_NYC, startTestServer, type TestServer } from '../helpers/server';
import { IDE_CSP } from '../../src/server/ide';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;

let server: TestServer;
let logs: CapturedLogs;
let base: string;
beforeAll(async () => {
  logs = captureLogs();
  server = await startTestServer({ env: { LOG_LEVEL: 'info' }, logDestination: logs.destination });
  base = `http://localhost:${server.service.port}`;
});
afterAll(async () => {
  await server?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function send(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const postJson = (body: string, headers: Record<string, string> = {}) =>
  send('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** A JSON error body with exactly this code, and nothing of the server's insides. */
function expectJsonError(res: Answer, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.json.errors).toHaveLength(1);
  expect(res.json.errors[0].extensions.code).toBe(code);
  expect(typeof res.json.errors[0].message).toBe('string');
  expect(res.text).not.toContain('node_modules');
  expect(res.text).not.toMatch(/\bat \S+ \(/);
  expect(res.text).not.toMatch(/<html|<pre/i);
  expect(res.headers.get('x-request-id')).toMatch(UUID);
}

describe('errors outside GraphQL answer JSON with a code', () => {
  test('malformed JSON is 400 BAD_REQUEST', async () => {
    expectJsonError(await postJson('{bad'), 400, 'BAD_REQUEST');
  });

  test('a body over 1 MB is 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({
      query: `{ __typename }`,
      variables: { x: 'a'.repeat(1_100_000) },
    });
    expectJsonError(await postJson(body), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('an unknown path is 404 NOT_FOUND', async () => {
    expectJsonError(await send('/nothing/here'), 404, 'NOT_FOUND');
    expectJsonError(await send('/admin', { method: 'POST' }), 404, 'NOT_FOUND');
  });

  test('a wrong method on /healthz is 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const res = await send('/healthz', { method: 'POST' });
    expectJsonError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  test('a GraphQL syntax error still answers GRAPHQL_PARSE_FAILED as before', async () => {
    const res = await postJson(JSON.stringify({ query: '{ me ' }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('security headers', () => {
  test.each([
    ['POST /graphql', () => postJson(JSON.stringify({ query: '{ __typename }' }))],
    ['GET /healthz', () => send('/healthz')],
    ['a 404', () => send('/nowhere')],
    ['a 400', () => postJson('{bad')],
  ])('%s: nosniff, HSTS, strict CSP, no x-powered-by', async (_what, call) => {
    const res = await call();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('outside production, the IDE (GET /graphql, HTML) has its own CSP: this service only', async () => {
    const res = await send('/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="graphiql">');
    expect(res.headers.get('content-security-policy')).toBe(IDE_CSP);
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('in production there is no landing page and the CSP is strict on GET /graphql too', async () => {
    const prod = await startTestServer({ env: { NODE_ENV: 'production' } });
    try {
      const res = await fetch(prod.url, { headers: { accept: 'text/html' } });
      const text = await res.text();
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(text).not.toMatch(/<html/i);
    } finally {
      await prod.stop();
    }
  });
});

describe('log lines', () => {
  test('a typed error is logged with its code and the request id', async () => {
    const res = await postJson(JSON.stringify({ query: '{ me { email } }' }), {
      'x-request-id': 'typed-error-1',
    });
    expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const [line] = logs.find('graphql request', 'typed-error-1');
    expect(line).toBeDefined();
    expect(line.errors).toEqual(['UNAUTHENTICATED']);
  });

  test('an unexpected error in a resolver is logged with the request id', async () => {
    const officer = await server.as(OFFICER_NYC);
    const c = await openCase(officer, { convictions: [convictionInput()] });
    await server.sql(`ALTER TABLE convictions RENAME TO convictions_away`);
    let res;
    try {
      res = await officer.request(
        `query Get($id: ID!) { case(id: $id) { facts { convictions { offense } } } }`,
        { id: c.id },
        { 'x-request-id': 'unexpected-1' },
      );
    } finally {
      await server.sql(`ALTER TABLE convictions_away RENAME TO convictions`);
    }
    expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
    const lines = logs.find('unexpected error', 'unexpected-1');
    expect(lines).toHaveLength(1);
    expect((lines[0].err as { message: string }).message).toMatch(/"convictions" does not exist/);
    // Every unexpected-error line names its request.
    expect(logs.lines.filter((l) => /unexpected error/.test(l.msg) && !l.requestId)).toEqual([]);
    expect(logs.find('graphql request', 'unexpected-1')[0].errors).toEqual([
      'INTERNAL_SERVER_ERROR',
    ]);
  });

  test('a failure while authenticating is logged with the request id', async () => {
    const officer = await server.as(OFFICER_NYC);
    await server.sql(`ALTER TABLE users RENAME TO users_away`);
    let res;
    try {
      res = await officer.request('{ me { email } }', undefined, { 'x-request-id': 'auth-fail-1' });
    } finally {
      await server.sql(`ALTER TABLE users_away RENAME TO users`);
    }
    expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
    const [line] = logs.find('unexpected error while authenticating', 'auth-fail-1');
    expect(line).toBeDefined();
    expect((line.err as { message: string }).message).toMatch(/"users" does not exist/);
  });
});

describe('request ids', () => {
  async function auditedRequestId(headers: Record<string, string>): Promise<{
    header: string | null;
    stored: string | null;
  }> {
    const officer = await server.as(OFFICER_NYC);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${officer.token}`,
        ...headers,
      },
      body: JSON.stringify({ query: OPEN, variables: { input: caseInput() } }),
    });
    const body = (await res.json()) as { data: { openCase: { id: string } } };
    const [row] = await server.sql<{ request_id: string | null }>(
      `SELECT request_id FROM audit_log WHERE $1::uuid = ANY(record_ids) AND operation = 'openCase'`,
      [body.data.openCase.id],
    );
    return { header: res.headers.get('x-request-id'), stored: row.request_id };
  }

  test('a safe client id is echoed and is the one the audit record keeps', async () => {
    expect(await auditedRequestId({ 'x-request-id': 'client.id-42_A' })).toEqual({
      header: 'client.id-42_A',
      stored: 'client.id-42_A',
    });
  });

  test.each([
    ['too long', 'a'.repeat(65)],
    ['with a quote and angle brackets', `x"><img src=y>`],
    ['with control-like text', 'id%0d%0aSet-Cookie:x'],
    ['with unicode', 'réquest'],
  ])(
    'an unsafe one (%s) is replaced by a new UUID, in the answer and the audit',
    async (_w, id) => {
      const { header, stored } = await auditedRequestId({ 'x-request-id': id });
      expect(header).toMatch(UUID);
      expect(stored).toBe(header);
    },
  );

  test("a refused body's answer carries the client's request id too", async () => {
    const res = await postJson('{bad', { 'x-request-id': 'bad-body-1' });
    expect(res.headers.get('x-request-id')).toBe('bad-body-1');
  });
});
