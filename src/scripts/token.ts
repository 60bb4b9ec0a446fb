/**
 * `npm run -s token -- <email>` prints a development token (HS256) for an active user. Works while
 * the service runs on the embedded database (it connects to the service's port) and when it does not.
 */
import { signDevelopmentToken, resolveTokenSettings } from '../auth/jwt';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';

async function main(): Promise<number> {
  const email = process.argv[2]?.trim().toLowerCase();
  if (!email) {
    console.error('Usage: npm run -s token -- <email>   (e.g. officer.nyc@example.gov)');
    return 2;
  }
  const config = loadConfig();
  const tokens = resolveTokenSettings(config);
  if (!tokens.secret) {
    console.error(
      'JWKS_URL is set: tokens come from your identity provider, not from this command.',
    );
    return 2;
  }
  const db = await openDatabase(config, { share: true });
  try {
    const rows = (await db.dataSource.query(`SELECT id, active FROM users WHERE email = $1`, [
      email,
    ])) as {
      id: string;
      active: boolean;
    }[];
    if (!rows[0]) {
      console.error(
        `No user ${email}. Start the service once (it seeds demo users) or run npm run seed.`,
      );
      return 1;
    }
    if (!rows[0].active) {
      console.error(`${email} is deactivated.`);
      return 1;
    }
    console.log(await signDevelopmentToken(tokens, rows[0].id));
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
