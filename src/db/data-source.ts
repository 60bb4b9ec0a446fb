import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming';

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint (audit sequence numbers, counts) as strings: exact beyond 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  /** Logged SQL statements go here (tests count them). */
  onQuery?: (sql: string) => void;
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
    },
    logging: settings.onQuery ? ['query'] : false,
    logger: settings.onQuery ? new CountingLogger(settings.onQuery) : undefined,
  });
}

class CountingLogger {
  constructor(private readonly onQuery: (sql: string) => void) {}
  logQuery(query: string): void {
    this.onQuery(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
