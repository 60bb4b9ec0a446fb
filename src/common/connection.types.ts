import { ArgsType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay pagination state of a connection.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'Always false: lists page forward only.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor: string | null;
}

/** The page a connection query asks for: every list pages forward the same way. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The previous page's `pageInfo.endCursor`." })
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

/** A Relay connection over one page: edges with cursors, page info, and the lazy total. */
export function toConnection<T, N = T>(
  page: Page<T>,
  cursor: (item: T) => string,
  node: (item: T) => N = (item) => item as unknown as N,
) {
  return {
    edges: page.items.map((item) => ({ node: node(item), cursor: cursor(item) })),
    pageInfo: pageInfo(page.items, page.hasNextPage, cursor),
    totalCount: page.totalCount,
  };
}
