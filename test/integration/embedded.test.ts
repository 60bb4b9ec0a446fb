/**
 * `npm start` with nothing installed: no DATABASE_URL, so PostgreSQL runs in-process (PGlite) under
 * DATA_DIR, demo data is seeded, and a development secret is generated there. Both survive a restart.
 *
 * PGlite's CommonJS build loads Node built-ins with dynamic `import()`, which jest's module sandbox
 * refuses without --experimental-vm-modules (it kills the worker). So the service runs in a child
 * Node process, from the TypeScript sources, exactly as this file would have started it in-process:
 * `startService(loadConfig({ DATA_DIR, PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { seedDemo: true })`,
 * and `signDevelopmentToken(service.tokens, <officer id>)`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DateTime } from 'luxon';
import { resolveTokenSettings, signDevelopmentToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config';
import { OFFICER_NYC } from '../helpers/server';
import { liveClientAt } from '../helpers/live';

// Two starts on PGlite: minutes on a loaded two-core machine.
jest.setTimeout(480_000);

const ROOT = path.resolve(__dirname, '../..');

/** Runs in the child: compiles the sources on the fly, starts the service, reports, waits for "stop". */
const CHILD = `
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
      experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false,
    },
  });
  module._compile(out.outputText, filename);
};
require('reflect-metadata');
const root = process.env.EP_ROOT;
const { loadConfig } = require(path.join(root, 'src/config.ts'));
const { startService } = require(path.join(root, 'src/server/service.ts'));
const { signDevelopmentToken } = require(path.join(root, 'src/auth/jwt.ts'));
(async () => {
  const config = loadConfig({ DATA_DIR: process.env.EP_DATA_DIR, PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const service = await startService(config, { seedDemo: true });
  const ids = {};
  for (const row of await service.dataSource.query('SELECT id, email FROM users')) ids[row.email] = row.id;
  const token = await signDevelopmentToken(service.tokens, ids[process.env.EP_EMAIL]);
  const hqToken = await signDevelopmentToken(service.tokens, ids['hq@example.gov']);
  const [counts] = await service.dataSource.query(
    'SELECT (SELECT count(*)::int FROM offices) AS offices, (SELECT count(*)::int FROM users) AS users,' +
    ' (SELECT count(*)::int FROM audit_log) AS audit',
  );
  process.stdout.write(JSON.stringify({
    url: service.url, port: service.port, embedded: service.embedded,
    databaseUrl: config.databaseUrl ?? null, jwtSecret: config.jwtSecret ?? null,
    ids, token, hqToken, counts,
  }) + '\\n');
  process.stdin.on('data', async (chunk) => {
    if (!String(chunk).includes('stop')) return;
    await service.stop();
    process.stdout.write(JSON.stringify({ stopped: true }) + '\\n');
    process.exit(0);
  });
})().catch((err) => { console.error(err); process.exit(1); });
`;

interface Started {
  url: string;
  port: number;
  embedded: boolean;
  databaseUrl: string | null;
  jwtSecret: string | null;
  ids: Record<string, string>;
  token: string;
  hqToken: string;
  counts: { offices: number; users: number; audit: number };
}

interface Child {
  info: Started;
  stop(): Promise<number | null>;
  proc: ChildProcess;
}

const children: ChildProcess[] = [];

async function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['-e', CHILD], {
    cwd: ROOT,
    env: { ...process.env, EP_ROOT: ROOT, EP_DATA_DIR: dataDir, EP_EMAIL: OFFICER_NYC },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(proc);
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: proc.stdout });
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  lines.on('line', (line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not ours
    }
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => resolve(code)),
  );
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (messages.length) return resolve(messages.shift());
      waiters.push(resolve);
      void exited.then((code) =>
        reject(new Error(`the service process exited (${code}) early:\n${stderr}`)),
      );
    });
  const info = (await next()) as Started;
  return {
    info,
    proc,
    async stop() {
      proc.stdin.write('stop\n');
      expect(await next()).toEqual({ stopped: true });
      return exited;
    },
  };
}

async function graphql(
  url: string,
  token: string | undefined,
  query: string,
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

const ME = `{ me { id email role office { code } } }`;

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ep-embedded-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('boots on PGlite with demo data; the token and the data survive a restart', async () => {
  // First start, on an empty directory.
  const first = await startChild(dataDir);
  const { info } = first;
  expect(info.embedded).toBe(true);
  expect(info.databaseUrl).toBeNull();
  expect(info.jwtSecret).toBeNull();
  // Demo data: three offices and their seven people, one SYSTEM audit record.
  expect(info.counts).toEqual({ offices: 3, users: 7, audit: 1 });
  expect(Object.keys(info.ids)).toEqual(
    expect.arrayContaining([OFFICER_NYC, 'supervisor.lax@example.gov', 'hq@example.gov']),
  );
  // The development secret was generated into the data directory...
  const secretFile = path.join(dataDir, 'jwt-secret');
  const secret = fs.readFileSync(secretFile, 'utf8');
  expect(secret.trim().length).toBeGreaterThanOrEqual(32);
  // ...and is what this process resolves for the same configuration (what `npm run token` uses).
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
  });
  const tokens = resolveTokenSettings(config);
  expect(Buffer.from(tokens.secret!).toString('utf8')).toBe(secret.trim());
  // While running, the embedded database is advertised for the scripts.
  expect(fs.existsSync(path.join(dataDir, 'embedded.json'))).toBe(true);

  const ready = await fetch(`http://localhost:${info.port}/readyz`);
  expect(ready.status).toBe(200);

  const me = await graphql(info.url, info.token, ME);
  expect(me.errors).toBeUndefined();
  expect(me.data.me).toEqual({
    id: info.ids[OFFICER_NYC],
    email: OFFICER_NYC,
    role: 'FIELD_OFFICER',
    office: { code: 'NYC' },
  });
  // A token this process signs with the resolved settings works as well.
  const local = await signDevelopmentToken(tokens, info.ids[OFFICER_NYC]);
  expect((await graphql(info.url, local, ME)).data?.me?.email).toBe(OFFICER_NYC);

  // Something written through the API, to find again after the restart.
  // Sent twice at once under one Idempotency-Key (the transaction lock and the stored answer on
  // PGlite's one connection): one case, the same answer twice.
  const openCase = () =>
    graphql(
      info.url,
      info.token,
      `
        mutation {
          openCase(
            input: {
              subject: {
                name: "Embedded Subject"
                dateOfBirth: "1980-01-01"
                aNumber: "A111-222-333"
                countryOfCitizenship: "MX"
              }
            }
          ) {
            id
          }
        }
      `,
      { 'idempotency-key': 'embedded-open-1' },
    );
  const [opened, retried] = await Promise.all([openCase(), openCase()]);
  expect(retried).toEqual(opened);
  expect(opened.errors).toBeUndefined();
  const listed = await graphql(
    info.url,
    info.token,
    `
      {
        cases(first: 5) {
          totalCount
        }
      }
    `,
  );
  expect(listed.data.cases.totalCount).toBe(1);
  const caseId = opened.data.openCase.id as string;

  // An action on PGlite: the version triggers fire, and the week's report shows it, compiled and
  // then kept (its three reads run at once on the one embedded connection).
  const assessed = await graphql(
    info.url,
    info.token,
    `mutation { assessCase(input: { caseId: "${caseId}" }) { id } }`,
  );
  expect(assessed.errors).toBeUndefined();
  const at = DateTime.now().minus({ hours: 1 });
  const recorded = await graphql(
    info.url,
    info.token,
    `mutation {
      recordEnforcementAction(
        input: { caseId: "${caseId}", type: NOTICE_TO_APPEAR, occurredAt: "${at.toUTC().toISO()}", location: "Queens, NY" }
      ) { id }
    }`,
  );
  expect(recorded.errors).toBeUndefined();
  const weekStart = at.setZone('America/New_York').startOf('week').toISODate();
  const report = `{ weeklyReport(officeCode: "NYC", weekStart: "${weekStart}") { status actions(first: 10) { edges { node { actionId } } } } }`;
  for (let read = 0; read < 2; read++) {
    const res = await graphql(info.url, info.hqToken, report);
    expect(res.errors).toBeUndefined();
    expect(res.data.weeklyReport).toEqual({
      status: 'DRAFT',
      actions: { edges: [{ node: { actionId: recorded.data.recordEnforcementAction.id } }] },
    });
  }

  // The file exports on PGlite: the cursor holds the one connection while it streams, and a
  // GraphQL request sent at the same time waits for it, then answers.
  const exported = (path: string) =>
    fetch(`http://localhost:${info.port}${path}`, {
      headers: { authorization: `Bearer ${info.hqToken}` },
    }).then(async (res) => ({ status: res.status, text: await res.text() }));
  const [actionsFile, figuresFile, meth] = await Promise.all([
    exported(`/exports/weekly-report?officeCode=NYC&weekStart=${weekStart}&format=ndjson`),
    exported(
      `/exports/enforcement-stats?from=${weekStart}&to=${weekStart}&groupBy=OFFICE,ACTION_TYPE`,
    ),
    graphql(info.url, info.token, ME),
  ]);
  expect(actionsFile.status).toBe(200);
  expect(
    actionsFile.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).actionId),
  ).toEqual([recorded.data.recordEnforcementAction.id]);
  expect(figuresFile).toEqual({
    status: 200,
    text: 'officeCode,actionType,count\r\nNYC,NOTICE_TO_APPEAR,1\r\n',
  });
  expect(meth.data.me.email).toBe(OFFICER_NYC);

  expect(await first.stop()).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'embedded.json'))).toBe(false);

  // Second start, same directory: same secret, same data, no second seeding.
  const second = await startChild(dataDir);
  try {
    expect(fs.readFileSync(secretFile, 'utf8')).toBe(secret);
    expect(second.info.ids).toEqual(info.ids);
    // The seeding, the case, its assessment and the action: four audit records; and the two
    // exports, each audited as it started and as it ended.
    expect(second.info.counts).toEqual({ offices: 3, users: 7, audit: 8 });

    const again = await graphql(second.info.url, info.token, ME);
    expect(again.errors).toBeUndefined();
    expect(again.data.me).toEqual(me.data.me);

    const kept = await graphql(
      second.info.url,
      info.token,
      `{ case(id: "${caseId}") { id status } }`,
    );
    expect(kept.errors).toBeUndefined();
    expect(kept.data.case).toEqual({ id: caseId, status: 'OPEN' });

    // The hash chain written on PGlite still verifies after the restart.
    const check = await graphql(
      second.info.url,
      info.hqToken,
      `
        {
          auditIntegrity {
            ok
            checked
            firstBrokenId
          }
        }
      `,
    );
    expect(check.errors).toBeUndefined();
    expect(check.data.auditIntegrity).toEqual({ ok: true, checked: 8, firstBrokenId: null });

    // A token signed with another secret is refused.
    const forged = await signDevelopmentToken(
      { ...tokens, secret: new TextEncoder().encode('another-secret-another-secret-0000') },
      info.ids[OFFICER_NYC],
    );
    const refused = await graphql(second.info.url, forged, ME);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Live events stay in this one process, sent only after their transaction commits: a
    // deactivation that rolled back leaves the user's subscription open; one that committed
    // closes it (4403).
    const officer2 = info.ids['officer2.nyc@example.gov'];
    const live = await liveClientAt(second.info.url, await signDevelopmentToken(tokens, officer2));
    live.subscribe('subscription { deadlineApproaching { kind } }');
    const deactivate = (id: string) =>
      `deactivateUser(input: { userId: "${id}", reason: "Left the agency." }) { id }`;
    const rolledBack = await graphql(
      second.info.url,
      info.hqToken,
      `mutation { a: ${deactivate(officer2)} b: ${deactivate('00000000-0000-4000-8000-000000000000')} }`,
    );
    expect(rolledBack.errors?.map((e: any) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const open = await Promise.race([
      live.closed.then(() => false),
      new Promise<true>((resolve) => setTimeout(() => resolve(true), 1000)),
    ]);
    expect(open).toBe(true);
    const committed = await graphql(
      second.info.url,
      info.hqToken,
      `mutation { ${deactivate(officer2)} }`,
    );
    expect(committed.errors).toBeUndefined();
    expect((await live.closed).code).toBe(4403);
  } finally {
    expect(await second.stop()).toBe(0);
  }
});
