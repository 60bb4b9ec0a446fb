import 'reflect-metadata';
import pg from 'pg';
import { DataSource, MigrationExecutor, type Migration } from 'typeorm';
import type { DatabaseTimeouts } from '../config';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming';
import { textArrayParser } from './text-arrays';
import { timestamptzParser } from './timestamps';

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint (audit sequence numbers, counts) as strings: exact beyond 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);
// Text and uuid arrays (enum arrays are read as text[]; an audit record's ids are uuid[]): plain
// ones split on commas (text-arrays.ts). pg-types names no array types in `builtins`.
for (const oid of [1009, 2951] as unknown as (typeof pg.types.builtins.TEXT)[])
  pg.types.setTypeParser(oid, textArrayParser(pg.types.getTypeParser(oid, 'text')));
// Instants: the usual text form read without regular expressions (timestamps.ts).
pg.types.setTypeParser(
  pg.types.builtins.TIMESTAMPTZ,
  timestamptzParser(pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text')),
);

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  /** Logged SQL statements go here (tests count them). */
  onQuery?: (sql: string, params?: unknown[]) => void;
  /** Set by the service; scripts and migrations run unbounded. */
  timeouts?: DatabaseTimeouts;
}

/** The one DataSource shape that the service, the scripts and the tests all use. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    poolSize: settings.poolSize,
    extra: {
      max: settings.poolSize,
      idleTimeoutMillis: 30_000,
      application_name: 'enforcement-priorities',
      // Sent as startup parameters: every pooled connection carries them from its first statement.
      ...(settings.timeouts && {
        statement_timeout: settings.timeouts.statementMs,
        lock_timeout: settings.timeouts.lockMs,
        idle_in_transaction_session_timeout: settings.timeouts.idleInTransactionMs,
        connectionTimeoutMillis: settings.timeouts.connectMs,
      }),
    },
    logging: settings.onQuery ? ['query'] : false,
    logger: settings.onQuery ? new CountingLogger(settings.onQuery) : undefined,
  });
}

/** SQLSTATEs after which a connection is closed, not pooled again: its session cannot write. */
const DISCARD_AFTER = new Set(['25006']);

/**
 * A session that read-only-ness stuck to (`ALTER DATABASE|ROLE ... SET default_transaction_read_only`,
 * or a failover onto a standby) stays that way while pooled. When one refuses a write it is closed
 * on release, and so is every idle connection (opened under the same conditions), so writes work
 * again as soon as the database does. TypeORM releases connections without the error, so pg-pool
 * is told here: it drops a released client that is not `_queryable`.
 */
export function discardReadOnlyConnections(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) return;
  const watched = new WeakSet<pg.PoolClient>();
  const broken = new WeakSet<pg.PoolClient>();
  const flushIdle = async () => {
    for (let n = pool.idleCount; n > 0 && pool.idleCount > 0; n--) {
      const client = await pool.connect();
      client.release(true);
    }
  };
  pool.on('acquire', (client) => {
    if (watched.has(client)) return;
    watched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((err: { code?: string }) => {
          if (!err?.code || !DISCARD_AFTER.has(err.code)) return;
          broken.add(client);
          flushIdle().catch(() => {});
        });
      }
      return result;
    };
  });
  pool.on('release', (_err, client) => {
    if (broken.has(client)) (client as unknown as { _queryable: boolean })._queryable = false;
  });
}

/**
 * Calls `listener` each time the pool opens a connection to the database: after an outage, that
 * may be a server restarted since (state a process keeps about the server may no longer hold).
 */
export function onNewConnection(dataSource: DataSource, listener: () => void): void {
  (dataSource.driver as unknown as { master?: pg.Pool }).master?.on('connect', listener);
}

/**
 * Pending migrations, on a session without the service's statement and lock timeouts (a migration
 * may rebuild an index for minutes; it must not be cancelled half-way through start-up).
 */
export async function runMigrationsUnbounded(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(
      `SELECT set_config('statement_timeout', '0', false), set_config('lock_timeout', '0', false),
              set_config('idle_in_transaction_session_timeout', '0', false)`,
    );
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    // Back to the startup values before the connection returns to the pool.
    try {
      await runner.query(
        `RESET statement_timeout; RESET lock_timeout; RESET idle_in_transaction_session_timeout`,
      );
    } catch {
      // The connection failed: pg drops it from the pool, there is nothing left to reset.
    }
    await runner.release();
  }
}

class CountingLogger {
  constructor(private readonly onQuery: (sql: string, params?: unknown[]) => void) {}
  logQuery(query: string, params?: unknown[]): void {
    this.onQuery(query, params);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
