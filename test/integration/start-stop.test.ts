/**
 * Issue #13, `npm start` as a developer meets it: the built service (`node dist/src/main.js`) on the
 * embedded database in a fresh data directory.
 *
 * - Start-up logs each phase (database, migrations, seed, listening) with its time.
 * - The banner suggests users that exist in the database in use, and `npm run token` without an
 *   email lists them.
 * - SIGTERM and SIGINT close HTTP (a request in flight still gets its answer), the workers and the
 *   database (pglite-socket and PGlite), then the process exits 0, not 143 or 130.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../helpers/database';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');
const TOKEN = path.join(ROOT, 'dist/src/scripts/token.js');

interface Running {
  proc: ChildProcess;
  port: number;
  banner: string;
  logs: { msg: string; [key: string]: unknown }[];
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dataDir: string;
const children: ChildProcess[] = [];

/** The environment of a developer's shell: no database, secrets or keys configured. */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'JWT_SECRET',
    'JWKS_URL',
    'AUDIT_KEY',
    'AUDIT_CHECKPOINT_PATH',
    'DEMO_CLOCK',
  ])
    delete e[name];
  return { ...e, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', DATA_DIR: dataDir };
}

async function start(): Promise<Running> {
  const proc = spawn(process.execPath, [MAIN], { cwd: ROOT, env: env(), stdio: 'pipe' });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Running['logs'][number]);
  // The banner is printed, in one write, after the "service started" line.
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Health:') && /\n\s*\n/.test(out.slice(out.indexOf('Health:'))))
        done(resolve);
    }, 100);
    const done = (fn: () => void) => {
      clearInterval(timer);
      fn();
    };
    void exited.then(({ code }) =>
      done(() => reject(new Error(`the service exited (${code}) while starting:\n${out}\n${err}`))),
    );
  });
  const started = logs().find((l) => l.msg === 'service started');
  expect(started).toBeDefined();
  const port = Number(new URL(started!.url as string).port);
  return {
    proc,
    port,
    banner: out.slice(out.indexOf('  GraphQL:')),
    get logs() {
      return logs();
    },
    stdout: () => out,
    exited,
  };
}

function token(
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [TOKEN, ...args], {
    cwd: ROOT,
    env: { ...env(), ...extraEnv },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * A POST to /graphql whose body is sent in two halves: the first now, the second when `finish` is
 * called. Until then the request is in flight. Resolves with the raw HTTP response.
 */
async function halfSentRequest(port: number, bearer: string, query: string) {
  const body = JSON.stringify({ query });
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let response = '';
  socket.on('data', (d: Buffer) => (response += d.toString()));
  const ended = new Promise<string>((resolve) => socket.once('close', () => resolve(response)));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
      `Authorization: Bearer ${bearer}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body.slice(0, 10),
  );
  return {
    finish() {
      socket.write(body.slice(10));
      return ended;
    },
  };
}

/** The log messages from the signal on, in order. */
function closing(running: Running, signal: string): string[] {
  const msgs = running.logs.map((l) => l.msg);
  return msgs.slice(msgs.findIndex((m) => m.startsWith(`${signal}:`)));
}

const CLOSED = [
  'closed: http',
  'closed: live updates',
  'closed: deadline jobs',
  'closed: webhook deliveries',
  'closed: readiness probe',
  'closed: audit chainer and checkpointer',
  'closed: database',
  'shutdown complete',
];

beforeAll(() => {
  // The built service, as `npm start` runs it (a no-op when dist/ is current).
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-if-stale.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ep-start-stop-'));
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('first start: phases timed, real users suggested; SIGTERM lets a request finish, closes everything, exits 0', async () => {
  const running = await start();

  // Every phase logged, with its time in ms, the first before the database is even open.
  const logs = running.logs;
  const starting = logs.findIndex((l) => l.msg.startsWith('starting: opening the embedded'));
  expect(starting).toBeGreaterThanOrEqual(0);
  expect(starting).toBeLessThan(logs.findIndex((l) => l.phase === 'database'));
  const phases = logs.filter((l) => l.phase !== undefined);
  expect(phases.map((l) => l.phase)).toEqual(['database', 'migrations', 'seed', 'listening']);
  for (const p of phases) expect(p.ms).toEqual(expect.any(Number));
  expect(phases[1].msg).toMatch(/^migrations applied: \d+$/);
  expect(phases[2].msg).toBe('demo data seeded into the empty database');
  expect(phases[3]).toMatchObject({ port: running.port, totalMs: expect.any(Number) });

  // The demo users exist here, so the banner suggests them, one per role.
  expect(running.banner).toContain('npm run -s token -- officer.nyc@example.gov');
  expect(running.banner).toContain('npm run -s token -- supervisor.nyc@example.gov');
  expect(running.banner).toContain('npm run -s token -- hq@example.gov');

  // `npm run token` without an email lists the running service's users (through its socket).
  const listed = token();
  expect(listed.status).toBe(0);
  expect(listed.stdout).toMatch(/^EMAIL\s+ROLE\s+OFFICE\s+ACTIVE$/m);
  expect(listed.stdout).toMatch(/^officer\.nyc@example\.gov\s+FIELD_OFFICER\s+NYC\s+yes$/m);
  expect(listed.stdout).toMatch(/^hq@example\.gov\s+HEADQUARTERS\s+-\s+yes$/m);
  expect(listed.stdout.match(/@example\.gov/g)).toHaveLength(7);
  const signed = token(['officer.nyc@example.gov']);
  expect(signed.status).toBe(0);
  const bearer = signed.stdout.trim();

  // A request in flight when SIGTERM arrives still gets its answer.
  const inFlight = await halfSentRequest(running.port, bearer, '{ me { email } }');
  running.proc.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const response = await inFlight.finish();
  expect(response).toMatch(/^HTTP\/1\.1 200 /);
  expect(response).toContain('{"data":{"me":{"email":"officer.nyc@example.gov"}}}');

  expect(await running.exited).toEqual({ code: 0, signal: null });
  // The request was answered (and logged) before HTTP was reported closed.
  expect(closing(running, 'SIGTERM')).toEqual([
    'SIGTERM: shutting down (in-flight requests may finish)',
    'graphql request',
    ...CLOSED,
  ]);
  expect(fs.existsSync(path.join(dataDir, 'embedded.json'))).toBe(false);
});

test('a database with other users: the banner names those; SIGINT closes everything and exits 0', async () => {
  const running = await start();
  // Nothing left to migrate or seed.
  const phases = running.logs.filter((l) => l.phase !== undefined);
  expect(phases.map((l) => [l.phase, l.msg])).toEqual([
    ['database', 'database connected'],
    ['migrations', 'migrations: none pending'],
    ['seed', 'seed: skipped (the database holds data, or seeding is off)'],
    ['listening', `listening on port ${running.port}`],
  ]);

  // Make it a database without the demo emails (as after `seed:synthetic`), through the running
  // service's socket, as the scripts reach it.
  const { port } = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded.json'), 'utf8')) as {
    port: number;
  };
  const pg = new PgClient({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await pg.connect();
  await pg.query(
    `UPDATE users SET email = replace(email, '@example.gov', '@synthetic.example.gov')`,
  );
  await pg.end();
  running.proc.kill('SIGINT');
  expect(await running.exited).toEqual({ code: 0, signal: null });
  expect(closing(running, 'SIGINT')).toEqual([
    'SIGINT: shutting down (in-flight requests may finish)',
    ...CLOSED,
  ]);

  const again = await start();
  expect(again.banner).toContain('npm run -s token -- officer.nyc@synthetic.example.gov');
  expect(again.banner).toContain('npm run -s token -- hq@synthetic.example.gov');
  expect(again.banner).not.toContain('@example.gov');
  const missing = token(['officer.nyc@example.gov']);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('No user officer.nyc@example.gov in this database');
  again.proc.kill('SIGTERM');
  expect(await again.exited).toEqual({ code: 0, signal: null });
});

test('npm run token on a database with many users (as after seed:synthetic): the first of each role, or --all', async () => {
  const name = await createTestDatabase();
  const pg = new PgClient({ connectionString: databaseUrl(name) });
  try {
    await pg.connect();
    await pg.query(
      `INSERT INTO users (email, name, role, office_id, active, created_at)
       SELECT format('officer%s.chi@synthetic.example.gov', g), format('Officer %s', g), 'FIELD_OFFICER',
              (SELECT id FROM offices WHERE code = 'CHI'), g % 10 <> 0, now()
         FROM generate_series(1, 60) g`,
    );
    const url = { DATABASE_URL: databaseUrl(name) };
    const short = token([], url);
    expect(short.status).toBe(0);
    const rows = (out: string, role: string) =>
      out.split('\n').filter((l) => new RegExp(`\\s${role}\\s`).test(l));
    // The first five officers by office and email (CHI before LAX and NYC), all the others.
    expect(rows(short.stdout, 'FIELD_OFFICER')).toHaveLength(5);
    expect(short.stdout).toMatch(
      /^officer1\.chi@synthetic\.example\.gov\s+FIELD_OFFICER\s+CHI\s+yes$/m,
    );
    expect(short.stdout).toMatch(
      /^officer10\.chi@synthetic\.example\.gov\s+FIELD_OFFICER\s+CHI\s+no$/m,
    );
    expect(rows(short.stdout, 'SUPERVISOR')).toHaveLength(3);
    expect(short.stdout).toContain(
      'FIELD_OFFICER: 5 of 63, SUPERVISOR: 3 of 3, HEADQUARTERS: 1 of 1. Every user: npm run -s token -- --all',
    );
    const all = token(['--all'], url);
    expect(all.status).toBe(0);
    expect(rows(all.stdout, 'FIELD_OFFICER')).toHaveLength(63);
    expect(all.stdout).not.toContain('Every user');
  } finally {
    await pg.end();
    await dropTestDatabase(name);
  }
});
