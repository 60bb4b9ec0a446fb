/**
 * Starting and stopping the whole service: database (embedded or real), migrations, demo data,
 * GraphQL server. Used by `npm start` and, in-process, by the integration tests.
 */
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createVerifier, resolveTokenSettings, type TokenSettings } from '../auth/jwt';
import { offsetClock, systemClock, type Clock } from '../clock';
import type { Config } from '../config';
import { runMigrationsUnbounded } from '../db/data-source';
import { openDatabase } from '../db/open';
import { isEmpty, seedDemo } from '../db/seed';
import { createLogger, type Logger } from '../logger';
import { validateTransitionTable } from '../modules/approvals/approval.states';
import { createApp } from './app';
import { AvailabilityMonitor } from './availability';
import { createReadiness } from './readiness';
import { createCaches, type ServiceCaches } from './caches';
import { buildServedSchema } from './schema';

export interface Service {
  url: string;
  port: number;
  dataSource: DataSource;
  tokens: TokenSettings;
  log: Logger;
  embedded: boolean;
  /** The answers it keeps between requests (hit and miss counts for tests and benchmarks). */
  caches: ServiceCaches;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  onQuery?: (sql: string) => void;
  /** Default: outside production, seed demo data into an empty database. */
  seedDemo?: boolean;
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  // Lifecycles declared as data are checked before anything runs on them.
  validateTransitionTable();
  const log = createLogger(config.logLevel);
  const clock = options.clock ?? (config.demoClock ? offsetClock(config.demoClock) : systemClock);
  const tokens = resolveTokenSettings(config);
  const db = await openDatabase(config, {
    advertise: true,
    onQuery: options.onQuery,
    timeouts: true,
  });
  const monitor = new AvailabilityMonitor(log);
  const readiness = createReadiness({ ...db, monitor });
  try {
    const applied = await runMigrationsUnbounded(db.dataSource);
    if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    if ((options.seedDemo ?? !config.production) && (await isEmpty(db.dataSource))) {
      const seeded = await seedDemo(db.dataSource, clock, log);
      log.info(seeded, 'demo data seeded into the empty database');
    }
    const schema = await buildServedSchema();
    const caches = createCaches({ reportDraftRows: config.reportDraftCacheRows });
    const { httpServer, apollo } = await createApp({
      deps: { dataSource: db.dataSource, clock, log, caches },
      schema,
      verifier: createVerifier(tokens),
      production: config.production,
      budget: {
        requestMs: config.requestTimeoutMs,
        statementMs: db.embedded ? Infinity : config.databaseTimeouts.statementMs,
      },
      monitor,
      readiness,
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, '0.0.0.0', () => resolve());
    });
    const port = (httpServer.address() as AddressInfo).port;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://localhost:${port}/graphql`,
      port,
      dataSource: db.dataSource,
      tokens,
      log,
      embedded: db.embedded,
      caches,
      stop() {
        // Stop accepting, let in-flight requests finish (the drain plugin), then close the pool.
        stopping ??= (async () => {
          await apollo.stop();
          await readiness.close();
          await db.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await readiness.close();
    await db.close();
    throw err;
  }
}
