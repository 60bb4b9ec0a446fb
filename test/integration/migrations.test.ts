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

test('AddRevisionActions fills the parts of revisions stored before it', async () => {
  const other = `${name}_r`;
  await admin((c) => c.query(`CREATE DATABASE ${other}`));
  const ds = createDataSource({ url: databaseUrl(other), poolSize: 1 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    // Back to the schema before it: revisions with their content only.
    const executed = async () =>
      ((await ds.query(`SELECT name FROM migrations`)) as { name: string }[]).map((m) => m.name);
    while ((await executed()).some((n) => n.startsWith('AddRevisionActions')))
      await ds.undoLastMigration({ transaction: 'each' });
    const actions = [
      { actionId: crypto.randomUUID(), occurredAt: '2021-06-08T14:00:00.000Z', type: 'ARREST' },
      { actionId: crypto.randomUUID(), occurredAt: '2021-06-07T09:30:00.000Z', type: 'DETAINER' },
    ].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
    const content = {
      totalsByCategory: [{ key: 'PUBLIC_SAFETY', count: 2 }],
      exigent: [],
      actions,
    };
    await ds.query(
      `WITH o AS (INSERT INTO offices (code, name, time_zone) VALUES ('NYC', 'New York', 'America/New_York') RETURNING id),
            u AS (INSERT INTO users (email, name, role, office_id) SELECT 's@example.gov', 'S', 'SUPERVISOR', id FROM o RETURNING id)
       INSERT INTO weekly_report_revisions (office_id, week_start, revision, content, submitted_by_id, submitted_at, data_cutoff)
       SELECT o.id, '2021-06-07', 1, $1::jsonb, u.id, now(), now() FROM o, u`,
      [JSON.stringify(content)],
    );
    await ds.runMigrations({ transaction: 'each' });
    const [rev] = (await ds.query(
      `SELECT id, summary, action_count FROM weekly_report_revisions`,
    )) as { id: string; summary: unknown; action_count: number }[];
    expect(rev.summary).toEqual({ totalsByCategory: content.totalsByCategory, exigent: [] });
    expect(rev.action_count).toBe(2);
    const rows = (await ds.query(
      `SELECT action, occurred_at, action_id FROM weekly_report_revision_actions
        WHERE revision_id = $1 ORDER BY occurred_at, action_id`,
      [rev.id],
    )) as { action: unknown; occurred_at: Date; action_id: string }[];
    expect(rows.map((r) => r.action)).toEqual(actions);
    expect(rows.map((r) => r.action_id)).toEqual(actions.map((a) => a.actionId));
    expect(rows.map((r) => r.occurred_at.toISOString())).toEqual(actions.map((a) => a.occurredAt));
  } finally {
    await ds.destroy();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${other} WITH (FORCE)`));
  }
});
