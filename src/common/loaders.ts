/**
 * Per-request batch loaders: every nested list or reference resolves in one `= ANY($1)` statement
 * per level, whatever the page size. Each module declares its own set (`<module>.loaders.ts`, a
 * function of the entity manager and of what the operation selects) and reads it through
 * `ctx.loadersOf(set)`, which makes it once per request on the manager the request reads through
 * (see `RequestContext`). Rows are plain objects shaped like the entity (`lean.ts`), not hydrated
 * entities: loaders serve reads only. These helpers build the common shapes; the kernel names no
 * entity.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { leanRows } from './lean';
import type { ServiceCaches } from './caches';
import type { Selection } from './selection';

/** What a loader set may know of its request besides the manager it reads through. */
export interface LoaderRequest {
  /** What the operation selects (null: anything). */
  selection: Selection | null;
  /** The service's caches; rows may be kept there only when `committed`. */
  caches: ServiceCaches;
  /** Outside a transaction: every row read is committed, and may be shared with other requests. */
  committed: boolean;
}

/** A module's loaders, made on a manager for one request. */
export type LoaderSet<T> = (manager: EntityManager, request: LoaderRequest) => T;

export interface LoaderOptions {
  /** Properties not to read (columns no selected field needs: `lean.ts`'s `unreadColumns`). */
  omit?: readonly string[];
}

/** Rows by primary key. */
export function byId<T extends { id: string }>(
  manager: EntityManager,
  entity: new () => T,
  options: LoaderOptions = {},
): DataLoader<string, T | undefined> {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = await leanRows(manager, entity, (c) => `${c('id')} = ANY($1::uuid[])`, [ids], {
      omit: options.omit,
    });
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id));
  });
}

/** Rows grouped by a foreign key, in one `= ANY($1)` statement per batch. */
export function groupedBy<T extends object, K extends keyof T & string>(
  manager: EntityManager,
  entity: new () => T,
  key: K,
  order: [keyof T & string, 'ASC' | 'DESC'][],
  options: LoaderOptions = {},
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await leanRows(manager, entity, (c) => `${c(key)} = ANY($1::uuid[])`, [ids], {
      omit: options.omit,
      order,
    });
    const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row[key] as unknown as string)?.push(row);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}

/** At most one row per foreign key (`where` narrows the rows: property = value), in one statement per batch. */
export function oneBy<T extends object, K extends keyof T & string>(
  manager: EntityManager,
  entity: new () => T,
  key: K,
  where?: { property: keyof T & string; equals: unknown },
): DataLoader<string, T | undefined> {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = await leanRows(
      manager,
      entity,
      (c) => `${c(key)} = ANY($1::uuid[])${where ? ` AND ${c(where.property)} = $2` : ''}`,
      where ? [ids, where.equals] : [ids],
    );
    const map = new Map(rows.map((r) => [r[key] as unknown as string, r]));
    return ids.map((id) => map.get(id));
  });
}
