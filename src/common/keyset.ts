/**
 * The one keyset pager. A list names its sort key once (columns, what each cursor value is, how
 * to read it from a row, one direction for all); the pager encodes cursors from it, checks a
 * client's `after` against it, and pages forward: rows strictly after the cursor in the key's
 * order, `first + 1` fetched to know whether another page follows. The total is counted only if
 * the client asks for it.
 */
import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { guardUnread, leanColumns } from './lean';
import { decodeCursor, encodeCursor, pageSize, type CursorPart } from './pagination';

export interface KeyPart<T> {
  /** The column as the query builder names it ('c.createdAt'). */
  column: string;
  part: CursorPart;
  of: (row: T) => string;
}

export interface Keyset<T> {
  keys: readonly KeyPart<T>[];
  direction: 'ASC' | 'DESC';
}

export interface KeysetPage<T> {
  items: T[];
  hasNextPage: boolean;
  /** Counted only if the client asks for `totalCount`. */
  totalCount: () => Promise<number>;
}

export function keysetCursor<T>(keyset: Keyset<T>, row: T): string {
  return encodeCursor(keyset.keys.map((k) => k.of(row)));
}

/** The values of a client's `after` cursor, checked against the sort key (BAD_USER_INPUT if not). */
export function decodeAfter<T>(keyset: Keyset<T>, after: string): string[] {
  return decodeCursor(
    after,
    'after',
    keyset.keys.map((k) => k.part),
  );
}

/** One page of `fetched` (`first + 1` rows asked for). */
export function pageOf<T>(fetched: T[], first: number): { items: T[]; hasNextPage: boolean } {
  return { items: fetched.slice(0, first), hasNextPage: fetched.length > first };
}

/**
 * A page of the rows `base()` selects, in the key's order. `base` builds the filtered query
 * afresh for the page and, if asked, for the count.
 */
export async function keysetPage<T extends ObjectLiteral>(
  base: () => SelectQueryBuilder<T>,
  keyset: Keyset<T>,
  args: { first?: number | null; after?: string | null },
  /** Properties not to read (`lean.ts`'s `unreadColumns`); the keys are always read. */
  omit: readonly string[] = [],
): Promise<KeysetPage<T>> {
  const first = pageSize(args.first);
  const page = base();
  if (args.after) {
    const values = decodeAfter(keyset, args.after);
    const op = keyset.direction === 'ASC' ? '>' : '<';
    // Rows strictly after the cursor, as one row comparison: every key runs in one direction, so
    // PostgreSQL starts the index scan at the cursor instead of filtering from the first row.
    const names = keyset.keys.map((_, i) => `:keyset${i}`);
    page.andWhere(
      `(${keyset.keys.map((k) => k.column).join(', ')}) ${op} (${names.join(', ')})`,
      Object.fromEntries(values.map((v, i) => [`keyset${i}`, v])),
    );
  }
  keyset.keys.forEach((k, i) =>
    i === 0
      ? page.orderBy(k.column, keyset.direction)
      : page.addOrderBy(k.column, keyset.direction),
  );
  // Plain rows shaped like the entity (`lean.ts`): a page is read, never saved.
  const metadata = page.expressionMap.mainAlias!.metadata;
  // The cursor is made of the keys: never left out.
  const keys = keyset.keys.map((k) => k.column.slice(k.column.lastIndexOf('.') + 1));
  const unread = omit.filter((p) => !keys.includes(p));
  page.select(leanColumns(metadata, page.alias, unread));
  const rows = guardUnread(await page.limit(first + 1).getRawMany<T>(), metadata, unread);
  return { ...pageOf(rows, first), totalCount: () => base().getCount() };
}
