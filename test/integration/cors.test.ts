/**
 * CORS_ORIGINS: a browser front end on another origin may call /graphql (a real preflight, then
 * the call), any other origin may not, and Apollo's CSRF prevention still refuses simple requests
 * from anywhere. Requests as a browser sends them, over HTTP to the running server.
 */
import { HQ, startTestServer, type TestServer } from '../helpers/server';
import { loadConfig } from '../../src/config';

const APP = 'http://localhost:5173';
const OTHER = 'https://evil.example';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { CORS_ORIGINS: `${APP}, https://app.example.gov` } });
});
afterAll(async () => {
  await server?.stop();
});

const preflight = (origin: string) =>
  fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

test('a preflight from an allowed origin names the methods and headers, authorization among them', async () => {
  const res = await preflight(APP);
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  expect(res.headers.get('access-control-allow-headers')).toMatch(/\bauthorization\b/);
  expect(res.headers.get('access-control-allow-headers')).toMatch(/\bcontent-type\b/);
  expect(res.headers.get('vary')).toMatch(/Origin/i);
});

test('then the call itself is answered with the origin allowed and the request id exposed', async () => {
  const client = await server.as(HQ);
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      origin: APP,
      'content-type': 'application/json',
      authorization: `Bearer ${client.token}`,
    },
    body: JSON.stringify({ query: '{ me { role } }' }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
  expect(await res.json()).toEqual({ data: { me: { role: 'HEADQUARTERS' } } });
});

test('another origin: its preflight is refused with a JSON error, its calls carry no CORS header', async () => {
  const res = await preflight(OTHER);
  expect(res.status).toBe(403);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(((await res.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
  const call = await fetch(server.url, {
    method: 'POST',
    headers: { origin: OTHER, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(call.headers.get('access-control-allow-origin')).toBeNull();
});

test('a simple request (no preflight) is refused by the CSRF prevention, allowed origin or not', async () => {
  const before = await server.sql<{ n: string }>(`SELECT count(*)::text AS n FROM cases`);
  for (const origin of [APP, OTHER]) {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { __typename }' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  }
  expect(await server.sql(`SELECT count(*)::text AS n FROM cases`)).toEqual(before);
});

test('CORS_ORIGINS takes exact origins only; unset allows none', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), AUDIT_KEY: 'y'.repeat(40) };
  expect(loadConfig(base).corsOrigins).toEqual([]);
  expect(
    loadConfig({ ...base, CORS_ORIGINS: 'http://localhost:5173,https://a.gov' }).corsOrigins,
  ).toEqual(['http://localhost:5173', 'https://a.gov']);
  for (const bad of ['*', 'https://a.gov/', 'https://a.gov/app', 'localhost:5173', 'ftp://a.gov'])
    expect(() => loadConfig({ ...base, CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
});
