/**
 * Rows of the users module reused across requests for a short time (`CALLER_CACHE_MS`, 2 s by
 * default), so a busy client's requests cost no user or office lookup each:
 *
 * - signed-in users (only found, active ones): a deactivation evicts the user at once in this
 *   process, and every other process reads the row again within that time;
 * - offices by id, as the `office` fields show them (only rows read outside a transaction, so
 *   never one a rolled-back write made); offices are created, never changed by the API.
 */
import { serviceCache } from '../../common/caches';
import { TtlCache } from '../../common/ttl-cache';
import type { Caller } from '../../auth/caller';
import type { OfficeEntity } from './office.entity';

export const callerCache = serviceCache(
  'callers',
  (ms) => new TtlCache<Readonly<Caller>>(ms ?? 2000),
);

export const officeCache = serviceCache(
  'callers',
  (ms) => new TtlCache<Readonly<OfficeEntity>>(ms ?? 2000, 1000),
);
