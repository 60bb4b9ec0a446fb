/** `npm run seed`: applies migrations and adds the demo offices and users that are missing. Idempotent. */
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { seedDemo } from '../db/seed';
import { createLogger } from '../logger';
import { resolveAuditKeys } from '../modules/audit/audit.key';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { share: true, owner: true });
  try {
    await db.dataSource.runMigrations({ transaction: 'each' });
    const added = await seedDemo(
      db.dataSource,
      systemClock,
      createLogger(config.logLevel),
      resolveAuditKeys(config),
    );
    console.log(
      `Demo data: ${added.offices} offices and ${added.users} users added (existing ones left as they were).`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
