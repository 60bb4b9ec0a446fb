/**
 * One delivery attempt (`sendDelivery`, webhook.worker.ts) against receivers on this machine: the
 * signed POST, the answers that count as failures, and, under WEBHOOK_PRIVATE_ADDRESSES=refuse, a
 * name refused when the connection itself resolves it to a private address (what a check made
 * before the attempt cannot see when the name's answer changes in between: DNS rebinding).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendDelivery, WEBHOOK_HEADERS } from '../../src/modules/webhooks/webhook.worker';
import { signDelivery } from '../../src/modules/webhooks/webhook.rules';

interface Hit {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let port: number;
const hits: Hit[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/moved') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
        return;
      }
      res.writeHead(req.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  hits.length = 0;
});

const target = (url: string) => ({
  id: 'd1',
  event: 'REQUESTED',
  url,
  secret: 'a-secret',
  body: JSON.stringify({ hello: 'wörld ’' }),
});
const running = new AbortController().signal;

test('a 2xx answer delivers the signed body', async () => {
  const outcome = await sendDelivery(target(`http://127.0.0.1:${port}/ok`), 2_000, running);
  expect(outcome).toMatchObject({ statusCode: 204, error: null });
  expect(hits).toHaveLength(1);
  const [hit] = hits;
  expect(hit.body).toBe(target('').body);
  const timestamp = Number(hit.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]);
  expect(hit.headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(
    signDelivery('a-secret', timestamp, hit.body),
  );
  expect(hit.headers['content-type']).toBe('application/json');
});

test('an error status, a redirect (not followed), no answer in time, a refused connection', async () => {
  expect(await sendDelivery(target(`http://127.0.0.1:${port}/fail`), 2_000, running)).toMatchObject(
    { statusCode: 500, error: 'HTTP 500' },
  );
  expect(
    await sendDelivery(target(`http://127.0.0.1:${port}/moved`), 2_000, running),
  ).toMatchObject({ statusCode: 302, error: 'HTTP 302 (redirects are not followed)' });
  expect(hits.map((h) => h.path)).toEqual(['/fail', '/moved']);
  expect(await sendDelivery(target(`http://127.0.0.1:${port}/slow`), 300, running)).toMatchObject({
    statusCode: null,
    error: 'no answer within 300 ms',
  });
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  expect(
    await sendDelivery(target(`http://127.0.0.1:${closedPort}/x`), 2_000, running),
  ).toMatchObject({ statusCode: null, error: 'no answer: ECONNREFUSED' });
});

test('refusing private addresses: a name the connection resolves to loopback is not sent to', async () => {
  const refused = await sendDelivery(
    target(`http://localhost:${port}/ok`),
    2_000,
    running,
    'refuse',
  );
  expect(refused.statusCode).toBeNull();
  expect(refused.error).toMatch(
    /^not sent: localhost resolved to a private, loopback or reserved address \((127\.0\.0\.1|::1)\) when connecting/,
  );
  expect(hits).toHaveLength(0);
  // The same name while private receivers are allowed.
  expect(
    await sendDelivery(target(`http://localhost:${port}/ok`), 2_000, running, 'allow'),
  ).toMatchObject({ statusCode: 204, error: null });
  expect(hits).toHaveLength(1);
});

test('a service stopping ends an attempt in flight, said as such', async () => {
  const stopping = new AbortController();
  const attempt = sendDelivery(target(`http://127.0.0.1:${port}/slow`), 5_000, stopping.signal);
  setTimeout(() => stopping.abort(), 100);
  expect(await attempt).toMatchObject({
    statusCode: null,
    error: 'the service stopped before the receiver answered',
  });
});
