import { FieldResolver, Int, Resolver, Root } from 'type-graphql';

/**
 * The one `totalCount` field of a connection: the lazy count the pager left on the page
 * (`keyset.ts`), run only when a client selects the field.
 */
export function totalCountResolver(connection: abstract new () => object, description: string) {
  @Resolver(() => connection)
  class TotalCountResolver {
    @FieldResolver(() => Int, { description })
    totalCount(@Root() page: { totalCount: () => Promise<number> }): Promise<number> {
      return page.totalCount();
    }
  }
  return TotalCountResolver;
}
