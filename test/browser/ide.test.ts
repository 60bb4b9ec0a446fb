/**
 * The IDE in a real browser (Debian's chromium, driven by playwright-core): the page loads from the
 * service alone, a demo token goes into the headers editor, `{ me { role } }` runs and its answer
 * shows; a supervisor's subscription streams the event of a request made over HTTP. Every request
 * the browser makes is recorded and must go to this machine; anything else is blocked and fails
 * the test. Run with `npm run test:browser`; CHROMIUM overrides the browser path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { NOT_PRESUMED, openCase } from '../helpers/given';
import { OFFICER_NYC, startTestServer, SUPERVISOR_NYC, type TestServer } from '../helpers/server';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
/** Where the screenshots go; IDE_SCREENSHOT=docs/ide.png also keeps one there (the README's). */
const SHOTS = fs.mkdtempSync(path.join(os.tmpdir(), 'ide-browser-'));

let server: TestServer;
let browser: Browser;
let page: Page;
/** Every URL the page asked for, and the ones that would have left this machine. */
const requested: string[] = [];
const outside: string[] = [];
/** Console errors and CSP violations the page reported. */
const problems: string[] = [];
/** The WebSocket addresses the page opened. */
const sockets: string[] = [];

function local(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || url === 'about:blank') return true;
  return ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`No browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  server = await startTestServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 820 } });
  // Recorded before it is sent, and never sent when it would leave this machine.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    requested.push(url);
    if (local(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    if (!local(req.url())) outside.push(req.url());
  });
  // Chromium logs a CSP violation as a console error; the event says which directive, too.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // WebSockets bypass routing: recorded here, checked by the tests.
  page.on('websocket', (ws) => sockets.push(ws.url()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** `read()` once `ok` holds for it, or its last value after `ms` (the expect after it then fails). */
async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Replaces the text of the CodeMirror editor in `selector` as a user would: click, select all, type. */
async function replaceText(selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .CodeMirror`).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText types without triggering the editor's auto-closing of brackets.
  await page.keyboard.insertText(text);
}

test('GraphiQL loads from the service, runs { me { role } } with a demo token, and nothing leaves this machine', async () => {
  const base = `http://127.0.0.1:${server.service.port}`;
  const response = await page.goto(`${base}/graphql`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  // The example tabs, one per role, named by their first operation.
  const tabs = page.locator('.graphiql-tab');
  expect(
    await eventually(
      () => tabs.count(),
      (n) => n === 4,
    ),
  ).toBe(4);
  expect(await tabs.allInnerTexts()).toEqual([
    expect.stringContaining('Me'),
    expect.stringContaining('OpenCases'),
    expect.stringContaining('ApprovalQueue'),
    expect.stringContaining('ReportingCompliance'),
  ]);

  // The headers editor is open, holding the Authorization header and its placeholder.
  const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
  const placeholder = await eventually(
    () => page.locator(headers).innerText(),
    (t) => t?.includes('PASTE_A_TOKEN_HERE'),
  );
  expect(placeholder).toContain('"Authorization": "Bearer PASTE_A_TOKEN_HERE"');
  expect(await page.locator('.graphiql-query-editor').innerText()).toContain(
    'npm run -s token -- officer.nyc@example.gov',
  );

  const { token } = await server.as(OFFICER_NYC);
  await replaceText(headers, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
  await replaceText('.graphiql-query-editor', '{ me { role } }');
  // GraphiQL re-reads the operation's name from the text after a short debounce; run before that
  // and it sends the tab's previous name ("Me") with an anonymous operation.
  await page.waitForTimeout(1_000);
  await page.locator('.graphiql-execute-button').click();

  const ROLE = /"role":\s*"FIELD_OFFICER"/;
  const result = await eventually(
    () => page.locator('.graphiql-response').innerText(),
    (t) => ROLE.test(t ?? ''),
  );
  expect(result).toMatch(ROLE);

  // Introspection worked: the documentation explorer shows the schema's root types.
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  const ROOT = /query:\s*Query/;
  const docs = await eventually(
    () => page.locator('.graphiql-doc-explorer').innerText(),
    (t) => ROOT.test(t ?? ''),
  );
  expect(docs).toMatch(ROOT);

  const shot = path.join(SHOTS, 'ide.png');
  await page.screenshot({ path: shot });
  expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  if (process.env.IDE_SCREENSHOT) fs.copyFileSync(shot, process.env.IDE_SCREENSHOT);

  expect(requested.length).toBeGreaterThan(5);
  expect(requested.every((url) => new URL(url).hostname === '127.0.0.1')).toBe(true);
  expect(outside).toEqual([]);
  expect(problems).toEqual([]);
});

test('a subscription run in the IDE shows the event of a request made over HTTP', async () => {
  const base = `http://127.0.0.1:${server.service.port}`;
  await page.goto(`${base}/graphql`, { waitUntil: 'load' });
  const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
  await eventually(
    () => page.locator(headers).innerText(),
    (t) => t?.includes('Authorization'),
  );
  const { token } = await server.as(SUPERVISOR_NYC);
  await replaceText(headers, JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2));
  await replaceText(
    '.graphiql-query-editor',
    'subscription { approvalQueueChanged { kind request { id } } }',
  );
  await page.waitForTimeout(1_000);
  const hub = server.service.live.hub;
  const before = hub.size;
  await page.locator('.graphiql-execute-button').click();
  // Registered by the server: the socket signed in with the Headers editor's token.
  expect(
    await eventually(
      () => Promise.resolve(hub.size),
      (n) => n === before + 1,
    ),
  ).toBe(before + 1);

  // A date when the policy in force asked for pre-approval (DHS-2021-09-30 does not).
  server.clock.set(new Date('2021-06-01T14:00:00Z'));
  const officer = await server.as(OFFICER_NYC);
  const c = await openCase(officer, { facts: NOT_PRESUMED });
  await officer.ok(`mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`, {
    input: { caseId: c.id },
  });
  const made = await officer.ok<{ requestApproval: { id: string } }>(
    `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
    {
      input: {
        caseId: c.id,
        actionType: 'ARREST',
        justification:
          'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.',
      },
    },
  );
  const id = made.requestApproval.id;
  const shown = await eventually(
    () => page.locator('.graphiql-response').innerText(),
    (t) => (t ?? '').includes(id),
  );
  expect(shown).toMatch(/"kind":\s*"REQUESTED"/);
  expect(shown).toContain(`"id": "${id}"`);

  // The stop button ends the subscription on the server too.
  await page.locator('.graphiql-execute-button').click();
  expect(
    await eventually(
      () => Promise.resolve(hub.size),
      (n) => n === before,
    ),
  ).toBe(before);

  expect(sockets).toEqual([`ws://127.0.0.1:${server.service.port}/graphql`]);
  expect(outside).toEqual([]);
  expect(requested.every((url) => new URL(url).hostname === '127.0.0.1')).toBe(true);
  expect(problems).toEqual([]);
});

test('a subscription without a valid token shows the socket closed with 4401', async () => {
  const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
  await replaceText(headers, JSON.stringify({ Authorization: 'Bearer PASTE_A_TOKEN_HERE' }));
  await replaceText(
    '.graphiql-query-editor',
    'subscription { approvalQueueChanged { kind request { id } } }',
  );
  await page.waitForTimeout(1_000);
  await page.locator('.graphiql-execute-button').click();
  const CLOSED = /Socket closed with event 4401 The token is invalid or has expired/;
  const shown = await eventually(
    () => page.locator('.graphiql-response').innerText(),
    (t) => CLOSED.test(t ?? ''),
  );
  expect(shown).toMatch(CLOSED);
  // GraphiQL's socket client may also report the refused socket as an uncaught error in the page
  // (it races with the result pane; seen once in four CI runs): that one is the refusal itself.
  // Anything else is a problem.
  expect(problems.filter((p) => !(p.startsWith('page error: ') && CLOSED.test(p)))).toEqual([]);
});
