/**
 * The DataSource the TypeORM CLI uses; the service builds the same one (src/db/data-source.ts).
 * It needs DATABASE_URL: without it the service runs on the embedded database, which the project's
 * own scripts (npm run migration:*) reach instead.
 */
import { createDataSource } from './src/db/data-source';

export default createDataSource({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
