/**
 * Plain rows for the read path: an entity's columns selected as `"alias"."column" AS "property"`,
 * so the driver hands back objects already shaped like the entity (same property names and value
 * types) and nothing is hydrated. TypeORM's `getMany` builds each entity through its metadata at
 * about half the driver's speed; reads need none of that. Writes keep entities and repositories.
 */
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { batchedQuery } from './statement-batch';
import { unreadProperties, type ColumnNeeds, type Selection } from './selection';

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

/** The properties of an entity to leave out of a read for `selection` (see `ColumnNeeds`). */
export function unreadColumns(
  metadata: EntityMetadata,
  selection: Selection | null,
  needs: ColumnNeeds,
): string[] {
  return unreadProperties(
    selection,
    needs,
    metadata.columns.map((c) => c.propertyName),
  );
}

/**
 * Outside production, a property left out of a row throws when read, naming it: a field that reads
 * a column its `ColumnNeeds` does not list fails every test that selects it, instead of answering
 * with a missing value. In production the property is simply undefined.
 */
const GUARD_UNREAD = process.env.NODE_ENV !== 'production';

export function guardUnread<T extends ObjectLiteral>(
  rows: T[],
  metadata: EntityMetadata,
  omit: readonly string[] | undefined,
): T[] {
  if (!GUARD_UNREAD || !omit?.length) return rows;
  for (const row of rows)
    for (const property of omit)
      Object.defineProperty(row, property, {
        enumerable: false,
        get() {
          throw new Error(
            `${metadata.name}.${property} was not read: the operation selects no field that needs it (add it to the type's ColumnNeeds)`,
          );
        },
      });
  return rows;
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
  const rows = await batchedQuery<T>(
    manager,
    `SELECT ${leanColumns(t.metadata, 'e', options.omit)} FROM ${t.table} e WHERE ${where(column)}${order}`,
    params,
  );
  return guardUnread(rows, t.metadata, options.omit);
}
