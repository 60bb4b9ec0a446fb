import 'reflect-metadata';
import { startBanner } from './banner';
import { ConfigError, loadConfig, type Config } from './config';
import { oneActiveUserPerRole, type ListedUser } from './db/user-list';
import { startService, type Service } from './server/service';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  // SIGTERM and SIGINT close HTTP, the workers and the database in order (Service.stop), then exit
  // 0. Installed before start-up: a signal during it (migrations on the embedded database, say) is
  // acted on once the service is up, rather than killing PGlite half-way through a write. A second
  // signal exits at once.
  const started: { service?: Service } = {};
  let signalled: NodeJS.Signals | undefined;
  const stop = (running: Service, signal: NodeJS.Signals) => {
    running.log.info({ signal }, `${signal}: shutting down (in-flight requests may finish)`);
    running.stop().then(
      () => {
        running.log.info({ signal }, 'shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        running.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      console.error(`${signal} again: exiting without finishing the shutdown`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    signalled = signal;
    if (started.service) stop(started.service, signal);
    else console.error(`${signal}: stopping as soon as start-up has finished (again: at once)`);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const service = await startService(config);
  started.service = service;
  if (signalled) return stop(service, signalled);

  const where = service.embedded
    ? `embedded PostgreSQL in ${config.dataDir}`
    : 'PostgreSQL at DATABASE_URL';
  service.log.info({ url: service.url, database: where }, 'service started');
  console.log(
    startBanner({
      production: config.production,
      url: service.url,
      port: service.port,
      database: where,
      demoClock: config.demoClock,
      users: config.production ? [] : await suggestedUsers(service),
      ide: config.graphqlIde,
    }),
  );
}

/** One active user per role, to suggest in the banner; none if the read fails (it is only a hint). */
async function suggestedUsers(service: Service): Promise<ListedUser[]> {
  try {
    return await oneActiveUserPerRole((sql, params) => service.dataSource.query(sql, params));
  } catch (err) {
    service.log.warn({ err }, 'could not list users for the banner');
    return [];
  }
}

main().catch((err: unknown) => {
  console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
