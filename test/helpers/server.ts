/**
 * The real service, in-process, on this test file's own database: the GraphQL server with the
 * shield on, the real migrations and the demo data. `as(email)` gives a client signed in as a user.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { ManualClock, type Clock } from '../../src/clock';
import { createDataSource } from '../../src/db/data-source';
import { loadConfig } from '../../src/config';
import { signDevelopmentToken } from '../../src/auth/jwt';
import { startService, type Service } from '../../src/server/service';
import { createTestDatabase, databaseUrl, dropTestDatabase, serviceDatabaseUrl } from './database';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** Keys the audit chain of every test database (the template's seed records too). */
export const TEST_AUDIT_KEY = 'test-audit-key-test-audit-key-0123456789';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors?: {
    message: string;
    path?: (string | number)[];
    locations?: { line: number; column: number }[];
    extensions?: { code?: string; field?: string; [k: string]: unknown };
  }[];
}

export class Client {
  constructor(
    readonly url: string,
    readonly token: string | undefined,
  ) {}

  async request<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T | null; errors?: GraphQLResponse['errors'] };
    return { status: res.status, data: body.data, errors: body.errors };
  }

  /** The data, failing the test with the errors if there are any. */
  async ok<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length)
      throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
    return res.data as T;
  }
}

export interface TestServer {
  service: Service;
  url: string;
  clock: ManualClock;
  database: string;
  /** Every SQL statement the service ran since the last reset. */
  statements: string[];
  /** The same statements with their parameters (reset with `statements`). */
  queries: { sql: string; params: unknown[] }[];
  /** The data directory (audit key file, checkpoint file); removed at stop. */
  dataDir: string;
  /** The database as its owner (superuser), for setting up and tampering: `sql` runs here. */
  admin: DataSource;
  as(email: string): Promise<Client>;
  anonymous(): Client;
  userId(email: string): Promise<string>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Waits until every audit record committed so far is linked into the chain. */
  chained(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  now?: Date;
  clock?: Clock;
  /** Environment on top of the test defaults (e.g. `RATE_LIMIT_PER_MINUTE`, `LOG_LEVEL`). */
  env?: Record<string, string>;
  /** Where the service's log lines go (see `captureLogs`). */
  logDestination?: DestinationStream;
  /** Another test server's database: a second service instance on the same data. */
  database?: string;
  /** How often the audit head is checkpointed when it moved (default 1000 ms). */
  checkpointIntervalMs?: number;
  /** The service connects here instead (e.g. through a proxy the test can cut). */
  via?: (databaseUrl: string) => string;
}

/** Starts the service for one test file; call `stop()` in `afterAll`. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const database = opts.database ?? (await createTestDatabase());
  const clock = new ManualClock(opts.now ?? new Date());
  const statements: string[] = [];
  const queries: { sql: string; params: unknown[] }[] = [];
  // Each instance its own (checkpoint file, secrets), even a second one on the same database.
  const dataDir = `/tmp/ep-test-${database}-${crypto.randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    // The service logs in as a member of ep_service, as in production; migrations run as owner.
    DATABASE_URL: (opts.via ?? ((url) => url))(serviceDatabaseUrl(database)),
    MIGRATION_DATABASE_URL: databaseUrl(database),
    DATABASE_POOL_SIZE: '4',
    JWT_SECRET: TEST_JWT_SECRET,
    AUDIT_KEY: TEST_AUDIT_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    // Tests make many quick requests; rate-limits.test.ts turns the limits on.
    RATE_LIMIT_PER_MINUTE: '0',
    // Each request reads its caller, so statement counts are exact and a user changed by hand in
    // SQL is seen at once; caller-cache.test.ts turns the cache on.
    CALLER_CACHE_MS: '0',
    // Deadline jobs run at start and when a test calls `service.deadlines.runDue()`, never on a
    // timer in the middle of a test (a "nothing changed" check, a statement count).
    DEADLINE_CHECK_INTERVAL_MS: '3600000',
    // Webhook deliveries go out when the write that enqueued them commits (and on
    // `service.webhooks.runDue()`); the poll, for other processes' deliveries and retries, stays
    // out of statement counts. webhooks.test.ts polls often.
    WEBHOOK_POLL_INTERVAL_MS: '3600000',
    ...opts.env,
  });
  const admin = createDataSource({ url: databaseUrl(database), poolSize: 2 });
  await admin.initialize();
  let service: Service;
  try {
    service = await startService(config, {
      clock: opts.clock ?? clock,
      onQuery: (sql, params) => {
        // Emptying `statements` empties this too.
        if (statements.length === 0) queries.length = 0;
        statements.push(sql);
        queries.push({ sql, params: params ?? [] });
      },
      seedDemo: false,
      checkpointIntervalMs: opts.checkpointIntervalMs,
      logDestination: opts.logDestination,
    });
  } catch (err) {
    await admin.destroy();
    if (opts.database === undefined) await dropTestDatabase(database);
    throw err;
  }
  // The deadline jobs' first check runs in the background at start: let it finish, so that a
  // test's statement counts hold only what its own requests ran.
  await service.deadlines.runDue();
  const ids = new Map<string, string>();
  const server: TestServer = {
    service,
    url: service.url,
    clock,
    database,
    statements,
    queries,
    dataDir,
    admin,
    async userId(email) {
      let id = ids.get(email);
      if (!id) {
        const rows = await service.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
          email,
        ]);
        if (!rows[0]) throw new Error(`no user ${email}`);
        id = rows[0].id as string;
        ids.set(email, id);
      }
      return id;
    },
    async as(email) {
      return new Client(
        service.url,
        await signDevelopmentToken(service.tokens, await server.userId(email)),
      );
    },
    anonymous() {
      return new Client(service.url, undefined);
    },
    async sql(text, params) {
      return admin.query(text, params);
    },
    chained() {
      return service.auditChainer.chainNow();
    },
    async stop() {
      await service.stop();
      await admin.destroy();
      // A second instance on another's database leaves it to its owner.
      if (opts.database === undefined) await dropTestDatabase(database);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * A fingerprint of every table (but the migrations log and the rate-limit counters, which every
 * request moves when limits are on), once every committed audit record is chained: a denied or
 * failed mutation must leave it unchanged.
 */
export async function fingerprint(server: TestServer): Promise<Record<string, string>> {
  // The chainer links records after they commit: compare tables only once it is done.
  await server.chained();
  const tables = (
    await server.sql<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'rate_limits') ORDER BY 1`,
    )
  ).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await server.sql<{ n: string; h: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM "${table}" t`,
    );
    out[table] = `${row.n}:${row.h ?? ''}`;
  }
  return out;
}

export const OFFICER_NYC = 'officer.nyc@example.gov';
export const OFFICER2_NYC = 'officer2.nyc@example.gov';
export const SUPERVISOR_NYC = 'supervisor.nyc@example.gov';
export const SUPERVISOR2_NYC = 'supervisor2.nyc@example.gov';
export const OFFICER_LAX = 'officer.lax@example.gov';
export const SUPERVISOR_LAX = 'supervisor.lax@example.gov';
export const HQ = 'hq@example.gov';
