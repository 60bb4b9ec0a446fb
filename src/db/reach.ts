/**
 * The first connection to a configured database, bounded by DATABASE_CONNECT_TIMEOUT_MS. Without it
 * a server that accepts the TCP connection but never answers (a paused VM, a proxy whose backend is
 * gone) would hang start-up forever, and a refused connection would say only `ECONNREFUSED`. Both
 * now fail with a message naming the variable and where it points (without the password).
 */
import pg from 'pg';

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly variable: string,
    readonly address: string,
    problem: string,
  ) {
    super(`Cannot connect to the database at ${variable} (${address}): ${problem}`);
  }
}

/** `postgres://user@host:port/db`: no password, no query string (which may carry one). */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/**
 * Opens one connection to `url` and closes it again; throws `DatabaseUnreachableError` naming
 * `variable` when that does not succeed within `timeoutMs`.
 */
export async function reachDatabase(
  url: string,
  variable: string,
  timeoutMs: number,
): Promise<void> {
  const client = await connectClient(url, variable, timeoutMs);
  await client.end();
}

/** One connected `pg` client, or the same error as `reachDatabase`. */
export async function connectClient(
  url: string,
  variable: string,
  timeoutMs: number,
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'enforcement-priorities',
  });
  // A connection that fails later (after the error below was handled) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new DatabaseUnreachableError(variable, describeDatabaseUrl(url), why(err, timeoutMs));
  }
  return client;
}

function why(err: unknown, timeoutMs: number): string {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  if (/timeout/i.test(message ?? ''))
    return `no answer within ${timeoutMs} ms (DATABASE_CONNECT_TIMEOUT_MS); is the server up and is it PostgreSQL?`;
  if (code === 'ECONNREFUSED')
    return 'connection refused (ECONNREFUSED); is PostgreSQL running there?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `unknown host (${code})`;
  return message || String(err);
}
