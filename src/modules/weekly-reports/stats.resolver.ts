import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { toConnection } from '../../common/connection.types';
import { StatsFilterInput } from './weekly-report.inputs';
import { StatsDimension } from './stats.service';
import { approvalStatsPage, enforcementStatsPage, type StatsPage } from './stats.paging';
import {
  ApprovalStatsConnection,
  EnforcementStatsConnection,
  StatsPageArgs,
} from './stats.connection';

const asConnection = <T>(page: StatsPage<T>) => toConnection(page, page.cursor);

/** The paged forms of the figures: any grouping, a page at a time. */
@Resolver()
export class StatsPageResolver {
  @Query(() => EnforcementStatsConnection, {
    description:
      'Counts of enforcement actions (void ones excluded) grouped by the given keys, a page at a time: the paged form of `enforcementStats`, for answers of any size (figures over years by every key). Same filter, grouping, permissions and office scope as `enforcementStats` (supervisors: their office; headquarters: any). Errors: BAD_USER_INPUT naming `filter.from`/`filter.to`, `first` or `after`.',
  })
  async enforcementStatsPage(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput, {
      description: 'The weeks, offices and values to count (as the list form).',
    })
    filter: StatsFilterInput,
    @Arg('groupBy', () => [StatsDimension], {
      description:
        'The keys to group by (any of the five, in any order; the rows are ordered by the grouped keys in the order WEEK, OFFICE, CATEGORY, ACTION_TYPE, BASIS).',
    })
    groupBy: StatsDimension[],
    @Args(() => StatsPageArgs) page: StatsPageArgs,
  ): Promise<unknown> {
    return asConnection(await enforcementStatsPage(ctx, filter, groupBy, page));
  }

  @Query(() => ApprovalStatsConnection, {
    description:
      'Approval-request figures grouped by WEEK, OFFICE and ACTION_TYPE, a page at a time: the paged form of `approvalStats`, for answers of any size. Same filter, grouping, permissions and office scope as `approvalStats` (supervisors: their office; headquarters: any). Errors: BAD_USER_INPUT naming `groupBy.N`, `filter.*`, `first` or `after`.',
  })
  async approvalStatsPage(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatsFilterInput, {
      description: 'The weeks, offices and values to count (as the list form).',
    })
    filter: StatsFilterInput,
    @Arg('groupBy', () => [StatsDimension], {
      description: 'WEEK, OFFICE and/or ACTION_TYPE (rows ordered by them in that order).',
    })
    groupBy: StatsDimension[],
    @Args(() => StatsPageArgs) page: StatsPageArgs,
  ): Promise<unknown> {
    return asConnection(await approvalStatsPage(ctx, filter, groupBy, page));
  }
}
