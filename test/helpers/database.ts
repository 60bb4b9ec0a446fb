/**
 * One database per test file, cloned from a template that the real migrations built (and the demo
 * data seeded) once per run. Cloning takes a fraction of a second, so files run in parallel.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Set by the global setup (workers inherit it), so concurrent jest runs never touch each other's databases. */
export const runId = (): string => process.env.EP_TEST_RUN ?? String(process.pid);
export const templateDb = (): string => `ep_tpl_${runId()}`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The login the service runs as in tests: a member of ep_service, as a deployment's would be. */
export const TEST_SERVICE_LOGIN = 'ep_test_service';
const TEST_SERVICE_PASSWORD = 'ep-test-service';

export function serviceDatabaseUrl(name: string): string {
  const url = new URL(databaseUrl(name));
  url.username = TEST_SERVICE_LOGIN;
  url.password = TEST_SERVICE_PASSWORD;
  return url.toString();
}

/**
 * Creates the test service login once per cluster. Roles are cluster-wide and several runs may
 * start together: a creation that loses the race is fine.
 */
export async function ensureTestServiceLogin(client: Client): Promise<void> {
  await client.query(`DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TEST_SERVICE_LOGIN}') THEN
        BEGIN
          CREATE ROLE ${TEST_SERVICE_LOGIN} LOGIN PASSWORD '${TEST_SERVICE_PASSWORD}' IN ROLE ep_service;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          NULL;
        END;
      END IF;
    END $$`);
}

export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<string> {
  const name = `ep_t_${runId()}_${crypto.randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    // Two files cloning at the same instant can collide on the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
