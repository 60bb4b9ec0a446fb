/**
 * Per-request batch loaders: every nested list or reference resolves in one `= ANY($1)` statement
 * per level, whatever the page size. Each module declares its own set (`<module>.loaders.ts`, a
 * function of the entity manager) and reads it through `ctx.loadersOf(set)`, which makes it once
 * per request on the manager the request reads through (see `RequestContext`). These helpers build
 * the common shapes; the kernel names no entity.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';

/** A module's loaders, made on a manager. */
export type LoaderSet<T> = (manager: EntityManager) => T;

/** Rows by primary key. */
export function byId<T extends { id: string }>(
  manager: EntityManager,
  entity: new () => T,
): DataLoader<string, T | undefined> {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const rows = await manager
      .createQueryBuilder(entity, 'e')
      .where('e.id = ANY(:ids::uuid[])', { ids: [...ids] })
      .getMany();
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
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (ids) => {
    const qb = manager
      .createQueryBuilder(entity, 'e')
      .where(`e.${key} = ANY(:ids::uuid[])`, { ids: [...ids] });
    for (const [column, direction] of order) qb.addOrderBy(`e.${column}`, direction);
    const rows = await qb.getMany();
    const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row[key] as unknown as string)?.push(row);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}

/** At most one row per foreign key (`where` narrows the rows further), in one statement per batch. */
export function oneBy<T extends object, K extends keyof T & string>(
  manager: EntityManager,
  entity: new () => T,
  key: K,
  where?: { sql: string; params: Record<string, unknown> },
): DataLoader<string, T | undefined> {
  return new DataLoader<string, T | undefined>(async (ids) => {
    const qb = manager
      .createQueryBuilder(entity, 'e')
      .where(`e.${key} = ANY(:ids::uuid[])`, { ids: [...ids] });
    if (where) qb.andWhere(where.sql, where.params);
    const rows = await qb.getMany();
    const map = new Map(rows.map((r) => [r[key] as unknown as string, r]));
    return ids.map((id) => map.get(id));
  });
}
