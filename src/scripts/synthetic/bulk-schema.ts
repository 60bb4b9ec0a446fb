/**
 * The loaded tables' keys, indexes, foreign keys and triggers: dropped during the load and
 * restored after it (foreign keys validated), and the connections the load runs on.
 */
import pg from 'pg';

/** Tables the load writes in bulk: their indexes and keys are rebuilt after it. */
export const BULK_TABLES = [
  'cases',
  'convictions',
  'assessments',
  'approval_requests',
  'enforcement_actions',
];

export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'seed-synthetic' });
  await client.connect();
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '1GB'`);
  await client.query(`SET temp_buffers = '1GB'`);
  await client.query(`SET jit = off`);
  try {
    // Much faster than pglz for the assessments' JSON; the column default is unchanged.
    await client.query(`SET default_toast_compression = 'lz4'`);
  } catch {
    /* a server built without lz4 keeps pglz */
  }
  return client;
}

export interface SchemaObjects {
  keys: { table: string; name: string; def: string }[];
  indexes: { name: string; def: string }[];
  foreignKeys: { table: string; name: string; def: string }[];
  /** The triggers that keep report_week_versions: off during the load, which fills it after. */
  triggers: { table: string; name: string }[];
}

export async function bulkSchemaObjects(client: pg.Client): Promise<SchemaObjects> {
  const tables = BULK_TABLES.map((t) => `'${t}'::regclass`).join(', ');
  const keys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid IN (${tables}) ORDER BY 1, 2`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def
       FROM pg_index i WHERE indrelid IN (${tables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
      ORDER BY 1`,
  );
  const foreignKeys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND (conrelid IN (${tables}) OR confrelid IN (${tables}))
      ORDER BY 1, 2`,
  );
  const triggers = await client.query<{ table: string; name: string }>(
    `SELECT tgrelid::regclass::text AS table, quote_ident(tgname) AS name
       FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%report_weeks%' ORDER BY 1, 2`,
  );
  return {
    keys: keys.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows,
    triggers: triggers.rows,
  };
}

export async function dropForLoad(client: pg.Client, objects: SchemaObjects): Promise<void> {
  await client.query('BEGIN');
  for (const fk of objects.foreignKeys)
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const index of objects.indexes) await client.query(`DROP INDEX ${index.name}`);
  for (const key of objects.keys)
    await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  for (const t of objects.triggers)
    await client.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.name}`);
  await client.query('COMMIT');
}

/** Runs tasks on the clients, each client taking the next task when it is free. */
export async function onClients(
  clients: pg.Client[],
  tasks: ((c: pg.Client) => Promise<void>)[],
): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < tasks.length) {
        const task = tasks[next++];
        await task(client);
      }
    }),
  );
}

/** The loaded tables' keys, heaviest first, one task each. */
export function keyTasks(objects: SchemaObjects): ((c: pg.Client) => Promise<void>)[] {
  const byTable = (t: string) => objects.keys.filter((k) => k.table === t);
  const heavyFirst = [
    'enforcement_actions',
    'cases',
    'assessments',
    'convictions',
    'approval_requests',
  ];
  return heavyFirst.flatMap((t) =>
    byTable(t).map((k) => async (c: pg.Client) => {
      await c.query(`ALTER TABLE ${k.table} ADD CONSTRAINT ${k.name} ${k.def}`);
    }),
  );
}

/** The loaded tables' secondary indexes, one task each. */
export function indexTasks(objects: SchemaObjects): ((c: pg.Client) => Promise<void>)[] {
  return objects.indexes.map((index) => async (c: pg.Client) => {
    await c.query(index.def);
  });
}

export async function enableTriggers(client: pg.Client, objects: SchemaObjects): Promise<void> {
  for (const t of objects.triggers)
    await client.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.name}`);
}

/** Foreign keys added NOT VALID at once, then validated on every connection. */
export async function restoreForeignKeys(
  clients: pg.Client[],
  objects: SchemaObjects,
): Promise<void> {
  for (const fk of objects.foreignKeys)
    await clients[0].query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def} NOT VALID`);
  await onClients(
    clients,
    objects.foreignKeys.map((fk) => async (c: pg.Client) => {
      await c.query(`ALTER TABLE ${fk.table} VALIDATE CONSTRAINT ${fk.name}`);
    }),
  );
}

/** Vacuum too: sets the visibility map (index-only scans) and spares the first reader the work. */
export async function vacuumLoaded(clients: pg.Client[]): Promise<void> {
  await onClients(
    clients,
    [
      'enforcement_actions',
      'assessments',
      'cases',
      'convictions',
      'approval_requests',
      'enforcement_weekly_counts',
      'enforcement_counts_by_week',
      'enforcement_counts_by_office_week',
      'report_week_versions',
      'enforcement_action_voids',
      'users',
      'offices',
    ].map((t) => async (c: pg.Client) => {
      await c.query(`VACUUM (ANALYZE) ${t}`);
    }),
  );
}
