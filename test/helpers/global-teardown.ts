import { admin, runId } from './database';

/** Drops this run's template and any database a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  await admin(async (c) => {
    const run = runId();
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [`ep_tpl_${run}`, `ep_t_${run}_%`],
    );
    for (const row of rows) await c.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  });
}
