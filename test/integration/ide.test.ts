/**
 * GRAPHQL_IDE over HTTP (the browser test, test/browser, drives the page itself): GraphiQL's page
 * and files come from the service with a CSP that allows nothing from elsewhere; its example tabs
 * run as their role; with the IDE off (GRAPHQL_IDE=false, or production by default) GET /graphql
 * from a browser gets the API's own answer, and in production with the IDE on, introspection is
 * for signed-in callers only.
 */
import { parse, print, type OperationDefinitionNode } from 'graphql';
import { IDE_CSP } from '../../src/server/ide';
import { ideExamples } from '../../src/server/ide/examples';
import { liveClient, until } from '../helpers/live';
import { OFFICER_NYC, startTestServer, type TestServer } from '../helpers/server';

const API_CSP = "default-src 'none';frame-ancestors 'none'";
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INTROSPECTION = '{ __schema { queryType { name } } }';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: Buffer;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: body.toString('utf8'), body };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** What the page asks the browser to load: every src and href. */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
}

/** The settings GraphiQL starts with, as the page carries them. */
function pageConfig(html: string): { endpoint: string; headers: string; tabs: any[] } {
  const match = /<script type="application\/json" id="ide-config">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error('the page carries no #ide-config');
  return JSON.parse(match[1]);
}

describe('the IDE, on by default outside production', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer();
    base = `http://localhost:${server.service.port}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('a browser opening /graphql gets GraphiQL with its own CSP; nothing loads from elsewhere', async () => {
    const page = await get(`${base}/graphql`, { accept: BROWSER });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(IDE_CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).toContain('<div id="graphiql">');
    // No inline script: the only <script> without src is the JSON data block.
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.filter((attrs) => !attrs.includes('src='))).toEqual([
      ' type="application/json" id="ide-config"',
    ]);
    const refs = references(page.text);
    expect(refs).toEqual([
      'data:,',
      '/graphql/ide/graphiql.min.css',
      '/graphql/ide/ide.css',
      '/graphql/ide/react.production.min.js',
      '/graphql/ide/react-dom.production.min.js',
      '/graphql/ide/graphiql.min.js',
      '/graphql/ide/ide.js',
    ]);
    expect(page.text).not.toMatch(/https?:\/\//);

    for (const ref of refs.filter((r) => r.startsWith('/'))) {
      const file = await get(`${base}${ref}`);
      expect([ref, file.status]).toEqual([ref, 200]);
      expect(file.headers.get('content-type')).toBe(
        ref.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      if (ref.endsWith('.css')) {
        // No remote font or stylesheet: GraphiQL's fonts are data: URIs.
        expect(file.text).not.toMatch(/@import/);
        expect(file.text).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
      }
      expect(file.text).not.toContain('sourceMappingURL');
    }
  });

  test('curl and GraphQL clients (no preference for HTML) get the API, not the page', async () => {
    for (const accept of ['*/*', 'application/json', 'application/json, text/html']) {
      const res = await get(`${base}/graphql`, { accept });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-security-policy')).toBe(API_CSP);
      expect(res.text).not.toMatch(/<html/i);
    }
  });

  test('the bundle is gzipped when the browser takes it, and a reload revalidates to 304', async () => {
    const url = `${base}/graphql/ide/graphiql.min.js`;
    const raw = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    const plain = Buffer.from(await raw.arrayBuffer());
    expect(raw.headers.get('content-encoding')).toBeNull();
    expect(plain.length).toBeGreaterThan(500_000);
    // fetch decodes gzip itself; the header and a smaller transfer say it was compressed.
    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await zipped.arrayBuffer()).equals(plain)).toBe(true);
    const etag = raw.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(zipped.headers.get('etag')).toBe(etag!.replace(/"$/, '-gzip"'));
    expect(raw.headers.get('cache-control')).toBe('no-cache');
    expect(raw.headers.get('vary')).toMatch(/accept-encoding/i);
    const identity = { 'accept-encoding': 'identity' };
    const again = await fetch(url, { headers: { ...identity, 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const zippedAgain = await fetch(url, {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.get('etag')! },
    });
    expect(zippedAgain.status).toBe(304);
    // The other encoding's validator does not match.
    const crossed = await fetch(url, {
      headers: { ...identity, 'if-none-match': zipped.headers.get('etag')! },
    });
    expect(crossed.status).toBe(200);
  });

  test('an unknown IDE file is a JSON NOT_FOUND, another method 405', async () => {
    for (const path of ['/graphql/ide/nope.js', '/graphql/ide/a/b.js', '/graphql/ide/']) {
      const res = await get(`${base}${path}`, { accept: BROWSER });
      expect([path, res.status]).toEqual([path, 404]);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const res = await fetch(`${base}/graphql/ide/ide.js`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  test('every example tab runs without errors as the user it names', async () => {
    const page = await get(`${base}/graphql`, { accept: BROWSER });
    const config = pageConfig(page.text);
    expect(config.endpoint).toBe('/graphql');
    expect(JSON.parse(config.headers)).toEqual({ Authorization: 'Bearer PASTE_A_TOKEN_HERE' });
    const examples = ideExamples(false, server.clock.now());
    expect(config.tabs).toEqual(examples.map((e) => e.tab));
    let operations = 0;
    for (const { user, tab } of examples) {
      expect(tab.query).toContain(`npm run -s token -- ${user}`);
      const client = await server.as(user);
      const variables = tab.variables ? JSON.parse(tab.variables) : {};
      for (const def of parse(tab.query).definitions as OperationDefinitionNode[]) {
        const name = def.name!.value;
        const wanted = Object.fromEntries(
          (def.variableDefinitions ?? []).map((v) => [
            v.variable.name.value,
            variables[v.variable.name.value],
          ]),
        );
        operations += 1;
        if (def.operation === 'subscription') {
          // Over WebSocket, as the IDE runs it: the server holds it, without an error.
          const live = await liveClient(server, client.token!);
          try {
            const hub = server.service.live.hub;
            const before = hub.size;
            const s = live.subscribe(print(def), wanted);
            await until(() => hub.size === before + 1 || s.ended, 3000, name);
            expect([user, name, s.ended, s.error, s.results]).toEqual([
              user,
              name,
              false,
              undefined,
              [],
            ]);
          } finally {
            await live.dispose();
          }
          continue;
        }
        const res = await post(
          server.url,
          { query: tab.query, operationName: name, variables: wanted },
          { authorization: `Bearer ${client.token}` },
        );
        expect([user, name, res.json.errors]).toEqual([user, name, undefined]);
        expect(res.json.data).toBeTruthy();
      }
    }
    expect(operations).toBe(7);
  });

  test('the placeholder token is answered UNAUTHENTICATED, naming the token', async () => {
    const res = await post(
      server.url,
      { query: '{ me { role } }' },
      {
        authorization: 'Bearer PASTE_A_TOKEN_HERE',
      },
    );
    expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.json.errors[0].message).toMatch(/token/);
  });
});

describe('with the IDE off', () => {
  test.each([
    ['GRAPHQL_IDE=false', { GRAPHQL_IDE: 'false' }],
    ['production (by default)', { NODE_ENV: 'production' }],
  ])('%s: a browser gets the API answer at /graphql and no IDE files', async (_what, env) => {
    const server = await startTestServer({ env });
    try {
      const base = `http://localhost:${server.service.port}`;
      const res = await get(`${base}/graphql`, { accept: BROWSER });
      expect(res.headers.get('content-security-policy')).toBe(API_CSP);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // Apollo's own answer to a GET that is no operation, without any landing page.
      expect(res.text).not.toMatch(/<html|graphiql|<script/i);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('BAD_REQUEST');
      const asset = await get(`${base}/graphql/ide/graphiql.min.js`);
      expect(asset.headers.get('content-type')).toMatch(/^application\/json/);
      expect(asset.text.length).toBeLessThan(2000);
    } finally {
      await server.stop();
    }
  });

  test('outside production introspection stays on; in production it is refused', async () => {
    for (const [env, open] of [
      [{ GRAPHQL_IDE: 'false' }, true],
      [{ NODE_ENV: 'production' }, false],
    ] as const) {
      const server = await startTestServer({ env });
      try {
        const officer = await server.as(OFFICER_NYC);
        const res = await officer.request(INTROSPECTION);
        if (open) expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
        else expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      } finally {
        await server.stop();
      }
    }
  });
});

describe('in production with GRAPHQL_IDE=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', GRAPHQL_IDE: 'true' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('the page is served, its help names no demo user or development token', async () => {
    const page = await get(server.url, { accept: BROWSER });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(IDE_CSP);
    const config = pageConfig(page.text);
    expect(config.tabs).toHaveLength(4);
    expect(page.text).not.toContain('npm run');
    expect(page.text).not.toContain('example.gov');
    expect(page.text).toContain('identity provider');
  });

  test('introspection answers a signed-in caller only', async () => {
    const officer = await server.as(OFFICER_NYC);
    expect((await officer.ok(INTROSPECTION)).__schema.queryType.name).toBe('Query');
    expect((await officer.ok('{ __type(name: "Case") { name } }')).__type.name).toBe('Case');

    const anonymous = await post(server.url, { query: INTROSPECTION });
    expect(anonymous.status).toBe(200);
    expect(anonymous.json.data).toBeUndefined();
    expect(anonymous.json.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.json.errors[0].message).toMatch(/Introspection needs a signed-in caller/);

    const badToken = await post(
      server.url,
      { query: 'query { __typename ... on Query { __type(name: "Case") { name } } }' },
      { authorization: 'Bearer PASTE_A_TOKEN_HERE' },
    );
    expect(badToken.json.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(badToken.json)).not.toContain('"Case"');

    // __typename is no introspection.
    const typename = await post(server.url, { query: '{ __typename }' });
    expect(typename.json).toEqual({ data: { __typename: 'Query' } });
  });
});
