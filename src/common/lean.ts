/**
 * Plain rows for the read path: an entity's columns selected as `"alias"."column" AS "property"`,
 * so the driver hands back objects already shaped like the entity (same property names and value
 * types) and nothing is hydrated. TypeORM's `getMany` builds each entity through its metadata at
 * about half the driver's speed; reads need none of that. Writes keep entities and repositories.
 */
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { batchedQuery } from './statement-batch';

const lists = new WeakMap<EntityMetadata, Map<string, string>>();

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The select list of `entity`'s columns under `alias`, without the properties in `omit` (left
 * undefined on the rows). Enum arrays come back as text arrays, which the driver parses.
 */
export function leanColumns(
  metadata: EntityMetadata,
  alias: string,
  omit: readonly string[] = [],
): string {
  let byKey = lists.get(metadata);
  if (!byKey) lists.set(metadata, (byKey = new Map()));
  const key = `${alias}|${omit.join(',')}`;
  let list = byKey.get(key);
  if (list === undefined) {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const column of metadata.columns) {
      if (column.isVirtual || column.isSelect === false || seen.has(column.databaseName)) continue;
      if (column.embeddedMetadata)
        throw new Error(`${metadata.name}: embedded columns are not lean`);
      seen.add(column.databaseName);
      if (omit.includes(column.propertyName)) continue;
      const cast = column.isArray && column.type === 'enum' ? '::text[]' : '';
      parts.push(
        `${quote(alias)}.${quote(column.databaseName)}${cast} AS ${quote(column.propertyName)}`,
      );
    }
    list = parts.join(', ');
    byKey.set(key, list);
  }
  return list;
}

/** An entity's table, quoted, and the database name of each property it is asked about. */
export function tableOf<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>) {
  const metadata = manager.connection.getMetadata(entity);
  return {
    metadata,
    table: quote(metadata.tablePath),
    column(property: string): string {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${metadata.name} has no column ${property}`);
      return quote(column.databaseName);
    },
  };
}

/**
 * `SELECT <lean columns> FROM <table> e WHERE <where> [ORDER BY …]`, as plain rows; sent in one
 * round trip with the other loaders' statements of the same tick (`statement-batch.ts`), so the
 * parameters must be values the service read or checked (ids, codes, enum names).
 */
export async function leanRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  where: (column: (property: string) => string) => string,
  params: unknown[],
  options: { omit?: readonly string[]; order?: [string, 'ASC' | 'DESC'][] } = {},
): Promise<T[]> {
  const t = tableOf(manager, entity);
  const column = (p: string) => `e.${t.column(p)}`;
  const order = options.order?.length
    ? ` ORDER BY ${options.order.map(([p, d]) => `${column(p)} ${d}`).join(', ')}`
    : '';
  return batchedQuery<T>(
    manager,
    `SELECT ${leanColumns(t.metadata, 'e', options.omit)} FROM ${t.table} e WHERE ${where(column)}${order}`,
    params,
  );
}
