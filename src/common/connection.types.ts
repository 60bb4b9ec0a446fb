import { ArgsType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Relay pagination state of a connection. Lists page forward only, by keyset: a page starts strictly after its cursor, so rows added or removed meanwhile never shift or repeat the pages that follow.',
})
export class PageInfo {
  @Field(() => Boolean, {
    description: 'More rows follow this page: ask again with `after: endCursor`.',
  })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'Always false: lists page forward only.' })
  hasPreviousPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The first edge's cursor; null when the page is empty.",
  })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The last edge's cursor: pass it as `after` to get the next page; null when the page is empty.",
  })
  endCursor: string | null;
}

/** The page a connection query asks for: every list pages forward the same way. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description:
      'Page size: how many edges at most, 1 to 200 (default 50); anything else is BAD_USER_INPUT naming `first`.',
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Where to start: the previous page's `pageInfo.endCursor` (or any edge's `cursor`) from the same list with the same filter; omit for the first page. Cursors are opaque: one that is not a cursor of this list is BAD_USER_INPUT naming `after`.",
  })
  after?: string | null;
}

export function pageInfo<T>(
  items: T[],
  hasNextPage: boolean,
  cursor: (item: T) => string,
): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: false,
    startCursor: items.length ? cursor(items[0]) : null,
    endCursor: items.length ? cursor(items[items.length - 1]) : null,
  };
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  /** Counted only if the client asks for `totalCount`. */
  totalCount?: () => Promise<number>;
}

/** An edge whose cursor is made only if the client selects it (most pages never ask). */
class Edge<T, N> {
  constructor(
    readonly node: N,
    private readonly item: T,
    private readonly cursorOf: (item: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.item);
  }
}

/** A Relay connection over one page: edges with cursors, page info, and the lazy total. */
export function toConnection<T, N = T>(
  page: Page<T>,
  cursor: (item: T) => string,
  node: (item: T) => N = (item) => item as unknown as N,
) {
  return {
    edges: page.items.map((item) => new Edge(node(item), item, cursor)),
    pageInfo: pageInfo(page.items, page.hasNextPage, cursor),
    totalCount: page.totalCount,
  };
}
