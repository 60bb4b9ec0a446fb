import 'reflect-metadata';
import { startBanner } from './banner';
import { ConfigError, loadConfig } from './config';
import { startService } from './server/service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const service = await startService(config);
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
      ide: config.graphqlIde,
    }),
  );
  const shutdown = (signal: string) => {
    service.log.info({ signal }, 'shutting down: finishing in-flight requests');
    service.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        service.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
