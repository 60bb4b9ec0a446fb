import type { DataSource } from 'typeorm';
import { SERVICE_ROLE } from './roles';
import type { Config } from '../config';
import { createDataSource, discardReadOnlyConnections } from './data-source';
import { EmbeddedDatabase, runningEmbedded, startEmbedded } from './embedded';
import { reachDatabase } from './reach';

export interface OpenDatabase {
  dataSource: DataSource;
  /** Where it connects (the embedded one's loopback address included). */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Scripts: reuse the embedded database of a running service instead of opening its files again. */
  share?: boolean;
  advertise?: boolean;
  onQuery?: (sql: string, params?: unknown[]) => void;
  /** Connect as the owner (`MIGRATION_DATABASE_URL`), for scripts that migrate. */
  owner?: boolean;
  /** Run first, on the owner's own short-lived connection (migrations at start). */
  asOwner?: (dataSource: DataSource) => Promise<void>;
  /** The service's database timeouts on its pool (scripts and migrations run without). */
  timeouts?: boolean;
}

/**
 * Connects to the configured database: `DATABASE_URL`, or the embedded one under the data
 * directory. `asOwner` runs on a separate connection as the owner (`MIGRATION_DATABASE_URL`) before
 * the service's pool opens. On the embedded database (one session, always the superuser
 * `postgres`), the service's pool then works as `ep_service` through `SET ROLE` on that session: see
 * README "Database roles" for what that does and does not protect.
 */
export async function openDatabase(config: Config, opts: OpenOptions = {}): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.owner ? config.migrationDatabaseUrl : config.databaseUrl;
  // A configured server is reached first, within DATABASE_CONNECT_TIMEOUT_MS, so that a silent or
  // refusing one fails here with a message naming the variable instead of hanging or saying only
  // ECONNREFUSED.
  for (const [variable, target] of configuredUrls(config, opts))
    await reachDatabase(target, variable, config.databaseTimeouts.firstConnectMs);
  let poolSize = config.databasePoolSize;
  if (url === undefined) {
    poolSize = 1;
    const running = opts.share ? runningEmbedded(config.dataDir) : undefined;
    if (running) {
      url = `postgres://postgres@127.0.0.1:${running.port}/postgres`;
    } else {
      embedded = await startEmbedded(config.dataDir, { advertise: opts.advertise });
      url = embedded.url;
    }
  }
  try {
    if (opts.asOwner) {
      const owner = createDataSource({ url: config.migrationDatabaseUrl ?? url, poolSize: 1 });
      await owner.initialize();
      try {
        await opts.asOwner(owner);
      } finally {
        await owner.destroy();
      }
    }
    if (embedded && !opts.owner) await embedded.setRole(SERVICE_ROLE);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const dataSource = createDataSource({
    url,
    poolSize,
    onQuery: opts.onQuery,
    timeouts: opts.timeouts ? config.databaseTimeouts : undefined,
  });
  try {
    await dataSource.initialize();
    discardReadOnlyConnections(dataSource);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  return {
    dataSource,
    url,
    embedded: config.databaseUrl === undefined,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** The configured URLs this open connects to, by the variable that names each. */
function configuredUrls(config: Config, opts: OpenOptions): [string, string][] {
  const urls: [string, string][] = [];
  const owner = config.migrationDatabaseUrl;
  const separateOwner = owner !== undefined && owner !== config.databaseUrl;
  if ((opts.owner || opts.asOwner) && separateOwner) urls.push(['MIGRATION_DATABASE_URL', owner]);
  if (config.databaseUrl !== undefined && !(opts.owner && separateOwner))
    urls.push(['DATABASE_URL', config.databaseUrl]);
  return urls;
}
