/**
 * Every migration has a working `down`: all the way down leaves an empty schema, and back up gives
 * exactly what the entities describe.
 */
import crypto from 'node:crypto';
import { createDataSource } from '../../src/db/data-source';
import { MIGRATIONS } from '../../migrations';
import { admin, databaseUrl, runId } from '../helpers/database';

const name = `ep_t_${runId()}_${crypto.randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
});
afterAll(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

test('migrations go down to an empty schema and back up to the entities', async () => {
  const ds = createDataSource({ url: databaseUrl(name), poolSize: 1 });
  await ds.initialize();
  try {
    const tables = async () =>
      (
        (await ds.query(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
        )) as { tablename: string }[]
      ).map((t) => t.tablename);
    const types = async () =>
      (
        (await ds.query(`SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = 'e'`)) as unknown[]
      ).length;

    expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(
      expect.arrayContaining(['cases', 'audit_log', 'enforcement_actions']),
    );
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await types()).toBe(0);
    expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);

    expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  } finally {
    await ds.destroy();
  }
});
