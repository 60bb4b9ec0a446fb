/**
 * `npm run -s token -- <email>` prints a development token (HS256) for an active user. Works while
 * the service runs on the embedded database (it connects to the service's port) and when it does not.
 *
 * `npm run -s token` (no email) lists the users of that same database instead: email, role, office,
 * active. On a large one (`seed:synthetic`) the first few of each role; `-- --all` lists everyone.
 */
import { signDevelopmentToken, resolveTokenSettings } from '../auth/jwt';
import { loadConfig, type Config } from '../config';
import { runningEmbedded, startEmbedded, type EmbeddedDatabase } from '../db/embedded';
import { connectClient } from '../db/reach';
import { countUsers, listUsers, ROLE_ORDER, type ListedUser, type RunQuery } from '../db/user-list';

/** Up to this many users, all are listed; above it, the first `PER_ROLE` of each role. */
const LIST_ALL_UP_TO = 40;
const PER_ROLE = 5;

async function main(): Promise<number> {
  const arg = process.argv[2]?.trim();
  const all = arg === '--all';
  const email = all ? undefined : arg?.toLowerCase() || undefined;
  const config = loadConfig();
  const tokens = resolveTokenSettings(config);
  if (email && !tokens.secret) {
    console.error(
      'JWKS_URL is set: tokens come from your identity provider, not from this command.',
    );
    return 2;
  }
  const db = await openQuick(config);
  try {
    if (!email) {
      await printUsers(db.query, all);
      return 0;
    }
    const rows = (await db.query(`SELECT id, active FROM users WHERE email = $1`, [email])) as {
      id: string;
      active: boolean;
    }[];
    if (!rows[0]) {
      console.error(
        `No user ${email} in this database. npm run -s token (no email) lists its users; npm run seed adds the demo users.`,
      );
      return 1;
    }
    if (!rows[0].active) {
      console.error(`${email} is deactivated.`);
      return 1;
    }
    console.log(await signDevelopmentToken(tokens, rows[0].id));
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err;
    console.error(
      'This database has no users table yet: start the service once (npm start) or run npm run seed.',
    );
    return 1;
  } finally {
    await db.close();
  }
}

/**
 * The database the service uses, through a bare `pg` client: DATABASE_URL, the running service's
 * embedded database (through its socket), or the embedded database opened here. No TypeORM, no
 * schema: this script answers in well under a second.
 */
async function openQuick(config: Config): Promise<{ query: RunQuery; close(): Promise<void> }> {
  let url = config.databaseUrl;
  let variable = 'DATABASE_URL';
  let embedded: EmbeddedDatabase | undefined;
  if (url === undefined) {
    variable = 'DATA_DIR (embedded)';
    const running = runningEmbedded(config.dataDir);
    if (running) url = `postgres://postgres@127.0.0.1:${running.port}/postgres`;
    else {
      embedded = await startEmbedded(config.dataDir);
      url = embedded.url;
    }
  }
  try {
    const client = await connectClient(url, variable, config.databaseTimeouts.firstConnectMs);
    return {
      query: async (sql, params) => (await client.query(sql, params)).rows as unknown[],
      async close() {
        await client.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

async function printUsers(query: RunQuery, all: boolean) {
  const counts = await countUsers(query);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) {
    console.log(
      'No users in this database. Start the service once (it seeds the demo users into an empty database) or run npm run seed.',
    );
    return;
  }
  const short = !all && total > LIST_ALL_UP_TO;
  const users = await listUsers(query, short ? PER_ROLE : undefined);
  console.log(table(users));
  if (short) {
    const shown = ROLE_ORDER.map(
      (role) =>
        `${role}: ${users.filter((u) => u.role === role).length} of ${counts.get(role) ?? 0}`,
    );
    console.log(`\n${shown.join(', ')}. Every user: npm run -s token -- --all`);
  }
  console.log(`\nA token: npm run -s token -- <email>`);
}

function table(users: ListedUser[]): string {
  const rows = [
    ['EMAIL', 'ROLE', 'OFFICE', 'ACTIVE'],
    ...users.map((u) => [u.email, u.role, u.office ?? '-', u.active ? 'yes' : 'no']),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
