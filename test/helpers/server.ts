/**
 * The real service, in-process, on this test file's own database: the GraphQL server with the
 * shield on, the real migrations and the demo data. `as(email)` gives a client signed in as a user.
 */
import { ManualClock, type Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { signDevelopmentToken } from '../../src/auth/jwt';
import { startService, type Service } from '../../src/server/service';
import { createTestDatabase, databaseUrl, dropTestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

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
  as(email: string): Promise<Client>;
  anonymous(): Client;
  userId(email: string): Promise<string>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Starts the service for one test file; call `stop()` in `afterAll`. */
export async function startTestServer(
  opts: {
    now?: Date;
    clock?: Clock;
    /** More environment for the service (e.g. timeouts). */
    env?: Record<string, string>;
    /** The service connects here instead (e.g. through a proxy the test can cut). */
    via?: (databaseUrl: string) => string;
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const clock = new ManualClock(opts.now ?? new Date());
  const statements: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: (opts.via ?? ((url) => url))(databaseUrl(database)),
    DATABASE_POOL_SIZE: '4',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: `/tmp/ep-test-${database}`,
    ...opts.env,
  });
  const service = await startService(config, {
    clock: opts.clock ?? clock,
    onQuery: (sql) => statements.push(sql),
    seedDemo: false,
  });
  const ids = new Map<string, string>();
  const server: TestServer = {
    service,
    url: service.url,
    clock,
    database,
    statements,
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
      return service.dataSource.query(text, params);
    },
    async stop() {
      await service.stop();
      await dropTestDatabase(database);
    },
  };
  return server;
}

/**
 * A fingerprint of every table (but the migrations log): a denied or failed mutation must leave it unchanged.
 */
export async function fingerprint(server: TestServer): Promise<Record<string, string>> {
  const tables = (
    await server.sql<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
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
