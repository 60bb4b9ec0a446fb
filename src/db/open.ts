import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createDataSource, discardReadOnlyConnections } from './data-source';
import { EmbeddedDatabase, runningEmbedded, startEmbedded } from './embedded';

export interface OpenDatabase {
  dataSource: DataSource;
  /** Where it connects (the embedded one's loopback address included). */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to the configured database: `DATABASE_URL`, or the embedded one under the data
 * directory. `share: true` (scripts) reuses the embedded database of a running service instead of
 * opening its files a second time.
 */
export async function openDatabase(
  config: Config,
  opts: {
    share?: boolean;
    advertise?: boolean;
    onQuery?: (sql: string) => void;
    /** The service's timeouts (scripts run without). */
    timeouts?: boolean;
  } = {},
): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
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
