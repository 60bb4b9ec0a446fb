import 'reflect-metadata';
import { systemClock } from '../../src/clock';
import { createDataSource } from '../../src/db/data-source';
import { seedDemo } from '../../src/db/seed';
import { createLogger } from '../../src/logger';
import { deriveAuditKeys } from '../../src/modules/audit/audit.key';
import { admin, databaseUrl, ensureTestServiceLogin, templateDb } from './database';
import { TEST_AUDIT_KEY } from './server';

/** Builds the template every test file clones: the real migrations, then the demo data. */
export default async function globalSetup(): Promise<void> {
  process.env.EP_TEST_RUN = String(process.pid);
  const template = templateDb();
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const ds = createDataSource({ url: databaseUrl(template), poolSize: 1 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await seedDemo(ds, systemClock, createLogger('silent'), deriveAuditKeys(TEST_AUDIT_KEY));
  } finally {
    await ds.destroy();
  }
  // After the migrations, which create the ep_service group role it joins.
  await admin(ensureTestServiceLogin);
}
